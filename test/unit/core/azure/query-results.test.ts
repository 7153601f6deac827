import { describe, expect, it } from 'vitest';
import { durationMs, maxRows, seriesFromTable, toTable } from '../../../../electron/core/azure/query-results.js';

describe('KQL results as the UI shows them', () => {
  it('charts a time-binned result as one line per operation', () => {
    const { table } = toTable(
      'PrimaryResult',
      [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'OperationName', type: 'string' }, { name: 'Failed', type: 'long' }],
      [
        [new Date('2026-11-30T03:10:00Z'), 'POST /api/checkout', 90],
        [new Date('2026-11-30T03:00:00Z'), 'POST /api/checkout', 9],
        [new Date('2026-11-30T03:05:00Z'), 'POST /api/checkout', 40],
        [new Date('2026-11-30T03:00:00Z'), 'GET /api/products', 1],
      ],
    );
    const series = seriesFromTable(table);
    expect(series.map((s) => s.name)).toEqual(['POST /api/checkout', 'GET /api/products']);
    expect(series[0]!.points.map((p) => p[1])).toEqual([9, 40, 90]);
  });

  it('does not chart a table whose time column is only a "last seen"', () => {
    const { table } = toTable(
      'PrimaryResult',
      [{ name: 'ExceptionType', type: 'string' }, { name: 'Count', type: 'long' }, { name: 'LastSeen', type: 'datetime' }],
      [['TimeoutError', 3, '2026-11-30T03:00:00Z'], ['OtherError', 1, '2026-11-30T03:00:00Z']],
    );
    expect(seriesFromTable(table)).toEqual([]);
  });

  it('keeps cells as data: dates as ISO text, objects as JSON text, and says when rows were dropped', () => {
    const rows = Array.from({ length: maxRows + 5 }, (_, i) => [i, { a: '<b>x</b>' }, new Date(0)]);
    const { table, truncated } = toTable('t', [{ name: 'n', type: 'long' }, { name: 'd', type: 'dynamic' }, { name: 'at', type: 'datetime' }], rows);
    expect(truncated).toBe(true);
    expect(table.rows).toHaveLength(maxRows);
    expect(table.rows[0]).toEqual([0, '{"a":"<b>x</b>"}', '1970-01-01T00:00:00.000Z']);
  });

  it('reads ISO 8601 durations and refuses anything else', () => {
    expect(durationMs('PT1H')).toBe(3_600_000);
    expect(durationMs('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(() => durationMs('1h')).toThrow(/ISO 8601 duration/);
    expect(() => durationMs('PT')).toThrow(/ISO 8601 duration/);
  });
});
