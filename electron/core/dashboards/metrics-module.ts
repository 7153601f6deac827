import type { SloStatus } from '../../../shared/domain.js';
import type { Pack } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import type { MetricsSource } from '../ports.js';
import { MetricsHub, type MetricsTick } from './metrics-hub.js';
import { budgetRatioOf, burnQueryId } from '../slo/burn-rate.js';
import { SloEngine, withBurn, type SloBurnResult } from '../slo/slo-engine.js';

/** Burn rates move over minutes (the shortest window is 5m): evaluated at most this often. */
const burnIntervalSeconds = 15;

/** Metrics and SLOs: polls every dashboard and SLO query, answers dashboards.get and slos.list. */
export class MetricsModule implements CoreModule {
  readonly name = 'metrics';
  readonly hub: MetricsHub | null;
  lastTick: MetricsTick | null = null;
  readonly engine: SloEngine | null;
  private burn = new Map<string, SloBurnResult>();

  constructor(
    private readonly ctx: CoreContext,
    source: MetricsSource | null,
  ) {
    this.hub = source ? new MetricsHub(ctx.pack, source, ctx.refreshSeconds) : null;
    this.engine = source ? new SloEngine(ctx.pack, source) : null;
    this.source = source;
  }

  private readonly source: MetricsSource | null;

  get pollers() {
    if (!this.hub) return [];
    return [
      { source: 'metrics', refresh: (signal?: AbortSignal) => this.refresh(signal) },
      {
        source: 'slo-burn',
        intervalSeconds: Math.max(this.ctx.refreshSeconds, burnIntervalSeconds),
        refresh: (signal?: AbortSignal) => this.refreshBurn(signal),
      },
    ];
  }

  /** SLO states from the last tick (with their burn-rate state), or unknown (no value yet) before the first. */
  slos(): SloStatus[] {
    return (this.lastTick?.slos ?? this.ctx.pack.slos.map(unknownSlo)).map((s) => withBurn(s, this.burn.get(s.id)));
  }

  private async refreshBurn(signal?: AbortSignal): Promise<void> {
    this.burn = await this.engine!.evaluate(this.ctx.clock.now(), signal);
    if (this.lastTick) this.ctx.events.emit('slos.changed', { slos: this.slos(), updatedAt: this.lastTick.time });
  }

  private async refresh(signal?: AbortSignal): Promise<void> {
    const tick = await this.hub!.tick(this.ctx.clock.now(), signal);
    if (MetricsHub.allFailed(tick)) throw new GuardiaError('metrics.down', Object.values(tick.errors)[0]!);
    this.lastTick = tick;
    this.ctx.events.emit('metrics.changed', { time: tick.time, values: tick.values, health: tick.health });
    this.ctx.events.emit('slos.changed', { slos: this.slos(), updatedAt: tick.time });
  }

  readonly handlers: CoreModule['handlers'] = {
    'dashboards.get': async ({ id, rangeMinutes }) => {
      if (!this.hub) {
        throw new GuardiaError('metrics.unconfigured', `Environment "${this.ctx.environment.id}" has no Prometheus connection`);
      }
      const data = await this.hub.dashboard(id, rangeMinutes, this.ctx.clock.now());
      return { ...data, stale: this.ctx.staleOf('metrics') };
    },
    'slos.getDetail': async ({ id, rangeMinutes }) => {
      const slo = this.ctx.pack.slos.find((s) => s.id === id);
      if (!slo) throw new GuardiaError('slos.unknown', `No SLO "${id}" in pack ${this.ctx.pack.manifest.id}`);
      const status = this.slos().find((s) => s.id === id)!;
      const budgetRatio = budgetRatioOf(slo);
      if (!this.source || budgetRatio === null) return { slo: status, budget: [], burnRate: [], stale: this.ctx.staleOf('slo-burn') };
      const end = this.ctx.clock.now();
      const range = { start: end - rangeMinutes * 60_000, end, stepSeconds: Math.max(60, Math.ceil((rangeMinutes * 60) / 240)) };
      const seriesOf = async (window: string) => {
        const q = { id: burnQueryId(slo.id, 'ratio', window), expr: slo.burnRate!.errorRatio.replaceAll('$window', window) };
        const r = await this.source!.range(q, range);
        return r.data[0]?.points ?? [];
      };
      const [windowRatio, hourRatio] = await Promise.all([seriesOf(slo.window), seriesOf('1h')]);
      // Remaining budget at each instant: the share of the allowed bad fraction not yet used (not clamped).
      const budget = windowRatio.map(([t, r]): [number, number | null] => [t, r === null || !Number.isFinite(r) ? null : round((1 - r / budgetRatio) * 100)]);
      const burnRate = hourRatio.map(([t, r]): [number, number | null] => [t, r === null || !Number.isFinite(r) ? null : round(r / budgetRatio)]);
      return { slo: status, budget, burnRate, stale: this.ctx.staleOf('slo-burn') };
    },
    'slos.list': async () => ({
      slos: this.slos(),
      updatedAt: this.lastTick?.time ?? null,
      stale: this.ctx.staleOf('metrics'),
    }),
  };
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}

function unknownSlo(slo: Pack['slos'][number]): SloStatus {
  return {
    id: slo.id,
    service: slo.service,
    sli: slo.sli,
    objective: slo.objective,
    window: slo.window,
    current: null,
    unit: slo.objective.kind === 'ratio' ? 'percent' : slo.objective.unit,
    met: null,
    errorBudget: null,
    error: null,
  };
}
