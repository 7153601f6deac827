import { describe, expect, it } from 'vitest';
import {
  activeAlerts,
  filterAlerts,
  safeHttpsUrl,
  sortAlerts,
  worstSeverity,
} from '../../../renderer/src/features/alerts/alerts-selectors';
import {
  chartRows,
  classifyMeasure,
  groupPanels,
  isAggregatePanel,
  healthItems,
  statTiles,
  thresholdTone,
} from '../../../renderer/src/features/metrics/metrics-selectors';
import type { PanelMeta } from '../../../renderer/src/features/metrics/metrics-slice';
import { formatSloTarget, sloBudgetView, sloRowView, sloSummary } from '../../../renderer/src/features/slos/slo-selectors';
import { selectStaleness } from '../../../renderer/src/features/sources/staleness';
import { getFormatters } from '../../../renderer/src/i18n/format';
import { RingBuffer } from '../../../renderer/src/lib/ring-buffer';
import { alert, fixtureAlerts, overviewDashboard, sevenSlos } from './fake-api';

const en = getFormatters('en', ['en-US']);
const es = getFormatters('es', ['es-ES']);
const nbsp = '\u00a0';

describe('worstSeverity', () => {
  it('is the worst firing, unsilenced, uninhibited severity', () => {
    expect(worstSeverity(fixtureAlerts())).toBe('P1');
    expect(
      worstSeverity([
        alert({ fingerprint: '1', name: 'a', severity: 'P1', silenced: true }),
        alert({ fingerprint: '2', name: 'b', severity: 'P1', inhibited: true }),
        alert({ fingerprint: '3', name: 'c', severity: 'P1', state: 'pending' }),
        alert({ fingerprint: '4', name: 'd', severity: 'P3' }),
      ]),
    ).toBe('P3');
  });

  it('is null when nothing fires', () => {
    expect(worstSeverity([])).toBeNull();
    expect(worstSeverity([alert({ fingerprint: '1', name: 'a', state: 'pending', severity: 'P1' })])).toBeNull();
  });
});

describe('alert lists', () => {
  const alerts = fixtureAlerts();
  it('orders active alerts worst first', () => {
    const byId = Object.fromEntries(alerts.map((a) => [a.fingerprint, a]));
    expect(activeAlerts(byId).map((a) => a.name)).toEqual(['DatabaseDown', 'HighErrorRate', 'CertificateExpiringSoon']);
  });

  it('sorts by start (newest first) and reverses on demand', () => {
    expect(sortAlerts(alerts, 'start').map((a) => a.fingerprint)[0]).toBe('a2');
    expect(sortAlerts(alerts, 'severity', true).map((a) => a.severity)).toEqual(['P4', 'P2', 'P1']);
    expect(sortAlerts(alerts, 'name').map((a) => a.name)[0]).toBe('CertificateExpiringSoon');
  });

  it('filters by text in name, summary, labels and annotations, and by severity', () => {
    expect(filterAlerts(alerts, { text: 'postgres', severities: new Set() }).map((a) => a.fingerprint)).toEqual(['a2']);
    expect(filterAlerts(alerts, { text: 'service=api', severities: new Set() }).map((a) => a.fingerprint)).toEqual(['a1']);
    expect(filterAlerts(alerts, { text: '', severities: new Set(['P1', 'P4']) }).map((a) => a.fingerprint)).toEqual(['a2', 'a3']);
  });

  it('accepts only https runbook URLs', () => {
    expect(safeHttpsUrl('https://wiki.tiendi.pe/x')).toBe('https://wiki.tiendi.pe/x');
    expect(safeHttpsUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpsUrl('http://wiki.tiendi.pe/x')).toBeNull();
    expect(safeHttpsUrl('/relative')).toBeNull();
    expect(safeHttpsUrl(null)).toBeNull();
  });
});

describe('SLO formatting', () => {
  const slos = sevenSlos();
  it('writes targets as the runbook does', () => {
    expect(formatSloTarget({ kind: 'ratio', target: 99.9 }, en)).toBe('≥ 99.9%');
    expect(formatSloTarget({ kind: 'ratio', target: 99.95 }, en)).toBe('≥ 99.95%');
    expect(formatSloTarget({ kind: 'threshold', comparator: 'lt', threshold: 0.5, unit: 'seconds' }, en)).toBe('< 500 ms');
    expect(formatSloTarget({ kind: 'threshold', comparator: 'lt', threshold: 2, unit: 'seconds' }, en)).toBe('< 2s');
    expect(formatSloTarget({ kind: 'threshold', comparator: 'lte', threshold: 0.1, unit: 'percent' }, en)).toBe('≤ 0.1%');
    expect(formatSloTarget({ kind: 'ratio', target: 99.9 }, es)).toBe(`≥ 99,9${nbsp}%`);
  });

  it('shows a negative budget as over budget, not as 0%', () => {
    const over = sloBudgetView({ allowedMinutes: 43.2, consumedMinutes: 64.8, remainingPercent: -50 }, 'en', en);
    expect(over).toMatchObject({ over: true, percent: 50, tone: 'bad', fill: 0, text: 'over budget by 50%' });
    expect(sloBudgetView({ allowedMinutes: 43.2, consumedMinutes: 64.8, remainingPercent: -50 }, 'es', es)?.text).toBe(
      `excedido en 50${nbsp}%`,
    );
    expect(sloBudgetView({ allowedMinutes: 10, consumedMinutes: 9, remainingPercent: 10 }, 'en', en)).toMatchObject({
      over: false,
      tone: 'warn',
      text: '10% left',
    });
    expect(sloBudgetView(null, 'en', en)).toBeNull();
  });

  it('builds table rows with current value, window and status', () => {
    const availability = sloRowView(slos[0]!, 'en', en);
    expect(availability).toMatchObject({
      service: 'API',
      sli: 'Availability',
      target: '≥ 99.9%',
      window: '30 days',
      current: '99.85%',
      status: 'breached',
      tone: 'bad',
    });
    expect(availability.budget?.text).toBe('over budget by 50%');
    expect(sloRowView(slos[1]!, 'es', es)).toMatchObject({ sli: 'Latencia P95', window: '7 días', current: '320 ms', status: 'met' });
    expect(sloRowView(slos[2]!, 'en', en).current).toBe('0.12%');
    expect(sloRowView(slos[5]!, 'en', en)).toMatchObject({ current: '—', status: 'unknown', error: null });
    expect(sloSummary(slos)).toEqual({ met: 4, breached: 2, unknown: 1, total: 7 });
  });
});

describe('staleness', () => {
  const base = { startedAt: 0, refreshSeconds: 15, staleSources: {}, lastMetricsAt: 100_000 };
  it('is fresh within 3× refreshSeconds of the last sample', () => {
    const s = selectStaleness({ ...base, now: 100_000 + 44_000 });
    expect(s).toMatchObject({ stale: false, ageMs: 44_000, reason: null });
  });

  it('turns stale after 3× refreshSeconds of silence, since the last sample', () => {
    const s = selectStaleness({ ...base, now: 100_000 + 46_000 });
    expect(s).toMatchObject({ stale: true, since: 100_000, reason: { kind: 'silent' } });
  });

  it('counts silence from window start before the first sample, and not at all without refreshSeconds', () => {
    expect(selectStaleness({ ...base, lastMetricsAt: null, now: 50_000 }).stale).toBe(true);
    expect(selectStaleness({ ...base, lastMetricsAt: null, now: 10_000 }).stale).toBe(false);
    expect(selectStaleness({ ...base, refreshSeconds: null, now: 10_000_000 }).stale).toBe(false);
  });

  it('is stale when core reports a stale source, since its earliest time, with the reasons', () => {
    const s = selectStaleness({
      ...base,
      now: 101_000,
      staleSources: {
        prometheus: { since: 90_000, reason: 'connection refused' },
        alertmanager: { since: 95_000, reason: 'timeout' },
      },
    });
    expect(s.stale).toBe(true);
    expect(s.since).toBe(90_000);
    expect(s.reason).toEqual({ kind: 'source', text: 'prometheus: connection refused · alertmanager: timeout' });
  });
});

describe('metrics selectors', () => {
  const panels: PanelMeta[] = overviewDashboard().panels.map((p) => ({
    ...p,
    series: p.series.map(({ points: _points, ...meta }) => meta),
  }));

  it('recognises the runbook measures from query ids and legends', () => {
    const c = (queryId: string, legend = '', unit: 'rps' | 'ratio' | 'seconds' = 'ratio') => classifyMeasure({ queryId, legend, unit });
    expect(c('http.rps', 'total', 'rps')).toBe('rps');
    expect(c('requests', '', 'rps')).toBe('rps');
    expect(c('api.error-ratio')).toBe('error-rate');
    expect(c('api.availability')).toBe('success-rate');
    expect(c('latency', 'p95', 'seconds')).toBe('p95');
    expect(c('histogram_quantile_0.99', '', 'seconds')).toBe('p99');
    expect(c('cpu.usage')).toBeNull();
  });

  it('builds the six headline tiles from aggregate series, in a fixed order', () => {
    expect(statTiles(panels).map((t) => t.id)).toEqual(['rps', 'success-rate', 'error-rate', 'p50', 'p95', 'p99']);
  });

  it('tells per-endpoint (or per-node) panels from totals by their labels', () => {
    const series = (labels: Record<string, string>) => ({ key: JSON.stringify(labels), queryId: 'q', legend: '', labels, unit: 'percent' as const });
    expect(isAggregatePanel({ series: [series({}), series({})] })).toBe(true);
    expect(isAggregatePanel({ series: [series({ job: 'api' }), series({ job: 'api' })] })).toBe(true);
    expect(isAggregatePanel({ series: [series({ instance: 'node-1' })] })).toBe(false);
    expect(isAggregatePanel({ series: [series({ shard: 'a' }), series({ shard: 'b' })] })).toBe(false);
  });

  it('puts totals above the SLO table and breakdowns below, a failed panel staying with its neighbour', () => {
    const { aggregate, breakdown } = groupPanels(panels);
    expect(aggregate.map((p) => p.id)).toEqual(['request-rate', 'success-error', 'latency']);
    expect(breakdown.map((p) => p.id)).toEqual(['errors-by-endpoint', 'p95-by-endpoint']);
  });

  it('merges ring buffers into chart rows inside the window', () => {
    const a = RingBuffer.from([[1, 1], [2, 2], [3, 3]], 10);
    const b = RingBuffer.from([[2, 20], [3, null]], 10);
    expect(chartRows({ a, b }, ['a', 'b'], 2)).toEqual([
      { t: 2, s0: 2, s1: 20 },
      { t: 3, s0: 3, s1: null },
    ]);
  });

  it('colours values against thresholds in the direction that is bad', () => {
    expect(thresholdTone(0.06, { warning: 0.01, critical: 0.05 }, true)).toBe('bad');
    expect(thresholdTone(0.02, { warning: 0.01, critical: 0.05 }, true)).toBe('warn');
    expect(thresholdTone(0.001, { warning: 0.01, critical: 0.05 }, true)).toBe('ok');
    expect(thresholdTone(99.0, { warning: 99.9, critical: 99.5 }, false)).toBe('bad');
    expect(thresholdTone(null, undefined, true)).toBe('unknown');
    expect(thresholdTone(1, undefined, true)).toBe('neutral');
  });

  it('derives health from the health panel when core sends no items', () => {
    const panel: PanelMeta = {
      id: 'health',
      title: { es: 'Salud', en: 'Health' },
      kind: 'health',
      error: null,
      warnings: [],
      series: [
        { key: 'up|api', queryId: 'up', legend: 'api', labels: {}, unit: 'bool' },
        { key: 'up|db', queryId: 'up', legend: 'db', labels: {}, unit: 'bool' },
        { key: 'up|queue', queryId: 'up', legend: 'queue', labels: {}, unit: 'bool' },
      ],
    };
    const buffers = { 'up|api': RingBuffer.from([[1, 1]], 4), 'up|db': RingBuffer.from([[1, 0]], 4) };
    expect(healthItems([], [panel], buffers).map((h) => h.status)).toEqual(['up', 'down', 'unknown']);
  });
});

describe('formatters', () => {
  it('formats units for on-call reading', () => {
    expect(en.measure(0.32, 'seconds')).toBe('320 ms');
    expect(en.measure(1.25, 'seconds')).toBe('1.25s');
    expect(en.measure(0.0012, 'ratio')).toBe('0.12%');
    expect(en.measure(0.9995, 'ratio')).toBe('99.95%');
    expect(en.measure(1234.5, 'rps')).toBe('1,235 req/s');
    expect(en.measure(null, 'rps')).toBe('—');
    expect(es.measure(1234.5, 'rps')).toMatch(/^1\.?235 req\/s$/);
    expect(en.duration(45_000)).toBe('45s');
    expect(en.duration(3 * 3600_000 + 12 * 60_000)).toBe('3h 12m');
  });
});
