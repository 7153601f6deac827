import type { ErrorBudget, SloStatus } from '../../../../shared/domain';
import { translate, type Language } from '../../../../shared/i18n/messages';
import type { SloObjective } from '../../../../shared/pack';
import type { Formatters } from '../../i18n/format';

/** Colour class of a value: ok green, warn amber, bad red, unknown grey. */
export type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

/** Below this share of budget left the runbook (§4.2, "alert when more than 80% is consumed") wants attention. */
export const budgetWarningPercent = 20;

/** "≥ 99.9%" for availability, "< 500 ms" / "< 0.1%" for thresholds, as the runbook's SLO table writes them. */
export function formatSloTarget(objective: SloObjective, fmt: Formatters): string {
  if (objective.kind === 'ratio') return `≥ ${fmt.percent(objective.target)}`;
  const op = objective.comparator === 'lt' ? '<' : '≤';
  const value =
    objective.unit === 'seconds' ? fmt.measure(objective.threshold, 'seconds') : fmt.percent(objective.threshold);
  return `${op} ${value}`;
}

/** The current SLI value in the SLO's unit. */
export function formatSloCurrent(slo: Pick<SloStatus, 'current' | 'unit'>, fmt: Formatters): string {
  return fmt.measure(slo.current, slo.unit === 'percent' ? 'percent' : 'seconds');
}

export type BudgetView = {
  /** Share of the budget left, 0..100, or how far over budget (positive number) when `over`. */
  percent: number;
  over: boolean;
  text: string;
  tone: Tone;
  /** Bar fill, clamped to 0..100. */
  fill: number;
};

/**
 * The error budget cell. Core does not clamp `remainingPercent` (the runbook's example is −50), so a
 * negative value is shown as "over budget by 50%" rather than as 0%.
 */
export function sloBudgetView(budget: ErrorBudget | null, lang: Language, fmt: Formatters): BudgetView | null {
  if (!budget || !Number.isFinite(budget.remainingPercent)) return null;
  const remaining = budget.remainingPercent;
  if (remaining < 0) {
    const over = -remaining;
    return { percent: over, over: true, text: translate(lang, 'slo.overBudget', { percent: fmt.percent(over, 1) }), tone: 'bad', fill: 0 };
  }
  return {
    percent: remaining,
    over: false,
    text: translate(lang, 'slo.budgetLeft', { percent: fmt.percent(remaining, 1) }),
    tone: remaining < budgetWarningPercent ? 'warn' : 'ok',
    fill: Math.min(100, remaining),
  };
}

export type SloStatusKind = 'met' | 'breached' | 'unknown';

export function sloStatusKind(slo: Pick<SloStatus, 'met' | 'error'>): SloStatusKind {
  if (slo.met === null) return 'unknown';
  return slo.met ? 'met' : 'breached';
}

/** One row of the SLO table, all text ready to render in the current language. */
export type SloRowView = {
  id: string;
  service: string;
  sli: string;
  target: string;
  window: string;
  current: string;
  status: SloStatusKind;
  statusText: string;
  tone: Tone;
  budget: BudgetView | null;
  budgetMinutes: string | null;
  error: string | null;
};

export function sloRowView(slo: SloStatus, lang: Language, fmt: Formatters): SloRowView {
  const status = sloStatusKind(slo);
  const budget = sloBudgetView(slo.errorBudget, lang, fmt);
  return {
    id: slo.id,
    service: slo.service[lang],
    sli: slo.sli[lang],
    target: formatSloTarget(slo.objective, fmt),
    window: fmt.window(slo.window),
    current: formatSloCurrent(slo, fmt),
    status,
    statusText: translate(lang, status === 'met' ? 'slo.met' : status === 'breached' ? 'slo.breached' : 'slo.unknown'),
    tone: status === 'met' ? (budget?.tone === 'warn' ? 'warn' : 'ok') : status === 'breached' ? 'bad' : 'unknown',
    budget,
    budgetMinutes: slo.errorBudget
      ? translate(lang, 'slo.budgetMinutes', {
          consumed: fmt.number(slo.errorBudget.consumedMinutes, 1),
          allowed: fmt.number(slo.errorBudget.allowedMinutes, 1),
        })
      : null,
    error: slo.error,
  };
}

/** Header line of the SLO card: how many objectives hold right now. */
export function sloSummary(slos: readonly SloStatus[]): { met: number; breached: number; unknown: number; total: number } {
  let met = 0;
  let breached = 0;
  for (const slo of slos) {
    if (slo.met === true) met += 1;
    else if (slo.met === false) breached += 1;
  }
  return { met, breached, unknown: slos.length - met - breached, total: slos.length };
}
