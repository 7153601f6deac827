import type { PagingIncident, PagingStatus } from '../../../../shared/paging';

/** The statuses the view filters on, in PagerDuty's order. */
export const pagingStatuses: readonly PagingStatus[] = ['triggered', 'acknowledged', 'resolved'];

/** What the user picked in the toolbar. */
export type IncidentFilter = { scope: 'mine' | 'all'; statuses: ReadonlySet<PagingStatus> };

const rank: Record<PagingStatus, number> = { triggered: 0, acknowledged: 1, resolved: 2 };

/** Incidents matching the filter: triggered before acknowledged, high urgency first, newest first. */
export function filterIncidents(incidents: readonly PagingIncident[], filter: IncidentFilter): PagingIncident[] {
  return incidents
    .filter((i) => filter.scope === 'all' || i.assignedToMe)
    .filter((i) => filter.statuses.size === 0 || filter.statuses.has(i.status))
    .sort((a, b) => rank[a.status] - rank[b.status] || (a.urgency === b.urgency ? 0 : a.urgency === 'high' ? -1 : 1) || b.createdAt - a.createdAt);
}

/** My incidents still waiting for an acknowledgement: what "ack all mine" acknowledges. */
export function myTriggered(incidents: readonly PagingIncident[]): PagingIncident[] {
  return incidents.filter((i) => i.assignedToMe && i.status === 'triggered');
}
