import type { Alert } from '../../../../shared/domain';
import type { SeverityId } from '../../../../shared/pack';

/** P1 first: the order every list and badge uses. */
export const severityOrder: readonly SeverityId[] = ['P1', 'P2', 'P3', 'P4'];

export function severityRank(severity: SeverityId): number {
  return severityOrder.indexOf(severity);
}

/** Alerts that still need attention (firing or pending), worst first, newest first within a severity. */
export function activeAlerts(alertsById: Readonly<Record<string, Alert>>): Alert[] {
  return sortAlerts(
    Object.values(alertsById).filter((a) => a.state !== 'resolved'),
    'severity',
  );
}

/**
 * The header badge: the worst severity among alerts that are firing and neither silenced nor
 * inhibited. Pending alerts have not met their `for:` yet and silenced ones are already handled,
 * so neither should turn the header red.
 */
export function worstSeverity(alerts: Iterable<Alert>): SeverityId | null {
  let worst: SeverityId | null = null;
  for (const alert of alerts) {
    if (alert.state !== 'firing' || alert.silenced || alert.inhibited) continue;
    if (worst === null || severityRank(alert.severity) < severityRank(worst)) worst = alert.severity;
  }
  return worst;
}

export type AlertSort = 'severity' | 'start' | 'name';

/** Sorts a copy. 'severity': worst first then newest; 'start': newest first; 'name': A→Z; `reverse` flips it. */
export function sortAlerts(alerts: readonly Alert[], by: AlertSort, reverse = false): Alert[] {
  const byStart = (a: Alert, b: Alert) => b.startsAt - a.startsAt;
  const byName = (a: Alert, b: Alert) => a.name.localeCompare(b.name) || a.fingerprint.localeCompare(b.fingerprint);
  const compare = (a: Alert, b: Alert): number => {
    switch (by) {
      case 'severity':
        return severityRank(a.severity) - severityRank(b.severity) || byStart(a, b) || byName(a, b);
      case 'start':
        return byStart(a, b) || byName(a, b);
      case 'name':
        return byName(a, b);
    }
  };
  const sorted = [...alerts].sort(compare);
  return reverse ? sorted.reverse() : sorted;
}

export type AlertFilter = { text: string; severities: ReadonlySet<SeverityId> };

/** Case-insensitive match on name, summary, label keys/values and annotation values; an empty severity set means all. */
export function filterAlerts(alerts: readonly Alert[], filter: AlertFilter): Alert[] {
  const needle = filter.text.trim().toLowerCase();
  return alerts.filter((alert) => {
    if (filter.severities.size > 0 && !filter.severities.has(alert.severity)) return false;
    if (!needle) return true;
    if (alert.name.toLowerCase().includes(needle) || alert.summary.toLowerCase().includes(needle)) return true;
    for (const [k, v] of Object.entries(alert.labels)) {
      if (k.toLowerCase().includes(needle) || v.toLowerCase().includes(needle) || `${k}=${v}`.toLowerCase().includes(needle)) return true;
    }
    return Object.values(alert.annotations).some((v) => v.toLowerCase().includes(needle));
  });
}

/** Counts per severity, for the filter chips. */
export function countBySeverity(alerts: readonly Alert[]): Record<SeverityId, number> {
  const counts: Record<SeverityId, number> = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const alert of alerts) counts[alert.severity] += 1;
  return counts;
}

/**
 * A runbook link is rendered only for an absolute https URL (core already filters; checked again
 * here because an annotation is untrusted text and a `javascript:` href would run in our origin).
 */
export function safeHttpsUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Grouping by alertname lives in shared/ so core-side benches measure the same code the view runs. */
export { groupAlerts, type AlertListItem } from '../../../../shared/alert-groups';
