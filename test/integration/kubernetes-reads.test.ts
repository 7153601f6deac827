/**
 * KubernetesCluster's diagnosis reads, access reviews, `set resources` and certificate deletion
 * against the fake API server, with the real kubectl as the oracle wherever kubectl prints the same
 * thing: logs, top pods/nodes, rollout history, hpa, auth can-i, set resources, delete certificate.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from '../fakes/kube-api/index.js';

const execFileAsync = promisify(execFile);
const ns = 'production';
const base = Date.now();
const day = 24 * 3600_000;
let testStart = 0;
let work: string;
const started: FakeKubeApi[] = [];

async function fake(): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi({ now: base, seed: 'kubernetes-reads.test' });
  started.push(api);
  return api;
}

let kubectlCount = 0;
async function kubectl(api: FakeKubeApi, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const dir = join(work, `kubectl-${kubectlCount++}`);
  try {
    const { stdout, stderr } = await execFileAsync(
      'kubectl',
      ['--kubeconfig', api.kubeconfigPath, '--cache-dir', join(dir, 'cache'), '-n', ns, ...args],
      { env: { PATH: process.env.PATH, HOME: dir, TZ: process.env.TZ ?? '' }, timeout: 30_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

const cluster = (api: FakeKubeApi) => KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
const rows = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s{2,}|\s+(?=\S)/));

const timeKeys = new Set(['creationTimestamp', 'lastUpdateTime', 'lastTransitionTime', 'startTime', 'startedAt', 'finishedAt', 'time']);
/** As in kubernetes.test.ts: resourceVersion, managedFields and timestamps stamped during the test may differ. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'resourceVersion' || k === 'managedFields') continue;
    out[k] = timeKeys.has(k) && typeof v === 'string' && Date.parse(v) >= testStart - 1000 ? '<during test>' : normalize(v);
  }
  return out;
}
function snapshot(api: FakeKubeApi): unknown {
  const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);
  return normalize({
    deployments: api.listDeployments(ns).sort(byName),
    replicaSets: api.listReplicaSets(ns).sort(byName),
    pods: api.listPods(ns).sort(byName),
    certificates: api.store.list('certificates', ns),
  });
}
const writes = (api: FakeKubeApi) => api.requests.filter((r) => r.method !== 'GET');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'guardia-k8s-reads-'));
  testStart = Date.now();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('logs, as kubectl logs prints them', () => {
  it('by pod: --previous --tail, a named container, the default container, and errors', async () => {
    const api = await fake();
    const c = cluster(api);
    const crashing = api.listPods(ns).find((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff')!.metadata.name;
    const previous = await kubectl(api, ['logs', crashing, '--previous', '--tail=2']);
    expect(previous.code, previous.stderr).toBe(0);
    const mine = await c.podLogs(ns, { pod: crashing, previous: true, tailLines: 2 });
    expect(mine).toBe(previous.stdout);
    expect(mine).toMatch(/ECONNREFUSED[^\n]*\n[^\n]*process exited with code 1\n$/);

    const payment = api.listPods(ns).find((p) => p.metadata.name.startsWith('tiendi-payment-'))!.metadata.name;
    const envoy = await kubectl(api, ['logs', payment, '-c', 'envoy', '--tail=2']);
    expect(await c.podLogs(ns, { pod: payment, container: 'envoy', tailLines: 2 })).toBe(envoy.stdout);
    // No container named: kubectl defaults to the first one (and says so on stderr).
    const defaulted = await kubectl(api, ['logs', payment, '--tail=50']);
    expect(defaulted.stderr).toContain('Defaulted container "payment"');
    expect(await c.podLogs(ns, { pod: payment, tailLines: 50 })).toBe(defaulted.stdout);
    const logRequests = api.requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/pods/${payment}/log`);
    expect(logRequests.at(-1)!.query).toMatchObject({ container: 'payment', tailLines: '50' });

    await expect(c.podLogs(ns, { pod: payment, container: 'sidecar', tailLines: 5 })).rejects.toThrow(
      `container sidecar is not valid for pod ${payment} (containers: payment, envoy)`,
    );
    await expect(c.podLogs(ns, { pod: payment, container: 'envoy', previous: true, tailLines: 5 })).rejects.toThrow(
      'previous terminated container "envoy"',
    );
  });

  it('by deployment: reads the pod kubectl picks', async () => {
    const api = await fake();
    const run = await kubectl(api, ['logs', 'deployment/tiendi-api', '--tail=20']);
    expect(run.code, run.stderr).toBe(0);
    const picked = /using pod\/(\S+)/.exec(run.stderr)?.[1];
    expect(picked).toMatch(/^tiendi-api-/);
    const text = await cluster(api).podLogs(ns, { deployment: 'tiendi-api', tailLines: 20 });
    expect(text).toBe(run.stdout);
    const guardiaLog = api.requests.filter((r) => r.path.endsWith('/log')).at(-1)!;
    expect(guardiaLog.path).toBe(`/api/v1/namespaces/${ns}/pods/${picked}/log`);
  });
});

describe('top, rollout history, events, hpa, certificates', () => {
  it('top pods and top nodes match kubectl top', async () => {
    const api = await fake();
    const c = cluster(api);
    const pods = await c.topPods(ns);
    const printed = rows((await kubectl(api, ['top', 'pods', '--no-headers'])).stdout);
    expect(pods.map((p) => [p.name, `${p.cpuMillis}m`, `${Math.floor(p.memoryBytes / 1024 / 1024)}Mi`])).toEqual(
      printed.map((r) => r.slice(0, 3)).sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    expect(pods.find((p) => p.name === 'postgres-0')).toMatchObject({ cpuMillis: 31, memoryBytes: 256 * 1024 * 1024 });

    const nodes = await c.topNodes();
    const nodeRows = rows((await kubectl(api, ['top', 'nodes', '--no-headers'])).stdout);
    expect(nodes.map((n) => [n.name, `${n.cpuMillis}m`, `${n.cpuPercent}%`, `${Math.floor(n.memoryBytes / 1024 / 1024)}Mi`, `${n.memoryPercent}%`])).toEqual(
      nodeRows.map((r) => r.slice(0, 5)),
    );
    expect(nodes[0]).toMatchObject({ name: 'aks-nodepool1-12345678-vmss000000', cpuMillis: 1612, cpuPercent: 41 });
  });

  it('rollout history matches kubectl, before and after an undo', async () => {
    const api = await fake();
    const c = cluster(api);
    const history = async () => {
      const out = (await kubectl(api, ['rollout', 'history', 'deployment/tiendi-api'])).stdout;
      return rows(out.split('\n').slice(2).join('\n')).map(([rev, ...cause]) => [Number(rev), cause.join(' ')]);
    };
    const mine = await c.rolloutHistory(ns, 'tiendi-api');
    expect(mine.map((r) => [r.revision, r.changeCause ?? '<none>'])).toEqual(await history());
    expect(mine).toMatchObject([
      { revision: 1, changeCause: 'deploy tiendi-api 1.7.3', image: 'tiendiacr.azurecr.io/tiendi-api:1.7.3' },
      { revision: 2, changeCause: 'deploy tiendi-api 1.8.0', image: 'tiendiacr.azurecr.io/tiendi-api:1.8.0' },
    ]);
    expect(mine[0]!.createdAt).toBe(Math.floor((base - 30 * day) / 1000) * 1000);
    await c.rolloutUndo(ns, 'tiendi-api', { dryRun: false });
    const after = await c.rolloutHistory(ns, 'tiendi-api');
    expect(after.map((r) => r.revision)).toEqual([2, 3]);
    expect(after.map((r) => [r.revision, r.changeCause ?? '<none>'])).toEqual(await history());
    await expect(c.rolloutHistory(ns, 'nope')).rejects.toMatchObject({ code: 'kubernetes.not-found' });
  });

  it('events: the crash loop is there, oldest first, same objects as kubectl get events', async () => {
    const api = await fake();
    const events = await cluster(api).listEvents(ns);
    const json = JSON.parse((await kubectl(api, ['get', 'events', '-o', 'json'])).stdout) as {
      items: Array<{ reason: string; message: string; involvedObject: { kind: string; name: string } }>;
    };
    const key = (o: { reason: string; object: string; message: string }) => `${o.reason} ${o.object} ${o.message}`;
    expect(events.map(key).sort()).toEqual(
      json.items.map((e) => key({ reason: e.reason, object: `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`, message: e.message })).sort(),
    );
    const backoff = events.find((e) => e.reason === 'BackOff')!;
    expect(backoff).toMatchObject({ type: 'Warning', count: 1 });
    expect(backoff.object).toMatch(/^pod\/tiendi-api-/);
    expect(events.map((e) => e.lastSeen)).toEqual([...events.map((e) => e.lastSeen)].sort((a, b) => a - b));
  });

  it('hpa: the TARGETS kubectl prints, and the replica counts', async () => {
    const api = await fake();
    const [hpa] = await cluster(api).listHpas(ns);
    expect(hpa).toEqual({
      name: 'tiendi-api',
      target: 'Deployment/tiendi-api',
      minReplicas: 3,
      maxReplicas: 10,
      currentReplicas: 3,
      desiredReplicas: 4,
      metrics: 'cpu: 85%/70%, memory: 629145600/900Mi',
    });
    const out = (await kubectl(api, ['get', 'hpa', '--no-headers'])).stdout;
    expect(out).toContain(hpa!.metrics);
    expect(api.requests.some((r) => r.path === `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`)).toBe(true);
  });

  it('certificates: Ready, expiry and renewal time from cert-manager status', async () => {
    const api = await fake();
    const certs = await cluster(api).listCertificates(ns);
    const iso = (t: number) => Math.floor(t / 1000) * 1000;
    expect(certs).toEqual([
      { name: 'tiendi-admin-tls', ready: false, notAfter: null, renewalTime: null, message: 'Issuing certificate as Secret does not exist' },
      { name: 'tiendi-tls', ready: true, notAfter: iso(base + 10 * day), renewalTime: iso(base - 20 * day), message: 'Certificate is up to date and has not expired' },
    ]);
    expect((await kubectl(api, ['get', 'certificates', '--no-headers'])).stdout).toMatch(/tiendi-tls\s+True\s+tiendi-tls/);
  });
});

describe('access reviews', () => {
  it('allowed and denied, as kubectl auth can-i answers', async () => {
    const api = await fake();
    api.setAccessRules([{ verbs: ['patch'], resources: ['deployments/scale'], namespaces: [ns], allow: false }]);
    const c = cluster(api);
    const scale = { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: ns, name: 'tiendi-api' };
    const denied = await c.accessReview(scale);
    expect(denied.allowed).toBe(false);
    expect(denied.reason).toBe('Kubernetes RBAC does not allow context "fake" to patch deployments/scale (API group apps) in namespace production');
    expect((await kubectl(api, ['auth', 'can-i', 'patch', 'deployments/tiendi-api', '--subresource=scale'])).stdout.trim()).toBe('no');
    const allowed = await c.accessReview({ ...scale, subresource: undefined });
    expect(allowed.allowed).toBe(true);
    expect((await kubectl(api, ['auth', 'can-i', 'patch', 'deployments/tiendi-api'])).stdout.trim()).toBe('yes');
    const review = api.requests.filter((r) => r.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')[0]!;
    expect(review.body).toMatchObject({ spec: { resourceAttributes: { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: ns, name: 'tiendi-api' } } });
  });
});

describe('set resources and delete certificate: kubectl and Guardia leave identical clusters', () => {
  const cases: Array<{ name: string; kubectl: string[]; guardia: (c: KubernetesCluster) => Promise<string> }> = [
    {
      name: 'set resources --limits=memory=2Gi (the runbook command)',
      kubectl: ['set', 'resources', 'deployment/tiendi-api', '--limits=memory=2Gi'],
      guardia: (c) => c.setResources(ns, 'tiendi-api', { limits: { memory: '2Gi' } }, { dryRun: false }),
    },
    {
      name: 'set resources on one named container, with values kubectl canonicalizes',
      kubectl: ['set', 'resources', 'deployment/tiendi-payment', '-c', 'envoy', '--limits=cpu=0.5,memory=1024Mi', '--requests=cpu=100m'],
      guardia: (c) =>
        c.setResources(ns, 'tiendi-payment', { limits: { cpu: '0.5', memory: '1024Mi' }, requests: { cpu: '100m' } }, { dryRun: false, container: 'envoy' }),
    },
    {
      name: 'delete certificate',
      kubectl: ['delete', 'certificate', 'tiendi-tls'],
      guardia: (c) => c.deleteCertificate(ns, 'tiendi-tls', { dryRun: false }),
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const viaKubectl = await fake();
      const viaGuardia = await fake();
      const before = snapshot(viaKubectl);
      expect(snapshot(viaGuardia)).toEqual(before);
      const run = await kubectl(viaKubectl, tc.kubectl);
      expect(run.code, run.stderr).toBe(0);
      const message = await tc.guardia(cluster(viaGuardia));
      expect(message).toBe(run.stdout.trim());
      const after = snapshot(viaKubectl);
      expect(after).not.toEqual(before);
      expect(snapshot(viaGuardia)).toEqual(after);
      const shape = (api: FakeKubeApi) => writes(api).map((r) => ({ method: r.method, path: r.path, contentType: r.contentType, body: r.body }));
      if (tc.kubectl[0] === 'set') expect(shape(viaGuardia)).toEqual(shape(viaKubectl));
      else expect(shape(viaGuardia).map((w) => `${w.method} ${w.path}`)).toEqual(shape(viaKubectl).map((w) => `${w.method} ${w.path}`));
    });
  }

  it('set resources with the same values changes nothing; dry runs change nothing and say so like kubectl', async () => {
    const api = await fake();
    const c = cluster(api);
    expect(await c.setResources(ns, 'tiendi-api', { requests: { cpu: '0.25', memory: '512Mi' } }, { dryRun: false })).toBe(
      'deployment.apps/tiendi-api resource requirements unchanged',
    );
    expect(writes(api)).toEqual([]);
    const before = snapshot(api);
    const dry = await c.setResources(ns, 'tiendi-api', { limits: { memory: '2Gi' } }, { dryRun: true });
    const run = await kubectl(api, ['set', 'resources', 'deployment/tiendi-api', '--limits=memory=2Gi', '--dry-run=server']);
    expect(dry).toBe(run.stdout.trim());
    const dryDelete = await c.deleteCertificate(ns, 'tiendi-tls', { dryRun: true });
    expect(dryDelete).toBe('certificate.cert-manager.io "tiendi-tls" deleted (server dry run)');
    expect((await kubectl(api, ['delete', 'certificate', 'tiendi-tls', '--dry-run=server'])).stdout.trim()).toBe(dryDelete);
    expect(snapshot(api)).toEqual(before);
    expect((await c.listDeployments(ns))[0]!.resources!.api!.limits).toEqual({ memory: '1Gi' });
    await c.setResources(ns, 'tiendi-api', { limits: { memory: '2048Mi' } }, { dryRun: false });
    expect((await c.listDeployments(ns))[0]!.resources!.api).toEqual({ limits: { memory: '2Gi' }, requests: { cpu: '250m', memory: '512Mi' } });
    // Guardia puts dryRun in the query; kubectl delete puts it in the DeleteOptions body.
    const dryWrites = writes(api).slice(0, -1);
    for (const w of dryWrites) expect(w.query.dryRun ?? (w.body as { dryRun?: string[] }).dryRun?.[0]).toBe('All');
    expect(dryWrites.filter((w) => w.userAgent?.startsWith('kubectl') !== true).every((w) => w.query.dryRun === 'All')).toBe(true);
    await expect(c.setResources(ns, 'tiendi-api', { limits: { memory: 'lots' } }, { dryRun: false })).rejects.toMatchObject({
      code: 'kubernetes.bad-quantity',
    });
    await expect(c.deleteCertificate(ns, 'nope', { dryRun: false })).rejects.toMatchObject({ code: 'kubernetes.not-found' });
  });
});
