import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startAlertmanager, type AlertmanagerHandle } from '../helpers/services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type WatchEvent = { channel: string; payload: Record<string, unknown> };

let alertmanager: AlertmanagerHandle;
let watch: ChildProcess;
const events: WatchEvent[] = [];

async function push(names: string[]): Promise<void> {
  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(names.map((name, i) => ({ labels: { alertname: name, severity: 'critical', instance: `i-${i}` }, annotations: { summary: `${name} fired` }, startsAt: new Date().toISOString() }))),
  });
  expect(res.ok).toBe(true);
}

async function until<T>(what: string, find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not appear; saw ${events.map((e) => e.channel).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notifications = () => events.filter((e) => e.channel === 'notifications.changed').map((e) => e.payload as { title: string; body: string; kind: string; severity: string });

describe('guardia watch --json shows the notification events core decides', () => {
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    const home = await mkdtemp(join(tmpdir(), 'guardia-notify-'));
    const config = join(home, 'config.yaml');
    await writeFile(
      config,
      `version: 1\nrefreshSeconds: 1\nnotifications: { stormThreshold: 2, stormWindowSeconds: 3 }\nenvironments:\n  - id: test\n    name: Test\n    production: false\n    connections:\n      alertmanagers: [{ name: am, url: "${alertmanager.url}" }]\n`,
    );
    watch = spawn(process.execPath, ['bin/guardia.mjs', 'watch', '--json', '--config', config], { cwd: root, env: { ...process.env, GUARDIA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: watch.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) events.push(JSON.parse(line) as WatchEvent);
    });
    await until('the first alerts poll', () => events.find((e) => e.channel === 'alerts.changed'), 30_000);
  });

  afterAll(async () => {
    watch?.kill('SIGTERM');
    await alertmanager?.stop();
  });

  it('a new P1 in Alertmanager becomes one notification event', async () => {
    await push(['APIDown']);
    const n = await until('the APIDown notification', () => notifications().find((x) => x.title === 'P1 APIDown'));
    expect(n).toMatchObject({ kind: 'alert', severity: 'P1', body: 'APIDown fired' });
    // The alert stays firing on the next polls: it is not announced again.
    await new Promise((r) => setTimeout(r, 2500));
    expect(notifications().filter((x) => x.title === 'P1 APIDown')).toHaveLength(1);
  });

  it('a storm becomes one summary after the window instead of one notification per alert', async () => {
    // Start on a quiet window (stormWindowSeconds is 3 here), as after the previous test's alert.
    await new Promise((r) => setTimeout(r, 3500));
    const before = notifications().length;
    await push(['HighErrorRate', 'HighErrorRate2', 'DatabaseDown', 'HighErrorRate3', 'HighErrorRate4', 'RedisDown']);
    const summary = await until('the storm summary', () => notifications().slice(before).find((x) => x.kind === 'storm'));
    // The summary counts the whole storm, the few shown one by one included.
    expect(summary.title).toMatch(/^6 alertas en \d+ s$/); // the pack speaks Spanish
    expect(summary.body).toMatch(/^6 alertas en \d+ s: .*HighErrorRate/);
    // At most stormThreshold (2) were shown individually before the rest was held for the summary.
    const individual = notifications().slice(before).filter((x) => x.kind === 'alert');
    expect(individual.length).toBeGreaterThan(0);
    expect(individual.length).toBeLessThanOrEqual(2);
  });
});
