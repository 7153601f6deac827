import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startKeyring, type KeyringHandle } from '../helpers/services.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Distinctive cores: a leak is found even if the secret went through JSON escaping or was cut.
const promCore = 'p7f3a9c21e5';
const amCore = 'a51be90d44c';
const pdCore = 'd0c8e2f7a19';
const planted = {
  prometheus: `planted-${promCore}-bearer/+"q`,
  alertmanager: `planted-${amCore}-basic`,
  pagerduty: `u+${pdCore}-pd-token`,
};
/** How each secret can travel on the wire: raw, or base64 inside Basic auth. */
const needles = [promCore, amCore, pdCore, Buffer.from(`guardia:${planted.alertmanager}`).toString('base64').slice(4, 24)];

function findLeaks(where: string, text: string): string[] {
  return needles.filter((n) => text.includes(n)).map((n) => `${where} contains ${n}`);
}

/** `guardia ARGS` as a user runs it (exit code, stdout, stderr). */
function guardia(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, 'bin/guardia.mjs'), ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

let keyring: KeyringHandle;
let pagerduty: FakePagerDuty;
let echo: Server;
let echoUrl: string;
let home: string;
let config: string;
let env: Record<string, string>;

beforeAll(async () => {
  keyring = await startKeyring();
  pagerduty = await startFakePagerDuty({ tokens: { [planted.pagerduty]: 'PUSRJUA' } });
  // A Prometheus/Alertmanager that refuses every request and echoes the Authorization header back in its error body.
  echo = createServer((req, res) => {
    res.writeHead(401, { 'Content-Type': 'text/plain' });
    res.end(`unauthorized: got "${req.headers.authorization ?? ''}"`);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const address = echo.address();
  echoUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  home = await mkdtemp(join(tmpdir(), 'guardia-leaks-'));
  config = join(home, 'config.yaml');
  await writeFile(
    config,
    [
      'version: 1',
      'environments:',
      '  - id: prod',
      '    name: Prod',
      '    production: true',
      '    connections:',
      `      prometheus: { url: "${echoUrl}", auth: { kind: bearer, secret: leak-prom } }`,
      `      alertmanagers: [{ name: am-a, url: "${echoUrl}", auth: { kind: basic, username: guardia, secret: leak-am } }]`,
      `      pagerduty: { secret: leak-pd, from: juan.perez@tiendi.pe, url: "${pagerduty.url}", pollSeconds: 1 }`,
      '',
    ].join('\n'),
  );
  env = { ...keyring.env, GUARDIA_HOME: home, GUARDIA_LOG_LEVEL: 'debug' };
  for (const [name, value] of [['leak-prom', planted.prometheus], ['leak-am', planted.alertmanager], ['leak-pd', planted.pagerduty]] as const) {
    const set = await guardia(['creds', 'set', name], env, `${value}\n`);
    expect(set.code, set.stderr).toBe(0);
  }
}, 30_000);

afterAll(async () => {
  await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
  await pagerduty?.close();
  await keyring?.stop();
});

describe('a planted secret (keychain → Prometheus, Alertmanager, PagerDuty) never leaves the core', () => {
  it('not in debug logs, contract responses, events, handoff exports, watch --json or the journal', async () => {
    const incident = pagerduty.triggerIncident({ title: '[FIRING:1] APIDown' });
    const child: ChildProcess = spawn(process.execPath, ['bin/guardia.mjs', 'serve', '--no-open', '--port', '0', '--config', config, '--refresh', '1'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const leaks: string[] = [];
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (l) => {
          stdout += `${l}\n`;
          if (l.startsWith('Guardia at ')) resolve(l);
        });
        child.once('exit', () => reject(new Error(`guardia serve exited early:\n${stderr}`)));
      });
      const m = /^Guardia at (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)$/.exec(first)!;
      const [, base, token] = m;
      const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };

      // The event stream the renderer reads, for the whole session.
      const events = new AbortController();
      let streamed = '';
      const stream = fetch(`${base}/api/events`, { headers, signal: events.signal }).then(async (res) => {
        for await (const chunk of res.body!) streamed += Buffer.from(chunk as Uint8Array).toString('utf8');
      }).catch(() => {});

      const responses: string[] = [];
      const invoke = async (channel: string, body: unknown) => {
        const text = await (await fetch(`${base}/api/invoke/${channel}`, { method: 'POST', headers, body: JSON.stringify(body) })).text();
        responses.push(`${channel}: ${text}`);
        return JSON.parse(text) as { ok: boolean; value?: unknown; error?: { message: string } };
      };
      // A session: polls fail against the echoing servers (their bodies carry the secret), the user
      // tests connections, reads PagerDuty, acknowledges (journaled), writes a note and exports the handoff.
      // Until the first polls have failed against the echoing servers.
      await expect.poll(async () => JSON.stringify(await invoke('status.get', {})), { timeout: 10_000, interval: 250 }).toMatch(/401/);
      for (const channel of ['app.getInfo', 'status.get', 'alerts.list', 'connections.list', 'paging.listIncidents', 'paging.getOnCall']) await invoke(channel, {});
      for (const id of ['prometheus', 'alertmanager:am-a', 'pagerduty']) await invoke('connections.test', { id });
      await invoke('paging.listIncidents', { scope: 'all' });
      const ack = await invoke('paging.acknowledge', { ids: [incident.id], confirm: true });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      await invoke('journal.addNote', { text: 'checked the secret stays put' });
      for (const format of ['md', 'html', 'json']) await invoke('handoff.getSummary', { format });
      await invoke('journal.list', {});
      const status = await invoke('status.get', {});
      // The session really reached the servers that echo the secret, and the reason is shown.
      expect(JSON.stringify(status)).toMatch(/401/);
      events.abort();
      await stream;

      const watch = await new Promise<string>((resolve) => {
        const w = spawn(process.execPath, ['bin/guardia.mjs', 'watch', '--json', '--config', config, '--refresh', '1'], { cwd: root, env: { ...process.env, ...env } });
        let out = '';
        w.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        w.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
        // Until it has printed some events (the failing sources, PagerDuty's incidents), at most 8 s.
        const timer = setTimeout(() => w.kill('SIGTERM'), 8000);
        w.stdout.on('data', () => {
          if (out.split('\n').length <= 3) return;
          clearTimeout(timer);
          w.kill('SIGTERM');
        });
        w.once('exit', () => resolve(out));
      });

      leaks.push(...findLeaks('the event stream', streamed));
      leaks.push(...responses.flatMap((r) => findLeaks(`the response to ${r.slice(0, r.indexOf(':'))}`, r)));
      leaks.push(...findLeaks('guardia watch --json', watch));
      expect(watch, 'guardia watch --json printed no events').toMatch(/"channel"/);
      expect(streamed).toContain('event: ');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    leaks.push(...findLeaks('serve stderr (debug log)', stderr), ...findLeaks('serve stdout', stdout));
    expect(stderr).toMatch(/"level":"debug"|"level":"warn"/);
    const files = (await readdir(home, { recursive: true })).filter((f) => !f.endsWith('config.yaml'));
    for (const f of files) leaks.push(...findLeaks(`file ${f}`, await readFile(join(home, f), 'utf8').catch(() => '')));
    expect(files.some((f) => f.startsWith('journal'))).toBe(true);
    expect(leaks).toEqual([]);
  }, 35_000);

  it('not in crash output: a command failing on an unusable GUARDIA_HOME after reading the secret', async () => {
    const file = join(home, 'not-a-directory');
    await writeFile(file, 'x');
    const results = await Promise.all([
      guardia(['status', '--json', '--config', config], { ...env, GUARDIA_HOME: file }),
      guardia(['alerts', '--json', '--config', config], env),
    ]);
    // An unusable home is a failure (non-zero exit, a message), not a silent success.
    expect(results[0]!.code).not.toBe(0);
    for (const r of results) {
      expect(r.stdout + r.stderr).not.toBe('');
      expect(findLeaks('crash output', r.stdout + r.stderr)).toEqual([]);
    }
  }, 25_000);
});
