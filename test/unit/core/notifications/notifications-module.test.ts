import { describe, expect, it, vi } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreContext } from '../../../../electron/core/core-module.js';
import { EventBus, type CoreEvent } from '../../../../electron/core/events/event-bus.js';
import type { Alert } from '../../../../shared/domain.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { Journal } from '../../../../electron/core/journal/journal.js';
import { silentLogger } from '../../../../electron/core/log/logger.js';
import { notificationsModule, type PagingAdapter } from '../../../../electron/core/notifications/notifications-module.js';
import { zonedToEpoch } from '../../../../electron/core/shift/rotation.js';
import { notificationSettingsSchema } from '../../../../shared/notifications.js';

const pack = await loadPack(defaultPackDir());
const min = 60_000;

const p1 = (name: string): Alert => ({
  fingerprint: `fp-${name}`,
  name,
  state: 'firing',
  severity: 'P1',
  labels: { alertname: name, severity: 'critical', team: 'backend' },
  annotations: { summary: `${name} fired` },
  summary: `${name} fired`,
  startsAt: 0,
  endsAt: null,
  silenced: false,
  inhibited: false,
  runbookUrl: null,
  playbookId: null,
  sources: ['am'],
});

/** The module alone over a manual clock, an event bus and an Alertmanager that records silences. */
async function setup(opts: { me?: string | null; paging?: PagingAdapter | null; now?: number } = {}) {
  let now = opts.now ?? Date.UTC(2026, 10, 25, 15, 0);
  const clock = { now: () => now, sleep: async () => {} };
  const createSilence = vi.fn(async () => 'silence-1');
  const source = { name: 'am', listAlerts: async () => [], createSilence };
  const journal = new Journal(join(await mkdtemp(join(tmpdir(), 'guardia-notify-')), 'journal'), clock.now);
  const environment = { id: 'test', name: 'Test', production: false, readOnly: false };
  const events = new EventBus();
  const ctx: CoreContext = { pack, environment, environments: [environment], clock, journal, logger: silentLogger, events, refreshSeconds: 1, actor: 'tester', staleOf: () => null, alerts: () => [] };
  const mod = notificationsModule({ settings: notificationSettingsSchema.parse(undefined), alertSources: [source], paging: opts.paging ?? null, me: opts.me ?? null })(ctx);
  const seen: CoreEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const notes = () => seen.flatMap((e) => (e.channel === 'notifications.changed' ? [e.payload] : []));
  const alertsPoll = (firing: Alert[], active = firing.length) => events.emit('alerts.changed', { firing, resolved: [], active, updatedAt: now });
  const tick = async () => {
    for (const p of mod.pollers ?? []) await p.refresh();
  };
  const h = mod.handlers as Required<CoreContextHandlers>;
  return { h, createSilence, journal, notes, events, alertsPoll, tick, advance: (ms: number) => (now += ms), now: () => now };
}
type CoreContextHandlers = ReturnType<ReturnType<typeof notificationsModule>>['handlers'];

describe('the notifications module', () => {
  it('acknowledging an alert without an incident silences it in Alertmanager, journaled before and after; no more reminders', async () => {
    const t = await setup();
    t.alertsPoll([]);
    t.alertsPoll([p1('APIDown')], 1);
    const [n] = t.notes();
    expect(n).toMatchObject({ title: 'P1 APIDown', ackTarget: 'silence' });
    const r = await t.h['notifications.acknowledge']({ notificationId: n!.id });
    expect(r).toMatchObject({ outcomes: [{ target: 'silence', ok: true }] });
    expect(t.createSilence).toHaveBeenCalledTimes(1);
    const silence = (t.createSilence.mock.calls[0] as unknown as [{ matchers: unknown[]; startsAt: string; endsAt: string }])[0];
    expect(silence.matchers).toContainEqual({ name: 'alertname', value: 'APIDown', isRegex: false, isEqual: true });
    expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).toBe(60 * min);
    const kinds = (await t.journal.list(50)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['action.started', 'acknowledgement']));
    t.advance(6 * min);
    await t.tick();
    expect(t.notes().filter((x) => x.kind === 'renotify')).toEqual([]);
  });

  it('an unacknowledged P1 is notified again after the runbook 5 minutes', async () => {
    const t = await setup();
    t.alertsPoll([]);
    t.alertsPoll([p1('APIDown')], 1);
    t.advance(5 * min);
    await t.tick();
    expect(t.notes().map((x) => x.kind)).toEqual(['alert', 'renotify']);
  });

  it('acknowledges an incident assigned to me in PagerDuty through the paging port', async () => {
    const acknowledge = vi.fn(async (ids: string[]) => ids.map((id) => ({ id, outcome: 'done' as const, message: 'acknowledged' })));
    const paging: PagingAdapter = { acknowledge, onCalls: async () => [], me: async () => ({ name: 'Juan Pérez' }) };
    const t = await setup({ paging });
    const incident = {
      id: 'PD1', number: 1, title: 'API down', status: 'triggered', urgency: 'high', service: { id: 'S', name: 'API' }, escalationPolicy: null,
      assignees: [{ id: 'U', name: 'Juan Pérez' }], createdAt: 0, updatedAt: 0, incidentKey: null, htmlUrl: null, assignedToMe: true, alertFingerprints: [],
    };
    t.events.emit('paging.changed' as never, { incidents: [incident] } as never);
    const [n] = t.notes();
    expect(n).toMatchObject({ kind: 'incident', incidentId: 'PD1', ackTarget: 'pagerduty' });
    const r = await t.h['notifications.acknowledge']({ notificationId: n!.id });
    expect(r).toMatchObject({ outcomes: [{ target: 'pagerduty', ok: true }] });
    expect(acknowledge).toHaveBeenCalledWith(['PD1']);
    expect(t.createSilence).not.toHaveBeenCalled();
  });

  it('reminds me before my shift starts and before my handoff, once each', async () => {
    // Carlos López is next week's primary (rotation.yaml, repeated): remind him 30 min before Monday 09:00 Lima.
    const handoff = zonedToEpoch('2025-12-08', '09:00', 'America/Lima');
    const carlos = await setup({ me: 'Carlos López', now: handoff - 25 * min });
    await carlos.tick();
    await carlos.tick();
    // In the pack's language (Tiendi's runbook: Spanish), like every notification Guardia writes itself.
    const [start] = carlos.notes().filter((x) => x.kind === 'shift');
    expect(carlos.notes().filter((x) => x.kind === 'shift')).toHaveLength(1);
    expect(start).toMatchObject({ title: 'Tu turno de guardia empieza pronto' });
    expect(start!.body).toMatch(/^Tu turno empieza el lun\.?,? 09:00 \(America\/Lima\), en 25 min\./);
    const maria = await setup({ me: 'María García', now: handoff - 25 * min });
    await maria.tick();
    const [reminder] = maria.notes().filter((x) => x.kind === 'shift');
    expect(reminder).toMatchObject({ title: 'Handoff pronto' });
    expect(reminder!.body).toMatch(/^Handoff a Carlos López el lun\.?,? 09:00 \(America\/Lima\), en 25 min/);
    const shift = await maria.h['shift.get']({});
    expect(shift).toMatchObject({ myRole: 'primary', current: { end: handoff }, next: { primary: 'Carlos López' } });
  });

  it('off call, alerts do not notify; snooze and resume are journaled', async () => {
    const t = await setup({ me: 'Ana Torres' }); // backup (not on call) in the week of 2026-11-23
    t.alertsPoll([]);
    t.alertsPoll([p1('APIDown')], 1);
    expect(t.notes()).toEqual([]);
    const s = await t.h['notifications.snooze']({});
    expect(s).toMatchObject({ snoozedUntil: t.now() + 15 * min, onCall: false, me: 'Ana Torres' });
    await t.h['notifications.snooze']({ minutes: 0 });
    const notes = (await t.journal.list(10)).map((e) => e.summary);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/snoozed for 15 min \(P1 still notifies\)/), 'Notification snooze ended']));
  });
});
