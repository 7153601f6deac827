import { pagerDutyConfig } from '../helpers/pagerduty-config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import { createLogger, Redactor } from '../../electron/core/log/logger.js';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store.js';
import type { JournalEntry } from '../../shared/domain.js';
import { startKeyring, type KeyringHandle } from '../helpers/services.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Fault injection (issue 8): the real keychain (gnome-keyring over D-Bus) locked mid-session while
 * Guardia polls PagerDuty with a token it reads from there on every request. Headless, the unlock
 * prompt is dismissed at once, so this is what a user with a locked keyring sees. Then the keyring is
 * unlocked the way a desktop login does (gnome-keyring's control socket) and Guardia, never
 * restarted, must pick the token up again by itself.
 */
let keyring: KeyringHandle;
let fake: FakePagerDuty;
let guardia: Guardia;
const saved: Record<string, string | undefined> = {};
const logged: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const token = 'pd-planted-9f3c1e';

type IncidentList = { incidents: Array<{ id: string }>; stale: { since: number; reason: string } | null };
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

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  [keyring, fake] = await Promise.all([startKeyring(), startFakePagerDuty({ tokens: { [token]: 'PUSRJUA' } })]);
  for (const [k, v] of Object.entries(keyring.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const redactor = new Redactor();
  const secrets = new KeychainSecretStore(redactor);
  await secrets.set('pagerduty-prod', token);
  const { dir, file } = await pagerDutyConfig(fake.url, 'guardia-faults-kc-');
  const logger = createLogger({ level: 'debug', redactor, write: (line) => void logged.push(line) });
  guardia = await createGuardia({ configFile: file, alertmanagers: [], refreshSeconds: 1 }, { logger, redactor, secrets, env: { GUARDIA_HOME: dir, GUARDIA_REQUEST_TIMEOUT_MS: '1500' } });
  fake.triggerIncident({ title: '[FIRING:1] APIDown' });
  guardia.core.start();
  await waitFor('the first incident', async () => ((await incidents()).incidents.length ? true : undefined));
}, 30_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await guardia?.close();
  await fake?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await keyring?.stop();
});

describe('the keychain locked mid-session', () => {
  it('the incident list is kept, marked stale with a reason naming the keychain; an action fails saying so and sends nothing', async () => {
    const ids = (await incidents()).incidents.map((i) => i.id);
    await keyring.lock();
    expect(await keyring.isLocked()).toBe(true);

    const stale = await waitFor('stale on a locked keychain', async () => (await incidents()).stale ?? undefined);
    expect(stale.reason).toMatch(/keychain/i);
    expect(stale.reason).toMatch(/pagerduty-prod/);
    expect(stale.reason).toMatch(/unlock/i);
    expect((await incidents()).incidents.map((i) => i.id)).toEqual(ids);

    const putsBefore = fake.requests.filter((r) => r.method === 'PUT').length;
    const journalBefore = await journal();
    const ack = await guardia.core.invoke('paging.acknowledge', { ids, confirm: true });
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error.message).toMatch(/keychain/i);
    expect(fake.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore);
    const added = (await journal()).filter((e) => !journalBefore.some((b) => b.id === e.id));
    expect(added.map((e) => e.kind).sort()).toEqual(['action.finished', 'action.started']);
    expect(fake.incidents.get(ids[0]!)!.status).toBe('triggered');

    // Guardia stays up, and the token never shows in what it said.
    expect((await guardia.core.invoke('app.getInfo', {})).ok).toBe(true);
    expect(JSON.stringify([stale, ack, added, logged])).not.toContain(token);
    expect(unhandled).toEqual([]);
  });

  it('recovers by itself once the keychain is unlocked: fresh data, and the action goes through exactly once', async () => {
    expect(await keyring.isLocked()).toBe(true);
    await keyring.unlock();
    const fresh = await waitFor('fresh incidents after the unlock', async () => {
      const list = await incidents();
      return list.stale === null ? list : undefined;
    });
    const ids = fresh.incidents.map((i) => i.id);
    expect(ids.length).toBeGreaterThan(0);

    const putsBefore = fake.requests.filter((r) => r.method === 'PUT').length;
    const ack = await guardia.core.invoke('paging.acknowledge', { ids, confirm: true });
    expect(ack.ok).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore + 1);
    expect(fake.incidents.get(ids[0]!)!.status).toBe('acknowledged');
    expect(JSON.stringify(logged)).not.toContain(token);
    expect(unhandled).toEqual([]);
  });
});
