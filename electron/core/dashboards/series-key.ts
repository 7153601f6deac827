import type { MetricQuery } from '../../../shared/pack.js';

/** Renders a Grafana-style legend template ("{{endpoint}}") with a series' labels. */
export function renderLegend(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/**
 * The stable key of one series of a query: the same for its range history and its live instant
 * values, so the renderer appends live points to the right line (and uses it as recharts' dataKey).
 */
export function seriesIdentity(query: MetricQuery, labels: Record<string, string>): { key: string; legend: string } {
  let legend: string;
  if (query.legend) {
    legend = renderLegend(query.legend, labels);
  } else {
    const shown = Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`);
    legend = shown.length ? `{${shown.join(', ')}}` : query.id;
  }
  return { key: `${query.id}|${legend}`, legend };
}
