import type { Pack } from '../../../shared/pack.js';
import type { ShiftSpan } from '../../../shared/notifications.js';
import { localDate, zonedToUtc } from '../time/zoned-time.js';

type Rotation = Pack['rotation'];
type Role = 'primary' | 'secondary' | 'backup';

const dayMs = 86_400_000;
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** The instant at which the wall clock in `timeZone` reads the given local date (YYYY-MM-DD) and time (HH:MM). */
export function zonedToEpoch(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return zonedToUtc(y, m, d, hh, mm, timeZone);
}

/**
 * The handoff instant that opens the runbook's first listed shift: the handoff weekday and time on or
 * before its start date. Tiendi's table starts on Tuesday 2025-11-25 while the handoff is Monday 09:00
 * Lima, so the first shift opens Monday 2025-11-24 09:00 and every week after starts on a Monday.
 */
export function rotationAnchor(rotation: Rotation): number {
  const first = rotation.shifts[0];
  if (!first) throw new Error('the rotation lists no shift');
  const [y, m, d] = first.start.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const wanted = weekdays.indexOf(rotation.handoff.weekday);
  const back = (weekday - wanted + 7) % 7;
  const date = new Date(Date.UTC(y, m - 1, d) - back * dayMs).toISOString().slice(0, 10);
  return zonedToEpoch(date, rotation.handoff.time, rotation.handoff.timezone);
}

/**
 * The shift covering instant `t`. The pack's table is historical (the runbook lists three weeks of
 * 2025), so the rotation repeats it cyclically: week k after the anchor is row k mod N. Shift edges
 * are computed as local dates at the handoff time, so a DST change never shifts the handoff hour.
 */
export function shiftAt(rotation: Rotation, t: number): ShiftSpan & { index: number } {
  const anchor = rotationAnchor(rotation);
  const anchorDate = localDate(anchor, rotation.handoff.timezone);
  const length = rotation.lengthDays * dayMs;
  // Estimate the index in UTC, then correct by the real local edges (±1 around DST changes).
  let index = Math.floor((t - anchor) / length);
  const edge = (i: number) => {
    const date = new Date(Date.parse(`${anchorDate}T00:00:00Z`) + i * rotation.lengthDays * dayMs).toISOString().slice(0, 10);
    return zonedToEpoch(date, rotation.handoff.time, rotation.handoff.timezone);
  };
  while (edge(index) > t) index -= 1;
  while (edge(index + 1) <= t) index += 1;
  const n = rotation.shifts.length;
  const row = rotation.shifts[((index % n) + n) % n]!;
  return { index, start: edge(index), end: edge(index + 1), primary: row.primary, secondary: row.secondary, backup: row.backup };
}

/** My role in a shift, by name as the rotation writes it (case and accents as written). */
export function roleOf(span: ShiftSpan, me: string | null): Role | null {
  if (!me) return null;
  const norm = (s: string | null) => (s ?? '').trim().toLocaleLowerCase();
  if (norm(span.primary) === norm(me)) return 'primary';
  if (norm(span.secondary) === norm(me)) return 'secondary';
  if (norm(span.backup) === norm(me)) return 'backup';
  return null;
}

/** The start of my next shift after `t` (within one full cycle), or null when I am not in the rotation. */
export function myNextShiftStart(rotation: Rotation, t: number, me: string | null): number | null {
  if (!me) return null;
  let span = shiftAt(rotation, t);
  for (let i = 0; i <= rotation.shifts.length; i++) {
    span = shiftAt(rotation, span.end);
    if (roleOf(span, me)) return span.start;
  }
  return null;
}
