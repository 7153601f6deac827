import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeChannels, type EventPayload, type InvokeChannel } from '../../../../shared/contract.js';
import { GuardiaError, err, ok, type Result } from '../../../../shared/result.js';
import { normalizeAlert } from '../../../../electron/core/alerts/normalize.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import type { CoreContext } from '../../../../electron/core/core-module.js';
import { DemoPagerDuty } from '../../../../electron/core/demo/demo-pagerduty.js';
import { EventBus } from '../../../../electron/core/events/event-bus.js';
import { Journal } from '../../../../electron/core/journal/journal.js';
import { silentLogger } from '../../../../electron/core/log/logger.js';
import { pagingModule, PagingModule } from '../../../../electron/core/pagerduty/pagerduty-module.js';
import type { GettableAlert, PagingPort } from '../../../../electron/core/ports.js';
import { fastClock, settableAlerts } from '../../../helpers/core-fixture.js';

const pack = await loadPack(defaultPackDir());

function alert(name: string, fingerprint: string, severity = 'critical'): GettableAlert {
  return {
    fingerprint,
    labels: { alertname: name, severity, team: 'backend' },
    annotations: { summary: `${name} summary` },
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 600_000).toISOString(),
    updatedAt: new Date().toISOString(),
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    receivers: [{ name: severity === 'critical' ? 'pagerduty-critical' : 'slack-warnings' }],
  };
}

/**
 * The paging module on the demo's PagerDuty, fed by alerts the test sets (as Alertmanager's pagerduty
 * receiver would). Requests go through the contract's schemas, as core's invoke does.
 */
async function setup(opts: { readOnly?: boolean; paging?: 'demo' | 'none' } = {}) {
  const alerts = settableAlerts();
  const paging: PagingPort | null = opts.paging === 'none' ? null : new DemoPagerDuty(pack, alerts, Date.now);
  const environment = { id: 'test', name: 'Test', production: true, readOnly: opts.readOnly ?? false };
  const journal = new Journal(join(await mkdtemp(join(tmpdir(), 'guardia-paging-')), 'journal'), Date.now);
  const events = new EventBus();
  const ctx: CoreContext = {
    pack,
    environment,
    environments: [environment],
    clock: fastClock,
    journal,
    logger: silentLogger,
    events,
    refreshSeconds: 1,
    actor: 'tester',
    staleOf: () => null,
    alerts: () => [],
  };
  const module = pagingModule(paging, {})(ctx);
  const changes: Array<EventPayload<'paging.changed'>> = [];
  events.subscribe((e) => {
    if (e.channel === 'paging.changed') changes.push(e.payload);
  });
  let firing = new Map<string, ReturnType<typeof normalizeAlert>>();
  /** One poll: alerts first (as the alerts module emits them), then paging. */
  const tick = async () => {
    const now = (await alerts.listAlerts()).map((a) => normalizeAlert(pack, a, 'test-am'));
    const resolved = [...firing.values()].filter((a) => !now.some((n) => n.fingerprint === a.fingerprint));
    firing = new Map(now.map((a) => [a.fingerprint, a]));
    events.emit('alerts.changed', { firing: now, resolved, active: now.length, updatedAt: Date.now() });
    if (module instanceof PagingModule) await module.refresh();
  };
  const invoke = async (channel: InvokeChannel, req: unknown): Promise<Result<unknown>> => {
    const parsed = invokeChannels[channel].req.safeParse(req);
    if (!parsed.success) return err('contract.invalid-request', parsed.error.message);
    try {
      const value = await (module.handlers[channel] as (r: unknown) => Promise<unknown>)(parsed.data);
      return ok(invokeChannels[channel].res.parse(value));
    } catch (error) {
      if (error instanceof GuardiaError) return err(error.code, error.message);
      throw error;
    }
  };
  const core = { invoke, refreshOnce: tick };
  return { core, alerts, journal, changes };
}

async function value<T>(p: Promise<Result<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

describe('paging module on the demo PagerDuty', () => {
  it('announces a paged alert as a new incident assigned to me and linked to the alert', async () => {
    const { core, alerts, changes } = await setup();
    await core.refreshOnce();
    alerts.set([alert('HighErrorRate', 'fp-her')]);
    await core.refreshOnce();
    await core.refreshOnce();
    const added = changes.flatMap((c) => c.added);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ status: 'triggered', assignedToMe: true, service: { name: 'Tiendi API' } });
    const list = await value<{ incidents: Array<{ alertFingerprints: string[]; title: string }> }>(core.invoke('paging.listIncidents', { scope: 'mine' }) );
    expect(list.incidents).toHaveLength(1);
    expect(list.incidents[0]!.alertFingerprints).toEqual(['fp-her']);
    expect(list.incidents[0]!.title).toMatch(/HighErrorRate/);
  });

  it('does not page for an alert not routed to PagerDuty', async () => {
    const { core, alerts } = await setup();
    alerts.set([alert('HighLatency', 'fp-lat', 'warning')]);
    await core.refreshOnce();
    const list = await value<{ incidents: unknown[] }>(core.invoke('paging.listIncidents', {}) );
    expect(list.incidents).toEqual([]);
  });

  it('acknowledges with confirmation, journals before and after, and emits the change', async () => {
    const { core, alerts, journal, changes } = await setup();
    alerts.set([alert('APIDown', 'fp-api')]);
    await core.refreshOnce();
    const [incident] = (await value<{ incidents: Array<{ id: string }> }>(core.invoke('paging.listIncidents', {}) )).incidents;
    const unconfirmed = await core.invoke('paging.acknowledge', { ids: [incident!.id] });
    expect(unconfirmed.ok).toBe(false);
    const result = await value<{ journalId: string; results: Array<{ outcome: string }> }>(
      core.invoke('paging.acknowledge', { ids: [incident!.id], confirm: true }),
    );
    expect(result.results[0]!.outcome).toBe('done');
    const entries = (await journal.readAll()).entries.filter((e) => e.source.startsWith('paging:'));
    expect(entries.map((e) => e.kind)).toEqual(['action.started', 'action.finished']);
    expect(entries[0]!.id).toBe(result.journalId);
    expect(entries[1]!.summary).toMatch(/Acknowledge PagerDuty incident #\d+ .*APIDown.*: done/);
    await core.refreshOnce();
    expect(changes.flatMap((c) => c.updated).some((i) => i.id === incident!.id && i.status === 'acknowledged')).toBe(true);
    // A second click is not an error: already acknowledged counts as success.
    const again = await value<{ results: Array<{ outcome: string }> }>(core.invoke('paging.acknowledge', { ids: [incident!.id], confirm: true }) );
    expect(again.results[0]!.outcome).toBe('already');
  });

  it('acks all of mine, then resolves; the timeline shows the trigger, ack, note and resolve', async () => {
    const { core, alerts } = await setup();
    alerts.set([alert('HighErrorRate', 'fp-1'), alert('APIDown', 'fp-2')]);
    await core.refreshOnce();
    const ack = await value<{ results: Array<{ outcome: string }> }>(core.invoke('paging.acknowledge', { allMine: true, confirm: true }) );
    expect(ack.results.map((r) => r.outcome)).toEqual(['done', 'done']);
    const { incidents } = await value<{ incidents: Array<{ id: string; status: string }> }>(core.invoke('paging.listIncidents', {}) );
    expect(incidents.every((i) => i.status === 'acknowledged')).toBe(true);
    const id = incidents[0]!.id;
    await value(core.invoke('paging.addNote', { id, text: 'Rolling back tiendi-api', confirm: true }) );
    await value(core.invoke('paging.resolve', { ids: [id], confirm: true }) );
    const timeline = await value<{ entries: Array<{ kind: string; summary: string }> }>(core.invoke('paging.getTimeline', { id }) );
    expect(timeline.entries.map((e) => e.kind)).toEqual(['trigger', 'assign', 'notify', 'acknowledge', 'note', 'resolve']);
    expect(timeline.entries[4]!.summary).toBe('Rolling back tiendi-api');
  });

  it('resolves the incident when its alert ends and reports it removed from the open list', async () => {
    const { core, alerts, changes } = await setup();
    alerts.set([alert('APIDown', 'fp-api')]);
    await core.refreshOnce();
    const id = changes[0]!.added[0]!.id;
    alerts.set([]);
    await core.refreshOnce();
    expect(changes.at(-1)!.removed).toEqual([id]);
    const timeline = await value<{ incident: { status: string } }>(core.invoke('paging.getTimeline', { id }) );
    expect(timeline.incident.status).toBe('resolved');
  });

  it('refuses every change in a read-only environment, before journaling anything', async () => {
    const { core, alerts, journal } = await setup({ readOnly: true });
    alerts.set([alert('APIDown', 'fp-api')]);
    await core.refreshOnce();
    const { incidents } = await value<{ incidents: Array<{ id: string }> }>(core.invoke('paging.listIncidents', {}) );
    const r = await core.invoke('paging.resolve', { ids: [incidents[0]!.id], confirm: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('paging.read-only');
    expect((await journal.readAll()).entries.filter((e) => e.source.startsWith('paging:'))).toEqual([]);
  });

  it('says who is on call now and next from the pack rotation, and that I am the primary', async () => {
    const { core } = await setup();
    const oncall = await value<{
      me: { name: string };
      now: Array<{ level: number; user: { name: string } }>;
      next: Array<{ level: number; user: { name: string } }>;
      myShift: { start: number; end: number } | null;
    }>(core.invoke('paging.getOnCall', {}) );
    expect(oncall.now.map((o) => o.level)).toEqual([1, 2, 3]);
    expect(oncall.now[0]!.user.name).toBe(oncall.me.name);
    expect(oncall.next).toHaveLength(3);
    expect(oncall.next[0]!.user.name).not.toBe(oncall.now[0]!.user.name);
    expect(oncall.myShift!.start).toBeLessThanOrEqual(Date.now());
    expect(oncall.myShift!.end).toBeGreaterThan(Date.now());
  });

  it('answers every paging channel with "not configured" when there is no PagerDuty', async () => {
    const { core } = await setup({ paging: 'none' });
    const r = await core.invoke('paging.listIncidents', {});
    expect(!r.ok && r.error.code).toBe('paging.not-configured');
  });
});
