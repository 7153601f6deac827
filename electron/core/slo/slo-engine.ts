import { setMaxListeners } from 'node:events';
import type { SloBurn, SloStatus } from '../../../shared/domain.js';
import type { Pack, Slo } from '../../../shared/pack.js';
import type { MetricsSource } from '../ports.js';
import { budgetRatioOf, burnQueries, burnQueryId, burnWindows, evaluateBurn, exhaustsIn, type WindowMeasure } from './burn-rate.js';
import { durationMinutes, errorBudget } from './slo-math.js';

/** One SLO's burn-rate evaluation, plus the budget its SLO-window error ratio gives. */
export interface SloBurnResult {
  burn: SloBurn;
  /** Error budget from the error ratio over the SLO's window (used when the SLI itself gives none). */
  budget: SloStatus['errorBudget'];
  /** Queries of this SLO that failed, by id. */
  errors: string[];
}

/**
 * Runs every SLO's burn-rate queries (identical expressions sent once) and evaluates the multiwindow
 * conditions. Kept apart from the dashboard refresh: 5m is its shortest window, so it can poll slower.
 */
export class SloEngine {
  constructor(
    private readonly pack: Pack,
    private readonly source: MetricsSource,
  ) {}

  /** SLOs that have a burn-rate definition and a known budget. */
  get slos(): Slo[] {
    return this.pack.slos.filter((s) => budgetRatioOf(s) !== null);
  }

  async evaluate(at: number, parent?: AbortSignal): Promise<Map<string, SloBurnResult>> {
    // Dozens of concurrent requests listen to one signal: give them their own, linked once to the caller's.
    const local = new AbortController();
    setMaxListeners(0, local.signal);
    const onAbort = () => local.abort(parent?.reason);
    if (parent?.aborted) onAbort();
    parent?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.evaluateWith(at, local.signal);
    } finally {
      parent?.removeEventListener('abort', onAbort);
    }
  }

  private async evaluateWith(at: number, signal: AbortSignal): Promise<Map<string, SloBurnResult>> {
    const byExpr = new Map<string, Promise<number | null>>();
    const valueOf = new Map<string, Promise<number | null>>();
    for (const slo of this.slos) {
      for (const q of burnQueries(slo)) {
        if (!byExpr.has(q.expr)) {
          byExpr.set(
            q.expr,
            this.source.instant(q, at, signal).then((r) => {
              const v = r.data.find((s) => s.value !== null && Number.isFinite(s.value))?.value;
              return v ?? null;
            }),
          );
        }
        valueOf.set(q.id, byExpr.get(q.expr)!);
      }
    }
    const settled = new Map<string, { value: number | null; error: string | null }>();
    await Promise.all(
      [...valueOf].map(async ([id, p]) => {
        settled.set(id, await p.then((value) => ({ value, error: null }), (e: unknown) => ({ value: null, error: e instanceof Error ? e.message : String(e) })));
      }),
    );
    if (settled.size > 0 && [...settled.values()].every((s) => s.error !== null)) {
      throw new Error([...settled.values()][0]!.error!);
    }
    const results = new Map<string, SloBurnResult>();
    for (const slo of this.slos) {
      const budgetRatio = budgetRatioOf(slo)!;
      const get = (kind: 'ratio' | 'events', w: string) => settled.get(burnQueryId(slo.id, kind, w));
      const measures = new Map<string, WindowMeasure>();
      for (const w of [...burnWindows, slo.window]) {
        measures.set(w, { errorRatio: get('ratio', w)?.value ?? null, events: get('events', w)?.value ?? null });
      }
      const windowRatio = measures.get(slo.window)!.errorRatio;
      const budget =
        windowRatio === null
          ? null
          : errorBudget(100 * (1 - budgetRatio), durationMinutes(slo.window), 100 * (1 - Math.max(0, windowRatio)));
      const burn = evaluateBurn(budgetRatio, slo.burnRate!.minEvents, measures, budget?.remainingMinutes ?? null);
      const errors = burnQueries(slo)
        .map((q) => settled.get(q.id)?.error)
        .filter((e): e is string => Boolean(e));
      results.set(slo.id, { burn, budget, errors: [...new Set(errors)] });
    }
    return results;
  }
}

/**
 * Joins an SLO's status from its SLI with its burn-rate result. Ratio SLOs keep the budget the runbook
 * computes from the SLI (§4.2); threshold SLOs, which have none, take the one from their error ratio.
 */
export function withBurn(status: SloStatus, result: SloBurnResult | undefined): SloStatus {
  if (!result) return status;
  const errorBudget = status.errorBudget ?? result.budget;
  const oneHour = result.burn.windows.find((w) => w.window === '1h')?.burnRate ?? null;
  const exhaustsInMinutes = exhaustsIn(errorBudget?.remainingMinutes ?? null, oneHour, result.burn.budgetRatio);
  return { ...status, errorBudget, burn: { ...result.burn, exhaustsInMinutes } };
}
