import type { InvokeResponse } from '../../../../shared/contract';
import type { Incident } from '../../../../shared/domain';

export type IncidentProcess = InvokeResponse<'incidents.getProcess'>;

/** One row of the live phase timeline. */
export interface PhaseRow {
  id: Incident['phase'];
  startMinute: number;
  endMinute: number;
  /** When the phase's target ends (epoch ms, counted from detection). */
  dueAt: number;
  state: 'done' | 'current' | 'upcoming';
  /** Current or upcoming and past its target end, while the incident is open. */
  overdue: boolean;
  /** When the phase was entered, if it was. */
  enteredAt: number | null;
}

/** The five phases with their targets against `now`: what the timeline draws and when to escalate. */
export function phaseRows(process: IncidentProcess, incident: Incident, now: number): PhaseRow[] {
  const order = process.phases.map((p) => p.id);
  const current = order.indexOf(incident.phase);
  const open = incident.resolvedAt === null;
  return process.phases.map((p, i) => {
    const dueAt = incident.detectedAt + p.endMinute * 60_000;
    const state = i < current ? 'done' : i === current ? (open ? 'current' : 'done') : 'upcoming';
    const entered = [...incident.phases].reverse().find((x) => x.phase === p.id);
    return {
      id: p.id,
      startMinute: p.startMinute,
      endMinute: p.endMinute,
      dueAt,
      state: !open && p.id === 'postmortem' ? 'current' : state,
      overdue: open && state !== 'done' && p.id !== 'postmortem' && now > dueAt,
      enteredAt: entered?.at ?? null,
    };
  });
}

/** Minutes until the next status-page update is due (negative: overdue), or null when resolved. */
export function statusUpdateDueIn(process: IncidentProcess, incident: Incident, now: number): number | null {
  if (incident.resolvedAt !== null) return null;
  const last = Math.max(incident.declaredAt, ...incident.statusUpdates.map((u) => u.timestamp));
  return Math.round((last + process.statusPage.updateEveryMinutes * 60_000 - now) / 60_000);
}

/** Fills the runbook template's [placeholders] it can (service, duration); the rest stay for the author. */
export function fillTemplate(body: string, incident: Incident | null, component: string, now: number): string {
  let out = body.replace(/\[(servicio|service)\]/g, component);
  if (incident) {
    const minutes = Math.round(((incident.resolvedAt ?? now) - incident.detectedAt) / 60_000);
    out = out.replace(/\[(duración|duration)\]/g, `${minutes} min`);
  }
  return out.trim();
}
