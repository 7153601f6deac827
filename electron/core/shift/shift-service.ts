import type { Pack } from '../../../shared/pack.js';
import type { OnCall } from '../../../shared/paging.js';
import type { ShiftInfo, ShiftSpan } from '../../../shared/notifications.js';
import { myNextShiftStart, roleOf, shiftAt } from './rotation.js';

/** Where on-call comes from when PagerDuty is connected: its /oncalls (level 1 primary, 2 secondary, 3 backup). */
export interface OnCallFeed {
  onCalls(): Promise<OnCall[]>;
  /** The PagerDuty user Guardia acts as (/users/me). */
  me(): Promise<{ name: string }>;
}

/**
 * Who is on call now and next, and whether that is me. From PagerDuty's on-calls when connected and
 * answering, else from the pack's rotation extended cyclically to today (its dates are historical).
 * On call means primary or secondary: the backup is only called when both fail to answer.
 */
export class ShiftService {
  private fromPaging: { current: ShiftSpan | null; next: ShiftSpan | null; at: number } | null = null;
  private pagingMe: string | null = null;

  constructor(
    private readonly rotation: Pack['rotation'],
    private me: string | null,
    private readonly feed: OnCallFeed | null = null,
  ) {}

  /** My name (PagerDuty's /users/me when connected, else the configured or demo name). */
  get myName(): string | null {
    return this.pagingMe ?? this.me;
  }

  /** Refreshes PagerDuty's on-calls; without a feed there is nothing to refresh. */
  async refresh(now: number): Promise<void> {
    if (!this.feed) return;
    const [list, me] = await Promise.all([this.feed.onCalls(), this.pagingMe ? null : this.feed.me()]);
    if (me) this.pagingMe = me.name;
    const byLevel = (spans: OnCall[], level: number) => spans.find((o) => o.level === level)?.user.name ?? null;
    const now1 = list.filter((o) => (o.start ?? 0) <= now && (o.end ?? Infinity) > now);
    const ends = now1.map((o) => o.end).filter((e): e is number => e !== null);
    const end = ends.length ? Math.min(...ends) : null;
    const starts = now1.map((o) => o.start).filter((s): s is number => s !== null);
    const primary = byLevel(now1, 1);
    const current = primary
      ? { start: starts.length ? Math.max(...starts) : now, end: end ?? now, primary, secondary: byLevel(now1, 2), backup: byLevel(now1, 3) }
      : null;
    const later = end === null ? [] : list.filter((o) => (o.start ?? 0) >= end);
    const nextPrimary = byLevel(later, 1);
    const nextEnd = later.map((o) => o.end).filter((e): e is number => e !== null);
    const next = nextPrimary && end !== null
      ? { start: end, end: nextEnd.length ? Math.min(...nextEnd) : end, primary: nextPrimary, secondary: byLevel(later, 2), backup: byLevel(later, 3) }
      : null;
    this.fromPaging = { current, next, at: now };
  }

  info(now: number): ShiftInfo {
    const { handoff } = this.rotation;
    const me = this.myName;
    const base = { timezone: handoff.timezone, handoff: { weekday: handoff.weekday, time: handoff.time, meetingMinutes: handoff.meetingMinutes }, me };
    if (this.fromPaging?.current) {
      const { current, next } = this.fromPaging;
      const role = roleOf(current, me);
      return {
        ...base,
        source: 'pagerduty',
        current,
        next,
        myRole: role,
        myNextStart: next && roleOf(next, me) ? next.start : null,
        extendedFrom: null,
      };
    }
    const current = shiftAt(this.rotation, now);
    const next = shiftAt(this.rotation, current.end);
    const strip = ({ index: _i, ...span }: ShiftSpan & { index: number }) => span;
    return {
      ...base,
      source: 'pack',
      current: strip(current),
      next: strip(next),
      myRole: roleOf(current, me),
      myNextStart: myNextShiftStart(this.rotation, now, me),
      extendedFrom: this.rotation.shifts[0]?.start ?? null,
    };
  }

  /** true/false when I am known; null when nobody is named as me (then everything notifies). */
  onCall(now: number): boolean | null {
    const info = this.info(now);
    if (!info.me) return null;
    return info.myRole === 'primary' || info.myRole === 'secondary';
  }
}
