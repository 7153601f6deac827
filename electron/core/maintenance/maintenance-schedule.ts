import type { Pack } from '../../../shared/pack.js';
import { parseHourMinute, wallTime, weekdayIndex, zonedToUtc } from '../time/zoned-time.js';

type Maintenance = Pack['maintenance'];

/** The scheduled window of a given month (month 1–12), e.g. first Sunday 02:00–04:00 America/Lima. */
export function windowOfMonth(m: Maintenance, year: number, month: number): { start: number; end: number } {
  const { schedule } = m;
  const target = weekdayIndex(schedule.weekday);
  let day: number;
  if (schedule.ordinal === -1) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const lastWeekday = new Date(Date.UTC(year, month - 1, last)).getUTCDay();
    day = last - ((lastWeekday - target + 7) % 7);
  } else {
    const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    day = 1 + ((target - firstWeekday + 7) % 7) + (schedule.ordinal - 1) * 7;
  }
  const [sh, sm] = parseHourMinute(schedule.start);
  const [eh, em] = parseHourMinute(schedule.end);
  const start = zonedToUtc(year, month, day, sh, sm, schedule.timezone);
  let end = zonedToUtc(year, month, day, eh, em, schedule.timezone);
  if (end <= start) end += 86_400_000; // a window that crosses midnight
  return { start, end };
}

/** The window in progress at `t`, or the next one to come. */
export function nextMaintenanceWindow(m: Maintenance, t: number): { start: number; end: number } {
  const w = wallTime(t, m.schedule.timezone);
  for (let i = 0; i < 3; i++) {
    const month = ((w.month - 1 + i) % 12) + 1;
    const year = w.year + Math.floor((w.month - 1 + i) / 12);
    const win = windowOfMonth(m, year, month);
    if (win.end > t) return win;
  }
  throw new Error('unreachable: a monthly schedule always has a window within three months');
}
