import type { Pack } from '../../../shared/pack.js';
import { localDate, parseHourMinute, wallTime, weekdayIndex, zonedToUtc } from './zoned-time.js';

type Rotation = Pack['rotation'];

/** One on-call shift: its window and its people, from the pack's rotation. */
export interface ShiftWindow {
  /** Journal file key: the shift's local start date (YYYY-MM-DD in the rotation's zone). */
  key: string;
  start: number;
  end: number;
  timezone: string;
  primary: string | null;
  secondary: string | null;
  backup: string | null;
}

const dayMs = 86_400_000;

/**
 * The shift containing `t`: shifts start at the rotation's handoff (Monday 09:00 America/Lima) and last
 * `lengthDays`. People come from the rotation's table; past its end (or before it) the table repeats
 * cyclically, so a pack written for three weeks still names someone next month.
 */
export function shiftWindowAt(rotation: Rotation, t: number): ShiftWindow {
  const { timezone } = rotation.handoff;
  const [hh, mm] = parseHourMinute(rotation.handoff.time);
  const w = wallTime(t, timezone);
  const handoffDay = weekdayIndex(rotation.handoff.weekday);
  let back = (w.weekday - handoffDay + 7) % 7;
  let start = zonedToUtc(w.year, w.month, w.day - back, hh, mm, timezone);
  if (start > t) {
    back += 7;
    start = zonedToUtc(w.year, w.month, w.day - back, hh, mm, timezone);
  }
  // Multi-week rotations step in whole lengths from the first table entry's week.
  const sw = wallTime(start, timezone);
  const end = zonedToUtc(sw.year, sw.month, sw.day + rotation.lengthDays, hh, mm, timezone);
  return { key: localDate(start, timezone), start, end, timezone, ...peopleFor(rotation, start, end) };
}

/** The shift after the one containing `t`. */
export function nextShiftWindow(rotation: Rotation, t: number): ShiftWindow {
  return shiftWindowAt(rotation, shiftWindowAt(rotation, t).end + 1);
}

function peopleFor(rotation: Rotation, start: number, end: number): Pick<ShiftWindow, 'primary' | 'secondary' | 'backup'> {
  const table = rotation.shifts;
  if (table.length === 0) return { primary: null, secondary: null, backup: null };
  // The runbook's rows run Tuesday–Monday while handoffs are on Monday: match by the shift's middle day.
  const mid = localDate(start + (end - start) / 2, rotation.handoff.timezone);
  const exact = table.find((s) => s.start <= mid && mid <= s.end);
  const row =
    exact ??
    (() => {
      const first = Date.parse(`${table[0]!.start}T00:00:00Z`);
      const period = rotation.lengthDays * dayMs;
      const index = Math.floor((Date.parse(`${mid}T00:00:00Z`) - first) / period);
      const n = table.length;
      return table[((index % n) + n) % n]!;
    })();
  return { primary: row.primary, secondary: row.secondary, backup: row.backup };
}
