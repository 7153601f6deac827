import type { BurnState, SloBurn } from '../../../shared/domain.js';
import type { Slo } from '../../../shared/pack.js';
import type { MetricsQuery } from '../ports.js';
import { durationMinutes } from './slo-math.js';

/**
 * One multiwindow alert condition of the SRE workbook (ch. 5, table 5-8): fire when the burn rate over
 * both the long and the short window is at least `factor`. 14.4× over 1h spends 2% of a 30-day budget;
 * 6× over 6h spends 5%; 1× over 3d spends 10%.
 */
export interface BurnCondition {
  severity: 'page' | 'ticket';
  factor: number;
  long: string;
  short: string;
}

/** The workbook's recommended conditions, the ones `guardia rules export` writes too. */
export const burnConditions: readonly BurnCondition[] = [
  { severity: 'page', factor: 14.4, long: '1h', short: '5m' },
  { severity: 'page', factor: 6, long: '6h', short: '30m' },
  { severity: 'ticket', factor: 1, long: '3d', short: '6h' },
];

/** Every window a condition looks at, shortest first. */
export const burnWindows: readonly string[] = [...new Set(burnConditions.flatMap((c) => [c.short, c.long]))].sort(
  (a, b) => durationMinutes(a) - durationMinutes(b),
);

/** Windows whose event count the low-traffic guard needs (each condition's long window). */
const eventWindows: readonly string[] = [...new Set(burnConditions.map((c) => c.long))];

/**
 * The allowed bad fraction of an SLO: 1 − target for availability, the threshold for an error-rate
 * percent, and the pack's `budgetRatio` for latency (p95 < T allows 5% of requests slower than T).
 * Null when the SLO has no burn-rate definition or no way to know its budget.
 */
export function budgetRatioOf(slo: Slo): number | null {
  if (!slo.burnRate) return null;
  if (slo.burnRate.budgetRatio !== undefined) return slo.burnRate.budgetRatio;
  const o = slo.objective;
  if (o.kind === 'ratio') return 1 - o.target / 100;
  if (o.unit === 'percent') return o.threshold / 100;
  return null;
}

/** Query id of an SLO's error ratio or event count over a window; the demo answers these ids. */
export function burnQueryId(sloId: string, kind: 'ratio' | 'events', window: string): string {
  return `burn.${sloId}.${kind}.${window}`;
}

/** Replaces `$window` in a pack expression with a Prometheus duration. */
export function atWindow(expr: string, window: string): string {
  return expr.replaceAll('$window', window);
}

/**
 * The queries one burn-rate evaluation of an SLO sends: the error ratio over every condition window
 * plus the SLO's own window (its budget), and the event count over each long window (low-traffic guard).
 */
export function burnQueries(slo: Slo): MetricsQuery[] {
  if (!slo.burnRate) return [];
  const ratioWindows = [...new Set([...burnWindows, slo.window])];
  return [
    ...ratioWindows.map((w) => ({ id: burnQueryId(slo.id, 'ratio', w), expr: atWindow(slo.burnRate!.errorRatio, w) })),
    ...eventWindows.map((w) => ({ id: burnQueryId(slo.id, 'events', w), expr: atWindow(slo.burnRate!.events, w) })),
  ];
}

/** Measured error ratio and event count of one window; null when unknown (no data, 0/0, failed). */
export interface WindowMeasure {
  errorRatio: number | null;
  events: number | null;
}

/**
 * Evaluates the multiwindow conditions for one SLO from its measured windows. States are defined in
 * shared/domain.ts (burnStateSchema). A condition whose long window saw fewer than `minEvents` events
 * never fires: with a handful of requests one failure is a 14.4× burn, and nobody should be paged for it.
 */
export function evaluateBurn(
  budgetRatio: number,
  minEvents: number,
  measures: ReadonlyMap<string, WindowMeasure>,
  remainingBudgetMinutes: number | null,
): SloBurn {
  const burnOf = (w: string): number | null => {
    const r = measures.get(w)?.errorRatio;
    return r === null || r === undefined || !Number.isFinite(r) ? null : Math.max(0, r) / budgetRatio;
  };
  const windows = burnWindows.map((window) => {
    const m = measures.get(window);
    const errorRatio = m?.errorRatio ?? null;
    return {
      window,
      errorRatio: errorRatio !== null && Number.isFinite(errorRatio) ? errorRatio : null,
      burnRate: burnOf(window),
      events: m?.events !== null && m?.events !== undefined && Number.isFinite(m.events) ? m.events : null,
    };
  });
  const conditions = burnConditions.map((c) => {
    const long = burnOf(c.long);
    const short = burnOf(c.short);
    const events = measures.get(c.long)?.events ?? null;
    const lowTraffic = events === null || !Number.isFinite(events) || events < minEvents;
    const over = long !== null && short !== null && long >= c.factor && short >= c.factor;
    return { ...c, firing: over && !lowTraffic, lowTraffic, longOver: long !== null && long >= c.factor && !lowTraffic };
  });
  let state: BurnState;
  if (windows.every((w) => w.burnRate === null)) state = 'unknown';
  else if (conditions.some((c) => c.severity === 'page' && c.firing)) state = 'critical';
  // Right after a page the ticket condition usually holds too; "recovering" says more: the fast burn stopped.
  else if (conditions.some((c) => c.severity === 'page' && c.longOver)) state = 'recovering';
  else if (conditions.some((c) => c.severity === 'ticket' && c.firing)) state = 'burning';
  else state = 'ok';
  return {
    state,
    budgetRatio,
    windows,
    conditions: conditions.map(({ longOver: _unused, ...c }) => c),
    exhaustsInMinutes: exhaustsIn(remainingBudgetMinutes, burnOf('1h'), budgetRatio),
  };
}

/**
 * Budget as time left: at burn rate b the SLO spends b × budgetRatio bad minutes per minute, so the
 * remaining bad minutes last remaining / (b × budgetRatio). Zero when already over budget; null when
 * not burning (b = 0) or unknown.
 */
export function exhaustsIn(remainingMinutes: number | null, burnRate: number | null, budgetRatio: number): number | null {
  if (remainingMinutes === null || burnRate === null || !(burnRate > 0)) return null;
  if (remainingMinutes <= 0) return 0;
  return remainingMinutes / (burnRate * budgetRatio);
}
