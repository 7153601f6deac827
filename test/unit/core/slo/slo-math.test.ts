import { describe, expect, it } from 'vitest';
import { durationMinutes, errorBudget, sloStatus } from '../../../../electron/core/slo/slo-math.js';
import type { Slo } from '../../../../shared/pack.js';

describe('error budget (runbook 4.2)', () => {
  it('reproduces the runbook example, without clamping at zero', () => {
    const budget = errorBudget(99.9, durationMinutes('30d'), 99.85);
    expect(budget.allowedMinutes).toBeCloseTo(43.2, 6);
    expect(budget.consumedMinutes).toBeCloseTo(64.8, 6);
    expect(budget.remainingPercent).toBeCloseTo(-50, 6);
  });

  it('gives 21.6 allowed minutes for payments at 99.95% over 30 days', () => {
    expect(errorBudget(99.95, durationMinutes('30d'), 100).allowedMinutes).toBeCloseTo(21.6, 6);
    expect(errorBudget(99.95, durationMinutes('30d'), 100).remainingPercent).toBeCloseTo(100, 6);
  });

  it('parses Prometheus durations', () => {
    expect(durationMinutes('30d')).toBe(43_200);
    expect(durationMinutes('24h')).toBe(1440);
    expect(durationMinutes('1h30m')).toBe(90);
  });
});

describe('sloStatus', () => {
  const latency: Slo = {
    id: 'api-latency-p95',
    service: { es: 'API', en: 'API' },
    sli: { es: 'Latencia P95', en: 'P95 latency' },
    objective: { kind: 'threshold', comparator: 'lt', threshold: 0.5, unit: 'seconds' },
    window: '7d',
    query: { id: 'slo.api-latency-p95', expr: 'x', unit: 'seconds' },
  };
  it('marks a latency SLO breached at or over its threshold', () => {
    expect(sloStatus(latency, 0.32, null).met).toBe(true);
    expect(sloStatus(latency, 0.5, null).met).toBe(false);
    expect(sloStatus(latency, 0.5, null).errorBudget).toBeNull();
  });
  it('reports unknown when there is no value', () => {
    const s = sloStatus(latency, null, 'Prometheus down');
    expect(s.met).toBeNull();
    expect(s.error).toBe('Prometheus down');
  });
});
