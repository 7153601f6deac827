import type { Incident, IncidentPhaseId, JournalEntry, StatusUpdate, WarRoomRoleId } from '../../../shared/domain.js';
import type { Pack, SeverityId } from '../../../shared/pack.js';
import { localDate } from '../time/zoned-time.js';

/**
 * Incidents are not stored anywhere but the journal: declaring, moving a phase, assigning a role,
 * posting a status update and resolving are journal entries, and this folds them back into incidents.
 * So a crash loses nothing, and paging or playbooks only have to append their own entries.
 */
export function incidentsFromJournal(entries: readonly JournalEntry[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const e of [...entries].sort((a, b) => a.time - b.time)) {
    const d = e.data as Record<string, unknown>;
    const id = typeof d.incidentId === 'string' ? d.incidentId : null;
    if (e.kind === 'incident.declared' && id) {
      byId.set(id, {
        id,
        title: String(d.title ?? e.summary),
        severity: (d.severity as SeverityId) ?? 'P2',
        detectedAt: typeof d.detectedAt === 'number' ? d.detectedAt : e.time,
        declaredAt: e.time,
        declaredBy: e.actor,
        alertFingerprint: typeof d.alertFingerprint === 'string' ? d.alertFingerprint : null,
        alertName: typeof d.alertName === 'string' ? d.alertName : null,
        pagingIncidentId: typeof d.pagingIncidentId === 'string' ? d.pagingIncidentId : null,
        warRoom: String(d.warRoom ?? ''),
        phase: 'detection',
        phases: [{ phase: 'detection', at: typeof d.detectedAt === 'number' ? d.detectedAt : e.time, by: e.actor }],
        roles: {},
        acknowledgedAt: null,
        resolvedAt: null,
        resolvedBy: null,
        statusUpdates: [],
      });
      continue;
    }
    const incident = id ? byId.get(id) : undefined;
    if (e.kind === 'acknowledgement' || (e.kind === 'action.finished' && d.verb === 'acknowledge' && d.outcome !== 'error')) {
      // An acknowledgement appended by paging or notifications (of the incident's alert or its
      // PagerDuty incident) counts as the incident's.
      const keys = new Set<unknown>([d.fingerprint, d.incidentId, ...(Array.isArray(d.incidents) ? d.incidents : [])]);
      if (Array.isArray(d.outcomes)) for (const o of d.outcomes as Array<{ key?: unknown; ok?: unknown }>) if (o.ok !== false) keys.add(o.key);
      for (const i of byId.values()) {
        const mine = keys.has(i.id) || (i.alertFingerprint !== null && keys.has(i.alertFingerprint)) || (i.pagingIncidentId !== null && keys.has(i.pagingIncidentId));
        if (i.acknowledgedAt === null && mine && e.time >= i.detectedAt) i.acknowledgedAt = e.time;
      }
      continue;
    }
    if (!incident) continue;
    switch (e.kind) {
      case 'incident.phase': {
        const phase = d.phase as IncidentPhaseId;
        incident.phase = phase;
        incident.phases.push({ phase, at: e.time, by: e.actor });
        if (phase !== 'detection' && incident.acknowledgedAt === null) incident.acknowledgedAt = e.time;
        break;
      }
      case 'incident.role':
        incident.roles[d.role as WarRoomRoleId] = String(d.person);
        break;
      case 'incident.resolved':
        incident.resolvedAt = e.time;
        incident.resolvedBy = e.actor;
        incident.phase = 'postmortem';
        incident.phases.push({ phase: 'postmortem', at: e.time, by: e.actor });
        break;
      case 'status.update':
        incident.statusUpdates.push(d.update as StatusUpdate);
        break;
      default:
        break;
    }
  }
  return [...byId.values()].sort((a, b) => b.declaredAt - a.declaredAt);
}

/** The runbook's war-room channel name: `#incident-YYYY-MM-DD-description` (date in the rotation's zone). */
export function warRoomChannel(pack: Pack, at: number, words: string): string {
  const slug =
    words
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'incident';
  return pack.incidents.warRoom.channelFormat
    .replace('{date}', localDate(at, pack.rotation.handoff.timezone))
    .replace('{slug}', slug);
}

/** Phase status at `now`: a phase is overdue when it is current (or not reached) and its target end has passed. */
export function overduePhases(pack: Pack, incident: Incident, now: number): IncidentPhaseId[] {
  if (incident.resolvedAt !== null) return [];
  const order = pack.incidents.phases.map((p) => p.id);
  const current = order.indexOf(incident.phase);
  return pack.incidents.phases
    .filter((p, i) => i >= current && p.id !== 'postmortem' && now > incident.detectedAt + p.endMinute * 60_000)
    .map((p) => p.id);
}
