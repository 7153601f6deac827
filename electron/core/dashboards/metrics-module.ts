import type { SloStatus } from '../../../shared/domain.js';
import type { Pack } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import type { MetricsSource } from '../ports.js';
import { MetricsHub, type MetricsTick } from './metrics-hub.js';

/** Metrics and SLOs: polls every dashboard and SLO query, answers dashboards.get and slos.list. */
export class MetricsModule implements CoreModule {
  readonly name = 'metrics';
  readonly hub: MetricsHub | null;
  lastTick: MetricsTick | null = null;

  constructor(
    private readonly ctx: CoreContext,
    source: MetricsSource | null,
  ) {
    this.hub = source ? new MetricsHub(ctx.pack, source, ctx.refreshSeconds) : null;
  }

  get pollers() {
    return this.hub ? [{ source: 'metrics', refresh: (signal?: AbortSignal) => this.refresh(signal) }] : [];
  }

  /** SLO states from the last tick, or "no data yet" before the first. */
  slos(): SloStatus[] {
    return this.lastTick?.slos ?? this.ctx.pack.slos.map(unknownSlo);
  }

  private async refresh(signal?: AbortSignal): Promise<void> {
    const tick = await this.hub!.tick(this.ctx.clock.now(), signal);
    if (MetricsHub.allFailed(tick)) throw new GuardiaError('metrics.down', Object.values(tick.errors)[0]!);
    this.lastTick = tick;
    this.ctx.events.emit('metrics.changed', { time: tick.time, values: tick.values, health: tick.health });
    this.ctx.events.emit('slos.changed', { slos: tick.slos, updatedAt: tick.time });
  }

  readonly handlers: CoreModule['handlers'] = {
    'dashboards.get': async ({ id, rangeMinutes }) => {
      if (!this.hub) {
        throw new GuardiaError('metrics.unconfigured', `Environment "${this.ctx.environment.id}" has no Prometheus connection`);
      }
      const data = await this.hub.dashboard(id, rangeMinutes, this.ctx.clock.now());
      return { ...data, stale: this.ctx.staleOf('metrics') };
    },
    'slos.list': async () => ({
      slos: this.slos(),
      updatedAt: this.lastTick?.time ?? null,
      stale: this.ctx.staleOf('metrics'),
    }),
  };
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
    error: 'no data yet',
  };
}
