import type { Alert } from './domain.js';
import type { SeverityId } from './pack.js';

/** One row of the alert list: a group header (alertname) or an alert. */
export type AlertListItem =
  | { kind: 'group'; name: string; count: number; silenced: number; severity: SeverityId; collapsed: boolean }
  | { kind: 'alert'; alert: Alert };

const rank: Record<SeverityId, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/**
 * The sorted alerts grouped by alertname, groups in the order their first alert appears (so the
 * chosen sort orders groups too); collapsed groups show only their header. Linear in the alerts, so
 * an alert storm of 10,000 regroups in one pass. A group's severity is its worst alert's.
 */
export function groupAlerts(sorted: readonly Alert[], collapsed: ReadonlySet<string>): AlertListItem[] {
  const groups = new Map<string, Alert[]>();
  for (const a of sorted) {
    const g = groups.get(a.name);
    if (g) g.push(a);
    else groups.set(a.name, [a]);
  }
  const items: AlertListItem[] = [];
  for (const [name, alerts] of groups) {
    const isCollapsed = collapsed.has(name);
    let severity = alerts[0]!.severity;
    let silenced = 0;
    for (const a of alerts) {
      if (rank[a.severity] < rank[severity]) severity = a.severity;
      if (a.silenced) silenced++;
    }
    items.push({ kind: 'group', name, count: alerts.length, silenced, severity, collapsed: isCollapsed });
    if (!isCollapsed) for (const alert of alerts) items.push({ kind: 'alert', alert });
  }
  return items;
}
