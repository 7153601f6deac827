import type { Alert } from '../../../shared/domain.js';
import type { Pack } from '../../../shared/pack.js';
import type { PagingIncidentData } from '../ports.js';

type Mapping = NonNullable<Pack['alerting']['pagerduty']>;

/**
 * Which active alerts an incident pages for, by the pack's mapping: the incident's dedup key equals
 * the alert's `dedupKeyLabel` label or its fingerprint; otherwise the incident's title names the alert
 * and the incident is on the PagerDuty service the pack maps that alert to (any service when unmapped).
 */
export function linkedAlerts(incident: PagingIncidentData, alerts: Iterable<Alert>, mapping: Mapping | undefined): string[] {
  const out: string[] = [];
  const title = incident.title.toLowerCase();
  // Thousands of alerts share a few dozen names: test the title once per name, not once per alert.
  const named = new Map<string, boolean>();
  for (const alert of alerts) {
    if (alert.state === 'resolved') continue;
    const key = mapping?.dedupKeyLabel ? alert.labels[mapping.dedupKeyLabel] : undefined;
    if (incident.incidentKey && (incident.incidentKey === key || incident.incidentKey === alert.fingerprint)) {
      out.push(alert.fingerprint);
      continue;
    }
    let inTitle = named.get(alert.name);
    if (inTitle === undefined) {
      inTitle = new RegExp(`\\b${escapeRegExp(alert.name.toLowerCase())}\\b`).test(title);
      named.set(alert.name, inTitle);
    }
    if (!inTitle) continue;
    const services = (mapping?.services ?? []).filter((s) => s.alerts.includes(alert.name)).map((s) => s.service.toLowerCase());
    if (services.length === 0 || services.includes(incident.service.name.toLowerCase()) || services.includes(incident.service.id.toLowerCase())) {
      out.push(alert.fingerprint);
    }
  }
  return out.sort();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
