/**
 * pods/exec on the fake Kubernetes API, checked against the real clients: kubectl 1.32 (WebSocket,
 * v5.channel.k8s.io, with its SPDY fallback) and @kubernetes/client-node's Exec. Both must see what a
 * real cluster shows them: the command's bytes, its exit code, and the API server's own wording when
 * the exec is refused or the container has no such executable.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type ExecCall, type FakeKubeApi, type RecordedRequest } from '../fakes/kube-api/index.js';

const ns = 'production';
const script = ['node', 'scripts/retry-payments.js'];
let api: FakeKubeApi;
/** A tiendi-payment pod: containers payment and envoy, so kubectl defaults to payment and says so. */
let paymentPod: string;
/** The tiendi-api pod the seed leaves crash-looping: its container is not running. */
let crashingPod: string;
let viewerKubeconfig: string;
let removals: Array<() => void> = [];

interface KubectlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** kubectl as a user runs it, stdin piped when `input` is given. */
function kubectl(args: string[], opts: { kubeconfig?: string; input?: string } = {}): Promise<KubectlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', opts.kubeconfig ?? api.kubeconfigPath, ...args]);
    // Decoded once at the end: output is split on byte boundaries, a ✓ may straddle two chunks.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    child.stdin.end(opts.input);
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
    });
  });
}

interface ClientNodeRun {
  stdout: string;
  stderr: string;
  status?: V1Status;
  closeCode: number;
}

/** client-node's Exec through the fake's kubeconfig; resolves once the server has closed the socket. */
async function clientNodeExec(pod: string, container: string, command: string[], input?: string): Promise<ClientNodeRun> {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.on('data', (d: Buffer) => err.push(d));
  let status: V1Status | undefined;
  const stdin = input === undefined ? null : Readable.from([Buffer.from(input)]);
  const ws = await new Exec(kc).exec(ns, pod, container, command, stdout, stderr, stdin, false, (s) => {
    status = s;
  });
  const closeCode = await new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  return { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), status, closeCode };
}

/** The exec request (or requests: kubectl's SPDY fallback) the fake recorded since `from`. */
const execRequests = (from = 0): RecordedRequest[] => api.requests.slice(from).filter((r) => r.exec);

/** A responder for `script` only; other commands fall through to "executable not found". */
function answerScript(reply: (call: ExecCall) => { stdout?: string; stderr?: string; exitCode?: number }): ExecCall[] {
  const calls: ExecCall[] = [];
  removals.push(
    api.onExec((call) => {
      if (call.command.join(' ') !== script.join(' ')) return undefined;
      calls.push(call);
      return reply(call);
    }),
  );
  return calls;
}

beforeAll(async () => {
  api = await startFakeKubeApi({
    seed: 'fake-kube-exec.test',
    extraTokens: { 'viewer-token': 'viewer@tiendi.pe' },
    rules: [{ users: ['viewer@tiendi.pe'], resources: ['pods/exec'], verbs: ['create'], allow: false }],
  });
  const pods = api.listPods(ns);
  paymentPod = pods.find((p) => p.metadata.labels?.app === 'tiendi-payment')!.metadata.name;
  crashingPod = pods.find((p) => p.status.containerStatuses?.some((c) => c.state.waiting))!.metadata.name;
  viewerKubeconfig = api.writeKubeconfig({ token: 'viewer-token', name: 'viewer-kubeconfig' });
});

afterEach(() => {
  for (const remove of removals) remove();
  removals = [];
});

afterAll(async () => {
  await api?.stop();
});

describe('an exec that runs', () => {
  it('stdout and stderr with exit 0: kubectl prints them and exits 0; client-node gets the same bytes and Success', async () => {
    const calls = answerScript(() => ({ stdout: 'retried 3 payments\nall settled\n', stderr: 'warn: niubiz answered in 4.1s\n' }));

    const run = await kubectl(['exec', '-n', ns, paymentPod, '--', ...script]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('retried 3 payments\nall settled\n');
    // kubectl picks the first container itself and says so; the API server only sees container=payment.
    expect(run.stderr).toBe('Defaulted container "payment" out of: payment, envoy\nwarn: niubiz answered in 4.1s\n');
    expect(calls[0]).toEqual({ namespace: ns, pod: paymentPod, container: 'payment', command: script, stdin: '', tty: false, user: api.user });

    const node = await clientNodeExec(paymentPod, 'payment', script);
    expect(node.stdout).toBe('retried 3 payments\nall settled\n');
    expect(node.stderr).toBe('warn: niubiz answered in 4.1s\n');
    expect(node.status).toEqual({ metadata: {}, status: 'Success' });
    expect(node.closeCode).toBe(1000);
  });

  it('long output arrives whole though the fake sends it in several frames', async () => {
    const long = Array.from({ length: 4000 }, (_, i) => `payment ${i} settled ✓\n`).join('');
    answerScript(() => ({ stdout: long }));
    expect((await kubectl(['exec', '-n', ns, paymentPod, '-c', 'payment', '--', ...script])).stdout).toBe(long);
    expect((await clientNodeExec(paymentPod, 'payment', script)).stdout).toBe(long);
  });

  it('exit code 3: kubectl exits 3; client-node gets NonZeroExitCode with the ExitCode cause', async () => {
    answerScript(() => ({ stdout: 'retrying\n', stderr: 'gateway refused 2 payments\n', exitCode: 3 }));

    const run = await kubectl(['exec', '-n', ns, paymentPod, '-c', 'payment', '--', ...script]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('retrying\n');
    expect(run.stderr).toBe('gateway refused 2 payments\ncommand terminated with exit code 3\n');

    const node = await clientNodeExec(paymentPod, 'payment', script);
    expect(node.stdout).toBe('retrying\n');
    expect(node.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('stdin: kubectl exec -i and client-node both hand the responder what was piped in', async () => {
    const calls = answerScript((call) => ({ stdout: `read ${call.stdin.split('\n').filter(Boolean).length} ids\n` }));

    const run = await kubectl(['exec', '-i', '-n', ns, paymentPod, '-c', 'payment', '--', ...script], { input: 'pay_1\npay_2\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('read 2 ids\n');
    expect(calls[0]!.stdin).toBe('pay_1\npay_2\n');

    const node = await clientNodeExec(paymentPod, 'payment', script, 'pay_3\n');
    expect(node.stdout).toBe('read 1 ids\n');
    expect(calls[1]!.stdin).toBe('pay_3\n');
  });

  it('responders are tried newest first; undefined passes to the older one', async () => {
    answerScript(() => ({ stdout: 'older\n' }));
    const seen: string[] = [];
    removals.push(
      api.onExec((call) => {
        seen.push(call.command.join(' '));
        return undefined;
      }),
    );
    expect((await clientNodeExec(paymentPod, 'payment', script)).stdout).toBe('older\n');
    expect(seen).toEqual([script.join(' ')]);
  });

  it('records the exec once, with its command, container and streams', async () => {
    answerScript(() => ({ stdout: 'ok\n' }));
    const from = api.requests.length;
    await kubectl(['exec', '-n', ns, paymentPod, '-c', 'payment', '--', ...script]);
    const recorded = execRequests(from);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/pods/${paymentPod}/exec`,
      user: api.user,
      status: 101,
      exec: { command: script, container: 'payment', tty: false, stdin: false },
    });
    // kubectl reads the pod first (to pick a container and refuse completed pods): that GET is not an exec.
    expect(api.requests.slice(from).some((r) => r.path === `/api/v1/namespaces/${ns}/pods/${paymentPod}` && !r.exec)).toBe(true);
  });
});

describe('an exec that fails', () => {
  it('no responder: kubectl fails as for an image without the executable', async () => {
    const run = await kubectl(['exec', '-n', ns, paymentPod, '-c', 'payment', '--', ...script]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "node": executable file not found in \$PATH: unknown\n$/,
    );

    const node = await clientNodeExec(paymentPod, 'payment', script);
    expect(node.status).toMatchObject({ status: 'Failure', reason: 'InternalError', code: 500 });
    expect(node.status?.message).toContain('exec: "node": executable file not found in $PATH: unknown');
    expect(node.status?.details?.causes?.[0]?.message).toMatch(/^Internal error occurred: error executing command in container: /);
  });

  it('pod missing: kubectl says NotFound from its own GET; client-node is refused the upgrade with 404', async () => {
    const run = await kubectl(['exec', '-n', ns, 'nope', '--', ...script]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');

    const from = api.requests.length;
    await expect(clientNodeExec('nope', 'payment', script)).rejects.toThrow(/404/);
    expect(execRequests(from).map((r) => r.status)).toEqual([404]);
  });

  it('RBAC: a user without create on pods/exec is Forbidden, in the API server words', async () => {
    answerScript(() => ({ stdout: 'should not run\n' }));
    const from = api.requests.length;
    const run = await kubectl(['exec', '-n', ns, paymentPod, '-c', 'payment', '--', ...script], { kubeconfig: viewerKubeconfig });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Error from server (Forbidden): pods "${paymentPod}" is forbidden: User "viewer@tiendi.pe" cannot create resource "pods/exec" in API group "" in the namespace "${ns}"\n`,
    );
    // A refused WebSocket upgrade makes kubectl retry over SPDY (POST), refused alike.
    expect(execRequests(from).map((r) => `${r.method} ${r.status} ${r.user}`)).toEqual(['GET 403 viewer@tiendi.pe', 'POST 403 viewer@tiendi.pe']);
  });

  it('an unknown container is a BadRequest; a crash-looping one is not found by the kubelet', async () => {
    const unknown = await kubectl(['exec', '-n', ns, paymentPod, '-c', 'sidecar', '--', ...script]);
    expect(unknown.stderr).toBe(`Error from server (BadRequest): container sidecar is not valid for pod ${paymentPod}\n`);

    answerScript(() => ({ stdout: 'should not run\n' }));
    const crashing = await kubectl(['exec', '-n', ns, crashingPod, '--', ...script]);
    expect(crashing.code).toBe(1);
    expect(crashing.stderr).toBe('error: Internal error occurred: unable to upgrade connection: container not found ("api")\n');
  });

  it('a request without Upgrade is refused: Upgrade request required', async () => {
    const res = await fetchWithCa(`/api/v1/namespaces/${ns}/pods/${paymentPod}/exec?command=ls&container=payment&stdout=true`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', message: 'Upgrade request required', code: 400 });
  });

  it('faults: a 500 refuses the upgrade; truncated drops it with no status; a hang stays silent until stop() closes it', async () => {
    answerScript(() => ({ stdout: 'ok\n' }));
    api.faultNext(1, 'http500', { pathIncludes: '/exec' });
    await expect(clientNodeExec(paymentPod, 'payment', script)).rejects.toThrow(/500/);

    api.faultNext(1, 'truncated', { pathIncludes: '/exec' });
    const dropped = await clientNodeExec(paymentPod, 'payment', script);
    expect(dropped).toMatchObject({ stdout: '', status: undefined, closeCode: 1006 });

    const other = await startFakeKubeApi({ seed: 'fake-kube-exec.test/hang' });
    try {
      other.faultNext(1, 'hang', { pathIncludes: '/exec' });
      const kc = new KubeConfig();
      kc.loadFromFile(other.kubeconfigPath);
      const frames: Buffer[] = [];
      const stdout = new PassThrough();
      stdout.on('data', (d: Buffer) => frames.push(d));
      const ws = await new Exec(kc).exec(ns, paymentPod, 'payment', script, stdout, null, null, false);
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(frames).toEqual([]);
      expect(other.requests.filter((r) => r.exec).map((r) => r.status)).toEqual([101]);
      await other.stop();
      await closed;
    } finally {
      await other.stop(); // idempotent: here only for a failed expectation above
    }
  });
});

/** A plain HTTPS GET with the fake's CA and token. */
function fetchWithCa(path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, api.url),
      { ca: readFileSync(api.caFile), headers: { Authorization: `Bearer ${api.token}` } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
