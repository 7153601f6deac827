import type { AzureSeries } from '../../../../shared/azure';

/** Chart rows for recharts from a result's series: one row per timestamp, `s0`, `s1`… per line. */
export function chartRowsOf(series: readonly AzureSeries[]): Array<Record<string, number | null>> {
  const byTime = new Map<number, Record<string, number | null>>();
  series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = byTime.get(t) ?? { t };
      row[`s${i}`] = v;
      byTime.set(t, row);
    }
  });
  return [...byTime.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

/** A cell as text: ISO timestamps shown in local time, numbers with grouping, null as an em dash. */
export function cellText(value: string | number | boolean | null, type: string, fmt: { dateTime(ms: number): string; number(v: number, d?: number): string }): string {
  if (value === null) return '—';
  if (type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? fmt.dateTime(ms) : value;
  }
  if (typeof value === 'number') return fmt.number(value, 2);
  return String(value);
}
