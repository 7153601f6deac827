import type { Alert, SilenceMatcherInput } from '../../../../shared/domain';

/** Durations offered for a silence, in minutes. */
export const silenceDurations = [30, 60, 120, 240, 480, 1440] as const;

/** One row of the silence form: a label of the alert, included or not, exact or regex. */
export type MatcherRow = { name: string; value: string; isRegex: boolean; include: boolean };

/** Labels that identify an alert best go first and are checked by default; the rest are offered. */
const keyLabels = ['alertname', 'instance', 'job', 'service', 'namespace', 'pod'];

/** Starting rows for silencing one alert: alertname plus its identifying labels (severity, team unchecked). */
export function initialMatcherRows(alert: Alert): MatcherRow[] {
  const entries = Object.entries(alert.labels).sort(([a], [b]) => {
    const ia = keyLabels.indexOf(a);
    const ib = keyLabels.indexOf(b);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
  });
  return entries.map(([name, value]) => ({ name, value, isRegex: false, include: keyLabels.includes(name) }));
}

/** The rows the user kept, as Alertmanager matchers. */
export function matchersOf(rows: readonly MatcherRow[]): SilenceMatcherInput[] {
  return rows.filter((r) => r.include).map((r) => ({ name: r.name, value: r.value, isRegex: r.isRegex, isEqual: true }));
}
