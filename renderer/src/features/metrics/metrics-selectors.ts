import type { HealthItem } from '../../../../shared/domain';
import type { RingBuffer } from '../../lib/ring-buffer';
import type { PanelMeta, SeriesMeta } from './metrics-slice';

/** The six request-level numbers the runbook's Overview (§2.1, panel 2) puts first. */
export type Measure = 'rps' | 'success-rate' | 'error-rate' | 'p50' | 'p95' | 'p99';
export const canonicalMeasures: readonly Measure[] = ['rps', 'success-rate', 'error-rate', 'p50', 'p95', 'p99'];

/** Labels that split a measure per endpoint, node or pod; such a series is a breakdown, not the total. */
const breakdownLabels = ['endpoint', 'route', 'path', 'handler', 'uri', 'method', 'instance', 'node', 'pod', 'container'];

/**
 * Recognises which runbook measure a series is from its query id and legend, so the Overview can
 * show the six headline tiles whatever the pack names its queries ("http.rps", "latency-p95", …).
 */
export function classifyMeasure(series: Pick<SeriesMeta, 'queryId' | 'legend' | 'unit'>): Measure | null {
  const text = `${series.queryId} ${series.legend}`.toLowerCase();
  if (/p99\b|0\.99\b|99th/.test(text)) return 'p99';
  if (/p95\b|0\.95\b|95th/.test(text)) return 'p95';
  if (/p50\b|0\.5\b|median/.test(text)) return 'p50';
  if (/success|availability|disponibilidad|éxito|exito/.test(text)) return 'success-rate';
  if (/error|5xx|fail/.test(text)) return 'error-rate';
  if (series.unit === 'rps' || /\brps\b|request[-_. ]?rate|requests?[-_. ]per|throughput/.test(text)) return 'rps';
  return null;
}

/** True when the series is one slice of a per-endpoint (per-node, per-pod) breakdown. */
export function isBreakdownSeries(series: Pick<SeriesMeta, 'labels'>): boolean {
  return Object.keys(series.labels).some((k) => breakdownLabels.includes(k.toLowerCase()));
}

/**
 * A panel whose series are all totals (request rate, p50/p95/p99) rather than one per endpoint: no
 * series carries a breakdown label and no label takes different values across its series (the
 * contract does not carry the pack's `breakdownLabel`, so it is recognised from the data).
 */
export function isAggregatePanel(panel: Pick<PanelMeta, 'series'>): boolean {
  if (panel.series.some(isBreakdownSeries)) return false;
  if (panel.series.length <= 1) return true;
  const keys = new Set(panel.series.flatMap((s) => Object.keys(s.labels)));
  for (const key of keys) {
    const values = new Set(panel.series.map((s) => s.labels[key]));
    if (values.size > 1) return false;
  }
  return true;
}

/**
 * Splits timeseries panels into the totals shown above the SLO table and the per-endpoint breakdowns
 * shown below it. A panel without series (its query failed) cannot tell, so it stays with the panel
 * before it in pack order: a failed "p95 by endpoint" stays among the breakdowns.
 */
export function groupPanels(panels: readonly PanelMeta[]): { aggregate: PanelMeta[]; breakdown: PanelMeta[] } {
  const aggregate: PanelMeta[] = [];
  const breakdown: PanelMeta[] = [];
  let previousIsBreakdown = false;
  for (const panel of panels) {
    if (panel.kind !== 'timeseries') continue;
    const isBreakdown: boolean = panel.series.length === 0 ? previousIsBreakdown : !isAggregatePanel(panel);
    (isBreakdown ? breakdown : aggregate).push(panel);
    previousIsBreakdown = isBreakdown;
  }
  return { aggregate, breakdown };
}

export type StatTile = {
  /** data-testid suffix: the measure, or a slug of the query for other stat panels. */
  id: string;
  measure: Measure | null;
  series: SeriesMeta;
  panel: PanelMeta;
};

/** Lower-case slug usable in a test id. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Headline tiles: every series of a `stat` panel, plus any of the six canonical measures found as a
 * total series of a timeseries panel when no stat panel carries it. Canonical ones come first in a
 * fixed order so the row reads the same on every dashboard.
 */
export function statTiles(panels: readonly PanelMeta[]): StatTile[] {
  const tiles: StatTile[] = [];
  const seen = new Set<string>();
  for (const panel of panels) {
    if (panel.kind !== 'stat') continue;
    for (const series of panel.series) {
      const measure = classifyMeasure(series);
      const id = measure && !seen.has(measure) ? measure : slug(series.queryId + (panel.series.length > 1 ? `-${series.legend}` : ''));
      if (seen.has(id)) continue;
      seen.add(id);
      tiles.push({ id, measure: id === measure ? measure : null, series, panel });
    }
  }
  for (const measure of canonicalMeasures) {
    if (seen.has(measure)) continue;
    outer: for (const panel of panels) {
      if (panel.kind !== 'timeseries' || !isAggregatePanel(panel)) continue;
      for (const series of panel.series) {
        if (classifyMeasure(series) !== measure) continue;
        tiles.push({ id: measure, measure, series, panel });
        seen.add(measure);
        break outer;
      }
    }
  }
  const rank = (t: StatTile) => (t.measure ? canonicalMeasures.indexOf(t.measure) : canonicalMeasures.length);
  return tiles.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

/** Newest non-gap value of a series, or null. */
export function latestValue(buffers: Readonly<Record<string, RingBuffer>>, key: string): number | null {
  return buffers[key]?.lastValue() ?? null;
}

/** recharts reads string dataKeys as property paths ("a.b" = a→b), so series keys get safe aliases. */
export function seriesAlias(index: number): string {
  return `s${index}`;
}

/** One chart row: `t` plus one value per series alias. */
export type ChartRow = { t: number } & Record<string, number | null>;

/**
 * Merges a panel's ring buffers into recharts rows (one row per timestamp, oldest first), keeping
 * only samples inside the window. Series sampled at the same tick share a row.
 */
export function chartRows(
  buffers: Readonly<Record<string, RingBuffer>>,
  keys: readonly string[],
  windowStart: number,
): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  keys.forEach((key, index) => {
    const buffer = buffers[key];
    if (!buffer) return;
    const alias = seriesAlias(index);
    for (let i = 0; i < buffer.size; i += 1) {
      const [t, v] = buffer.at(i)!;
      if (t < windowStart) continue;
      let row = rows.get(t);
      if (!row) {
        row = { t } as ChartRow;
        rows.set(t, row);
      }
      row[alias] = v;
    }
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** Newest sample time across the buffers, the right edge of every chart. */
export function newestTime(buffers: Readonly<Record<string, RingBuffer>>): number | null {
  let newest: number | null = null;
  for (const buffer of Object.values(buffers)) {
    const last = buffer.at(-1);
    if (last && (newest === null || last[0] > newest)) newest = last[0];
  }
  return newest;
}

/**
 * Colour of a value against panel thresholds. Most measures are worse when higher (error rate,
 * latency); success rate and availability are worse when lower.
 */
export function thresholdTone(
  value: number | null,
  thresholds: PanelMeta['thresholds'],
  higherIsWorse: boolean,
): 'ok' | 'warn' | 'bad' | 'unknown' | 'neutral' {
  if (value === null) return 'unknown';
  if (!thresholds || (thresholds.warning === undefined && thresholds.critical === undefined)) return 'neutral';
  const past = (limit: number | undefined) => limit !== undefined && (higherIsWorse ? value >= limit : value <= limit);
  if (past(thresholds.critical)) return 'bad';
  if (past(thresholds.warning)) return 'warn';
  return 'ok';
}

/**
 * The health row: core's health items when it sends them, else derived from the health panel's
 * series (1 = up, 0 = down, missing = unknown) so a pack without a health check still shows the row.
 */
export function healthItems(
  health: readonly HealthItem[],
  panels: readonly PanelMeta[],
  buffers: Readonly<Record<string, RingBuffer>>,
): HealthItem[] {
  if (health.length > 0) return [...health];
  const panel = panels.find((p) => p.kind === 'health');
  if (!panel) return [];
  return panel.series.map((series) => {
    const value = latestValue(buffers, series.key);
    return {
      id: series.key,
      label: { es: series.legend, en: series.legend },
      status: value === null ? 'unknown' : value >= 0.5 ? 'up' : 'down',
    };
  });
}
