import type { ErrorBudget, SloStatus } from '../../../shared/domain.js';
import type { Slo } from '../../../shared/pack.js';

const unitMinutes: Record<string, number> = { ms: 1 / 60_000, s: 1 / 60, m: 1, h: 60, d: 1440, w: 10080, y: 525_600 };

/** Minutes in a Prometheus duration such as "30d" or "1h30m". */
export function durationMinutes(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * unitMinutes[unit!]!;
  return total;
}

/**
 * Error budget exactly as the runbook's section 4.2 computes it, except that `remainingPercent` is not
 * clamped at zero: 99.85% against 99.9% over 30 days is 64.8 of 43.2 minutes consumed, −50% remaining.
 */
export function errorBudget(targetPercent: number, windowMinutes: number, actualPercent: number): ErrorBudget {
  const allowedMinutes = windowMinutes * (1 - targetPercent / 100);
  const consumedMinutes = windowMinutes * (1 - actualPercent / 100);
  return {
    allowedMinutes: round(allowedMinutes),
    consumedMinutes: round(consumedMinutes),
    remainingPercent: round(((allowedMinutes - consumedMinutes) / allowedMinutes) * 100),
    remainingMinutes: round(allowedMinutes - consumedMinutes),
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Whether a current SLI value meets the SLO's objective. */
export function meetsObjective(slo: Slo, current: number): boolean {
  const o = slo.objective;
  if (o.kind === 'ratio') return current >= o.target;
  return o.comparator === 'lt' ? current < o.threshold : current <= o.threshold;
}

/** An SLO's status from its current SLI value (null when the query failed or returned nothing). */
export function sloStatus(slo: Slo, current: number | null, error: string | null): SloStatus {
  const o = slo.objective;
  return {
    id: slo.id,
    service: slo.service,
    sli: slo.sli,
    objective: o,
    window: slo.window,
    current,
    unit: o.kind === 'ratio' ? 'percent' : o.unit,
    met: current === null ? null : meetsObjective(slo, current),
    errorBudget:
      o.kind === 'ratio' && current !== null ? errorBudget(o.target, durationMinutes(slo.window), current) : null,
    error,
  };
}
