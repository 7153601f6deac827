import type { Alert, JournalEntry } from '../../../shared/domain.js';
import type { Pack } from '../../../shared/pack.js';
import { incidentsFromJournal } from '../incidents/incident-log.js';
import type { JournalDamage } from '../journal/journal.js';
import { nextShiftWindow, shiftWindowAt, type ShiftWindow } from '../journal/shift-window.js';
import type { GettableSilence } from '../ports.js';
import { sloBudgetAt, sloSnapshots, type SloSnapshotItem } from './slo-snapshots.js';

/** Everything the next on-call needs, for one shift or any range; rendered as Markdown, HTML or JSON. */
export interface HandoffSummary {
  from: number;
  to: number;
  environment: string;
  shift: ShiftWindow;
  next: ShiftWindow;
  incidents: Array<{
    id: string;
    title: string;
    severity: string;
    warRoom: string;
    declaredAt: number;
    declaredBy: string;
    acknowledgedAt: number | null;
    resolvedAt: number | null;
    resolvedBy: string | null;
    /** Until resolution, or until the end of the range while still open. */
    durationMinutes: number;
    phase: string;
    actors: string[];
  }>;
  pages: Array<{ time: number; summary: string; actor: string; acknowledgedAt: number | null; acknowledgedBy: string | null }>;
  alertsFired: number;
  alertsResolved: number;
  stillFiring: Array<{ name: string; severity: string; summary: string; since: number; forMinutes: number }>;
  /** Active silences ending after `to` and before the next shift ends: what the next on-call inherits. */
  silencesExpiring: Array<{ id: string; matchers: string; endsAt: number; createdBy: string; comment: string }>;
  actions: Array<{ time: number; actor: string; what: string; target: string; dryRun: boolean; outcome: 'ok' | 'error' | 'no result recorded'; result: string }>;
  statusUpdates: Array<{ time: number; component: string; status: string; delivered: boolean }>;
  slo: Array<{ id: string; start: number; end: number }>;
  sloSeries: Array<{ time: number; slos: SloSnapshotItem[] }>;
  notes: Array<{ time: number; actor: string; text: string }>;
  pinned: Array<{ time: number; actor: string; title: string; text: string }>;
  followUps: Array<{ time: number; actor: string; text: string }>;
  damage: JournalDamage[];
}

/** A note is a follow-up when it says so: "TODO", "Follow-up:", "Pendiente:" or "Seguimiento:" at its start. */
const followUpPattern = /^\s*(todo\b|follow[- ]?up\b|pendiente\b|seguimiento\b|\[ \])/i;

/**
 * Builds the handoff summary of a range from the journal (what happened), the live alert list (what is
 * still firing now) and the alert sources' silences (what expires during the next shift).
 */
export function buildHandoffSummary(input: {
  pack: Pack;
  environment: string;
  from: number;
  to: number;
  entries: readonly JournalEntry[];
  damage: JournalDamage[];
  /** Alerts active at `to`; null when no source answered (then the journal's firing-minus-resolved is used). */
  liveAlerts: Alert[] | null;
  silences: GettableSilence[];
  /** The SLOs as seen at `to` when the range ends now (journaled snapshots are at most hourly). */
  currentSlos?: { time: number; slos: SloSnapshotItem[] } | null;
}): HandoffSummary {
  const extra = input.currentSlos ? [{ ...input.currentSlos, time: Math.min(input.currentSlos.time, input.to) }] : [];
  const { pack, from, to } = input;
  const inRange = input.entries.filter((e) => e.time >= from && e.time <= to);
  const shift = shiftWindowAt(pack.rotation, from);
  const next = nextShiftWindow(pack.rotation, to);

  // Incidents touched in the range: declared, acknowledged or resolved in it, or still open during it.
  const incidents = incidentsFromJournal(input.entries.filter((e) => e.time <= to))
    .filter((i) => i.declaredAt <= to && (i.resolvedAt === null || i.resolvedAt >= from))
    .sort((a, b) => a.declaredAt - b.declaredAt)
    .map((i) => {
      const ids = new Set([i.id]);
      const actors = [
        ...new Set(
          input.entries
            .filter((e) => e.actor !== 'guardia' && ids.has(String((e.data as { incidentId?: unknown }).incidentId)))
            .map((e) => e.actor),
        ),
      ];
      return {
        id: i.id,
        title: i.title,
        severity: i.severity,
        warRoom: i.warRoom,
        declaredAt: i.declaredAt,
        declaredBy: i.declaredBy,
        acknowledgedAt: i.acknowledgedAt,
        resolvedAt: i.resolvedAt,
        resolvedBy: i.resolvedBy,
        durationMinutes: Math.round(((i.resolvedAt ?? to) - i.detectedAt) / 60_000),
        phase: i.phase,
        actors,
      };
    });

  const acks = inRange.filter((e) => e.kind === 'acknowledgement');
  const pages = inRange
    .filter((e) => e.kind === 'page')
    .map((p) => {
      const key = (p.data as { pageId?: unknown; incidentKey?: unknown }).pageId ?? (p.data as { incidentKey?: unknown }).incidentKey;
      const ack = acks.find((a) => a.time >= p.time && key !== undefined && ((a.data as { pageId?: unknown }).pageId === key || (a.data as { incidentKey?: unknown }).incidentKey === key));
      return { time: p.time, summary: p.summary, actor: p.actor, acknowledgedAt: ack?.time ?? null, acknowledgedBy: ack?.actor ?? null };
    });

  // Alerts: the alerts module re-journals alerts already firing when Guardia restarts; count each fingerprint once.
  const firedFingerprints = new Set(inRange.filter((e) => e.kind === 'alert.firing' && !e.data.alreadyFiring).map((e) => String(e.data.fingerprint)));
  const resolvedFingerprints = new Set(inRange.filter((e) => e.kind === 'alert.resolved').map((e) => String(e.data.fingerprint)));
  const stillFiring = (input.liveAlerts ?? journalFiring(input.entries, to))
    .filter((a) => a.state === 'firing' || a.state === 'pending')
    .sort((a, b) => a.severity.localeCompare(b.severity) || a.startsAt - b.startsAt)
    .map((a) => ({ name: a.name, severity: a.severity, summary: a.summary, since: a.startsAt, forMinutes: Math.max(0, Math.round((to - a.startsAt) / 60_000)) }));

  const silencesExpiring = input.silences
    .filter((s) => s.status.state === 'active')
    .map((s) => ({ s, endsAt: Date.parse(s.endsAt) }))
    .filter(({ endsAt }) => endsAt > to && endsAt <= next.end)
    .sort((a, b) => a.endsAt - b.endsAt)
    .map(({ s, endsAt }) => ({
      id: s.id,
      matchers: s.matchers.map((m) => `${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', '),
      endsAt,
      createdBy: s.createdBy,
      comment: s.comment,
    }));

  const finished = new Map(inRange.filter((e) => e.kind === 'action.finished').map((e) => [String(e.data.startedId), e]));
  const actions = inRange
    .filter((e) => e.kind === 'action.started')
    .map((s) => {
      const f = finished.get(s.id);
      const outcome: 'ok' | 'error' | 'no result recorded' = f ? (f.data.outcome === 'error' ? 'error' : 'ok') : 'no result recorded';
      return {
        time: s.time,
        actor: s.actor,
        // Playbook actions name playbook/action; other domains' actions (PagerDuty…) say it in the summary.
        what: s.data.playbookId ? `${String(s.data.playbookId)}/${String(s.data.actionId ?? '')}` : s.summary.replace(/^Started:\s*/, ''),
        target: String(s.data.target ?? ''),
        dryRun: s.data.dryRun === true,
        outcome,
        result: f?.summary ?? '',
      };
    });

  const notes = inRange.filter((e) => e.kind === 'note').map((e) => ({ time: e.time, actor: e.actor, text: e.summary }));
  return {
    from,
    to,
    environment: input.environment,
    shift,
    next,
    incidents,
    pages,
    alertsFired: firedFingerprints.size,
    alertsResolved: resolvedFingerprints.size,
    stillFiring,
    silencesExpiring,
    actions,
    statusUpdates: inRange
      .filter((e) => e.kind === 'status.update')
      .map((e) => {
        const u = e.data.update as { component?: string; status?: string } | undefined;
        return { time: e.time, component: String(u?.component ?? ''), status: String(u?.status ?? ''), delivered: e.data.delivered === true };
      }),
    slo: sloBudgetAt(input.entries, from, to, extra),
    sloSeries: [...sloSnapshots(input.entries, from, to), ...extra],
    notes: notes.filter((n) => !followUpPattern.test(n.text)),
    pinned: inRange.filter((e) => e.kind === 'pinned').map((e) => ({ time: e.time, actor: e.actor, title: e.summary, text: String(e.data.text ?? '') })),
    followUps: notes.filter((n) => followUpPattern.test(n.text)),
    damage: input.damage,
  };
}

/** Alerts firing at `t` according to the journal alone (when no alert source can be asked). */
function journalFiring(entries: readonly JournalEntry[], t: number): Alert[] {
  const open = new Map<string, JournalEntry>();
  for (const e of entries) {
    if (e.time > t) break;
    const fp = String(e.data.fingerprint ?? '');
    if (e.kind === 'alert.firing' && !open.has(fp)) open.set(fp, e);
    if (e.kind === 'alert.resolved') open.delete(fp);
  }
  return [...open.values()].map((e) => {
    const [severity, ...rest] = e.summary.split(' ');
    const name = (rest.join(' ').split(':')[0] ?? '').trim();
    return {
      fingerprint: String(e.data.fingerprint),
      name,
      state: 'firing',
      severity: (['P1', 'P2', 'P3', 'P4'].includes(severity ?? '') ? severity : 'P4') as Alert['severity'],
      labels: (e.data.labels as Record<string, string>) ?? {},
      annotations: {},
      summary: e.summary.slice(e.summary.indexOf(':') + 1).trim(),
      startsAt: typeof e.data.startsAt === 'number' ? e.data.startsAt : e.time,
      endsAt: null,
      silenced: false,
      inhibited: false,
      runbookUrl: null,
      playbookId: null,
      sources: [e.source],
    };
  });
}
