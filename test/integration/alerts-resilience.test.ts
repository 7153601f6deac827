import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlertmanager, type AlertmanagerHandle } from '../helpers/services.js';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import type { Alert } from '../../shared/domain.js';
import { waitFor } from '../helpers/wait-for.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';

/**
 * Real Alertmanagers behind a pass-through proxy on a fixed port, so the test can make "the
 * Alertmanager" answer garbage, disappear (the process is killed) and come back (a new one).
 */
/** What a broken proxy in front of Alertmanager answers: 200 with an HTML page instead of JSON. */
const garbage: HttpProxy['mode']['fault'] = (_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>502 Bad Gateway</html>');

async function push(am: AlertmanagerHandle, alertname: string): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ labels: { alertname, severity: 'critical' }, annotations: { summary: alertname }, startsAt: new Date().toISOString() }]),
  });
  expect(res.ok).toBe(true);
}

let first: AlertmanagerHandle;
let second: AlertmanagerHandle | undefined;
let proxy: HttpProxy;
let guardia: Guardia;
const sourceEvents: Array<{ source: string; status: string; reason: string | null }> = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

type AlertsList = { alerts: Alert[]; stale: { since: number; reason: string } | null };
async function alertsList(): Promise<AlertsList> {
  const r = await guardia.core.invoke('alerts.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value as AlertsList;
}

describe('Alertmanager down, garbage, killed and restarted: Guardia keeps the last alerts and recovers', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    [first, proxy] = await Promise.all([startAlertmanager(), startHttpProxy()]);
    proxy.mode.target = first.url;
    await push(first, 'HighErrorRate');
    const home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    guardia = await createGuardia({ alertmanagers: [proxy.url], refreshSeconds: 1 }, { env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' } });
    guardia.core.subscribe((e) => {
      if (e.channel === 'sources.changed') sourceEvents.push(e.payload as never);
    });
    guardia.core.start();
    await waitFor('the first alert', async () => ((await alertsList()).alerts.length ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await guardia?.close();
    await Promise.allSettled([first?.stop(), second?.stop(), new Promise((r) => proxy?.server.close(r))]);
  });

  it('answers garbage: stale since then with the reason, last alerts kept, then recovers by itself', async () => {
    proxy.mode.fault = garbage;
    const stale = await waitFor('stale', async () => (await alertsList()).stale ?? undefined);
    expect(stale.reason).toMatch(/not JSON/);
    expect((await alertsList()).alerts.map((a) => a.name)).toEqual(['HighErrorRate']);
    proxy.mode.fault = null;
    await waitFor('recovered', async () => ((await alertsList()).stale === null ? true : undefined));
    expect(sourceEvents.map((e) => `${e.source}:${e.status}`)).toEqual(['alerts:stale', 'alerts:ok']);
  });

  it('killed: stale with "cannot reach"; a restarted Alertmanager is picked up with no help, deltas and all', async () => {
    await first.stop();
    const stale = await waitFor('stale after kill', async () => (await alertsList()).stale ?? undefined);
    expect(stale.reason).toMatch(/Cannot reach|socket|ECONNRESET|other side closed/i);
    expect((await alertsList()).alerts.map((a) => a.name)).toEqual(['HighErrorRate']);

    second = await startAlertmanager();
    await push(second, 'APIDown');
    proxy.mode.target = second.url;
    // Backoff is at most a few seconds after a handful of failures.
    await waitFor('recovered after restart', async () => ((await alertsList()).stale === null ? true : undefined), 20_000);
    expect((await alertsList()).alerts.map((a) => a.name)).toEqual(['APIDown']);
    expect(unhandled).toEqual([]);
  });
});
