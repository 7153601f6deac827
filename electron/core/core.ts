import { setMaxListeners } from 'node:events';
import { invokeChannels, invokeChannelNames, isInvokeChannel } from '../../shared/contract.js';
import type { Pack } from '../../shared/pack.js';
import { GuardiaError, err, ok, type Result } from '../../shared/result.js';
import { AlertsModule } from './alerts/alerts-module.js';
import { worstSeverity } from './alerts/normalize.js';
import type { CoreContext, CoreModule, EnvironmentInfo, Handlers, ModuleFactory, Poller } from './core-module.js';
import { MetricsModule } from './dashboards/metrics-module.js';
import { messageOf } from './dashboards/metrics-hub.js';
import { EventBus, type EventListener } from './events/event-bus.js';
import { handoffModule } from './handoff/handoff-module.js';
import { incidentsModule } from './incidents/incidents-module.js';
import { journalModule } from './journal/journal-module.js';
import { maintenanceModule } from './maintenance/maintenance-module.js';
import { pagingModule } from './pagerduty/pagerduty-module.js';
import { statusPageModule } from './statuspage/statuspage-module.js';
import type { Journal } from './journal/journal.js';
import { playbooksModule } from './playbooks/playbooks-module.js';
import type { StepRunner } from './playbooks/step-runner.js';
import type { AlertSource, ClusterPort, Clock, Logger, MetricsSource, PagingPort, StatusPagePort } from './ports.js';

export type { EnvironmentInfo } from './core-module.js';

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
  /** A status-page connector; without one, status updates are journaled and copied by hand. */
  statusPage?: StatusPagePort | null;
  /** PagerDuty (or the demo's paging); without one, the paging.* channels say it is not configured. */
  paging?: PagingPort | null;
  /** Seconds between polls of PagerDuty's open incidents (default: refreshSeconds). */
  pagingPollSeconds?: number;
  /** Further domains (paging, incidents, …) wired by the composition root. */
  modules?: ModuleFactory[];
  /**
   * Scrubs every keychain secret core has resolved (the Redactor) from what leaves core: responses,
   * error messages and events. A service echoing a credential in an error body must not reach a face.
   */
  redact?: (text: string) => string;
  /** Playbook step runners by system (postgres, redis, azure, demo stand-ins); see playbooks-module.ts. */
  stepRunners?: StepRunner[];
}

interface SourceState {
  since: number | null;
  reason: string | null;
  failures: number;
}

/** Longest wait between retries of a failing source. */
const maxBackoffMs = 60_000;

/**
 * Guardia's core: the one implementation behind the Electron window, browser mode and the CLI.
 * Domain modules answer the contract's channels and name the sources core polls; core validates every
 * request and response, keeps the last good data of a failing source (marked stale, retried with
 * backoff) and carries every module's events to every face.
 */
export class Core {
  readonly events: EventBus;
  readonly handlers: Handlers;
  readonly modules: CoreModule[];
  /** Channels answered only by the "not available" fallback in this composition. */
  readonly missingChannels: string[];
  private readonly metricsModule: MetricsModule;
  private readonly alertsModule: AlertsModule;
  private readonly sources = new Map<string, SourceState>();
  private running: AbortController | null = null;
  private loops: Promise<void>[] = [];
  private initialized: Promise<void> | null = null;
  private firstRefresh: Promise<void> | null = null;

  constructor(private readonly deps: CoreDeps) {
    this.events = new EventBus((error) => deps.logger.warn('event listener failed', { error }));
    const ctx: CoreContext = {
      pack: deps.pack,
      environment: deps.environment,
      environments: deps.environments,
      clock: deps.clock,
      journal: deps.journal,
      logger: deps.logger,
      events: this.events,
      refreshSeconds: deps.refreshSeconds,
      actor: deps.actor,
      staleOf: (source) => this.staleOf(source),
      alerts: () => this.alertsModule.alerts,
    };
    this.metricsModule = new MetricsModule(ctx, deps.metrics);
    this.alertsModule = new AlertsModule(ctx, deps.alertSources, deps.metrics);
    this.modules = [
      { name: 'core', handlers: this.coreHandlers() },
      this.metricsModule,
      this.alertsModule,
      playbooksModule(ctx, deps.cluster, deps.stepRunners),
      journalModule(ctx),
      // The shift's process (journal-backed): every test core and every face gets it.
      handoffModule(ctx, { alertSources: deps.alertSources }),
      incidentsModule(ctx, { metrics: deps.metrics }),
      statusPageModule(ctx, deps.statusPage ?? null),
      maintenanceModule(ctx, { alertSources: deps.alertSources }),
      pagingModule(deps.paging ?? null, { pollSeconds: deps.pagingPollSeconds })(ctx),
      ...(deps.modules ?? []).map((factory) => factory(ctx)),
    ];
    const merged = mergeHandlers(this.modules);
    for (const channel of unansweredChannels(merged)) (merged as Record<string, unknown>)[channel] = unavailable(channel);
    this.missingChannels = unansweredChannels(mergeHandlers(this.modules));
    this.handlers = merged;
  }

  get pack(): Pack {
    return this.deps.pack;
  }

  /** Validates the request against the contract, runs the handler and returns errors as values. */
  async invoke(channel: string, request: unknown): Promise<Result<unknown>> {
    return this.scrub(await this.invokeRaw(channel, request));
  }

  /** The value with every registered secret replaced (a JSON round trip only when one occurs). */
  private scrub<T>(value: T): T {
    const redact = this.deps.redact;
    if (!redact) return value;
    const text = JSON.stringify(value);
    if (text === undefined) return value;
    const clean = redact(text);
    return clean === text ? value : (JSON.parse(clean) as T);
  }

  private async invokeRaw(channel: string, request: unknown): Promise<Result<unknown>> {
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
    return this.events.subscribe((event) => listener(this.scrub(event)));
  }

  private pollers(): Poller[] {
    return this.modules.flatMap((m) => m.pollers ?? []);
  }

  private init(): Promise<void> {
    this.initialized ??= Promise.all(this.modules.map((m) => m.init?.())).then(() => undefined);
    return this.initialized;
  }

  /** Starts polling every source until `stop()`. */
  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    // Every request of every poll listens on this one signal (through AbortSignal.any): dozens at once is normal.
    setMaxListeners(0, controller.signal);
    this.running = controller;
    this.loops = this.pollers().map((p) => this.loop(p, controller.signal));
  }

  async stop(): Promise<void> {
    this.running?.abort();
    this.running = null;
    await Promise.allSettled(this.loops);
    this.loops = [];
    await Promise.allSettled(this.modules.map((m) => m.stop?.()));
  }

  /** One refresh of every source, for one-shot CLI commands and the first request before polling. */
  refreshOnce(): Promise<void> {
    return this.init().then(() => Promise.all(this.pollers().map((p) => this.guard(p))).then(() => undefined));
  }

  private async loop(poller: Poller, signal: AbortSignal): Promise<void> {
    await this.init();
    while (!signal.aborted) {
      await this.guard(poller, signal);
      const failures = this.sources.get(poller.source)?.failures ?? 0;
      const interval = (poller.intervalSeconds ?? this.deps.refreshSeconds) * 1000;
      await this.deps.clock.sleep(Math.min(interval * 2 ** failures, maxBackoffMs), signal).catch(() => {});
    }
  }

  /** Runs a refresh; a failure marks the source stale (keeping its last data) instead of throwing. */
  private async guard(poller: Poller, signal?: AbortSignal): Promise<void> {
    try {
      await poller.refresh(signal);
      this.markSource(poller.source, null);
    } catch (error) {
      if (signal?.aborted) return;
      this.markSource(poller.source, messageOf(error));
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

  private staleList() {
    return [...this.sources]
      .filter(([, s]) => s.since !== null)
      .map(([source, s]) => ({ source, since: s.since!, reason: s.reason ?? '' }));
  }

  private staleOf(source: string) {
    const s = this.sources.get(source);
    return s && s.since !== null ? { since: s.since, reason: s.reason ?? '' } : null;
  }

  /** Before polling has started, a request for data triggers one refresh (shared by concurrent callers). */
  private ensureData(): Promise<void> {
    if (this.running) return this.init();
    this.firstRefresh ??= this.refreshOnce();
    return this.firstRefresh;
  }

  private coreHandlers(): Partial<Handlers> {
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
        const alerts = this.alertsModule.alerts;
        return {
          environment: d.environment.id,
          updatedAt: this.metricsModule.lastTick?.time ?? null,
          health: this.metricsModule.lastTick?.health ?? [],
          slos: this.metricsModule.slos(),
          alerts,
          worstSeverity: worstSeverity(alerts),
          stale: this.staleList(),
        };
      },
    };
  }
}

/** Joins every module's handlers, refusing a channel answered twice or not at all. */
function mergeHandlers(modules: CoreModule[]): Handlers {
  const merged: Record<string, unknown> = {};
  for (const m of modules) {
    for (const [channel, handler] of Object.entries(m.handlers)) {
      if (merged[channel]) throw new Error(`Channel ${channel} has two handlers (second in module ${m.name})`);
      merged[channel] = handler;
    }
  }
  return merged as Handlers;
}

/** Channels no module answers in this composition (a test checks the real compositions have none). */
export function unansweredChannels(handlers: Partial<Handlers>): string[] {
  return invokeChannelNames.filter((c) => !handlers[c]);
}

/** A channel whose module is not part of this composition answers with a clear error, not a crash. */
function unavailable(channel: string): () => Promise<never> {
  return async () => {
    throw new GuardiaError('contract.unavailable', `${channel} is not available in this environment`);
  };
}
