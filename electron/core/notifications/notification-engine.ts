import type { Alert, GuardiaNotification } from '../../../shared/domain.js';
import type { NotificationSettings, NotificationState } from '../../../shared/notifications.js';
import type { SeverityId } from '../../../shared/pack.js';
import { compareSeverity } from '../alerts/normalize.js';
import { truncate } from '../http/http-json.js';
import { translate, type MessageKey } from '../../../shared/i18n/messages.js';

/** A paging incident as the policy needs it (PagerDuty's incident, reduced). */
export interface PagedIncident {
  id: string;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  /** P1…P4: PagerDuty's priority when set, else high urgency → P1, low → P3. */
  severity: SeverityId;
  assignedToMe: boolean;
  /** Alert fingerprint or alert name it came from, when known (links the notification to the alert). */
  alertFingerprint?: string | null;
}

type AckTarget = 'pagerduty' | 'silence' | 'local';

/** Something notified that waits for an acknowledgement. */
interface Pending {
  key: string;
  severity: SeverityId;
  title: string;
  body: string;
  firstNotifiedAt: number;
  lastNotifiedAt: number;
  times: number;
  alertFingerprint: string | null;
  incidentId: string | null;
  ackTarget: AckTarget;
}

interface Worthy {
  key: string;
  time: number;
  severity: SeverityId;
  name: string;
  title: string;
  body: string;
  alertFingerprint: string | null;
  incidentId: string | null;
  kind: 'alert' | 'incident';
  ackTarget: AckTarget;
}

/** What the engine asks its owner about the world at a given moment. */
export interface EngineEnvironment {
  /** true/false from the rotation or PagerDuty; null when unknown (nobody named as me): then I count as on call. */
  onCall(now: number): boolean | null;
  /** Whether an alert's Acknowledge silences it in Alertmanager (else it is acknowledged in Guardia only). */
  canSilence: boolean;
  me: string | null;
  /** The words of notifications Guardia writes itself (the pack's language; English when not given). */
  t?: (key: MessageKey, params?: Record<string, string | number>) => string;
}

/**
 * The notification policy, as a pure state machine over a manual clock: core feeds it alert and
 * incident changes and ticks it; it answers with the notifications to show. Rules (configurable in
 * `notifications:`): new alerts of the notifying severities and triggered incidents assigned to me
 * notify; more than `stormThreshold` within `stormWindowSeconds` become one summary per window;
 * a P1 not acknowledged within `ackWithinMinutes` notifies again until acknowledged; off call only
 * incidents assigned to me notify; a snooze holds everything but the severities that pierce it.
 */
export class NotificationEngine {
  private snoozedUntil: number | null = null;
  /** Times of individual notifications sent inside the current storm window. */
  private sentTimes: number[] = [];
  /** Worthy items held back for the storm summary. */
  private held: Worthy[] = [];
  /** When the storm started (first item counted in the summary). */
  private stormSince: number | null = null;
  /** Items already counted in the current storm (individual ones too), so the summary counts all. */
  private stormCount: Worthy[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly announced = new Set<string>();
  /** Alert fingerprints whose PagerDuty incident already notified: the alert itself stays quiet. */
  private readonly pagedAlerts = new Set<string>();

  constructor(
    private readonly settings: NotificationSettings,
    private readonly ackWithinMinutes: number,
    private readonly env: EngineEnvironment,
    private readonly makeId: () => string = () => globalThis.crypto.randomUUID(),
  ) {
    this.t = env.t ?? ((key, params) => translate('en', key, params));
  }

  private readonly t: NonNullable<EngineEnvironment['t']>;

  /** Snooze for `minutes` (0 ends it). */
  snooze(now: number, minutes: number): void {
    this.snoozedUntil = minutes > 0 ? now + minutes * 60_000 : null;
  }

  state(now: number): NotificationState {
    if (this.snoozedUntil !== null && this.snoozedUntil <= now) this.snoozedUntil = null;
    return {
      snoozedUntil: this.snoozedUntil,
      snoozeMinutes: this.settings.snoozeMinutes,
      pierceSnooze: [...this.settings.pierceSnooze],
      onCall: this.env.onCall(now),
      offCall: this.settings.offCall,
      me: this.env.me,
      pending: [...this.pending.values()].map(({ body: _body, ...p }) => p),
      ackWithinMinutes: this.ackWithinMinutes,
    };
  }

  /** The pending item a notification or alert refers to (for the Acknowledge action). */
  pendingFor(ref: { key?: string; alertFingerprint?: string; incidentId?: string }): Pending | undefined {
    if (ref.key) return this.pending.get(ref.key);
    for (const p of this.pending.values()) {
      if (ref.incidentId && p.incidentId === ref.incidentId) return p;
      if (ref.alertFingerprint && p.alertFingerprint === ref.alertFingerprint) return p;
    }
    return undefined;
  }

  pendingItems(): Pending[] {
    return [...this.pending.values()];
  }

  /** Already firing when Guardia started: shown in the UI, never announced. */
  markKnown(key: string): void {
    this.announced.add(key);
  }

  /** Stops re-notifying an item (acked in PagerDuty, silenced, or acknowledged in Guardia). */
  acknowledged(key: string): void {
    this.pending.delete(key);
  }

  /** New firing alerts and resolved ones from one poll. */
  onAlerts(now: number, firing: readonly Alert[], resolved: readonly Alert[]): GuardiaNotification[] {
    for (const a of resolved) this.pending.delete(alertKey(a.fingerprint));
    // A silence made elsewhere counts as an acknowledgement.
    const worthy: Worthy[] = [];
    for (const a of [...firing].sort((x, y) => compareSeverity(x.severity, y.severity))) {
      const key = alertKey(a.fingerprint);
      if (a.silenced || a.inhibited) {
        this.pending.delete(key);
        continue;
      }
      if (this.announced.has(key) || !this.settings.severities.includes(a.severity)) continue;
      this.announced.add(key);
      if (this.pagedAlerts.has(a.fingerprint)) continue;
      worthy.push({
        key,
        time: now,
        severity: a.severity,
        name: a.name,
        title: `${a.severity} ${a.name}`,
        body: truncate(a.summary, 500),
        alertFingerprint: a.fingerprint,
        incidentId: null,
        kind: 'alert',
        ackTarget: this.env.canSilence ? 'silence' : 'local',
      });
    }
    for (const a of resolved) {
      this.announced.delete(alertKey(a.fingerprint));
      this.pagedAlerts.delete(a.fingerprint);
    }
    return this.admit(now, worthy);
  }

  /** The current list of paging incidents (a full list each time, not a delta). */
  onIncidents(now: number, incidents: readonly PagedIncident[]): GuardiaNotification[] {
    const worthy: Worthy[] = [];
    const open = new Set<string>();
    for (const i of incidents) {
      const key = incidentKey(i.id);
      if (i.status !== 'triggered') {
        this.pending.delete(key);
        if (i.status === 'resolved') this.announced.delete(key);
        continue;
      }
      open.add(key);
      if (!i.assignedToMe || this.announced.has(key)) continue;
      this.announced.add(key);
      // The alert's own notification already woke me: the incident takes over its acknowledgement
      // (now in PagerDuty) and its reminders, without a second notification for the same problem.
      const fromAlert = i.alertFingerprint ? this.pending.get(alertKey(i.alertFingerprint)) : undefined;
      if (i.alertFingerprint && this.announced.has(alertKey(i.alertFingerprint))) {
        this.pending.delete(alertKey(i.alertFingerprint));
        if (fromAlert) this.pending.set(key, { ...fromAlert, key, incidentId: i.id, ackTarget: 'pagerduty' });
        continue;
      }
      if (i.alertFingerprint) this.pagedAlerts.add(i.alertFingerprint);
      worthy.push({
        key,
        time: now,
        severity: i.severity,
        name: i.title,
        title: `${i.severity} ${i.title}`,
        body: this.t('notify.assignedInPagerduty'),
        alertFingerprint: i.alertFingerprint ?? null,
        incidentId: i.id,
        kind: 'incident',
        ackTarget: 'pagerduty',
      });
    }
    for (const key of [...this.pending.keys()]) if (key.startsWith('incident:') && !open.has(key)) this.pending.delete(key);
    return this.admit(now, worthy);
  }

  /** Time passing: storm summaries whose window closed, and reminders for unacknowledged P1s. */
  tick(now: number): GuardiaNotification[] {
    const out: GuardiaNotification[] = [];
    const windowMs = this.settings.stormWindowSeconds * 1000;
    if (this.held.length && this.stormSince !== null && now >= this.stormSince + windowMs) {
      out.push(this.summary(now));
    }
    if (!this.held.length && this.stormSince !== null && now >= this.stormSince + windowMs) {
      this.stormSince = null;
      this.stormCount = [];
    }
    const ackMs = this.ackWithinMinutes * 60_000;
    // The rotation is asked once per pass, not once per item (a storm brings hundreds at one instant).
    const onCall = this.pending.size ? this.env.onCall(now) : null;
    for (const p of this.pending.values()) {
      if (!this.settings.renotifySeverities.includes(p.severity)) continue;
      if (now - p.lastNotifiedAt < ackMs) continue;
      if (!this.passes(onCall, now, p.severity, p.incidentId !== null)) continue;
      p.lastNotifiedAt = now;
      p.times += 1;
      const minutes = Math.round((now - p.firstNotifiedAt) / 60_000);
      out.push({
        id: this.makeId(),
        time: now,
        severity: p.severity,
        title: this.t('notify.notAcknowledgedTitle', { title: p.title }),
        body: this.t('notify.notAcknowledgedBody', { minutes, limit: this.ackWithinMinutes, body: p.body }),
        alertFingerprint: p.alertFingerprint,
        incidentId: p.incidentId,
        kind: 'renotify',
        ackTarget: p.ackTarget,
      });
    }
    return out;
  }

  /** Whether an item may notify now: on-call filter, then snooze. */
  private passes(onCall: boolean | null, now: number, severity: SeverityId, assignedIncident: boolean): boolean {
    if (onCall === false) {
      if (this.settings.offCall === 'none') return false;
      if (this.settings.offCall === 'assigned' && !assignedIncident) return false;
    }
    if (this.snoozedUntil !== null && now < this.snoozedUntil && !this.settings.pierceSnooze.includes(severity)) return false;
    return true;
  }

  private admit(now: number, items: Worthy[]): GuardiaNotification[] {
    const out: GuardiaNotification[] = [];
    const windowMs = this.settings.stormWindowSeconds * 1000;
    this.sentTimes = this.sentTimes.filter((t) => t > now - windowMs);
    const onCall = items.length ? this.env.onCall(now) : null;
    for (const item of items) {
      if (!this.passes(onCall, now, item.severity, item.kind === 'incident')) continue;
      // Everything that passes waits for an ack (re-notified if it is a P1), even when only summarised.
      if (!this.pending.has(item.key)) {
        this.pending.set(item.key, {
          key: item.key,
          severity: item.severity,
          title: item.title,
          body: item.body,
          firstNotifiedAt: now,
          lastNotifiedAt: now,
          times: 1,
          alertFingerprint: item.alertFingerprint,
          incidentId: item.incidentId,
          ackTarget: item.ackTarget,
        });
      }
      this.stormSince ??= now;
      this.stormCount.push(item);
      if (this.sentTimes.length < this.settings.stormThreshold && this.held.length === 0) {
        this.sentTimes.push(now);
        out.push({
          id: this.makeId(),
          time: now,
          severity: item.severity,
          title: item.title,
          body: item.body,
          alertFingerprint: item.alertFingerprint,
          incidentId: item.incidentId,
          kind: item.kind,
          ackTarget: item.ackTarget,
        });
      } else {
        this.held.push(item);
      }
    }
    return out;
  }

  /** "37 alerts in 20 s: 12 HighErrorRate, 9 APIDown, …" over every item of the storm so far. */
  private summary(now: number): GuardiaNotification {
    const all = this.stormCount;
    const counts = new Map<string, number>();
    for (const a of all) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([name, n]) => `${n} ${name}`);
    const worst = [...all].sort((a, b) => compareSeverity(a.severity, b.severity))[0]!;
    const seconds = Math.max(1, Math.round((now - (this.stormSince ?? now)) / 1000));
    const notification: GuardiaNotification = {
      id: this.makeId(),
      time: now,
      severity: worst.severity,
      title: this.t('notify.stormTitle', { count: all.length, seconds }),
      body: this.t('notify.stormBody', { count: all.length, seconds, top: `${top.join(', ')}${counts.size > 3 ? ', …' : ''}` }),
      alertFingerprint: null,
      incidentId: null,
      kind: 'storm',
      ackTarget: null,
    };
    // A new window starts now; alerts still arriving are summarised at its end.
    this.held = [];
    this.stormCount = [];
    this.stormSince = now;
    // Still inside a storm: what arrives next is held for the next summary, not shown one by one.
    this.sentTimes = new Array<number>(this.settings.stormThreshold).fill(now);
    return notification;
  }
}

/** Keys of pending items; also the ids the Acknowledge action names. */
export const alertKey = (fingerprint: string) => `alert:${fingerprint}`;
export const incidentKey = (id: string) => `incident:${id}`;
