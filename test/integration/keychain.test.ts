import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKeyring, type KeyringHandle } from '../helpers/services.js';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store.js';
import { createLogger, Redactor } from '../../electron/core/log/logger.js';
import { createGuardia } from '../../electron/core/compose.js';
import { parseLaunchArgs } from '../../electron/core/launch-options.js';
import { main } from '../../electron/cli/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let keyring: KeyringHandle;
const saved: Record<string, string | undefined> = {};

/** `guardia ARGS` as a user runs it, with stdin and an environment (exit code, stdout, stderr). */
function guardia(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(root, 'bin/guardia.mjs'), ...args],
      { cwd: root, env: { ...process.env, ...opts.env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** The CLI in process (fast), capturing what it prints. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('connection secrets in a real Secret Service (gnome-keyring)', () => {
  beforeAll(async () => {
    keyring = await startKeyring();
    for (const [k, v] of Object.entries(keyring.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await keyring?.stop();
  });

  it('sets, gets, lists and deletes a secret', async () => {
    const store = new KeychainSecretStore(new Redactor());
    await store.set('prometheus-prod', 's3cret-token-value');
    expect(await store.get('prometheus-prod')).toBe('s3cret-token-value');
    await store.set('prometheus-prod', 'replaced-token-value');
    expect(await store.get('prometheus-prod')).toBe('replaced-token-value');
    expect(await store.list()).toContain('prometheus-prod');
    await store.delete('prometheus-prod');
    expect(await store.list()).not.toContain('prometheus-prod');
    await expect(store.get('prometheus-prod')).rejects.toThrow(/No secret "prometheus-prod".*guardia creds set prometheus-prod/);
    await expect(store.delete('prometheus-prod')).rejects.toThrow(/No secret "prometheus-prod"/);
  });

  it('guardia creds set reads the secret from stdin, list shows names only, delete removes it', async () => {
    const set = await guardia(['creds', 'set', 'pagerduty-token'], { env: keyring.env, input: 'u+pd-planted-secret-1234\n' });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Stored "pagerduty-token"');
    expect(set.stdout + set.stderr).not.toContain('planted-secret');
    expect(await new KeychainSecretStore(new Redactor()).get('pagerduty-token')).toBe('u+pd-planted-secret-1234');

    const list = await cli(['creds', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain('pagerduty-token');
    expect(list.stdout).not.toContain('planted-secret');

    const argv = await cli(['creds', 'set', 'pagerduty-token', 'secret-on-the-command-line']);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/read from standard input, never from the command line/);

    expect((await cli(['creds', 'delete', 'pagerduty-token'])).code).toBe(0);
    expect((await cli(['creds', 'list'])).stdout).not.toContain('pagerduty-token');
  });

  it('with no Secret Service every operation fails saying so and how to fix it; nothing is stored in plain text', async () => {
    const home = await mkdtemp(join(tmpdir(), 'guardia-nokeychain-'));
    const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`, GUARDIA_HOME: home };
    const config = join(home, 'config.yaml');
    await writeFile(config, 'version: 1\nenvironments:\n  - id: prod\n    name: Prod\n    production: true\n    connections:\n      prometheus:\n        url: http://127.0.0.1:9\n        auth: { kind: bearer, secret: prom-token }\n');
    // Separate processes (the keychain library keeps its D-Bus connection for the life of a process).
    // (`creds list` fails the same way: delete lists first, since deleting alone fakes success.)
    const [set, del, status] = await Promise.all([
      guardia(['creds', 'set', 'x-token'], { env, input: 'planted-nokeychain-secret\n' }),
      guardia(['creds', 'delete', 'x-token'], { env }),
      guardia(['status', '--json', '--config', config], { env }),
    ]);
    for (const r of [set, del]) {
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toMatch(/OS keychain is not available/);
      expect(r.stderr).toMatch(/Start and unlock a Secret Service/);
      expect(r.stderr).not.toContain('planted-nokeychain-secret');
    }
    // Reading a connection's secret says the same instead of calling Prometheus without credentials.
    const stale = (JSON.parse(status.stdout) as { stale: Array<{ source: string; reason: string }> }).stale;
    expect(stale.find((s) => s.source === 'metrics')?.reason).toMatch(/OS keychain is not available/);
    // No plaintext fallback: nothing was written to Guardia's home.
    const files = await readdir(home, { recursive: true });
    for (const f of files) expect(await readFile(join(home, f), 'utf8').catch(() => '')).not.toContain('planted-nokeychain-secret');
  });

  describe('a planted secret never reaches logs, error messages or the journal', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // A Prometheus that refuses the token and echoes the Authorization header back in its error body.
      server = createServer((req, res) => {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end(`unauthorized: got "${req.headers.authorization ?? ''}"`);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('through polling, Test connection and Settings → Connections', async () => {
      const planted = 'planted-bearer-7f3a9c21';
      const home = await mkdtemp(join(tmpdir(), 'guardia-redact-'));
      const config = join(home, 'config.yaml');
      await writeFile(
        config,
        `version: 1\nenvironments:\n  - id: prod\n    name: Prod\n    production: true\n    connections:\n      prometheus:\n        url: ${url}\n        auth: { kind: bearer, secret: prom-redact-test }\n      alertmanagers:\n        - { name: am-a, url: ${url}, auth: { kind: bearer, secret: prom-redact-test } }\n`,
      );
      await new KeychainSecretStore(new Redactor()).set('prom-redact-test', planted);
      const lines: string[] = [];
      const redactor = new Redactor();
      const logger = createLogger({ level: 'debug', redactor, write: (l) => lines.push(l) });
      const g = await createGuardia(parseLaunchArgs(['--config', config]), { logger, redactor, env: { ...process.env, GUARDIA_HOME: home } });
      try {
        await g.core.refreshOnce();
        const results = [
          await g.core.invoke('status.get', {}),
          await g.core.invoke('connections.test', { id: 'prometheus' }),
          await g.core.invoke('connections.test', { id: 'alertmanager:am-a' }),
          await g.core.invoke('connections.list', {}),
        ];
        const test = results[1] as { ok: true; value: { ok: boolean; message: string } };
        expect(test.value.ok).toBe(false);
        expect(test.value.message).toMatch(/401/);
        const replaced = 'planted-replacement-55e1';
        const set = await g.core.invoke('connections.setSecret', { id: 'prometheus', secret: replaced });
        expect(set).toMatchObject({ ok: true, value: { id: 'prometheus', secretSet: true } });
        results.push(set, await g.core.invoke('connections.test', { id: 'prometheus' }));
        expect(await new KeychainSecretStore(new Redactor()).get('prom-redact-test')).toBe(replaced);
        const everything = [...lines, JSON.stringify(results)].join('\n');
        expect(lines.length).toBeGreaterThan(0);
        expect(everything).not.toContain(planted);
        expect(everything).not.toContain(replaced);
        const journal = await readdir(join(home, 'journal')).catch(() => [] as string[]);
        for (const f of journal) {
          const text = await readFile(join(home, 'journal', f), 'utf8');
          expect(text).not.toContain(planted);
          expect(text).not.toContain(replaced);
        }
        const del = await g.core.invoke('connections.deleteSecret', { id: 'prometheus' });
        expect(del).toMatchObject({ ok: true, value: { secretSet: false } });
      } finally {
        await g.close();
      }
    });
  });
});
