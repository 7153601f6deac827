import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlertmanager, startPrometheus, type AlertmanagerHandle, type PrometheusHandle } from '../helpers/services.js';
import { startTestExporter, type TestExporter } from '../fakes/test-exporter.js';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import type { Alert } from '../../shared/domain.js';
import { waitFor } from '../helpers/wait-for.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The runbook's rules.yml with its time scales shrunk for a live test: `for:` to 2s, rate windows
 * to 5s, group intervals to 1s. The logic is the pack's own (promtool tests cover the real durations).
 */
async function shortenedRules(): Promise<string> {
  const rules = await readFile(join(root, 'resources/packs/tiendi/rules.yml'), 'utf8');
  return rules
    .replace(/for: \d+m/g, 'for: 2s')
    .replace(/\[(5m|1h)\]/g, '[5s]')
    .replace(/interval: \w+/g, 'interval: 1s');
}

let exporter: TestExporter;
let prometheus: PrometheusHandle;
let alertmanager: AlertmanagerHandle;
let guardia: Guardia;
const events: Array<{ firing: Alert[]; resolved: Alert[] }> = [];
let lastList: Alert[] | undefined;
let listTimer: ReturnType<typeof setInterval>;

describe("the runbook's rules in real Prometheus + Alertmanager, seen by Guardia", () => {
  beforeAll(async () => {
    exporter = await startTestExporter({ '200': 1000 });
    alertmanager = await startAlertmanager();
    prometheus = await startPrometheus({
      configYaml: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [rules.yml, pending.yml]\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:${alertmanager.port}']\nscrape_configs:\n  - job_name: tiendi-api\n    static_configs:\n      - targets: ['127.0.0.1:${exporter.port}']\n`,
      rulesFiles: {
        'rules.yml': await shortenedRules(),
        // Always true but never long enough: shows Prometheus' pending alerts as a second source.
        'pending.yml': 'groups:\n  - name: guardia_pending\n    interval: 1s\n    rules:\n      - alert: WarmingUp\n        expr: vector(1)\n        for: 1h\n        labels: { severity: warning }\n',
      },
    });
    const home = await mkdtemp(join(tmpdir(), 'guardia-home-'));
    guardia = await createGuardia(
      { prometheus: prometheus.url, alertmanagers: [alertmanager.url], refreshSeconds: 1 },
      { env: { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' } },
    );
    guardia.core.subscribe((e) => {
      if (e.channel === 'alerts.changed') events.push(e.payload as never);
    });
    guardia.core.start();
    listTimer = setInterval(() => {
      void guardia.core.invoke('alerts.list', {}).then((r) => {
        if (r.ok) lastList = (r.value as { alerts: Alert[] }).alerts;
      });
    }, 200);
  }, 60_000);

  afterAll(async () => {
    clearInterval(listTimer);
    await guardia?.close();
    await Promise.allSettled([prometheus?.stop(), alertmanager?.stop(), exporter?.stop()]);
  });

  it("shows Prometheus' pending alerts and rule health as a second source, without announcing them", async () => {
    const pending = await waitFor('a pending alert', () => lastList?.find((a) => a.name === 'WarmingUp'));
    expect(pending).toMatchObject({ state: 'pending', severity: 'P2', sources: [expect.stringContaining('Prometheus')] });
    expect(events.flatMap((e) => e.firing).some((a) => a.name === 'WarmingUp')).toBe(false);
    const rules = await guardia.core.invoke('alerts.listRules', {});
    expect(rules.ok).toBe(true);
    const groups = (rules as { value: { supported: boolean; groups: Array<{ name: string; rules: Array<{ name: string; health: string }> }> } }).value;
    expect(groups.supported).toBe(true);
    const critical = groups.groups.find((g) => g.name === 'tiendi_critical')!;
    expect(critical.rules.map((r) => `${r.name}:${r.health}`)).toEqual(['APIDown:ok', 'HighErrorRate:ok', 'DatabaseDown:ok']);
  });

  it('HighErrorRate arrives as a P1 firing event with its runbook, then resolves', async () => {
    exporter.setRates({ '200': 800, '500': 200 });
    const fired = await waitFor('HighErrorRate firing', () =>
      events.flatMap((e) => e.firing).find((a) => a.name === 'HighErrorRate'),
    );
    expect(fired).toMatchObject({ severity: 'P1', state: 'firing', playbookId: 'api-down', runbookUrl: 'https://runbook.tiendi.pe/high-error-rate' });
    expect(fired.annotations.description).toMatch(/^Error rate is \d+(\.\d+)?%$/);

    exporter.setRates({ '200': 1000 });
    const resolved = await waitFor('HighErrorRate resolved', () =>
      events.flatMap((e) => e.resolved).find((a) => a.fingerprint === fired.fingerprint),
    );
    expect(resolved.name).toBe('HighErrorRate');
    const list = await guardia.core.invoke('alerts.list', {});
    expect(list.ok && (list.value as { alerts: Alert[] }).alerts.some((a) => a.name === 'HighErrorRate')).toBe(false);
  });
});
