/**
 * Alert storm: 10,000 active alerts in a real Alertmanager. Guardia's fetch → normalize → dedupe by
 * fingerprint → group by alertname (what the Alerts view shows) against `amtool alert query -o json`
 * on the same Alertmanager, measured side by side in this run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AlertmanagerClient } from '../electron/core/alertmanager/alertmanager-client.js';
import { mergeByFingerprint, normalizeAlert } from '../electron/core/alerts/normalize.js';
import { defaultPackDir } from '../electron/core/config/config-loader.js';
import { loadPack } from '../electron/core/config/pack-loader.js';
import { groupAlerts } from '../shared/alert-groups.js';
import { startAlertmanager } from '../test/helpers/services.js';
import { medianMs, report } from './bench-kit.js';

const total = 10_000;
const run = promisify(execFile);
const pack = await loadPack(defaultPackDir());
const am = await startAlertmanager();
try {
  const names = ['HighErrorRate', 'HighLatency', 'HighCPUUsage', 'DiskSpaceLow', 'APIDown', 'PodCrashLooping', 'QueueBacklog', 'CertExpiring'];
  const severities = ['critical', 'warning', 'info'];
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  for (let batch = 0; batch < total / 1000; batch++) {
    const alerts = Array.from({ length: 1000 }, (_, i) => {
      const n = batch * 1000 + i;
      return {
        labels: { alertname: names[n % names.length]!, severity: severities[n % 3]!, instance: `node-${n}`, team: 'backend' },
        annotations: { summary: `storm alert ${n}`, runbook: 'https://runbook.tiendi.pe/storm' },
        startsAt,
        endsAt,
      };
    });
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!res.ok) throw new Error(`pushing alerts failed: HTTP ${res.status}`);
  }
  const client = new AlertmanagerClient('am', am.url, { connection: 'bench Alertmanager', timeoutMs: 60_000 });
  for (let i = 0; (await client.listAlerts()).length < total; i++) {
    if (i > 100) throw new Error('Alertmanager never listed all alerts');
    await new Promise((r) => setTimeout(r, 100));
  }

  let shown = 0;
  const guardia = await medianMs(5, async () => {
    const raw = await client.listAlerts();
    const merged = mergeByFingerprint([raw.map((a) => normalizeAlert(pack, a, client.name))]);
    shown = groupAlerts(merged, new Set()).length;
  });
  let amtoolCount = 0;
  const amtool = await medianMs(5, async () => {
    const { stdout } = await run('amtool', ['alert', 'query', '-o', 'json', `--alertmanager.url=${am.url}`], { maxBuffer: 512 * 1024 * 1024 });
    amtoolCount = (JSON.parse(stdout) as unknown[]).length;
  });
  if (amtoolCount !== total || shown !== total + names.length) throw new Error(`counts differ: amtool ${amtoolCount}, Guardia rows ${shown}`);
  report({
    name: `alerts: ${total} in a real Alertmanager, fetch+normalize+dedupe+group`,
    reference: `amtool alert query -o json: ${amtool.toFixed(0)} ms`,
    figure: `${guardia.toFixed(0)} ms`,
    ratio: guardia / amtool,
  });
} finally {
  await am.stop();
}
