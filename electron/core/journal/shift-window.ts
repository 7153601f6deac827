import type { Pack } from '../../../shared/pack.js';
import { shiftAt } from '../shift/rotation.js';
import { localDate } from '../time/zoned-time.js';

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

/**
 * The shift containing `t`, as the journal names its files. One rotation rule for the whole app:
 * the window and people come from the on-call rotation (`shiftAt`), so the journal, the handoff and
 * the notifications always agree on who was on call.
 */
export function shiftWindowAt(rotation: Rotation, t: number): ShiftWindow {
  const span = shiftAt(rotation, t);
  const { timezone } = rotation.handoff;
  return {
    key: localDate(span.start, timezone),
    start: span.start,
    end: span.end,
    timezone,
    primary: span.primary,
    secondary: span.secondary,
    backup: span.backup,
  };
}

/** The shift after the one containing `t`. */
export function nextShiftWindow(rotation: Rotation, t: number): ShiftWindow {
  return shiftWindowAt(rotation, shiftWindowAt(rotation, t).end);
}
