/**
 * Exec credential plugins against the fake API server: a shell script standing in for kubelogin
 * prints an ExecCredential; Guardia finds it only on the login shell's PATH, runs it only once the
 * user allowed it, and then lists the same pods kubectl lists through the same kubeconfig.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import {
  allowExecCommand,
  ExecAllowlist,
  execAllowlistPath,
  loginShellPath,
  type ExecPolicy,
} from '../../electron/core/kubernetes/exec-credentials.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api/index.js';

const execFileAsync = promisify(execFile);
const ns = 'production';
let work: string;
let bin: string;
let api: FakeKubeApi;
let caseCount = 0;

/** A kubelogin stand-in: records each run and its KUBERNETES_EXEC_INFO, prints a token (or fails). */
function writePlugin(name: string, body: string): string {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function setup(execStanza: Record<string, unknown>) {
  const dir = join(work, `case-${caseCount++}`);
  mkdirSync(dir);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'aks', cluster: { server: api.url, 'certificate-authority': api.caFile } }],
      users: [{ name: 'aad-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...execStanza } } }],
      contexts: [{ name: 'tiendi-prod', context: { cluster: 'aks', user: 'aad-user', namespace: ns } }],
      'current-context': 'tiendi-prod',
    }),
    { mode: 0o600 },
  );
  const home = join(dir, 'home');
  // The login shell's PATH has the plugin's folder; this process's PATH (a GUI app's) does not.
  const policy: ExecPolicy = { allowlist: new ExecAllowlist(execAllowlistPath(home)), loginPath: async () => `${bin}:/usr/bin:/bin`, timeoutMs: 5000 };
  return { dir, kubeconfig, home, policy };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'guardia-k8s-exec-'));
  bin = join(work, 'bin');
  mkdirSync(bin);
  api = await startFakeKubeApi({ seed: 'kubernetes-exec.test' });
  writePlugin(
    'fake-kubelogin',
    `echo run >> "$RUNS_FILE"\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$RUNS_FILE.info"\n` +
      `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$1"`,
  );
  writePlugin('failing-plugin', 'echo "AADSTS70043: The refresh token has expired. Run kubelogin convert-kubeconfig" >&2\nexit 1');
});

afterEach(() => {
  api.requests.length = 0;
});

afterAll(async () => {
  await api.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('exec credential plugins', () => {
  it('a command run in a pod (kubectl exec) authenticates with the plugin\'s token too', async () => {
    const runs = join(work, 'runs-pod-exec');
    const { kubeconfig, policy } = setup({ command: 'fake-kubelogin', args: [api.token], env: [{ name: 'RUNS_FILE', value: runs }] });
    await allowExecCommand('fake-kubelogin', policy);
    const off = api.onExec((call) => ({ stdout: `hello ${call.user} from ${call.pod}\n` }));
    try {
      const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
      const r = await cluster.exec(ns, { deployment: 'tiendi-api' }, ['node', 'scripts/retry-payments.js']);
      expect(r).toMatchObject({ exitCode: 0, stdout: `hello ${api.user} from ${r.pod}\n`, note: null });
      expect(api.requests.filter((x) => x.exec && x.status === 101).map((x) => x.user)).toEqual([api.user]);
    } finally {
      off();
    }
  });

  it('refuses a plugin the user has not allowed, naming the command and how to allow it; runs nothing', async () => {
    const runs = join(work, 'runs-refused');
    const { kubeconfig, policy } = setup({ command: 'fake-kubelogin', args: [api.token], env: [{ name: 'RUNS_FILE', value: runs }] });
    const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
    const error = await cluster.listPods(ns).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.code).toBe('kubernetes.exec-not-allowed');
    expect(error?.message).toBe(
      `Context "tiendi-prod" authenticates with the exec plugin "fake-kubelogin" (${join(bin, 'fake-kubelogin')}), which Guardia has not been allowed to run. ` +
        `Allow it once with: guardia kube allow-exec ${join(bin, 'fake-kubelogin')} (or Allow in the app's Kubernetes contexts)`,
    );
    expect(() => statSync(runs)).toThrow();
    expect(api.requests.filter((r) => r.path.includes('/pods'))).toEqual([]);
  });

  it('once allowed, runs it with the login-shell PATH, caches the token, and sees what kubectl sees', async () => {
    const runs = join(work, 'runs-allowed');
    const { kubeconfig, home, policy } = setup({
      command: 'fake-kubelogin',
      args: [api.token],
      env: [{ name: 'RUNS_FILE', value: runs }],
      provideClusterInfo: true,
    });
    const entry = await allowExecCommand('fake-kubelogin', policy);
    expect(entry.path).toBe(join(bin, 'fake-kubelogin'));
    const file = execAllowlistPath(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, commands: [{ path: join(bin, 'fake-kubelogin'), command: 'fake-kubelogin' }] });
    // Allowing twice keeps one entry.
    await allowExecCommand(join(bin, 'fake-kubelogin'), policy);
    expect((await policy.allowlist.list()).length).toBe(1);

    const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
    const pods = await cluster.listPods(ns);
    await cluster.listDeployments(ns);
    expect(readFileSync(runs, 'utf8')).toBe('run\n');
    const info = JSON.parse(readFileSync(`${runs}.info`, 'utf8')) as { kind: string; spec: { interactive: boolean; cluster?: { server: string } } };
    expect(info).toMatchObject({ kind: 'ExecCredential', spec: { interactive: false, cluster: { server: api.url } } });
    const list = api.requests.find((r) => r.path === `/api/v1/namespaces/${ns}/pods`)!;
    expect(list.user).toBe(api.user);

    const kubectl = await execFileAsync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'kcache'), 'get', 'pods', '-n', ns, '--no-headers', '-o', 'name'], {
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: work },
    });
    expect(pods.map((p) => `pod/${p.name}`)).toEqual(kubectl.stdout.trim().split('\n'));
  });

  it('after a 401 the cached token is dropped: the next request runs the plugin again (a rotated credential)', async () => {
    const runs = join(work, 'runs-rotated');
    writePlugin(
      'rotating-plugin',
      `echo run >> "$RUNS_FILE"\nif [ "$(wc -l < "$RUNS_FILE")" -eq 1 ]; then t=revoked-token; else t="$1"; fi\n` +
        `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$t"`,
    );
    const { kubeconfig, policy } = setup({ command: 'rotating-plugin', args: [api.token], env: [{ name: 'RUNS_FILE', value: runs }] });
    await allowExecCommand('rotating-plugin', policy);
    const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
    await expect(cluster.listPods(ns)).rejects.toMatchObject({ code: 'kubernetes.unauthorized' });
    expect((await cluster.listPods(ns)).length).toBeGreaterThan(0);
    await cluster.listPods(ns);
    expect(readFileSync(runs, 'utf8')).toBe('run\nrun\n');
  });

  it('a failing plugin says which context and command, with its message', async () => {
    const { kubeconfig, policy } = setup({ command: 'failing-plugin' });
    await allowExecCommand('failing-plugin', policy);
    const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
    await expect(cluster.listPods(ns)).rejects.toMatchObject({
      code: 'kubernetes.exec-failed',
      message:
        'The exec plugin "failing-plugin" of context "tiendi-prod" failed (exit code 1): AADSTS70043: The refresh token has expired. Run kubelogin convert-kubeconfig',
    });
  });

  it('a plugin missing from the login PATH says so, with the kubeconfig install hint', async () => {
    const { kubeconfig, policy } = setup({ command: 'no-such-auth-plugin', installHint: 'Install no-such-auth-plugin with gcloud components install.' });
    const cluster = KubernetesCluster.fromFile(kubeconfig, 'tiendi-prod', { exec: policy });
    await expect(cluster.listPods(ns)).rejects.toMatchObject({
      code: 'kubernetes.exec-not-found',
      message:
        'Context "tiendi-prod" authenticates with the exec plugin "no-such-auth-plugin", which is not on your login shell\'s PATH. Install no-such-auth-plugin with gcloud components install.',
    });
    await expect(allowExecCommand('no-such-auth-plugin', policy)).rejects.toMatchObject({ code: 'kubernetes.exec-not-found' });
  });

  it("reads the login shell's PATH (profile banners and all), not this process's", async () => {
    const home = join(work, 'shell-home');
    mkdirSync(home);
    writeFileSync(join(home, '.bash_profile'), 'echo "Welcome to the jump host"\nexport PATH="/opt/guardia-login-bin:$PATH"\n');
    const path = await loginShellPath({ env: { SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin' }, fresh: true });
    expect(path.split(':')[0]).toBe('/opt/guardia-login-bin');
    expect(path).not.toContain('Welcome');
    // No usable shell: this process's PATH.
    expect(await loginShellPath({ env: { SHELL: 'bash', PATH: '/only/this' }, fresh: true })).toBe('/only/this');
  });
});
