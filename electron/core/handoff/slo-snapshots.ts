import type { JournalEntry, SloStatus } from '../../../shared/domain.js';
import type { CoreContext } from '../core-module.js';
import { shiftWindowAt } from '../journal/shift-window.js';

/** One SLO in an `slo.snapshot` journal entry: enough to compare start and end of a shift. */
export interface SloSnapshotItem {
  id: string;
  current: number | null;
  met: boolean | null;
  remainingPercent: number | null;
}

/** How often the journal gets an SLO snapshot, in clock (sim) time. */
export const sloSnapshotEveryMs = 60 * 60_000;

/**
 * Writes an `slo.snapshot` entry from the SLO updates core already emits: the first one of a process
 * or of a shift, then one an hour. The handoff compares start and end of a shift from these, so it
 * needs no range query against a Prometheus that may be gone by then.
 */
export function recordSloSnapshots(ctx: CoreContext): {
  init(): Promise<void>;
  stop(): void;
  /** The SLOs as last seen (not journaled), for "end of shift" when the shift ends now. */
  latest(): { time: number; slos: SloSnapshotItem[] } | null;
} {
  let last: number | null = null;
  let writing = false;
  let latest: { time: number; slos: SloStatus[] } | null = null;
  const write = (slos: SloStatus[], reason: string) => {
    const now = ctx.clock.now();
    writing = true;
    last = now;
    void ctx.journal
      .append({
        actor: 'guardia',
        environment: ctx.environment.id,
        source: 'slo',
        kind: 'slo.snapshot',
        summary: snapshotSummary(slos),
        time: now,
        data: { slos: slos.map(snapshotItem), reason },
      })
      .catch((error) => ctx.logger.warn('could not journal an SLO snapshot', { error }))
      .finally(() => (writing = false));
  };
  const off = ctx.events.subscribe((event) => {
    if (event.channel !== 'slos.changed') return;
    latest = { time: ctx.clock.now(), slos: event.payload.slos };
    if (writing) return;
    const now = ctx.clock.now();
    const sameShift = last !== null && shiftWindowAt(ctx.pack.rotation, last).key === shiftWindowAt(ctx.pack.rotation, now).key;
    if (last !== null && sameShift && now - last < sloSnapshotEveryMs) return;
    write(event.payload.slos, last === null || !sameShift ? 'shift' : 'hourly');
  });
  // An incident's start and end get a snapshot too: the post-mortem's "error budget consumed".
  const offJournal = ctx.journal.onAppend((entry) => {
    if ((entry.kind === 'incident.declared' || entry.kind === 'incident.resolved') && latest) write(latest.slos, entry.kind);
  });
  return {
    latest: () => (latest ? { time: latest.time, slos: latest.slos.map(snapshotItem) } : null),
    async init() {
      const { entries } = await ctx.journal.readAll();
      const previous = entries.filter((e) => e.kind === 'slo.snapshot').at(-1);
      if (previous) last = previous.time;
    },
    stop: () => {
      off();
      offJournal();
    },
  };
}

function snapshotItem(s: SloStatus): SloSnapshotItem {
  return { id: s.id, current: s.current, met: s.met, remainingPercent: s.errorBudget?.remainingPercent ?? null };
}

function snapshotSummary(slos: readonly SloStatus[]): string {
  const missed = slos.filter((s) => s.met === false).map((s) => s.id);
  return missed.length ? `SLOs: ${slos.length - missed.length}/${slos.length} met (missed: ${missed.join(', ')})` : `SLOs: ${slos.length}/${slos.length} met`;
}

/** The snapshots of a range, oldest first. */
export function sloSnapshots(entries: readonly JournalEntry[], from: number, to: number): Array<{ time: number; slos: SloSnapshotItem[] }> {
  return entries
    .filter((e) => e.kind === 'slo.snapshot' && e.time >= from && e.time <= to && Array.isArray(e.data.slos))
    .sort((a, b) => a.time - b.time)
    .map((e) => ({ time: e.time, slos: e.data.slos as SloSnapshotItem[] }));
}

/**
 * Error budget remaining per SLO at the start and end of a range: the last snapshot at or before each
 * end (or the first inside the range for the start). SLOs without a budget value are left out.
 */
export function sloBudgetAt(
  entries: readonly JournalEntry[],
  from: number,
  to: number,
  /** Not-yet-journaled snapshots (the SLOs as seen now), appended after the journal's. */
  extra: ReadonlyArray<{ time: number; slos: SloSnapshotItem[] }> = [],
): Array<{ id: string; start: number; end: number }> {
  const all = [...sloSnapshots(entries, 0, to), ...extra.filter((x) => x.time <= to)];
  // Per SLO: its last known value at or before `from` (else its first inside the range), and its last value.
  const values = new Map<string, Array<[number, number]>>();
  for (const snap of all) {
    for (const item of snap.slos) {
      if (item.remainingPercent === null) continue;
      const list = values.get(item.id) ?? [];
      list.push([snap.time, item.remainingPercent]);
      values.set(item.id, list);
    }
  }
  const out: Array<{ id: string; start: number; end: number }> = [];
  for (const [id, list] of values) {
    const start = [...list].reverse().find(([t]) => t <= from) ?? list.find(([t]) => t >= from);
    if (start) out.push({ id, start: start[1], end: list.at(-1)![1] });
  }
  return out;
}
