import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startAlertmanager, startPrometheus, type AlertmanagerHandle, type PrometheusHandle } from '../helpers/services.js';
import { startTestExporter, type TestExporter } from '../fakes/test-exporter.js';
import { PrometheusClient } from '../../electron/core/prometheus/prometheus-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let exporter: TestExporter;
let prometheus: PrometheusHandle;
let alertmanager: AlertmanagerHandle;
let home: string;

/** `guardia` as a user runs it, against the real services. */
async function guardia(args: string[]) {
  const { stdout } = await run(process.execPath, [join(root, 'bin/guardia.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' },
    timeout: 30_000,
  });
  return stdout;
}

describe('quick connect to real Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    // 995 good and 5 failed requests per second: availability 99.5%, error rate 0.5%.
    exporter = await startTestExporter({ '200': 995, '500': 5 });
    [prometheus, alertmanager] = await Promise.all([
      startPrometheus({
        configYaml: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tiendi-api\n    static_configs:\n      - targets: ['127.0.0.1:${exporter.port}']\n`,
      }),
      startAlertmanager(),
    ]);
    const alert = [
      {
        labels: { alertname: 'HighErrorRate', severity: 'critical', team: 'backend' },
        annotations: { summary: 'High error rate detected', runbook: 'https://runbook.tiendi.pe/high-error-rate' },
        startsAt: new Date().toISOString(),
      },
    ];
    const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(alert),
    });
    expect(res.ok).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([prometheus?.stop(), alertmanager?.stop(), exporter?.stop()]);
  });

  it('guardia status --json shows the seven SLOs computed by Prometheus, and the alert as P1', async () => {
    const status = JSON.parse(
      await guardia(['status', '--json', '--prometheus', prometheus.url, '--alertmanager', alertmanager.url]),
    );
    expect(status.environment).toBe('ad-hoc');
    expect(status.slos).toHaveLength(7);
    const availability = status.slos.find((s: { id: string }) => s.id === 'api-availability');
    expect(availability.objective).toEqual({ kind: 'ratio', target: 99.9 });
    expect(availability.window).toBe('30d');
    expect(availability.current).toBeCloseTo(99.5, 1);
    expect(availability.met).toBe(false);
    // 0.5% of 30 days is 216 minutes against 43.2 allowed: 400% over budget, not clamped.
    expect(availability.errorBudget.remainingPercent).toBeCloseTo(-400, -1);
    const errorRate = status.slos.find((s: { id: string }) => s.id === 'api-error-rate');
    expect(errorRate.current).toBeCloseTo(0.5, 1);
    // No exporter serves page-load metrics: that SLO says so instead of inventing a number.
    const pageLoad = status.slos.find((s: { id: string }) => s.id === 'web-page-load');
    expect(pageLoad.current).toBeNull();
    expect(status.health.find((h: { id: string }) => h.id === 'api').status).toBe('up');
    expect(status.alerts).toHaveLength(1);
    expect(status.alerts[0]).toMatchObject({ name: 'HighErrorRate', severity: 'P1', playbookId: 'api-down' });
    expect(status.alerts[0].runbookUrl).toBe('https://runbook.tiendi.pe/high-error-rate');
  });

  it('names the query when Prometheus rejects PromQL', async () => {
    const client = new PrometheusClient('Prometheus', prometheus.url, { connection: 'Prometheus', timeoutMs: 5000 });
    await expect(client.instant({ id: 'broken.query', expr: 'sum(rate(x[5m]' }, Date.now())).rejects.toThrow(
      /rejected query "broken\.query".*PromQL: sum\(rate\(x\[5m\]/,
    );
  });

  it('guardia status marks alerts stale, naming the unreachable Alertmanager', async () => {
    const out = await run(process.execPath, [join(root, 'bin/guardia.mjs'), 'status', '--json', '--alertmanager', 'http://127.0.0.1:9'], {
      cwd: root,
      env: { ...process.env, GUARDIA_HOME: home },
    });
    const status = JSON.parse(out.stdout);
    expect(status.stale).toHaveLength(1);
    expect(status.stale[0].source).toBe('alerts');
    expect(status.stale[0].reason).toMatch(/Cannot reach Alertmanager http:\/\/127\.0\.0\.1:9/);
  });
});
