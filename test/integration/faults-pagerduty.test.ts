import { pagerDutyConfig } from '../helpers/pagerduty-config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import type { SecretStore } from '../../electron/core/ports.js';
import type { JournalEntry } from '../../shared/domain.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Fault injection (issue 8) on the fake PagerDuty through the whole core: 500s, truncated bodies and a
 * 429 storm on the incident poll, and 500s and unanswered requests on an acknowledge. What a user
 * notices: the incident list keeps its last incidents marked stale with a reason naming PagerDuty and
 * recovers by itself; a failed action is said to have failed, was sent exactly once, and is journaled.
 */
let fake: FakePagerDuty;
let guardia: Guardia;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const keychain: SecretStore = {
  get: async (name) => {
    if (name !== 'pagerduty-prod') throw new Error(`no keychain entry ${name}`);
    return 'test-token';
  },
  set: async () => {},
  delete: async () => {},
  list: async () => ['pagerduty-prod'],
};

type IncidentList = { incidents: Array<{ id: string; title: string }>; stale: { since: number; reason: string } | null };
async function incidents(): Promise<IncidentList> {
  const r = await guardia.core.invoke('paging.listIncidents', { scope: 'all' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as IncidentList;
}
async function journal(): Promise<JournalEntry[]> {
  const r = await guardia.core.invoke('journal.list', { limit: 1000 });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { entries: JournalEntry[] }).entries;
}

let incident: { id: string };

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fake = await startFakePagerDuty();
  incident = fake.triggerIncident({ title: '[FIRING:1] APIDown' });
  const { dir, file } = await pagerDutyConfig(fake.url, 'guardia-faults-pd-');
  guardia = await createGuardia(
    { configFile: file, alertmanagers: [], refreshSeconds: 1 },
    { logger: silentLogger, secrets: keychain, env: { GUARDIA_HOME: dir, GUARDIA_REQUEST_TIMEOUT_MS: '1500' } },
  );
  guardia.core.start();
  await waitFor('the first incident', async () => ((await incidents()).incidents.length ? true : undefined));
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await guardia?.close();
  await fake?.close();
});

describe('PagerDuty answering 500s, truncated bodies and a 429 storm to the incident poll', () => {
  it.each([
    ['500s', 'http500' as const, /500/],
    ['truncated bodies', 'truncated' as const, /broke mid-body/],
  ])('%s: the incident list is kept, marked stale with a reason naming PagerDuty, and recovers', async (_what, kind, detail) => {
    // One failing poll (more would only lengthen the poller's backoff); none left over for later cases.
    fake.faultNext(1, kind, { path: '/incidents' });
    const stale = await waitFor(`stale on ${kind}`, async () => (await incidents()).stale ?? undefined);
    expect(stale.reason).toMatch(/PagerDuty/);
    expect(stale.reason).toMatch(detail);
    expect((await incidents()).incidents.map((i) => i.id)).toEqual([incident.id]);
    await waitFor('recovered', async () => ((await incidents()).stale === null ? true : undefined));
    expect((await incidents()).incidents.map((i) => i.id)).toEqual([incident.id]);
  });

  it('a 429 storm: stale with "rate limit" while it lasts, incidents kept, recovers when it passes', async () => {
    // Five attempts of one poll (the client's retries, each waiting the reset) and one of the next.
    fake.rateLimitNext(6, { headers: true, resetSeconds: 1, path: '/incidents' });
    const stale = await waitFor('stale on 429 storm', async () => (await incidents()).stale ?? undefined);
    expect(stale.reason).toMatch(/PagerDuty/);
    expect(stale.reason).toMatch(/rate limit/i);
    expect((await incidents()).incidents.map((i) => i.id)).toEqual([incident.id]);
    await waitFor('recovered after storm', async () => ((await incidents()).stale === null ? true : undefined), 15_000);
  }, 20_000);
});

describe('an acknowledge that hits a 500 or no answer', () => {
  it.each([
    ['a 500', 'http500' as const, /500/],
    ['no answer (timeout)', 'hang' as const, /timed out/],
  ])('%s: says it failed, sent exactly one request, changed nothing, journaled before and after', async (_what, kind, detail) => {
    const putsBefore = fake.requests.filter((r) => r.method === 'PUT').length;
    const journalBefore = await journal();
    fake.faultNext(1, kind, { writesOnly: true });
    const ack = await guardia.core.invoke('paging.acknowledge', { ids: [incident.id], confirm: true });
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.message).toMatch(/PagerDuty/);
    expect(ack.error.message).toMatch(detail);
    // Give a retry, if there were one, the time to show up on the fake's log.
    await new Promise((r) => setTimeout(r, 800));
    expect(fake.requests.filter((r) => r.method === 'PUT').length - putsBefore).toBe(1);
    expect(fake.incidents.get(incident.id)!.status).toBe('triggered');
    const added = (await journal()).filter((e) => !journalBefore.some((b) => b.id === e.id));
    expect(added.map((e) => e.kind).sort()).toEqual(['action.finished', 'action.started']);
    expect(added.find((e) => e.kind === 'action.finished')!.summary).toMatch(/Failed/);
  });

  it('then works, once, and Guardia stayed up throughout', async () => {
    const putsBefore = fake.requests.filter((r) => r.method === 'PUT').length;
    const ack = await guardia.core.invoke('paging.acknowledge', { ids: [incident.id], confirm: true });
    expect(ack.ok).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'PUT').length - putsBefore).toBe(1);
    expect(fake.incidents.get(incident.id)!.status).toBe('acknowledged');
    expect(unhandled).toEqual([]);
  });
});
