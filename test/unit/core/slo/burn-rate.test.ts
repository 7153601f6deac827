import { describe, expect, it } from 'vitest';
import {
  budgetRatioOf,
  burnQueries,
  burnWindows,
  evaluateBurn,
  exhaustsIn,
  type WindowMeasure,
} from '../../../../electron/core/slo/burn-rate.js';
import { SloEngine, withBurn } from '../../../../electron/core/slo/slo-engine.js';
import { durationMinutes, errorBudget, sloStatus } from '../../../../electron/core/slo/slo-math.js';
import type { MetricsSource } from '../../../../electron/core/ports.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';

/** 99.9% availability: a budget of 0.1% bad requests. */
const budget = 0.001;

/** Measures with the given burn rate per window (error ratio = burn × budget) and plenty of traffic. */
function at(burns: Partial<Record<string, number>>, events = 1_000_000): Map<string, WindowMeasure> {
  return new Map(burnWindows.map((w) => [w, { errorRatio: (burns[w] ?? 0) * budget, events }]));
}

describe('burn-rate state (SRE workbook multiwindow, multi-burn-rate)', () => {
  it('is ok when nothing burns', () => {
    expect(evaluateBurn(budget, 100, at({}), 43.2).state).toBe('ok');
  });

  it('is critical at 14.4× over both 1h and 5m', () => {
    const r = evaluateBurn(budget, 100, at({ '5m': 20, '1h': 15 }), 43.2);
    expect(r.state).toBe('critical');
    expect(r.conditions.find((c) => c.long === '1h')!.firing).toBe(true);
  });

  it('is critical at 6× over both 6h and 30m', () => {
    expect(evaluateBurn(budget, 100, at({ '30m': 7, '6h': 6.5 }), 43.2).state).toBe('critical');
  });

  it('does not page when only the long window is over (the burn stopped): recovering', () => {
    const r = evaluateBurn(budget, 100, at({ '5m': 0.5, '1h': 16 }), 43.2);
    expect(r.conditions.every((c) => !c.firing)).toBe(true);
    expect(r.state).toBe('recovering');
  });

  it('says recovering rather than burning right after a page, when the slow burn also holds', () => {
    expect(evaluateBurn(budget, 100, at({ '5m': 0.5, '30m': 0.5, '1h': 20, '6h': 9, '3d': 1.2 }), 43.2).state).toBe('recovering');
  });

  it('does not page when only the short window spikes', () => {
    expect(evaluateBurn(budget, 100, at({ '5m': 30, '1h': 2 }), 43.2).state).toBe('ok');
  });

  it('is burning (ticket) at 1× over both 3d and 6h', () => {
    const r = evaluateBurn(budget, 100, at({ '6h': 1.5, '3d': 1.2 }), 43.2);
    expect(r.state).toBe('burning');
    expect(r.conditions.find((c) => c.severity === 'ticket')!.firing).toBe(true);
  });

  it('never pages on low traffic, and says so', () => {
    const r = evaluateBurn(budget, 100, at({ '5m': 100, '1h': 100, '30m': 100, '6h': 100, '3d': 100 }, 40), 43.2);
    expect(r.state).toBe('ok');
    expect(r.conditions.every((c) => c.lowTraffic && !c.firing)).toBe(true);
  });

  it('is unknown without data', () => {
    const none = new Map(burnWindows.map((w) => [w, { errorRatio: null, events: null }]));
    expect(evaluateBurn(budget, 100, none, null).state).toBe('unknown');
  });

  it('treats NaN (0/0 on no traffic) as no data', () => {
    const nan = new Map(burnWindows.map((w) => [w, { errorRatio: Number.NaN, events: 0 }]));
    expect(evaluateBurn(budget, 100, nan, null).state).toBe('unknown');
  });
});

describe('budget as time left', () => {
  it('lasts remaining / (burn × budget) minutes', () => {
    // 43.2 budget minutes left, burning at 14.4×: 43.2 / (14.4 × 0.001) = 3000 min (≈ 2 days, 2% per hour).
    expect(exhaustsIn(43.2, 14.4, budget)).toBeCloseTo(3000, 6);
  });
  it('is zero when already over budget, and null when not burning', () => {
    expect(exhaustsIn(-21.6, 2, budget)).toBe(0);
    expect(exhaustsIn(43.2, 0, budget)).toBeNull();
  });
  it('gives the runbook −50% case as −21.6 minutes left', () => {
    const b = errorBudget(99.9, durationMinutes('30d'), 99.85);
    expect(b.remainingPercent).toBeCloseTo(-50, 6);
    expect(b.remainingMinutes).toBeCloseTo(-21.6, 6);
  });
});

describe('the Tiendi pack', async () => {
  const pack = await loadPack(defaultPackDir());

  it('defines a burn-rate budget for each of the seven SLOs', () => {
    expect(pack.slos.map((s) => [s.id, budgetRatioOf(s)])).toEqual([
      ['api-availability', expect.closeTo(0.001, 9)],
      ['api-latency-p95', 0.05],
      ['api-error-rate', expect.closeTo(0.001, 9)],
      ['web-page-load', 0.05],
      ['payments-availability', expect.closeTo(0.0005, 9)],
      ['search-latency-p95', 0.05],
      ['db-query-latency', 0.05],
    ]);
  });

  it('substitutes every window into the queries', () => {
    const queries = burnQueries(pack.slos[0]!);
    expect(queries.map((q) => q.id)).toContain('burn.api-availability.ratio.30d');
    expect(queries.every((q) => !q.expr.includes('$window'))).toBe(true);
    expect(queries.find((q) => q.id === 'burn.api-availability.ratio.1h')!.expr).toContain('[1h]');
  });

  it('evaluates a pack SLO end to end from a source, with the budget unclamped', async () => {
    // 0.15% errors in every window: 1.5× burn, ticket condition (3d/6h) holds; 30d budget −50%.
    const source: MetricsSource = {
      name: 'fixed',
      instant: async (q) => ({ data: [{ labels: {}, value: q.id.includes('.events.') ? 5000 : 0.0015 }], warnings: [] }),
      range: async () => ({ data: [], warnings: [] }),
    };
    const results = await new SloEngine(pack, source).evaluate(Date.now());
    const availability = pack.slos.find((s) => s.id === 'api-availability')!;
    const status = withBurn(sloStatus(availability, 99.85, null), results.get('api-availability'));
    expect(status.burn!.state).toBe('burning');
    expect(status.errorBudget!.remainingPercent).toBeCloseTo(-50, 6);
    expect(status.burn!.exhaustsInMinutes).toBe(0);
    // A latency SLO gets its budget from the share of slow requests over its window (0.15% of 5% allowed).
    const latency = pack.slos.find((s) => s.id === 'api-latency-p95')!;
    const lat = withBurn(sloStatus(latency, 0.3, null), results.get('api-latency-p95'));
    expect(lat.errorBudget!.remainingPercent).toBeCloseTo(97, 6);
    expect(lat.burn!.state).toBe('ok');
  });

  it('fails the whole evaluation when every query fails (source down), so core marks it stale', async () => {
    const down: MetricsSource = {
      name: 'down',
      instant: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9090');
      },
      range: async () => ({ data: [], warnings: [] }),
    };
    await expect(new SloEngine(pack, down).evaluate(Date.now())).rejects.toThrow(/ECONNREFUSED/);
  });
});
