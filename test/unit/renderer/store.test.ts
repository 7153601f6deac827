import { describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../../renderer/src/lib/coalescer';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import { createSync } from '../../../renderer/src/store/sync';
import { maxToasts } from '../../../renderer/src/features/notifications/notifications-slice';
import { alert, createFakeApi, fixtureNow, overviewDashboard } from './fake-api';

describe('store slices', () => {
  it('applies alerts.changed deltas by fingerprint', () => {
    const store = createGuardiaStore();
    store.getState().setAlerts([alert({ fingerprint: 'a', name: 'A' }), alert({ fingerprint: 'b', name: 'B' })], 1);
    store.getState().applyAlertsChanged({
      firing: [alert({ fingerprint: 'a', name: 'A', severity: 'P1' }), alert({ fingerprint: 'c', name: 'C' })],
      resolved: [alert({ fingerprint: 'b', name: 'B', state: 'resolved' })],
      active: 2,
      updatedAt: 2,
    });
    const byId = store.getState().alertsById;
    expect(Object.keys(byId).sort()).toEqual(['a', 'c']);
    expect(byId.a!.severity).toBe('P1');
  });

  it('keeps toasts until dismissed, and a P1 is never pushed out by a flood of lesser ones', () => {
    const store = createGuardiaStore();
    const toast = (id: string, severity: 'P1' | 'P2') => ({ id, time: fixtureNow, severity, title: id, body: '', alertFingerprint: null, incidentId: null, kind: 'alert' as const, ackTarget: null });
    store.getState().pushToast(toast('p1', 'P1'));
    for (let i = 0; i < 80; i++) store.getState().pushToast(toast(`p2-${i}`, 'P2'));
    const ids = store.getState().toasts.map((t) => t.id);
    expect(ids).toHaveLength(maxToasts);
    expect(ids).toContain('p1');
    expect(ids[0]).toBe('p2-79');
    store.getState().dismissToast('p1');
    expect(store.getState().toasts.map((t) => t.id)).not.toContain('p1');
  });

  it('loads history into ring buffers and appends live ticks to the right series', () => {
    const store = createGuardiaStore();
    store.getState().dashboardLoaded(overviewDashboard(), 15);
    const before = store.getState().seriesVersion;
    store.getState().applyMetrics([
      { time: fixtureNow + 15_000, values: { 'http.rps|total': 5000, 'not-on-dashboard': 1 }, health: [] },
    ]);
    const state = store.getState();
    expect(state.seriesVersion).toBe(before + 1);
    expect(state.buffers['http.rps|total']!.lastValue()).toBe(5000);
    expect(state.buffers['http.rps|total']!.size).toBe(61);
    expect(state.buffers['not-on-dashboard']).toBeUndefined();
    expect(state.lastMetricsAt).toBe(fixtureNow + 15_000);
    expect(state.panels[1]!.series[0]).not.toHaveProperty('points');
  });

  it('keeps stale sources until they report ok', () => {
    const store = createGuardiaStore();
    store.getState().applySourceChange({ source: 'prometheus', status: 'stale', since: 5, reason: 'down' });
    expect(store.getState().staleSources).toEqual({ prometheus: { since: 5, reason: 'down' } });
    store.getState().applySourceChange({ source: 'prometheus', status: 'ok', since: null, reason: null });
    expect(store.getState().staleSources).toEqual({});
  });

  it('does not duplicate a journal entry it already has', () => {
    const store = createGuardiaStore();
    const entry = { id: 'x', time: 1, actor: 'a', environment: 'e', source: 's', kind: 'note' as const, summary: 'n', data: {} };
    store.getState().addJournalEntry(entry);
    store.getState().addJournalEntry(entry);
    expect(store.getState().journal).toHaveLength(1);
  });
});

describe('createCoalescer', () => {
  it('flushes the first item at once, then batches until the interval has passed', () => {
    let now = 0;
    const timers: (() => void)[] = [];
    const flushed: number[][] = [];
    const c = createCoalescer<number>((items) => flushed.push(items), 1000, {
      now: () => now,
      setTimeout: (fn) => timers.push(fn),
      clearTimeout: () => {},
    });
    c.push(1);
    c.push(2);
    c.push(3);
    expect(flushed).toEqual([[1]]);
    now = 1000;
    timers.shift()!();
    expect(flushed).toEqual([[1], [2, 3]]);
  });
});

describe('createSync', () => {
  it('subscribes to every event before loading snapshots, and unsubscribes on stop', async () => {
    const api = createFakeApi();
    const store = createGuardiaStore();
    const sync = createSync(api, store);
    const stop = sync.start();
    expect(api.listenerCount('metrics.changed')).toBe(1);
    expect(api.calls[0]!.channel).toBe('app.getInfo');
    await vi.waitFor(() => expect(store.getState().dashboardStatus).toBe('ready'));
    expect(api.calls.map((c) => c.channel).sort()).toEqual(
      ['app.getInfo', 'dashboards.get', 'journal.list', 'paging.getOnCall', 'paging.listIncidents', 'playbooks.list', 'status.get'].sort(),
    );
    expect(api.calls.find((c) => c.channel === 'dashboards.get')!.req).toEqual({ id: 'overview', rangeMinutes: 15 });
    expect(store.getState().slos).toHaveLength(7);
    stop();
    expect(api.listenerCount('metrics.changed')).toBe(0);
  });

  it('reloads the dashboard for a new range', async () => {
    const api = createFakeApi();
    const store = createGuardiaStore();
    const sync = createSync(api, store);
    const stop = sync.start();
    await vi.waitFor(() => expect(store.getState().dashboardStatus).toBe('ready'));
    await sync.loadDashboard('overview', 360);
    expect(store.getState().rangeMinutes).toBe(360);
    expect(store.getState().minStepMs).toBe((360 * 60_000) / 240);
    stop();
  });
});

describe('metrics freshness', () => {
  it('judges freshness by arrival on our clock, not by a core clock running ahead', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_000_000);
      const store = createGuardiaStore();
      store.getState().dashboardLoaded({ ...overviewDashboard(), updatedAt: 5_000_000 }, 15);
      expect(store.getState().metricsReceivedAt).toBe(1_000_000);
      vi.setSystemTime(1_030_000);
      store.getState().applyMetrics([{ time: 9_000_000, values: {}, health: [] }]);
      expect(store.getState().metricsReceivedAt).toBe(1_030_000);
      expect(store.getState().lastMetricsAt).toBe(9_000_000);
      // an old snapshot counts from when core says it was taken
      const fresh = createGuardiaStore();
      fresh.getState().noteMetricsTime(970_000);
      expect(fresh.getState().metricsReceivedAt).toBe(970_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
