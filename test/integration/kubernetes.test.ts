/**
 * KubernetesCluster against the fake API server (test/fakes/kube-api), with the real kubectl as the
 * oracle: every mutation is done once by `kubectl` against one fresh fake and once by Guardia against
 * another fake seeded identically, and the resulting clusters must be the same objects.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from '../fakes/kube-api/index.js';

const execFileAsync = promisify(execFile);
const ns = 'production';
/** Both fakes of a comparison share the seeded history's base time, so they start byte-identical. */
const base = Date.now();
let testStart = 0;
let work: string;
const started: FakeKubeApi[] = [];

async function fake(): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi({ now: base, seed: 'kubernetes.test' });
  started.push(api);
  return api;
}

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

let kubectlCount = 0;
/** Real kubectl against a fake, with its own kubeconfig, cache dir and HOME. */
async function kubectl(api: FakeKubeApi, args: string[], kubeconfig = api.kubeconfigPath): Promise<Run> {
  const dir = join(work, `kubectl-${kubectlCount++}`);
  try {
    const { stdout, stderr } = await execFileAsync(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', ns, ...args],
      { env: { PATH: process.env.PATH, HOME: dir, TZ: process.env.TZ ?? '' }, timeout: 30_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

const timeKeys = new Set(['creationTimestamp', 'lastUpdateTime', 'lastTransitionTime', 'startTime', 'startedAt', 'finishedAt', 'time']);

/**
 * What may differ between the kubectl run and the Guardia run, and why:
 * - metadata.resourceVersion: an opaque etcd counter; kubectl's extra GETs do not write, but
 *   equality of counters is not a property of the objects.
 * - metadata.managedFields: records who wrote (manager "kubectl-rollout", "kubectl-set", "kubectl"
 *   vs "guardia") and when; that Guardia names itself is intended.
 * - wall-clock timestamps set during the test (conditions' lastUpdateTime/lastTransitionTime, new
 *   ReplicaSets' and pods' creationTimestamp, container startedAt): the controller stamps "now",
 *   and the two runs happen at different instants. Timestamps of the seeded history are compared.
 * Everything else, including metadata.generation, annotations, the pod template, status counts,
 * ReplicaSet names (pod-template-hash) and revisions, must be identical.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'resourceVersion' || k === 'managedFields') continue;
    if (timeKeys.has(k) && typeof v === 'string' && Date.parse(v) >= testStart - 1000) {
      out[k] = '<during test>';
      continue;
    }
    out[k] = normalize(v);
  }
  return out;
}

/** The state a mutation can touch: deployments, their ReplicaSets and the pods. */
function snapshot(api: FakeKubeApi): unknown {
  const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);
  return normalize({
    deployments: api.listDeployments(ns).sort(byName),
    replicaSets: api.listReplicaSets(ns).sort(byName),
    pods: api.listPods(ns).sort(byName),
  });
}

function writes(api: FakeKubeApi) {
  return api.requests.filter((r) => r.method !== 'GET');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'guardia-k8s-test-'));
  testStart = Date.now();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('reading through the fake API', () => {
  it('kubectl get pods works against the fake, and Guardia lists the same pods', async () => {
    const api = await fake();
    const run = await kubectl(api, ['get', 'pods', '--no-headers']);
    expect(run.code, run.stderr).toBe(0);
    // kubectl (here its version dispatcher) starts with GET /version, then legacy discovery.
    expect(api.requests.slice(0, 3).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /version', 'GET /api', 'GET /apis']);
    expect(api.requests.find((r) => r.path === `/api/v1/namespaces/${ns}/pods`)?.accept).toContain('as=Table');
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s{2,}/));
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    const pods = await cluster.listPods(ns);
    expect(pods.map((p) => p.name)).toEqual(rows.map((r) => r[0]));
    for (const [name, ready, status, restarts] of rows) {
      const pod = pods.find((p) => p.name === name)!;
      expect({ ready: pod.ready, status: pod.phase, restarts: pod.restarts }).toEqual({
        ready,
        status,
        restarts: Number(restarts!.split(' ')[0]),
      });
    }
    expect(pods.find((p) => p.phase === 'CrashLoopBackOff')).toMatchObject({ ready: '0/1', restarts: 7 });
    const seeded = api.getPod(ns, pods[0]!.name)!;
    expect(pods[0]!.createdAt).toBe(Date.parse(String(seeded.metadata.creationTimestamp)));
    expect(pods[0]!.labels).toEqual(seeded.metadata.labels);
  });

  it('lists deployments with replicas, readiness, revision, first image and env', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    const deployments = await cluster.listDeployments(ns);
    expect(deployments).toEqual([
      {
        namespace: ns,
        name: 'tiendi-api',
        replicas: 3,
        readyReplicas: 2,
        revision: 2,
        image: 'tiendiacr.azurecr.io/tiendi-api:1.8.0',
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: '<from secret tiendi-db, key url>',
          DB_POOL_SIZE: '20',
          ENABLE_CACHE: 'true',
        },
        resources: { api: { limits: { memory: '1Gi' }, requests: { cpu: '250m', memory: '512Mi' } } },
      },
      {
        namespace: ns,
        name: 'tiendi-payment',
        replicas: 2,
        readyReplicas: 2,
        revision: 1,
        image: 'tiendiacr.azurecr.io/tiendi-payment:2.3.1',
        env: { PRIMARY_GATEWAY: 'niubiz', PAYMENT_TIMEOUT: '15000' },
        resources: { payment: { limits: {}, requests: {} }, envoy: { limits: {}, requests: {} } },
      },
    ]);
    const list = api.requests.find((r) => r.path === `/apis/apps/v1/namespaces/${ns}/deployments`)!;
    expect(list.user).toBe(api.user);
  });

  it('cancels a list when the caller aborts', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    const controller = new AbortController();
    controller.abort();
    await expect(cluster.listPods(ns, controller.signal)).rejects.toMatchObject({ code: 'request.cancelled' });
  });
});

interface Case {
  name: string;
  kubectl: string[][];
  guardia: (c: KubernetesCluster, sides: { kubectl: FakeKubeApi; guardia: FakeKubeApi }) => Promise<string[]>;
}

const cases: Case[] = [
  {
    name: 'rollout undo (twice: back to 1.7.3, then forward to 1.8.0)',
    kubectl: [
      ['rollout', 'undo', 'deployment/tiendi-api'],
      ['rollout', 'undo', 'deployment/tiendi-api'],
    ],
    guardia: async (c) => [
      await c.rolloutUndo(ns, 'tiendi-api', { dryRun: false }),
      await c.rolloutUndo(ns, 'tiendi-api', { dryRun: false }),
    ],
  },
  {
    name: 'rollout restart',
    kubectl: [['rollout', 'restart', 'deployment/tiendi-api']],
    guardia: async (_c, sides) => {
      // Guardia's clock is set to the instant kubectl stamped, so the two patches must be identical.
      const at = sides.kubectl.getDeployment(ns, 'tiendi-api')!.spec.template.metadata.annotations!['kubectl.kubernetes.io/restartedAt']!;
      expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
      const cluster = KubernetesCluster.fromFile(sides.guardia.kubeconfigPath, 'fake', { now: () => new Date(at) });
      return [await cluster.rolloutRestart(ns, 'tiendi-api', { dryRun: false })];
    },
  },
  {
    name: 'scale',
    kubectl: [['scale', 'deployment/tiendi-api', '--replicas=10']],
    guardia: async (c) => [await c.scale(ns, 'tiendi-api', 10, { dryRun: false })],
  },
  {
    name: 'set env (change, append in order)',
    kubectl: [['set', 'env', 'deployment/tiendi-api', 'DB_POOL_SIZE=50', 'NODE_OPTIONS=--max-old-space-size=1536', 'ENABLE_CACHE=false']],
    guardia: async (c) => [
      await c.setEnv(
        ns,
        'tiendi-api',
        { DB_POOL_SIZE: '50', NODE_OPTIONS: '--max-old-space-size=1536', ENABLE_CACHE: 'false' },
        { dryRun: false },
      ),
    ],
  },
  {
    name: 'set env over a valueFrom variable',
    kubectl: [['set', 'env', 'deployment/tiendi-api', 'DATABASE_URL=postgres://replica:5432/tiendi']],
    guardia: async (c) => [await c.setEnv(ns, 'tiendi-api', { DATABASE_URL: 'postgres://replica:5432/tiendi' }, { dryRun: false })],
  },
  {
    name: 'set env on a named container of a two-container pod',
    kubectl: [['set', 'env', 'deployment/tiendi-payment', '-c', 'payment', 'PRIMARY_GATEWAY=culqi']],
    guardia: async (c) => [
      await c.setEnv(ns, 'tiendi-payment', { PRIMARY_GATEWAY: 'culqi' }, { dryRun: false, container: 'payment' }),
    ],
  },
];

describe('mutations: kubectl and Guardia leave identical clusters', () => {
  for (const tc of cases) {
    it(tc.name, async () => {
      const viaKubectl = await fake();
      const viaGuardia = await fake();
      expect(snapshot(viaGuardia)).toEqual(snapshot(viaKubectl));
      const before = snapshot(viaKubectl);

      const printed: string[] = [];
      for (const args of tc.kubectl) {
        const run = await kubectl(viaKubectl, args);
        expect(run.code, run.stderr).toBe(0);
        printed.push(run.stdout.trim());
      }
      const cluster = KubernetesCluster.fromFile(viaGuardia.kubeconfigPath, 'fake');
      const messages = await tc.guardia(cluster, { kubectl: viaKubectl, guardia: viaGuardia });

      expect(messages).toEqual(printed);
      const after = snapshot(viaKubectl);
      expect(after).not.toEqual(before);
      expect(snapshot(viaGuardia)).toEqual(after);
      // Same kind of requests: same methods, paths, patch types and bodies of the writes.
      const shape = (api: FakeKubeApi) =>
        writes(api).map((r) => ({ method: r.method, path: r.path, contentType: r.contentType, body: r.body, dryRun: r.query.dryRun }));
      expect(shape(viaGuardia)).toEqual(shape(viaKubectl));
    });
  }

  it('rollout undo reactivates the revision-1 ReplicaSet as revision 3 with its annotations', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    await cluster.rolloutUndo(ns, 'tiendi-api', { dryRun: false });
    const d = api.getDeployment(ns, 'tiendi-api')!;
    expect(d.spec.template.spec.containers[0]!.image).toBe('tiendiacr.azurecr.io/tiendi-api:1.7.3');
    expect(d.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '3',
      'kubernetes.io/change-cause': 'deploy tiendi-api 1.7.3',
    });
    const patch = writes(api)[0]!;
    expect(patch.contentType).toBe('application/json-patch+json');
    const ops = patch.body as Array<{ op: string; path: string; value: { metadata?: { labels?: Record<string, string> } } }>;
    expect(ops.map((o) => `${o.op} ${o.path}`)).toEqual(['replace /spec/template', 'replace /metadata/annotations']);
    expect(ops[0]!.value.metadata?.labels).not.toHaveProperty('pod-template-hash');
  });

  it('rollout undo without history fails like kubectl', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    await expect(cluster.rolloutUndo(ns, 'tiendi-payment', { dryRun: false })).rejects.toMatchObject({
      code: 'kubernetes.no-history',
      message: 'no rollout history found for deployment tiendi-payment',
    });
    const run = await kubectl(api, ['rollout', 'undo', 'deployment/tiendi-payment']);
    expect(run.stderr).toContain('no rollout history found for deployment "tiendi-payment"');
    expect(writes(api)).toEqual([]);
  });

  it('delete pod: same message as kubectl, and the ReplicaSet replaces the pod', async () => {
    const viaKubectl = await fake();
    const viaGuardia = await fake();
    const pod = viaKubectl.listPods(ns).find((p) => p.metadata.name.startsWith('tiendi-api-'))!.metadata.name;
    const run = await kubectl(viaKubectl, ['delete', 'pod', pod]);
    expect(run.code, run.stderr).toBe(0);
    const cluster = KubernetesCluster.fromFile(viaGuardia.kubeconfigPath, 'fake');
    expect(await cluster.deletePod(ns, pod, { dryRun: false })).toBe(run.stdout.trim());
    expect(viaGuardia.getPod(ns, pod)).toBeUndefined();
    expect(viaGuardia.listPods(ns).filter((p) => p.metadata.name.startsWith('tiendi-api-'))).toHaveLength(3);
    expect(snapshot(viaGuardia)).toEqual(snapshot(viaKubectl));
  });
});

describe('dry run', () => {
  /** kubectl 1.32's `rollout restart` has no --dry-run flag (so no kubectl half for it). */
  const dryRuns: Array<{ name: string; kubectl: string[] | null; guardia: (c: KubernetesCluster) => Promise<string> }> = [
    { name: 'rollout undo', kubectl: ['rollout', 'undo', 'deployment/tiendi-api'], guardia: (c) => c.rolloutUndo(ns, 'tiendi-api', { dryRun: true }) },
    { name: 'rollout restart', kubectl: null, guardia: (c) => c.rolloutRestart(ns, 'tiendi-api', { dryRun: true }) },
    { name: 'scale', kubectl: ['scale', 'deployment/tiendi-api', '--replicas=5'], guardia: (c) => c.scale(ns, 'tiendi-api', 5, { dryRun: true }) },
    { name: 'set env', kubectl: ['set', 'env', 'deployment/tiendi-api', 'ENABLE_CACHE=false'], guardia: (c) => c.setEnv(ns, 'tiendi-api', { ENABLE_CACHE: 'false' }, { dryRun: true }) },
    { name: 'delete pod', kubectl: ['delete', 'pod', 'redis-0'], guardia: (c) => c.deletePod(ns, 'redis-0', { dryRun: true }) },
  ];
  for (const tc of dryRuns) {
    it(`${tc.name} changes nothing and says so${tc.kubectl ? ' like kubectl --dry-run=server' : ''}`, async () => {
      const api = await fake();
      const exact = () => ({ d: api.listDeployments(ns), rs: api.listReplicaSets(ns), pods: api.listPods(ns), events: api.listEvents(ns) });
      const before = exact();
      const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
      const message = await tc.guardia(cluster);
      expect(message).toMatch(/ \(server dry run\)$/);
      expect(exact()).toEqual(before);
      const guardiaWrites = writes(api);
      expect(guardiaWrites.length).toBeGreaterThan(0);
      for (const w of guardiaWrites) expect(w.query.dryRun).toBe('All');

      if (!tc.kubectl) return;
      const run = await kubectl(api, [...tc.kubectl, '--dry-run=server']);
      expect(run.code, run.stderr).toBe(0);
      expect(message).toBe(run.stdout.trim());
      expect(exact()).toEqual(before);
    });
  }
});

describe('errors', () => {
  it('401: says the credential for the context was rejected', async () => {
    const api = await fake();
    const kubeconfig = api.writeKubeconfig({ token: 'not-the-token', context: 'prod-aks' });
    const cluster = KubernetesCluster.fromFile(kubeconfig, 'prod-aks');
    const error = await cluster.listPods(ns).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.code).toBe('kubernetes.unauthorized');
    expect(error?.message).toContain('rejected the credential for context "prod-aks"');
    expect(error?.message).toContain('HTTP 401');
    expect(error?.message).toContain(api.url);
    await expect(cluster.scale(ns, 'tiendi-api', 4, { dryRun: false })).rejects.toMatchObject({ code: 'kubernetes.unauthorized' });
    const run = await kubectl(api, ['get', 'pods'], kubeconfig);
    expect(run.stderr).toContain('You must be logged in to the server');
    expect(api.requests.find((r) => r.path === '/api/v1/namespaces/production/pods')?.status).toBe(401);
  });

  it('403: names the verb and resource denied, with the server message', async () => {
    const api = await fake();
    api.setAccessRules([{ verbs: ['patch'], resources: ['deployments/scale'], namespaces: [ns], allow: false }]);
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    const error = await cluster.scale(ns, 'tiendi-api', 4, { dryRun: false }).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.code).toBe('kubernetes.forbidden');
    expect(error?.message).toContain('denied "patch" on deployments/scale (API group apps) "tiendi-api"');
    expect(error?.message).toContain('namespace production, context "fake"');
    expect(error?.message).toContain(`User "${api.user}" cannot patch resource "deployments/scale" in API group "apps"`);
    const run = await kubectl(api, ['scale', 'deployment/tiendi-api', '--replicas=4']);
    expect(run.stderr).toContain('Error from server (Forbidden)');
    const canI = await kubectl(api, ['auth', 'can-i', 'patch', 'deployments', '--subresource=scale']);
    expect(canI.stdout.trim()).toBe('no');
    expect((await kubectl(api, ['auth', 'can-i', 'patch', 'deployments'])).stdout.trim()).toBe('yes');
    expect(api.getDeployment(ns, 'tiendi-api')!.spec.replicas).toBe(3);
  });

  it('404 and 422 carry the code, reason and message', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    await expect(cluster.rolloutRestart(ns, 'nope', { dryRun: false })).rejects.toMatchObject({
      code: 'kubernetes.not-found',
      message: 'Kubernetes API error on get deployments.apps "nope" in namespace production, context "fake": HTTP 404 NotFound: deployments.apps "nope" not found',
    });
    await expect(cluster.setEnv(ns, 'tiendi-api', { '1BAD': 'x' }, { dryRun: false })).rejects.toMatchObject({ code: 'kubernetes.bad-env' });
    await expect(cluster.setEnv(ns, 'tiendi-payment', { A: 'b' }, { dryRun: false, container: 'sidecar' })).rejects.toThrow(
      'deployment tiendi-payment has no container "sidecar" (containers: payment, envoy)',
    );
  });

  it('unreachable API and bad kubeconfigs fail clearly', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake', { timeoutMs: 5000 });
    await api.stop();
    await expect(cluster.listDeployments(ns)).rejects.toMatchObject({ code: 'kubernetes.unreachable' });
    expect(() => KubernetesCluster.fromFile(join(work, 'missing'), 'fake')).toThrow(`Kubeconfig ${join(work, 'missing')} does not exist (wanted context "fake")`);
    const other = await fake();
    expect(() => KubernetesCluster.fromFile(other.kubeconfigPath, 'staging')).toThrow(
      `Context "staging" is not in kubeconfig ${other.kubeconfigPath} (contexts: fake)`,
    );
    expect(KubernetesCluster.fromFile(other.kubeconfigPath).context).toBe('fake');
  });
});

describe('the fake API server, as kubectl sees it', () => {
  it('serves /version without credentials and answers 401 Status JSON without a token', async () => {
    const api = await fake();
    const { request } = await import('node:https');
    const get = (path: string, token?: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = request(`${api.url}${path}`, { ca: readFileSync(api.caFile), headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('/version')).toMatchObject({ status: 200, body: { major: '1', minor: '32', gitVersion: 'v1.32.4' } });
    expect(await get('/api')).toEqual({
      status: 401,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    });
    expect((await get('/apis/apps/v1', api.token)).body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
    expect(statSync(api.kubeconfigPath).mode & 0o777).toBe(0o600);
  });

  it('objects have the real shapes: kind, apiVersion, uid, resourceVersion, creationTimestamp, Status errors', async () => {
    const api = await fake();
    const run = await kubectl(api, ['get', 'deployment', 'tiendi-api', '-o', 'json']);
    const d = JSON.parse(run.stdout) as { kind: string; apiVersion: string; metadata: Record<string, unknown>; spec: { template: { metadata: unknown } } };
    expect(d.kind).toBe('Deployment');
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.metadata).toMatchObject({ name: 'tiendi-api', namespace: ns, generation: 2 });
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(d.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(d.spec.template.metadata).toMatchObject({ creationTimestamp: null });
    const missing = await kubectl(api, ['get', 'deployment', 'nope']);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "nope" not found');
    const invalid = await kubectl(api, ['scale', 'deployment/tiendi-api', '--replicas=-1']);
    expect(invalid.code).not.toBe(0);
  });

  it('pod logs: container, tailLines, previous', async () => {
    const api = await fake();
    const crashing = api.listPods(ns).find((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff')!;
    const previous = await kubectl(api, ['logs', crashing.metadata.name, '--previous', '--tail=1']);
    expect(previous.stdout).toMatch(/error: process exited with code 1\n$/);
    const current = await kubectl(api, ['logs', crashing.metadata.name]);
    expect(current.stdout).toContain('starting api');
    const payment = api.listPods(ns).find((p) => p.metadata.name.startsWith('tiendi-payment-'))!;
    const envoy = await kubectl(api, ['logs', payment.metadata.name, '-c', 'envoy', '--tail=2']);
    expect(envoy.stdout.trim().split('\n')).toHaveLength(2);
    const noPrevious = await kubectl(api, ['logs', payment.metadata.name, '-c', 'envoy', '--previous']);
    expect(noPrevious.stderr).toContain('previous terminated container "envoy"');
    const log = api.requests.find((r) => r.path.endsWith('/log') && r.query.previous === 'true')!;
    expect(log.query).toMatchObject({ container: 'api', tailLines: '1', previous: 'true' });
  });

  it('events, metrics, describe, merge and JSON patches, rollout status and history', async () => {
    const api = await fake();
    expect((await kubectl(api, ['get', 'events'])).stdout).toMatch(/BackOff\s+pod\/tiendi-api-\S+\s+Back-off restarting failed container api/);
    expect((await kubectl(api, ['top', 'pods'])).stdout).toMatch(/tiendi-api-\S+\s+\d+m\s+\d+Mi/);
    expect((await kubectl(api, ['describe', 'deployment', 'tiendi-api'])).stdout).toContain('ProgressDeadlineExceeded');
    expect((await kubectl(api, ['patch', 'deployment', 'tiendi-payment', '--type', 'merge', '-p', '{"spec":{"replicas":4}}'])).stdout).toContain('patched');
    expect(api.getDeployment(ns, 'tiendi-payment')!.spec.replicas).toBe(4);
    await kubectl(api, ['patch', 'deployment', 'tiendi-payment', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1}]']);
    expect(api.listPods(ns).filter((p) => p.metadata.name.startsWith('tiendi-payment-'))).toHaveLength(1);
    const status = await kubectl(api, ['rollout', 'status', 'deployment/tiendi-payment', '--timeout=10s']);
    expect(status.stdout).toContain('deployment "tiendi-payment" successfully rolled out');
    expect((await kubectl(api, ['rollout', 'history', 'deployment/tiendi-api'])).stdout).toMatch(/1\s+deploy tiendi-api 1\.7\.3\n2\s+deploy tiendi-api 1\.8\.0/);
  });

  it('watch streams changes as Table rows (kubectl get -w)', async () => {
    const api = await fake();
    const watching = kubectl(api, ['get', 'deployment', 'tiendi-payment', '-w', '--request-timeout=4s']);
    const deadline = Date.now() + 10_000;
    while (!api.requests.some((r) => r.query.watch === 'true') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const watch = api.requests.find((r) => r.query.watch === 'true')!;
    expect(watch.query.fieldSelector).toBe('metadata.name=tiendi-payment');
    await KubernetesCluster.fromFile(api.kubeconfigPath, 'fake').scale(ns, 'tiendi-payment', 3, { dryRun: false });
    const out = await watching;
    expect(out.stdout).toMatch(/tiendi-payment\s+2\/2[^\n]*\n(.*\n)*tiendi-payment\s+3\/3/);
  });

  it('a template change makes a new ReplicaSet with the next revision, as the deployment controller would', async () => {
    const api = await fake();
    const cluster = KubernetesCluster.fromFile(api.kubeconfigPath, 'fake');
    await cluster.setEnv(ns, 'tiendi-api', { LOG_LEVEL: 'debug' }, { dryRun: false });
    const d = api.getDeployment(ns, 'tiendi-api')!;
    expect(d.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.metadata.generation).toBe(3);
    const sets = api.listReplicaSets(ns).filter((rs) => rs.metadata.name.startsWith('tiendi-api-'));
    const newest = sets.find((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision'] === '3')!;
    const hash = newest.metadata.labels!['pod-template-hash']!;
    expect(newest.metadata.name).toBe(`tiendi-api-${hash}`);
    expect(newest.spec.selector.matchLabels).toEqual({ app: 'tiendi-api', 'pod-template-hash': hash });
    expect(newest.spec.replicas).toBe(3);
    expect(sets.filter((rs) => rs !== newest).map((rs) => rs.spec.replicas)).toEqual([0, 0]);
    const pods = await cluster.listPods(ns);
    expect(pods.filter((p) => p.name.startsWith(`tiendi-api-${hash}-`)).map((p) => `${p.ready} ${p.phase}`)).toEqual([
      '1/1 Running',
      '1/1 Running',
      '1/1 Running',
    ]);
    expect((await cluster.listDeployments(ns))[0]).toMatchObject({ revision: 3, readyReplicas: 3, env: { LOG_LEVEL: 'debug' } });
  });
});
