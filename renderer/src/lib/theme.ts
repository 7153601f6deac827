import type { SeverityId } from '../../../shared/pack';
import type { Measure } from '../features/metrics/metrics-selectors';

/**
 * Colours SVG needs as literal values (recharts writes presentation attributes, where CSS variables
 * are not reliable). Keep in sync with the custom properties in styles/base.css.
 */
export const chartTheme = {
  grid: '#1f2632',
  axis: '#6b7689',
  ok: '#73bf69',
  warn: '#ff9830',
  bad: '#f2495c',
  critical: '#f2495c',
  warning: '#ff9830',
} as const;

/** Grafana's classic palette: distinguishable on a dark background, familiar to the people using it. */
export const seriesPalette = [
  '#73bf69',
  '#f2cc0c',
  '#5794f2',
  '#ff780a',
  '#f2495c',
  '#b877d9',
  '#70dbed',
  '#fade2a',
  '#8ab8ff',
  '#96d98d',
  '#ffb357',
  '#ca95e5',
] as const;

/** Semantic colours for the canonical measures, so success is green and errors red on every chart. */
export const measureColour: Partial<Record<Measure, string>> = {
  rps: '#5794f2',
  'success-rate': '#73bf69',
  'error-rate': '#f2495c',
  p50: '#73bf69',
  p95: '#f2cc0c',
  p99: '#ff780a',
};

export const severityColour: Record<SeverityId, string> = {
  P1: '#f2495c',
  P2: '#ff9830',
  P3: '#fade2a',
  P4: '#5794f2',
};
