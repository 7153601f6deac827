import type { GuardiaNotification } from '../../../shared/domain.js';
import type { NotificationSettings } from '../../../shared/notifications.js';
import { pagingIncidentSchema, type PagingIncident, type PagingOutcome } from '../../../shared/paging.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule, ModuleFactory, Poller } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { AlertSource, SilenceMatcher } from '../ports.js';
import { ShiftService, type OnCallFeed } from '../shift/shift-service.js';
import { alertKey, incidentKey, NotificationEngine, type PagedIncident } from './notification-engine.js';
import { translate, type MessageKey } from '../../../shared/i18n/messages.js';

/**
 * What notifications need from paging (PagerDuty, or the demo's paging). helper-pagerduty's PagingPort
 * is adapted to it in the composition root; without one, Acknowledge silences in Alertmanager instead.
 */
export interface PagingAdapter extends OnCallFeed {
  /** Acknowledges incidents; "already acknowledged" comes back as outcome "already" (a success). */
  acknowledge(ids: string[]): Promise<PagingOutcome[]>;
}

/** What the composition root hands the notifications module. */
export interface NotificationsOptions {
  settings: NotificationSettings;
  alertSources: AlertSource[];
  paging: PagingAdapter | null;
  /** My name as the rotation writes it: configured, or the demo's current primary. */
  me: string | null;
}

const maxRemembered = 500;

/** PagerDuty urgency/priority to Guardia severities: high urgency pages like a P1, low like a P3. */
export function pagedFrom(i: PagingIncident): PagedIncident {
  return {
    id: i.id,
    title: i.title,
    status: i.status,
    severity: i.urgency === 'high' ? 'P1' : 'P3',
    assignedToMe: i.assignedToMe,
    alertFingerprint: i.alertFingerprints[0] ?? null,
  };
}

/** Finds a list of paging incidents in any event payload (whatever its channel is called). */
function incidentsIn(payload: unknown): PagingIncident[] | null {
  const list = (payload as { incidents?: unknown } | null)?.incidents;
  if (!Array.isArray(list) || list.length === 0) return Array.isArray(list) ? [] : null;
  const parsed = list.map((x) => pagingIncidentSchema.safeParse(x));
  return parsed.every((p) => p.success) ? parsed.map((p) => p.data!) : null;
}

/**
 * Core decides what deserves a notification; the shells only display `notifications.changed`.
 * Feeds the policy engine with alert deltas and paging incidents, ticks it every second (storm
 * summaries, reminders to ack, shift reminders), and runs the Acknowledge action: ack in PagerDuty,
 * else a silence in Alertmanager, else Guardia stops reminding. Also answers `shift.get`.
 */
export function notificationsModule(opts: NotificationsOptions): ModuleFactory {
  return (ctx: CoreContext): CoreModule => {
    const shift = new ShiftService(ctx.pack.rotation, opts.me, opts.paging);
    const silencers = opts.alertSources.filter((s) => typeof s.createSilence === 'function');
    // Notifications Guardia writes itself speak the pack's language (the runbook's team: Spanish).
    const lang = ctx.pack.manifest.defaultLocale;
    const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
    const engine = new NotificationEngine(opts.settings, ctx.pack.rotation.ackWithinMinutes, {
      onCall: (now) => shift.onCall(now),
      canSilence: silencers.length > 0,
      t,
      get me() {
        return shift.myName;
      },
    });
    /** Notification id → pending key, and alert fingerprint → labels (for silences). */
    const keyOf = new Map<string, string>();
    const labelsOf = new Map<string, Record<string, string>>();
    const reminded = new Set<string>();
    let pagingIncidents: PagedIncident[] = [];

    const remember = <K, V>(map: Map<K, V>, k: K, v: V) => {
      map.set(k, v);
      if (map.size > maxRemembered) map.delete(map.keys().next().value as K);
    };

    const emit = (list: GuardiaNotification[]) => {
      for (const n of list) {
        const key = n.incidentId ? incidentKey(n.incidentId) : n.alertFingerprint ? alertKey(n.alertFingerprint) : null;
        if (key) remember(keyOf, n.id, key);
        ctx.events.emit('notifications.changed', n);
        void ctx.journal
          .append({ actor: 'guardia', environment: ctx.environment.id, source: 'notifications', kind: 'notification', summary: `${n.title}: ${n.body}`, data: { notificationId: n.id, kind: n.kind ?? 'alert', severity: n.severity } })
          .catch((error) => ctx.logger.warn('could not journal a notification', { error: messageOf(error) }));
      }
    };

    const off = ctx.events.subscribe((event) => {
      const now = ctx.clock.now();
      if (event.channel === 'alerts.changed') {
        for (const a of event.payload.firing) remember(labelsOf, a.fingerprint, a.labels);
        // The first poll lists what was already firing when Guardia started: shown, not announced.
        if (event.payload.firing.length === event.payload.active && firstAlerts) {
          firstAlerts = false;
          for (const a of event.payload.firing) engine.markKnown(alertKey(a.fingerprint));
          return;
        }
        firstAlerts = false;
        emit(engine.onAlerts(now, event.payload.firing, event.payload.resolved));
        return;
      }
      if (event.channel === 'notifications.changed' || event.channel === 'journal.changed') return;
      const incidents = incidentsIn(event.payload);
      if (incidents) {
        pagingIncidents = incidents.map(pagedFrom);
        emit(engine.onIncidents(now, pagingIncidents));
      }
    });
    let firstAlerts = true;

    /** Reminders before my shift starts and before I hand off, once each. */
    const shiftReminders = (now: number): GuardiaNotification[] => {
      const minutes = opts.settings.shiftReminderMinutes;
      if (minutes <= 0) return [];
      const info = shift.info(now);
      const lead = minutes * 60_000;
      const out: GuardiaNotification[] = [];
      const at = (time: number) =>
        new Intl.DateTimeFormat(lang === 'es' ? 'es-PE' : 'en-GB', { timeZone: info.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(time);
      if (info.myNextStart !== null && info.myNextStart - now <= lead && info.myNextStart > now) {
        const key = `start:${info.myNextStart}`;
        if (!reminded.has(key)) {
          reminded.add(key);
          out.push({ id: globalThis.crypto.randomUUID(), time: now, severity: 'P3', title: t('notify.shiftStartsTitle'), body: t('notify.shiftStartsBody', { at: at(info.myNextStart), timezone: info.timezone, minutes: Math.round((info.myNextStart - now) / 60_000) }), alertFingerprint: null, incidentId: null, kind: 'shift', ackTarget: null });
        }
      }
      // The primary hands off (runbook: handoff meeting at the end of the week).
      if (info.myRole === 'primary' && info.current && info.current.end - now <= lead && info.current.end > now) {
        const key = `handoff:${info.current.end}`;
        if (!reminded.has(key)) {
          reminded.add(key);
          const to = info.next?.primary ?? t('notify.nextOnCall');
          out.push({ id: globalThis.crypto.randomUUID(), time: now, severity: 'P3', title: t('notify.handoffTitle'), body: t('notify.handoffBody', { to, at: at(info.current.end), timezone: info.timezone, minutes: Math.round((info.current.end - now) / 60_000) }), alertFingerprint: null, incidentId: null, kind: 'shift', ackTarget: null });
        }
      }
      return out;
    };

    const pollers: Poller[] = [
      {
        source: 'notifications',
        intervalSeconds: 1,
        refresh: async () => {
          const now = ctx.clock.now();
          emit([...engine.tick(now), ...shiftReminders(now)]);
        },
      },
    ];
    if (opts.paging) pollers.push({ source: 'oncall', intervalSeconds: 300, refresh: () => shift.refresh(ctx.clock.now()) });

    const silence = async (fingerprint: string): Promise<string> => {
      const labels = labelsOf.get(fingerprint);
      if (!labels) throw new GuardiaError('notifications.unknown-alert', `Alert ${fingerprint} is no longer known to Guardia: it may have resolved`);
      const now = ctx.clock.now();
      const matchers: SilenceMatcher[] = Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
      const ids: string[] = [];
      const failures: string[] = [];
      for (const source of silencers) {
        try {
          ids.push(
            await source.createSilence!({
              matchers,
              startsAt: new Date(now).toISOString(),
              endsAt: new Date(now + opts.settings.ackSilenceMinutes * 60_000).toISOString(),
              createdBy: ctx.actor,
              comment: `Acknowledged from a Guardia notification by ${ctx.actor}`,
            }),
          );
        } catch (error) {
          failures.push(`${source.name}: ${messageOf(error)}`);
        }
      }
      if (!ids.length) throw new GuardiaError('notifications.silence-failed', `Could not silence the alert: ${failures.join('; ')}`);
      return `Silenced for ${opts.settings.ackSilenceMinutes} min (silence ${ids.join(', ')})${failures.length ? `; failed on ${failures.join('; ')}` : ''}`;
    };

    const handlers: CoreModule['handlers'] = {
      'notifications.getState': async () => engine.state(ctx.clock.now()),
      'notifications.snooze': async ({ minutes }) => {
        const now = ctx.clock.now();
        const m = minutes ?? opts.settings.snoozeMinutes;
        engine.snooze(now, m);
        await ctx.journal.append({
          actor: ctx.actor,
          environment: ctx.environment.id,
          source: 'notifications',
          kind: 'note',
          summary: m > 0 ? `Notifications snoozed for ${m} min (${opts.settings.pierceSnooze.join(', ') || 'nothing'} still notifies)` : 'Notification snooze ended',
        });
        return engine.state(now);
      },
      'notifications.acknowledge': async (req) => {
        const items: Array<{ key: string; alertFingerprint: string | null; incidentId: string | null; title: string }> = [];
        if (req.allMine) {
          for (const p of engine.pendingItems()) items.push(p);
          for (const i of pagingIncidents) {
            if (i.assignedToMe && i.status === 'triggered' && !items.some((x) => x.incidentId === i.id)) {
              items.push({ key: incidentKey(i.id), alertFingerprint: i.alertFingerprint ?? null, incidentId: i.id, title: i.title });
            }
          }
        } else {
          let key = req.notificationId ? keyOf.get(req.notificationId) : undefined;
          // An alert that PagerDuty turned into an incident is acknowledged there, not silenced.
          const fingerprint = req.alertFingerprint ?? (key?.startsWith('alert:') ? key.slice(6) : undefined);
          const linked = fingerprint ? pagingIncidents.find((i) => i.alertFingerprint === fingerprint && i.status !== 'resolved') : undefined;
          if (linked && opts.paging) key = incidentKey(linked.id);
          const p = engine.pendingFor({ key, alertFingerprint: linked ? undefined : req.alertFingerprint, incidentId: req.incidentId ?? linked?.id });
          if (p) items.push(p);
          else if (req.incidentId) items.push({ key: incidentKey(req.incidentId), alertFingerprint: null, incidentId: req.incidentId, title: req.incidentId });
          else if (req.alertFingerprint) items.push({ key: alertKey(req.alertFingerprint), alertFingerprint: req.alertFingerprint, incidentId: null, title: req.alertFingerprint });
          else if (key) items.push({ key, alertFingerprint: key.startsWith('alert:') ? key.slice(6) : null, incidentId: key.startsWith('incident:') ? key.slice(9) : null, title: key });
          else throw new GuardiaError('notifications.nothing-to-ack', 'Nothing to acknowledge: name a notification, an alert or an incident');
        }
        if (!items.length) return { outcomes: [], journalId: null };
        const base = { actor: ctx.actor, environment: ctx.environment.id, source: 'notifications' };
        const started = await ctx.journal.append({
          ...base,
          kind: 'action.started',
          summary: `Acknowledge ${items.map((i) => i.title).join(', ')}`,
          data: { keys: items.map((i) => i.key) },
        });
        const outcomes: Array<{ key: string; target: 'pagerduty' | 'silence' | 'local'; ok: boolean; message: string }> = [];
        // One request per kind, never retried: a failed acknowledgement is reported, not repeated.
        const incidents = items.filter((i) => i.incidentId && opts.paging);
        if (incidents.length) {
          try {
            const results = await opts.paging!.acknowledge(incidents.map((i) => i.incidentId!));
            for (const i of incidents) {
              const r = results.find((x) => x.id === i.incidentId);
              const ok = r ? r.outcome !== 'failed' : false;
              if (ok) engine.acknowledged(i.key);
              outcomes.push({ key: i.key, target: 'pagerduty', ok, message: r?.message ?? 'PagerDuty did not answer for this incident' });
            }
          } catch (error) {
            for (const i of incidents) outcomes.push({ key: i.key, target: 'pagerduty', ok: false, message: messageOf(error) });
          }
        }
        for (const i of items.filter((x) => !(x.incidentId && opts.paging))) {
          if (i.alertFingerprint && silencers.length) {
            try {
              const message = await silence(i.alertFingerprint);
              engine.acknowledged(i.key);
              outcomes.push({ key: i.key, target: 'silence', ok: true, message });
            } catch (error) {
              outcomes.push({ key: i.key, target: 'silence', ok: false, message: messageOf(error) });
            }
          } else {
            engine.acknowledged(i.key);
            outcomes.push({ key: i.key, target: 'local', ok: true, message: 'Acknowledged in Guardia: no more reminders (no PagerDuty incident and no Alertmanager that can silence)' });
          }
        }
        await ctx.journal.append({
          ...base,
          kind: 'acknowledgement',
          summary: outcomes.map((o) => `${o.ok ? 'ok' : 'FAILED'} ${o.target} ${o.key}: ${o.message}`).join('; '),
          data: { startedId: started.id, outcomes },
        });
        return { outcomes, journalId: started.id };
      },
      'shift.get': async () => shift.info(ctx.clock.now()),
    };

    return {
      name: 'notifications',
      handlers,
      pollers,
      init: () => shift.refresh(ctx.clock.now()).catch((error) => ctx.logger.warn('on-call from PagerDuty failed; using the pack rotation', { error: messageOf(error) })),
      stop: async () => off(),
    };
  };
}
