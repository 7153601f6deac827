import type { EventPayload } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/result';
import type { GuardiaApi } from '../api/client';
import { loadPaging } from '../features/incidents/incidents-slice';
import { createCoalescer } from '../lib/coalescer';
import type { GuardiaStore } from './store';

/** Default chart range on first load. */
export const defaultRangeMinutes = 15;

/** What views may ask of the sync layer (loading, not state: state is in the store). */
export type SyncActions = {
  /** Reloads every snapshot (after a reconnect, or the retry button). */
  reload(): Promise<void>;
  loadDashboard(id: string, rangeMinutes: number): Promise<void>;
  loadPlaybooks(): Promise<void>;
  loadJournal(): Promise<void>;
};

export type Sync = SyncActions & {
  /** Subscribes to live events and loads every snapshot; returns the stop function. */
  start(): () => void;
};

/**
 * Wires the API to the store: `start` subscribes to every live event first (so nothing between
 * snapshot and subscription is lost for good), then loads the snapshots. Views never subscribe
 * themselves. Creating a Sync has no side effect, so React can build it during render.
 */
export function createSync(api: GuardiaApi, store: GuardiaStore, options: { metricsIntervalMs?: number } = {}): Sync {
  const state = () => store.getState();
  /** Bumped by start/stop: answers to requests of an earlier run are dropped. */
  let run = 0;
  let dashboardRequest = 0;

  const expired = (error: ErrorInfo) => {
    if (error.code === 'unauthorized') state().setSessionExpired();
  };

  async function loadDashboard(id: string, rangeMinutes: number): Promise<void> {
    const mine = run;
    const request = ++dashboardRequest;
    state().dashboardLoading(id, rangeMinutes);
    const result = await api.invoke('dashboards.get', { id, rangeMinutes });
    if (mine !== run || request !== dashboardRequest) return;
    if (result.ok) {
      state().dashboardLoaded(result.value, rangeMinutes);
      state().setSourceStale('metrics', result.value.stale);
    } else {
      expired(result.error);
      state().dashboardFailed(result.error);
    }
  }

  async function loadStatus(): Promise<void> {
    const mine = run;
    const result = await api.invoke('status.get', {});
    if (mine !== run) return;
    if (!result.ok) {
      expired(result.error);
      return;
    }
    const status = result.value;
    if (status.health.length > 0) state().setHealth(status.health);
    state().setSlos(status.slos, status.updatedAt);
    state().setAlerts(status.alerts, status.updatedAt);
    state().setStaleSources(status.stale);
    state().noteMetricsTime(status.updatedAt);
  }

  async function loadPlaybooks(): Promise<void> {
    const mine = run;
    state().playbooksLoading();
    const result = await api.invoke('playbooks.list', {});
    if (mine !== run) return;
    if (result.ok) state().setPlaybooks(result.value.playbooks, result.value.unfinished);
    else {
      expired(result.error);
      state().playbooksFailed(result.error);
    }
  }

  async function loadJournal(): Promise<void> {
    const mine = run;
    state().journalLoading();
    const result = await api.invoke('journal.list', { limit: 200 });
    if (mine !== run) return;
    if (result.ok) state().setJournal(result.value.entries);
    else {
      expired(result.error);
      state().journalFailed(result.error);
    }
  }

  async function reload(): Promise<void> {
    const mine = run;
    const info = await api.invoke('app.getInfo', {});
    if (mine !== run) return;
    if (!info.ok) {
      expired(info.error);
      state().setInfoError(info.error);
      return;
    }
    state().setInfo(info.value);
    const dashboards = info.value.dashboards;
    const current = state().dashboardId;
    const dashboardId =
      (current && dashboards.some((d) => d.id === current) ? current : null) ??
      dashboards.find((d) => d.id === 'overview')?.id ??
      dashboards[0]?.id ??
      null;
    await Promise.all([
      loadStatus(),
      dashboardId ? loadDashboard(dashboardId, state().rangeMinutes || defaultRangeMinutes) : Promise.resolve(),
      loadPlaybooks(),
      loadJournal(),
      loadPaging(api, store),
    ]);
  }

  function start(): () => void {
    run += 1;
    const metrics = createCoalescer<EventPayload<'metrics.changed'>>(
      (ticks) => state().applyMetrics(ticks),
      options.metricsIntervalMs ?? 1000,
    );
    const unsubscribers = [
      api.on('metrics.changed', (payload) => metrics.push(payload)),
      api.on('slos.changed', (payload) => state().setSlos(payload.slos, payload.updatedAt)),
      api.on('alerts.changed', (payload) => state().applyAlertsChanged(payload)),
      api.on('sources.changed', (payload) => state().applySourceChange(payload)),
      api.on('notifications.changed', (payload) => state().pushToast(payload)),
      api.on('navigation.changed', (payload) => (payload.alertFingerprint ? state().openAlert(payload.alertFingerprint) : state().setView(payload.view))),
      api.on('journal.changed', (payload) => state().addJournalEntry(payload)),
      api.on('paging.changed', (payload) => state().applyPagingChanged(payload)),
      api.on('playbooks.changed', (payload) => state().applyPlaybooksChanged(payload)),
    ];
    void reload();
    return () => {
      run += 1;
      metrics.dispose();
      for (const off of unsubscribers) off();
    };
  }

  return { reload, loadDashboard, loadPlaybooks, loadJournal, start };
}
