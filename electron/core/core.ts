import { randomUUID } from 'node:crypto';
import {
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type InvokeResponse,
} from '../../shared/contract.js';
import type { Alert } from '../../shared/domain.js';
import type { Pack } from '../../shared/pack.js';
import { GuardiaError, err, ok, type Result } from '../../shared/result.js';
import type { z } from 'zod';
import { diffAlerts, mergeByFingerprint, normalizeAlert, worstSeverity } from './alerts/normalize.js';
import { MetricsHub, messageOf, type MetricsTick } from './dashboards/metrics-hub.js';
import { EventBus, type EventListener } from './events/event-bus.js';
import type { Journal } from './journal/journal.js';
import { notificationsFor } from './notifications/notification-policy.js';
import { runAction, summarizePlaybooks } from './playbooks/playbook-service.js';
import type { AlertSource, ClusterPort, Clock, Logger, MetricsSource } from './ports.js';

export interface EnvironmentInfo {
  id: string;
  name: string;
  production: boolean;
  readOnly: boolean;
}

/** Everything core needs, wired by a composition root (CLI, Electron main or a test). */
export interface CoreDeps {
  version: string;
  pack: Pack;
  environment: EnvironmentInfo;
  environments: EnvironmentInfo[];
  metrics: MetricsSource | null;
  alertSources: AlertSource[];
  cluster: ClusterPort | null;
  clock: Clock;
  journal: Journal;
  logger: Logger;
  refreshSeconds: number;
  actor: string;
}

type Handlers = {
  [C in InvokeChannel]: (req: z.infer<(typeof invokeChannels)[C]['req']>) => Promise<InvokeResponse<C>>;
};

interface SourceState {
  since: number | null;
  reason: string | null;
  failures: number;
}

/** Longest wait between retries of a failing source. */
const maxBackoffMs = 60_000;

/**
 * Guardia's core: the one implementation behind the Electron window, browser mode and the CLI.
 * It polls metrics and alerts, keeps the last good data (marked stale when a source fails), emits
 * deltas on the event bus, journals what happens, and answers the contract's invoke channels.
 */
export class Core {
  readonly events: EventBus;
  readonly handlers: Handlers;
  private readonly hub: MetricsHub | null;
  private lastTick: MetricsTick | null = null;
  private alerts = new Map<string, Alert>();
  private alertsUpdatedAt: number | null = null;
  private readonly sources = new Map<string, SourceState>();
  private running: AbortController | null = null;
  private loops: Promise<void>[] = [];

  constructor(private readonly deps: CoreDeps) {
    this.events = new EventBus((error) => deps.logger.warn('event listener failed', { error }));
    this.hub = deps.metrics ? new MetricsHub(deps.pack, deps.metrics, deps.refreshSeconds) : null;
    deps.journal.onAppend((entry) => this.events.emit('journal.changed', entry));
    this.handlers = this.createHandlers();
  }

  get pack(): Pack {
    return this.deps.pack;
  }

  /** Validates the request against the contract, runs the handler and returns errors as values. */
  async invoke(channel: string, request: unknown): Promise<Result<unknown>> {
    if (!isInvokeChannel(channel)) return err('contract.unknown-channel', `Unknown channel "${channel}"`);
    const spec = invokeChannels[channel];
    const parsed = spec.req.safeParse(request ?? {});
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
      this.deps.logger.warn('rejected request', { channel, where });
      return err('contract.invalid-request', `Invalid request for ${channel}: ${where}`);
    }
    try {
      const handler = this.handlers[channel] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      const checked = spec.res.safeParse(value);
      if (!checked.success) {
        this.deps.logger.error('handler returned a value outside the contract', { channel, issues: checked.error.issues.slice(0, 5) });
        return err('contract.invalid-response', `Core produced an invalid response for ${channel}`);
      }
      return ok(checked.data);
    } catch (error) {
      if (error instanceof GuardiaError) return err(error.code, error.message, error.detail);
      this.deps.logger.error('handler failed', { channel, error });
      return err('internal', messageOf(error));
    }
  }

  subscribe(listener: EventListener): () => void {
    return this.events.subscribe(listener);
  }

  /** Starts polling metrics and alerts until `stop()`. */
  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    this.running = controller;
    if (this.hub) this.loops.push(this.loop('metrics', () => this.refreshMetrics(controller.signal), controller.signal));
    if (this.deps.alertSources.length) {
      this.loops.push(this.loop('alerts', () => this.refreshAlerts(controller.signal), controller.signal));
    }
  }

  async stop(): Promise<void> {
    this.running?.abort();
    this.running = null;
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  /** One refresh of everything, for one-shot CLI commands. */
  async refreshOnce(): Promise<void> {
    await Promise.all([
      this.hub ? this.guard('metrics', () => this.refreshMetrics()) : undefined,
      this.deps.alertSources.length ? this.guard('alerts', () => this.refreshAlerts()) : undefined,
    ]);
  }

  private async loop(source: string, refresh: () => Promise<void>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.guard(source, refresh);
      const failures = this.sources.get(source)?.failures ?? 0;
      const wait = Math.min(this.deps.refreshSeconds * 1000 * 2 ** failures, maxBackoffMs);
      await this.deps.clock.sleep(wait, signal).catch(() => {});
    }
  }

  /** Runs a refresh; a failure marks the source stale (keeping its last data) instead of throwing. */
  private async guard(source: string, refresh: () => Promise<void>): Promise<void> {
    try {
      await refresh();
      this.markSource(source, null);
    } catch (error) {
      if (this.running?.signal.aborted) return;
      this.markSource(source, messageOf(error));
    }
  }

  private markSource(source: string, failure: string | null): void {
    const state = this.sources.get(source) ?? { since: null, reason: null, failures: 0 };
    if (failure === null) {
      const wasStale = state.since !== null;
      this.sources.set(source, { since: null, reason: null, failures: 0 });
      if (wasStale) {
        this.deps.logger.info('source recovered', { source });
        this.events.emit('sources.changed', { source, status: 'ok', since: null, reason: null });
      }
      return;
    }
    const since = state.since ?? this.deps.clock.now();
    this.sources.set(source, { since, reason: failure, failures: state.failures + 1 });
    if (state.reason !== failure) {
      this.deps.logger.warn('source failing', { source, reason: failure });
      this.events.emit('sources.changed', { source, status: 'stale', since, reason: failure });
    }
  }

  private async refreshMetrics(signal?: AbortSignal): Promise<void> {
    const tick = await this.hub!.tick(this.deps.clock.now(), signal);
    if (MetricsHub.allFailed(tick)) throw new GuardiaError('metrics.down', Object.values(tick.errors)[0]!);
    this.lastTick = tick;
    this.events.emit('metrics.changed', { time: tick.time, values: tick.values, health: tick.health });
    this.events.emit('slos.changed', { slos: tick.slos, updatedAt: tick.time });
  }

  private async refreshAlerts(signal?: AbortSignal): Promise<void> {
    const results = await Promise.allSettled(this.deps.alertSources.map((s) => s.listAlerts(signal)));
    const lists: Alert[][] = [];
    const failures: string[] = [];
    results.forEach((r, i) => {
      const source = this.deps.alertSources[i]!;
      if (r.status === 'fulfilled') lists.push(r.value.map((raw) => normalizeAlert(this.deps.pack, raw, source.name)));
      else failures.push(`${source.name}: ${messageOf(r.reason)}`);
    });
    // With an HA pair, one member down is not a reason to drop alerts: only all-down is stale.
    if (lists.length === 0) throw new GuardiaError('alerts.down', failures.join('; '));
    const current = mergeByFingerprint(lists);
    const now = this.deps.clock.now();
    const first = this.alertsUpdatedAt === null;
    const { firing, resolved } = diffAlerts(this.alerts, current);
    this.alerts = new Map(current.map((a) => [a.fingerprint, a]));
    this.alertsUpdatedAt = now;
    if (!first && firing.length === 0 && resolved.length === 0) return;
    this.events.emit('alerts.changed', { firing, resolved, active: current.length, updatedAt: now });
    const base = { actor: 'guardia', environment: this.deps.environment.id };
    for (const a of firing) {
      await this.deps.journal.append({
        ...base,
        time: now,
        source: a.sources.join(','),
        kind: 'alert.firing',
        summary: `${a.severity} ${a.name}: ${a.summary}`,
        data: { fingerprint: a.fingerprint, labels: a.labels, startsAt: a.startsAt },
      });
    }
    for (const a of resolved) {
      await this.deps.journal.append({
        ...base,
        time: now,
        source: a.sources.join(','),
        kind: 'alert.resolved',
        summary: `${a.severity} ${a.name} resolved`,
        data: { fingerprint: a.fingerprint, firingSince: a.startsAt },
      });
    }
    // Alerts already active when Guardia starts are shown, not announced.
    if (first) return;
    for (const n of notificationsFor(firing, now, randomUUID)) this.events.emit('notifications.changed', n);
  }

  private staleList() {
    return [...this.sources]
      .filter(([, s]) => s.since !== null)
      .map(([source, s]) => ({ source, since: s.since!, reason: s.reason ?? '' }));
  }

  private staleOf(source: string) {
    const s = this.sources.get(source);
    return s && s.since !== null ? { since: s.since, reason: s.reason ?? '' } : null;
  }

  private async ensureData(): Promise<void> {
    if ((this.hub && !this.lastTick) || (this.deps.alertSources.length && this.alertsUpdatedAt === null)) {
      await this.refreshOnce();
    }
  }

  private createHandlers(): Handlers {
    const d = this.deps;
    return {
      'app.getInfo': async () => ({
        name: 'Guardia',
        version: d.version,
        pack: { id: d.pack.manifest.id, name: d.pack.manifest.name, defaultLocale: d.pack.manifest.defaultLocale },
        environments: d.environments,
        activeEnvironment: d.environment.id,
        refreshSeconds: d.refreshSeconds,
        dashboards: d.pack.dashboards.map((x) => ({ id: x.id, title: x.title })),
      }),
      'status.get': async () => {
        await this.ensureData();
        const alerts = [...this.alerts.values()];
        return {
          environment: d.environment.id,
          updatedAt: this.lastTick?.time ?? null,
          health: this.lastTick?.health ?? [],
          slos: this.lastTick?.slos ?? d.pack.slos.map((s) => unknownSlo(s)),
          alerts,
          worstSeverity: worstSeverity(alerts),
          stale: this.staleList(),
        };
      },
      'dashboards.get': async ({ id, rangeMinutes }) => {
        if (!this.hub) throw new GuardiaError('metrics.unconfigured', `Environment "${d.environment.id}" has no Prometheus connection`);
        const data = await this.hub.dashboard(id, rangeMinutes, d.clock.now());
        return { ...data, stale: this.staleOf('metrics') };
      },
      'slos.list': async () => {
        await this.ensureData();
        return {
          slos: this.lastTick?.slos ?? d.pack.slos.map((s) => unknownSlo(s)),
          updatedAt: this.lastTick?.time ?? null,
          stale: this.staleOf('metrics'),
        };
      },
      'alerts.list': async () => {
        await this.ensureData();
        return { alerts: [...this.alerts.values()], updatedAt: this.alertsUpdatedAt, stale: this.staleOf('alerts') };
      },
      'playbooks.list': async () => ({ playbooks: summarizePlaybooks(d.pack, { environment: d.environment, cluster: d.cluster }) }),
      'playbooks.act': async (req) =>
        runAction(d.pack, d.journal, req, { environment: d.environment, actor: d.actor, cluster: d.cluster }),
      'journal.list': async ({ limit }) => ({ entries: await d.journal.list(limit) }),
      'journal.addNote': async ({ text }) =>
        d.journal.append({ actor: d.actor, environment: d.environment.id, source: 'user', kind: 'note', summary: text }),
    };
  }
}

function unknownSlo(slo: Pack['slos'][number]) {
  return {
    id: slo.id,
    service: slo.service,
    sli: slo.sli,
    objective: slo.objective,
    window: slo.window,
    current: null,
    unit: slo.objective.kind === 'ratio' ? ('percent' as const) : slo.objective.unit,
    met: null,
    errorBudget: null,
    error: 'no data yet',
  };
}
