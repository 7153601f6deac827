import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusHandle } from '../helpers/services.js';
import { startTestExporter, type TestExporter } from '../fakes/test-exporter.js';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import type { SloStatus } from '../../shared/domain.js';
import { waitFor } from '../helpers/wait-for.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';

/**
 * Fault injection (issue 8): real Prometheus killed mid-session and a new one started, behind a
 * pass-through proxy on a fixed port (as alerts-resilience.test.ts does for Alertmanager), plus the
 * proxy answering 500s and truncated bodies. What a user notices: the SLO panel keeps its last
 * values marked stale with a reason naming Prometheus, and comes back by itself.
 */
const http500: HttpProxy['mode']['fault'] = (_req, res) => void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error');
/** Headers promise more than is sent, then the connection closes mid-body. */
const truncated: HttpProxy['mode']['fault'] = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
  res.write('{"status":"success","data":{"resultType":"vector","res');
  setTimeout(() => req.socket.destroy(), 10);
};

const scrapeConfig = (port: number) =>
  `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tiendi-api\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;

let exporter: TestExporter;
let first: PrometheusHandle;
let second: PrometheusHandle;
let proxy: HttpProxy;
let guardia: Guardia;
const sourceEvents: Array<{ source: string; status: string; reason: string | null }> = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

type SlosList = { slos: SloStatus[]; updatedAt: number | null; stale: { since: number; reason: string } | null };
async function slosList(): Promise<SlosList> {
  const r = await guardia.core.invoke('slos.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value as SlosList;
}
const availability = (l: SlosList) => l.slos.find((s) => s.id === 'api-availability')!;

describe('Prometheus failing, killed and restarted: SLOs kept and marked stale, then recovered', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    exporter = await startTestExporter({ '200': 950, '500': 50 });
    // The replacement starts alongside (a Prometheus takes ~7 s to see two scrapes): the kill case swaps it in.
    [first, second, proxy] = await Promise.all([
      startPrometheus({ configYaml: scrapeConfig(exporter.port) }),
      startPrometheus({ configYaml: scrapeConfig(exporter.port) }),
      startHttpProxy(),
    ]);
    proxy.mode.target = first.url;
    const home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    guardia = await createGuardia({ prometheus: proxy.url, alertmanagers: [], refreshSeconds: 1 }, { env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' } });
    guardia.core.subscribe((e) => {
      if (e.channel === 'sources.changed') sourceEvents.push(e.payload as never);
    });
    guardia.core.start();
    await waitFor('a first SLO value', async () => (availability(await slosList()).current !== null ? true : undefined), 15_000);
  }, 40_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await guardia?.close();
    await Promise.allSettled([first?.stop(), second?.stop(), exporter?.stop(), new Promise((r) => proxy?.server.close(r))]);
  });

  it('answers 500: stale with a reason naming Prometheus and the status, last SLO values kept, recovers', async () => {
    const before = availability(await slosList()).current;
    proxy.mode.fault = http500;
    const stale = await waitFor('stale on 500', async () => (await slosList()).stale ?? undefined);
    expect(stale.reason).toMatch(/Prometheus/);
    expect(stale.reason).toMatch(/500/);
    expect(availability(await slosList()).current).toBe(before);
    proxy.mode.fault = null;
    await waitFor('recovered after 500s', async () => ((await slosList()).stale === null ? true : undefined));
  });

  it('truncated bodies: stale with a reason naming Prometheus, last values kept, recovers', async () => {
    const before = availability(await slosList()).current;
    expect(before).not.toBeNull();
    proxy.mode.fault = truncated;
    const stale = await waitFor('stale on truncated body', async () => (await slosList()).stale ?? undefined);
    expect(stale.reason).toMatch(/Prometheus/);
    expect(availability(await slosList()).current).toBe(before);
    proxy.mode.fault = null;
    await waitFor('recovered after truncation', async () => ((await slosList()).stale === null ? true : undefined));
  });

  it('killed: stale with a reason naming Prometheus, values kept; another Prometheus is picked up with no help', async () => {
    const before = await slosList();
    await first.stop();
    const stale = await waitFor('stale after kill', async () => (await slosList()).stale ?? undefined);
    expect(stale.reason).toMatch(/Prometheus/);
    expect(stale.reason).toMatch(/Cannot reach|socket|ECONNRESET|other side closed/i);
    expect(availability(await slosList()).current).toBe(availability(before).current);
    // Core stays up meanwhile: other channels answer.
    expect((await guardia.core.invoke('app.getInfo', {})).ok).toBe(true);

    proxy.mode.target = second.url;
    await waitFor('recovered after restart', async () => ((await slosList()).stale === null ? true : undefined), 15_000);
    const after = await slosList();
    expect(after.updatedAt!).toBeGreaterThan(before.updatedAt!);
    expect(availability(after).current).toBeCloseTo(95, 0);
    const metrics = sourceEvents.filter((e) => e.source === 'metrics').map((e) => e.status);
    expect(metrics.filter((s) => s === 'ok').length).toBe(3);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
