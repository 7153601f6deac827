import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyClient } from '../../electron/core/pagerduty/pagerduty-client.js';
import type { PagingIncidentQuery } from '../../electron/core/ports.js';
import { GuardiaError } from '../../shared/result.js';
import { pagerDutyAcceptHeader, startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';

/** The real PagerDuty client against the fake that enforces the published API. */
let fake: FakePagerDuty;
let slept: number[];
let gateSeq = 0;

const open: PagingIncidentQuery = { scope: 'all', statuses: ['triggered', 'acknowledged'], urgencies: [], serviceIds: [], max: 500 };

function client(opts: { token?: string; from?: string } = {}) {
  return new PagerDutyClient({
    baseUrl: fake.url,
    token: async () => opts.token ?? 'test-token',
    from: opts.from ?? 'juan.perez@tiendi.pe',
    // A fresh gate per client: each test starts with nothing in flight.
    gateKey: `test-${++gateSeq}`,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
}

const writes = () => fake.requests.filter((r) => r.method !== 'GET');

beforeEach(async () => {
  fake = await startFakePagerDuty({ writeDelayMs: 30 });
  slept = [];
});
afterEach(() => fake.close());

describe('PagerDutyClient against the fake PagerDuty', () => {
  it('sends Accept, Authorization and Content-Type on reads and From only on writes', async () => {
    const incident = fake.triggerIncident({ title: 'HighErrorRate' });
    const pd = client();
    expect((await pd.me()).email).toBe('juan.perez@tiendi.pe');
    await pd.listIncidents(open);
    await pd.acknowledge([incident.id]);
    const read = fake.requests.find((r) => r.path === '/incidents' && r.method === 'GET')!;
    expect(read.status).toBe(200);
    expect(read.headers.accept).toBe(pagerDutyAcceptHeader);
    expect(read.headers.authorization).toBe('(redacted)');
    expect(read.headers.from).toBeUndefined();
    const write = writes()[0]!;
    expect(write.headers.from).toBe('juan.perez@tiendi.pe');
    expect(write.status).toBe(200);
    expect(fake.incidents.get(incident.id)!.status).toBe('acknowledged');
  });

  it('pages through every incident, 100 at a time', async () => {
    for (let i = 0; i < 230; i++) fake.triggerIncident({ title: `Storm ${i}` });
    const { incidents, more } = await client().listIncidents(open);
    expect(incidents).toHaveLength(230);
    expect(more).toBe(false);
    const pages = fake.requests.filter((r) => r.path === '/incidents' && r.method === 'GET');
    expect(pages.map((p) => new URLSearchParams(p.query).get('offset'))).toEqual(['0', '100', '200']);
    expect(pages.every((p) => p.status === 200)).toBe(true);
  });

  it('lists only my incidents for scope "mine"', async () => {
    fake.triggerIncident({ title: 'Mine' });
    fake.triggerIncident({ title: 'Maria', assignTo: ['PUSRMAR'] });
    const { incidents } = await client().listIncidents({ ...open, scope: 'mine' });
    expect(incidents.map((i) => i.title)).toEqual(['Mine']);
  });

  it('backs off and retries a read answered 429 with ratelimit headers, waiting the reset', async () => {
    fake.triggerIncident({ title: 'HighErrorRate' });
    fake.rateLimitNext(1, { headers: true, resetSeconds: 3 });
    const { incidents } = await client().listIncidents(open);
    expect(incidents).toHaveLength(1);
    expect(slept).toContain(3000);
  });

  it('backs off exponentially on 429 without headers', async () => {
    fake.rateLimitNext(3, { headers: false });
    await client().me();
    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it('gives up on reads after repeated 429s with a rate-limit error', async () => {
    fake.rateLimitNext(10, { headers: false });
    await expect(client().me()).rejects.toMatchObject({ code: 'pagerduty.rate-limited' });
  });

  it('waits while the budget says none is left', async () => {
    fake.setBudget({ remaining: 0, resetSeconds: 4 });
    const pd = client();
    await pd.me();
    fake.setBudget(null);
    await pd.listIncidents(open);
    expect(slept.some((ms) => ms > 3000 && ms <= 4000)).toBe(true);
  });

  it('never retries a write answered 429: nothing changed, and it says so', async () => {
    const incident = fake.triggerIncident({ title: 'APIDown' });
    fake.rateLimitNext(1, { headers: true, resetSeconds: 9 });
    const error = await client().acknowledge([incident.id]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardiaError);
    expect((error as GuardiaError).code).toBe('pagerduty.rate-limited');
    expect((error as GuardiaError).message).toMatch(/nothing was changed; try again in 9 s/);
    expect(writes()).toHaveLength(1);
    expect(fake.incidents.get(incident.id)!.status).toBe('triggered');
  });

  it('counts already acknowledged and already resolved as success', async () => {
    const a = fake.triggerIncident({ title: 'A' });
    const pd = client();
    expect((await pd.acknowledge([a.id]))[0]!.outcome).toBe('done');
    expect((await pd.acknowledge([a.id]))[0]!.outcome).toBe('done');
    expect((await pd.resolve([a.id]))[0]!.outcome).toBe('done');
    const again = await pd.resolve([a.id]);
    expect(again[0]).toMatchObject({ outcome: 'already', message: 'already resolved' });
    expect((await pd.acknowledge([a.id]))[0]!.outcome).toBe('already');
  });

  it('acknowledges in bulk with one request, and splits a bulk that PagerDuty refuses for one resolved incident', async () => {
    const [a, b, c] = [fake.triggerIncident({ title: 'A' }), fake.triggerIncident({ title: 'B' }), fake.triggerIncident({ title: 'C' })];
    const pd = client();
    const results = await pd.acknowledge([a.id, b.id]);
    expect(results.map((r) => r.outcome)).toEqual(['done', 'done']);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]!.path).toBe('/incidents');
    await pd.resolve([c.id]);
    const mixed = await pd.acknowledge([a.id, b.id, c.id]);
    expect(mixed.map((r) => r.outcome)).toEqual(['done', 'done', 'already']);
  });

  it('turns a storm of clicks into at most one write in flight and one request per distinct change', async () => {
    const incidents = Array.from({ length: 5 }, (_, i) => fake.triggerIncident({ title: `I${i}` }));
    const pd = client();
    const clicks = Array.from({ length: 40 }, (_, i) => pd.acknowledge([incidents[i % 5]!.id]));
    const results = await Promise.all(clicks);
    expect(results.flat().every((r) => r.outcome === 'done')).toBe(true);
    // The first click goes out alone; every click during it is merged into one more request.
    expect(writes().length).toBeLessThanOrEqual(2);
    expect(fake.maxWritesInFlight.get('test-token')).toBe(1);
    expect([...fake.incidents.values()].every((i) => i.status === 'acknowledged')).toBe(true);
    // Identical notes clicked twice are one note.
    await Promise.all([pd.addNote(incidents[0]!.id, 'rolling back'), pd.addNote(incidents[0]!.id, 'rolling back')]);
    expect(fake.incidents.get(incidents[0]!.id)!.notes).toHaveLength(1);
  });

  it('reassigns, snoozes, adds a note and reads the timeline with it', async () => {
    const incident = fake.triggerIncident({ title: 'HighLatency' });
    const pd = client();
    await pd.acknowledge([incident.id]);
    expect((await pd.snooze(incident.id, 900)).outcome).toBe('done');
    expect((await pd.addNote(incident.id, 'Pool exhausted; rolling back tiendi-api')).outcome).toBe('done');
    expect((await pd.reassign([incident.id], { userId: 'PUSRMAR' }))[0]!.outcome).toBe('done');
    expect(fake.incidents.get(incident.id)!.assigneeIds).toEqual(['PUSRMAR']);
    const timeline = await pd.timeline(incident.id);
    expect(timeline.map((e) => e.kind)).toEqual(['trigger', 'assign', 'acknowledge', 'snooze', 'note', 'assign']);
    expect(timeline.find((e) => e.kind === 'note')).toMatchObject({ summary: 'Pool exhausted; rolling back tiendi-api', agent: 'Juan Pérez' });
  });

  it('reports a snooze PagerDuty refuses as a failed outcome with its reason', async () => {
    const incident = fake.triggerIncident({ title: 'NotAcked' });
    const outcome = await client().snooze(incident.id, 600);
    expect(outcome.outcome).toBe('failed');
    expect(outcome.message).toMatch(/not acknowledged/);
  });

  it('reads who is on call now and next, and the escalation policies', async () => {
    const now = Date.now();
    const pd = client();
    const spans = await pd.onCalls({ since: now, until: now + 14 * 24 * 3600_000 });
    const current = spans.filter((s) => s.start! <= now && now < s.end!);
    expect(current.map((s) => [s.level, s.user.name])).toEqual([
      [1, 'Juan Pérez'],
      [2, 'María García'],
      [3, 'Carlos López'],
    ]);
    expect(spans.some((s) => s.start! > now && s.level === 1 && s.user.name === 'María García')).toBe(true);
    expect(await pd.listEscalationPolicies()).toEqual([{ id: 'PEPTIEN', name: 'Tiendi — guardia' }]);
  });

  it('says an unknown API key is unauthorized without echoing it', async () => {
    const error = (await client({ token: 'wrong-secret-key' })
      .me()
      .catch((e: unknown) => e)) as GuardiaError;
    expect(error.code).toBe('pagerduty.unauthorized');
    expect(error.message).toMatch(/GET \/users\/me answered 401/);
    expect(error.message).not.toContain('wrong-secret-key');
  });
});
