/**
 * Importing kubeconfig contexts into the OS keychain, against the fake Kubernetes API (HTTPS, with a
 * client-certificate front) and a real Secret Service (gnome-keyring on a private D-Bus session):
 * the secrets leave every file Guardia writes, Guardia reaches the cluster through the keychain,
 * kubectl with the original file sees the same pods, and a missing keychain is an error, never a
 * fallback to the file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardiaError } from '../../shared/result.js';
import { diskKubeFiles, guardiaKubeconfigPath, listKubeContexts } from '../../electron/core/kubernetes/kube-contexts.js';
import { applyKubeImport, planKubeImport, replaceKubeToken, resolveKubeCluster } from '../../electron/core/kubernetes/kube-import.js';
import { Redactor } from '../../electron/core/log/logger.js';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store.js';
import { startClientCertFront, type ClientCert, type ClientCertFront } from '../fakes/kube-api/client-cert-front.js';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api/index.js';
import { startKeyring, type KeyringHandle } from '../helpers/services.js';

const execFileAsync = promisify(execFile);
const ns = 'production';
const keyringEnv = ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'XDG_DATA_HOME'] as const;
const savedEnv = Object.fromEntries(keyringEnv.map((k) => [k, process.env[k]]));

let keyring: KeyringHandle;
let api: FakeKubeApi;
let front: ClientCertFront;
let clientCert: ClientCert;
let work: string;
let home: string;
let secrets: KeychainSecretStore;
let redactor: Redactor;
let kubectlRuns = 0;

function useKeyring(): void {
  for (const k of keyringEnv) process.env[k] = keyring.env[k];
}

async function kubectl(kubeconfig: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const dir = join(work, `kubectl-${kubectlRuns++}`);
  try {
    const running = execFileAsync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', ns, ...args], {
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 30_000,
    });
    // Without credentials kubectl would prompt for a username on stdin: give it none.
    running.child.stdin?.end();
    const r = await running;
    return { ...r, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Every form a secret could take in a file: itself, each of its lines, and base64 of both. */
function secretForms(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64')];
  for (const line of secret.split('\n')) {
    if (line.length >= 16 && !line.startsWith('-----')) forms.push(line, Buffer.from(line).toString('base64'));
  }
  return forms;
}

function expectNoSecret(file: string, secret: string): void {
  const bytes = readFileSync(file);
  for (const form of secretForms(secret)) {
    expect(bytes.includes(Buffer.from(form)), `${file} contains a form of the secret`).toBe(false);
  }
}

async function importContext(kubeconfig: string, context: string, removeFromOriginal = false) {
  const plan = await planKubeImport({ files: diskKubeFiles, kubeconfigs: [kubeconfig], context, guardiaKubeconfig: guardiaKubeconfigPath(home) });
  const outcome = await applyKubeImport(plan, { files: diskKubeFiles, secrets, redactor, removeFromOriginal });
  return { plan, outcome };
}

function cluster(context: string) {
  return resolveKubeCluster({
    context,
    defaultKubeconfig: join(work, 'no-such-kubeconfig'),
    guardiaKubeconfig: guardiaKubeconfigPath(home),
    secrets,
    redactor,
  });
}

const root = join(import.meta.dirname, '..', '..');

/** The real `guardia` command in a child process (its own D-Bus connection, so the keychain can be absent). */
async function guardia(args: string[], env: Record<string, string | undefined>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const running = execFileAsync(process.execPath, [join(root, 'bin/guardia.mjs'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: work, ...env },
      timeout: 30_000,
    });
    running.child.stdin?.end();
    const r = await running;
    return { ...r, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

async function kubectlPodNames(kubeconfig: string): Promise<string[]> {
  const run = await kubectl(kubeconfig, ['get', 'pods', '-o', 'name']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim().split('\n').map((l) => l.replace(/^pod\//, '')).sort();
}

beforeAll(async () => {
  [keyring, api] = await Promise.all([startKeyring(), startFakeKubeApi({ seed: 'kube-import.test' })]);
  front = await startClientCertFront(api);
  clientCert = await front.issueClientCert(api.user);
  work = mkdtempSync(join(tmpdir(), 'guardia-kube-import-'));
  useKeyring();
});

afterEach(() => useKeyring());

afterAll(async () => {
  for (const k of keyringEnv) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await front?.stop();
  await Promise.all([api?.stop(), keyring?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('guardia kube import against the fake API and a real Secret Service', () => {
  it('imports a token context: the token moves to the keychain, Guardia lists the pods kubectl sees with the original file', async () => {
    home = mkdtempSync(join(work, 'home-token-'));
    secrets = new KeychainSecretStore((redactor = new Redactor()));
    const original = api.writeKubeconfig({ context: 'tiendi-token', name: 'token-kubeconfig' });
    const before = readFileSync(original, 'utf8');
    const { plan, outcome } = await importContext(original, 'tiendi-token');

    expect(plan.secrets.map((s) => [s.kind, s.entry])).toEqual([['token', 'kube.tiendi-token.token']]);
    expect(await secrets.get('kube.tiendi-token.token')).toBe(api.token);
    const written = guardiaKubeconfigPath(home);
    expect(statSync(written).mode & 0o777).toBe(0o600);
    expectNoSecret(written, api.token);
    expect(readFileSync(written, 'utf8')).toContain('kube.tiendi-token.token');
    // Not asked to remove: the original is untouched and the diff it would apply hides the value.
    expect(outcome.removedFrom).toBeNull();
    expect(readFileSync(original, 'utf8')).toBe(before);
    expect(plan.removalDiff).toMatch(/^-\s+token: ‹hidden, \d+ characters›$/m);
    expect(plan.removalDiff).not.toContain(api.token);

    const fromRequests = api.requests.length;
    const pods = (await (await cluster('tiendi-token')).listPods(ns)).map((p) => p.name).sort();
    expect(pods.length).toBeGreaterThan(0);
    const seen = api.requests.slice(fromRequests).find((r) => r.path === `/api/v1/namespaces/${ns}/pods`);
    expect(seen?.user).toBe(api.user);
    expect(await kubectlPodNames(original)).toEqual(pods);

    const listed = await listKubeContexts({ files: diskKubeFiles, kubeconfigs: [original], guardiaKubeconfig: written });
    expect(listed).toEqual([
      expect.objectContaining({ name: 'tiendi-token', imported: true, credentials: 'keychain', warning: expect.stringContaining('--remove-from-original') }),
    ]);
  });

  it('imports a client-certificate context, removes the secrets from the original on request and keeps a 0600 backup', async () => {
    home = mkdtempSync(join(work, 'home-x509-'));
    secrets = new KeychainSecretStore((redactor = new Redactor()));
    const original = front.writeKubeconfig({ cert: clientCert, context: 'tiendi-x509', inline: true });
    const before = readFileSync(original, 'utf8');
    expect(await kubectlPodNames(original)).not.toHaveLength(0);

    const { plan, outcome } = await importContext(original, 'tiendi-x509', true);
    expect(plan.secrets.map((s) => s.kind).sort()).toEqual(['client-certificate', 'client-key']);
    expect(await secrets.get('kube.tiendi-x509.client-key')).toBe(clientCert.key);
    const written = guardiaKubeconfigPath(home);
    expect(statSync(written).mode & 0o777).toBe(0o600);
    for (const secret of [clientCert.key, clientCert.cert]) {
      expectNoSecret(written, secret);
      expectNoSecret(original, secret);
    }
    expect(plan.removalDiff).not.toContain(Buffer.from(clientCert.key).toString('base64'));

    // The backup is the original, byte for byte, readable only by its owner.
    expect(outcome.backup).not.toBeNull();
    expect(readFileSync(outcome.backup!, 'utf8')).toBe(before);
    expect(statSync(outcome.backup!).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(original, '..')).filter((f) => f.startsWith('kubeconfig-tiendi-x509.guardia-backup-'))).toHaveLength(1);

    const from = api.requests.length;
    const pods = (await (await cluster('tiendi-x509')).listPods(ns)).map((p) => p.name).sort();
    expect(api.requests.slice(from).find((r) => r.path === `/api/v1/namespaces/${ns}/pods`)?.user).toBe(api.user);
    expect(await kubectlPodNames(outcome.backup!)).toEqual(pods);
    // A command run in a pod (a WebSocket, not a plain request) presents the keychain's certificate too.
    const off = api.onExec(() => ({ stdout: 'ok\n' }));
    try {
      const ran = await (await cluster('tiendi-x509')).exec!(ns, { deployment: 'tiendi-api' }, ['node', 'scripts/retry-payments.js']);
      expect(ran).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
      expect(api.requests.filter((r) => r.exec && r.status === 101).at(-1)?.user).toBe(api.user);
    } finally {
      off();
    }
    // The stripped original no longer authenticates: the secret really left it.
    const stripped = await kubectl(original, ['get', 'pods', '-o', 'name']);
    expect(stripped.code).not.toBe(0);
  });

  it('with no keychain reachable, an imported context fails with a clear error and never uses the file (CLI)', async () => {
    home = mkdtempSync(join(work, 'home-locked-'));
    const original = api.writeKubeconfig({ context: 'tiendi-locked', name: 'locked-kubeconfig' });
    const withKeyring = { GUARDIA_HOME: home, KUBECONFIG: original, ...keyring.env };
    const imported = await guardia(['kube', 'import', '--context', 'tiendi-locked'], withKeyring);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('token in the file → OS keychain entry kube.tiendi-locked.token');
    expect(imported.stdout).toMatch(/^-\s+token: ‹hidden, \d+ characters›$/m);
    expect(imported.stdout + imported.stderr).not.toContain(api.token);

    // No D-Bus session: the keychain is unreachable. The original file (on KUBECONFIG) still has the token.
    const from = api.requests.length;
    const locked = await guardia(['kube', 'check', '--context', 'tiendi-locked'], {
      GUARDIA_HOME: home,
      KUBECONFIG: original,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(work, 'no-bus')}`,
      XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR,
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('Context "tiendi-locked" is imported into Guardia');
    expect(locked.stderr).toContain('never falls back');
    expect(locked.stderr).not.toContain(api.token);
    expect(api.requests.slice(from)).toHaveLength(0);

    // The same import works where the keychain answers (here, in this process): the failure was the keychain's.
    secrets = new KeychainSecretStore((redactor = new Redactor()));
    const pods = (await (await cluster('tiendi-locked')).listPods(ns)).map((p) => p.name).sort();
    expect(pods).toEqual(await kubectlPodNames(original));
  });

  it('a revoked token says which context and how to fix it; replacing the token makes the next call work', async () => {
    home = mkdtempSync(join(work, 'home-rotate-'));
    secrets = new KeychainSecretStore((redactor = new Redactor()));
    const original = api.writeKubeconfig({ context: 'tiendi-rotate', token: 'revoked-token-0123456789', name: 'rotate-kubeconfig' });
    await importContext(original, 'tiendi-rotate');
    const c = await cluster('tiendi-rotate');
    const error = (await c.listPods(ns).catch((e: unknown) => e)) as GuardiaError;
    expect(error.code).toBe('kubernetes.unauthorized');
    expect(error.message).toContain('context "tiendi-rotate"');
    expect(error.message).toContain('guardia kube set-token --context tiendi-rotate');
    expect(error.detail).toMatchObject({ context: 'tiendi-rotate', reimport: true });

    await replaceKubeToken({ files: diskKubeFiles, guardiaKubeconfig: guardiaKubeconfigPath(home), context: 'tiendi-rotate', token: `${api.token}\n`, secrets, redactor });
    expect((await c.listPods(ns)).length).toBeGreaterThan(0);
    expectNoSecret(guardiaKubeconfigPath(home), api.token);
  });

  it('a context named in a kubeconfig file on purpose still reads that file (import is opt-in)', async () => {
    const file = join(work, 'explicit-kubeconfig');
    writeFileSync(file, readFileSync(api.kubeconfigPath));
    const c = await resolveKubeCluster({ context: 'fake', kubeconfig: file, defaultKubeconfig: file, guardiaKubeconfig: guardiaKubeconfigPath(home), secrets });
    expect((await c.listPods(ns)).length).toBeGreaterThan(0);
  });
});
