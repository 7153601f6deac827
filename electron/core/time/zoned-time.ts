/**
 * Wall-clock arithmetic in an IANA time zone without a library: the runbook's times (handoff Monday
 * 09:00, maintenance 02:00–04:00) are Lima times, whatever zone the laptop is in.
 */

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof weekdays)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

export function wallTime(t: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    year,
    month,
    day,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** Offset of the zone from UTC at an instant, in ms (Lima: −5 h). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallTime(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(t / 60_000) * 60_000;
}

/** The instant when the zone's clock shows this date and time (month 1–12; day may overflow, Date.UTC normalizes). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  // A second pass settles instants near an offset change (DST); Lima has none, other packs may.
  return guess - offsetAt(first, timeZone);
}

export function weekdayIndex(day: Weekday): number {
  return weekdays.indexOf(day);
}

/** "HH:MM" → [hours, minutes]. */
export function parseHourMinute(text: string): [number, number] {
  const [h, m] = text.split(':').map(Number);
  return [h ?? 0, m ?? 0];
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(t: number, timeZone: string): string {
  const w = wallTime(t, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
