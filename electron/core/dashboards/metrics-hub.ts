import type { DashboardData, HealthItem, PanelData, Series, SloStatus } from '../../../shared/domain.js';
import type { MetricQuery, Pack, Panel } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import type { MetricsSource, Sample } from '../ports.js';
import { sloStatus } from '../slo/slo-math.js';
import { seriesIdentity } from './series-key.js';

/** What one poll of every dashboard and SLO query produced. */
export interface MetricsTick {
  time: number;
  values: Record<string, number | null>;
  health: HealthItem[];
  slos: SloStatus[];
  /** query id → error message, for queries that failed this tick */
  errors: Record<string, string>;
  warnings: Record<string, string[]>;
}

/** How many points a chart keeps; the history step is chosen so a range fills it. */
export const historyPoints = 240;

/**
 * Runs the pack's dashboard and SLO queries against a MetricsSource. Identical PromQL used by several
 * panels is sent once per refresh; a failing query marks only its own panels.
 */
export class MetricsHub {
  private readonly queries: MetricQuery[];

  constructor(
    private readonly pack: Pack,
    private readonly source: MetricsSource,
    private readonly refreshSeconds: number,
  ) {
    const all = [...pack.dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries)), ...pack.slos.map((s) => s.query)];
    const byId = new Map(all.map((q) => [q.id, q]));
    this.queries = [...byId.values()];
  }

  /** Number of distinct PromQL expressions a refresh sends. */
  get distinctExpressions(): number {
    return new Set(this.queries.map((q) => q.expr)).size;
  }

  async tick(at: number, signal?: AbortSignal): Promise<MetricsTick> {
    const byExpr = new Map<string, Promise<{ data: Sample[]; warnings: string[] }>>();
    for (const q of this.queries) {
      if (!byExpr.has(q.expr)) byExpr.set(q.expr, this.source.instant(q, at, signal));
    }
    const settled = new Map<string, PromiseSettledResult<{ data: Sample[]; warnings: string[] }>>();
    await Promise.all(
      [...byExpr].map(async ([expr, p]) => {
        settled.set(expr, await p.then((value) => ({ status: 'fulfilled', value }) as const, (reason) => ({ status: 'rejected', reason }) as const));
      }),
    );
    const values: Record<string, number | null> = {};
    const errors: Record<string, string> = {};
    const warnings: Record<string, string[]> = {};
    const samplesById = new Map<string, Sample[]>();
    for (const q of this.queries) {
      const r = settled.get(q.expr)!;
      if (r.status === 'rejected') {
        errors[q.id] = messageOf(r.reason);
        continue;
      }
      if (r.value.warnings.length) warnings[q.id] = r.value.warnings;
      samplesById.set(q.id, r.value.data);
      for (const s of r.value.data) values[seriesIdentity(q, s.labels).key] = s.value;
    }
    const health = this.healthItems(samplesById);
    const slos = this.pack.slos.map((slo) => {
      const samples = samplesById.get(slo.query.id);
      const error = errors[slo.query.id] ?? null;
      const current = samples?.find((s) => s.value !== null)?.value ?? null;
      // No samples is not an error: `current: null` says it, and the faces show "no data" in their language.
      return sloStatus(slo, current, error);
    });
    return { time: at, values, health, slos, errors, warnings };
  }

  /** True when every query failed: the source itself is down, not one panel. */
  static allFailed(tick: MetricsTick): boolean {
    return Object.keys(tick.values).length === 0 && Object.keys(tick.errors).length > 0;
  }

  private healthItems(samplesById: Map<string, Sample[]>): HealthItem[] {
    const panels = this.pack.dashboards.flatMap((d) => d.panels).filter((p) => p.kind === 'health');
    return panels.flatMap((p) =>
      p.queries.map((q) => {
        const samples = samplesById.get(q.id);
        const value = samples?.find((s) => s.value !== null)?.value;
        const label = q.legend ?? q.id;
        return {
          id: q.id.replace(/^health\./, ''),
          label: { es: label, en: label },
          status: value === undefined || value === null ? 'unknown' : value >= 1 ? 'up' : 'down',
        } satisfies HealthItem;
      }),
    );
  }

  async dashboard(id: string, rangeMinutes: number, end: number, signal?: AbortSignal): Promise<DashboardData> {
    const dashboard = this.pack.dashboards.find((d) => d.id === id);
    if (!dashboard) {
      throw new GuardiaError('dashboards.unknown', `No dashboard "${id}" in pack ${this.pack.manifest.id}`);
    }
    const stepSeconds = Math.max(this.refreshSeconds, Math.ceil((rangeMinutes * 60) / historyPoints));
    const start = end - rangeMinutes * 60_000;
    const ranges = new Map<string, ReturnType<MetricsSource['range']>>();
    const rangeOf = (q: MetricQuery) => {
      if (!ranges.has(q.expr)) ranges.set(q.expr, this.source.range(q, { start, end, stepSeconds }, signal));
      return ranges.get(q.expr)!;
    };
    const panels = await Promise.all(dashboard.panels.map((panel) => this.panelData(panel, rangeOf)));
    return { id: dashboard.id, title: dashboard.title, panels, updatedAt: end, stale: null };
  }

  private async panelData(panel: Panel, rangeOf: (q: MetricQuery) => ReturnType<MetricsSource['range']>): Promise<PanelData> {
    const series: Series[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    for (const q of panel.queries) {
      try {
        const result = await rangeOf(q);
        warnings.push(...result.warnings);
        for (const s of result.data) {
          const { key, legend } = seriesIdentity(q, s.labels);
          series.push({ key, queryId: q.id, legend, labels: s.labels, unit: q.unit, points: s.points });
        }
      } catch (error) {
        errors.push(messageOf(error));
      }
    }
    return {
      id: panel.id,
      title: panel.title,
      kind: panel.kind,
      series,
      error: errors.length ? [...new Set(errors)].join('; ') : null,
      warnings: [...new Set(warnings)],
      thresholds: panel.thresholds,
    };
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
