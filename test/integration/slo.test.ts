import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startPrometheus, type PrometheusHandle } from '../helpers/services.js';
import { startTestExporter, type TestExporter } from '../fakes/test-exporter.js';
import { PrometheusClient } from '../../electron/core/prometheus/prometheus-client.js';
import { SloEngine } from '../../electron/core/slo/slo-engine.js';
import { loadPack } from '../../electron/core/config/pack-loader.js';
import { defaultPackDir } from '../../electron/core/config/config-loader.js';
import type { SloStatus } from '../../shared/domain.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let exporter: TestExporter;
let prometheus: PrometheusHandle;
let home: string;

describe('SLO burn rates against real Prometheus', () => {
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    // 5% of requests fail: 50 times the 0.1% budget of api-availability and api-error-rate.
    exporter = await startTestExporter({ '200': 950, '500': 50 });
    prometheus = await startPrometheus({
      configYaml: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tiendi-api\n    static_configs:\n      - targets: ['127.0.0.1:${exporter.port}']\n`,
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([prometheus?.stop(), exporter?.stop()]);
  });

  it('guardia status --json shows value, unclamped budget and a critical burn state per SLO', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'bin/guardia.mjs'), 'status', '--json', '--prometheus', prometheus.url], {
      cwd: root,
      env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' },
      timeout: 30_000,
    });
    const slos = JSON.parse(stdout).slos as SloStatus[];
    const availability = slos.find((s) => s.id === 'api-availability')!;
    expect(availability.current).toBeCloseTo(95, 0);
    // 5% of 30 days against 0.1%: 4900% over budget, shown as such.
    expect(availability.errorBudget!.remainingPercent).toBeCloseTo(-4900, -2);
    expect(availability.errorBudget!.remainingMinutes).toBeLessThan(0);
    expect(availability.burn!.state).toBe('critical');
    for (const w of availability.burn!.windows) expect(w.burnRate).toBeCloseTo(50, 0);
    expect(availability.burn!.conditions.filter((c) => c.firing).map((c) => c.long)).toEqual(['1h', '6h', '3d']);
    expect(availability.burn!.exhaustsInMinutes).toBe(0);
    expect(slos.find((s) => s.id === 'api-error-rate')!.burn!.state).toBe('critical');
    // Nothing serves payments or latency histograms here: their state is unknown, not invented.
    expect(slos.find((s) => s.id === 'payments-availability')!.burn!.state).toBe('unknown');
    expect(slos.find((s) => s.id === 'api-latency-p95')!.burn!.state).toBe('unknown');
  });

  it('does not page when the long windows saw fewer events than the pack minimum', async () => {
    const pack = await loadPack(defaultPackDir());
    const availability = pack.slos.find((s) => s.id === 'api-availability')!;
    const guarded = { ...pack, slos: [{ ...availability, burnRate: { ...availability.burnRate!, minEvents: 1e12 } }] };
    const source = new PrometheusClient('prometheus', prometheus.url, { connection: 'Prometheus', timeoutMs: 10_000 });
    const result = (await new SloEngine(guarded, source).evaluate(Date.now())).get('api-availability')!;
    expect(result.burn.windows.find((w) => w.window === '5m')!.burnRate).toBeCloseTo(50, 0);
    expect(result.burn.conditions.every((c) => c.lowTraffic && !c.firing)).toBe(true);
    expect(result.burn.state).toBe('ok');
  });
});
