import type { AzureSeries, AzureTable } from '../../../shared/azure.js';

/** Rows the UI receives per table; more are dropped and the result says so. */
export const maxRows = 500;

/** Most lines a chart draws (top series by row count); the table keeps every row. */
const maxSeries = 8;

type Cell = string | number | boolean | null;

/** A cell as the contract carries it: dates as ISO text, dynamic values as JSON text. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return JSON.stringify(value);
}

/** Builds a contract table, keeping at most `maxRows` rows. */
export function toTable(
  name: string,
  columns: Array<{ name?: string; type?: string }>,
  rows: unknown[][],
): { table: AzureTable; truncated: boolean } {
  return {
    table: {
      name,
      columns: columns.map((c, i) => ({ name: c.name ?? `column${i + 1}`, type: c.type ?? 'string' })),
      rows: rows.slice(0, maxRows).map((r) => r.map(toCell)),
    },
    truncated: rows.length > maxRows,
  };
}

const numericTypes = new Set(['long', 'int', 'real', 'decimal', 'double', 'float', 'number']);

/**
 * KQL results that are time series (a datetime column plus numbers, as `summarize … by bin(TimeGenerated, 5m)`
 * produces) become chart lines: one per numeric column, or per value of the first text column when
 * there is one (e.g. per operation). Tables without a time column chart nothing.
 */
export function seriesFromTable(table: AzureTable): AzureSeries[] {
  const timeIdx = table.columns.findIndex((c) => c.type === 'datetime');
  if (timeIdx < 0) return [];
  const numIdx = table.columns.map((c, i) => (numericTypes.has(c.type) ? i : -1)).filter((i) => i >= 0);
  if (numIdx.length === 0) return [];
  const splitIdx = table.columns.findIndex((c, i) => i !== timeIdx && (c.type === 'string' || c.type === 'guid'));
  const lines = new Map<string, Array<[number, number | null]>>();
  for (const row of table.rows) {
    const t = Date.parse(String(row[timeIdx]));
    if (!Number.isFinite(t)) continue;
    for (const i of numIdx) {
      const prefix = splitIdx >= 0 ? String(row[splitIdx] ?? '') : '';
      const name = numIdx.length === 1 && prefix ? prefix : [prefix, table.columns[i]!.name].filter(Boolean).join(' · ');
      const v = row[i];
      const list = lines.get(name) ?? [];
      list.push([t, typeof v === 'number' ? v : null]);
      lines.set(name, list);
    }
  }
  // A time column with only a couple of values (e.g. LastSeen per exception type) is not a time series.
  const times = new Set(table.rows.map((r) => String(r[timeIdx])));
  if (times.size < 3) return [];
  return [...lines]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, maxSeries)
    .map(([name, points]) => ({ name, unit: null, points: points.sort((a, b) => a[0] - b[0]) }));
}

/** An ISO 8601 duration (PT1H, P1D, PT30M) in milliseconds; throws on anything else. */
export function durationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) throw new RangeError(`expected an ISO 8601 duration such as PT1H, got "${iso}"`);
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}
