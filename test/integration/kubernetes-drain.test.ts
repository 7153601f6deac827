/**
 * Node operations of KubernetesCluster (cordon, drain, uncordon, node list) against the fake API
 * server, with the real kubectl 1.32 as the oracle: each operation runs once through kubectl against
 * one fake and once through Guardia against another seeded identically; the resulting nodes and pods
 * must be the same and the writes the same requests. Then the guided AKS upgrade of runbook §8.2
 * runs its Kubernetes steps through KubernetesCluster on the fake (and ARM on the Azure fake).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { azureConnectionSchema } from '../../shared/config.js';
import { AksUpgradeProcedure, nodeOperationsOf } from '../../electron/core/azure/aks-upgrade.js';
import { AzureConnector } from '../../electron/core/azure/azure-connector.js';
import { Journal } from '../../electron/core/journal/journal.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { startFakeAzure } from '../fakes/azure/fake-azure.js';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject, type Pod, type RecordedRequest } from '../fakes/kube-api/index.js';

const execFileAsync = promisify(execFile);
const node0 = 'aks-nodepool1-12345678-vmss000000';
const node1 = 'aks-nodepool1-12345678-vmss000001';
/** Both fakes of a comparison share the seeded history's base time and seed, so they start identical. */
const base = Date.now();
let testStart = 0;
let work: string;
const started: FakeKubeApi[] = [];

async function fake(): Promise<FakeKubeApi> {
  const api = await startFakeKubeApi({ now: base, seed: 'kubernetes-drain.test' });
  started.push(api);
  return api;
}

let kubectlCount = 0;
/** Real kubectl against a fake, with its own kubeconfig, cache dir and HOME. */
async function kubectl(api: FakeKubeApi, args: string[]): Promise<{ out: string; code: number }> {
  const dir = join(work, `kubectl-${kubectlCount++}`);
  try {
    const { stdout, stderr } = await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], {
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 30_000,
    });
    return { out: stdout + stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { out: (e.stdout ?? '') + (e.stderr ?? ''), code: typeof e.code === 'number' ? e.code : 1 };
  }
}

function guardia(api: FakeKubeApi): KubernetesCluster {
  // Guardia waits less between PDB retries than kubectl's 5 s; the requests are the same.
  return KubernetesCluster.fromFile(api.kubeconfigPath, undefined, { evictionRetryMs: 100, deletePollMs: 50, drainTimeoutMs: 20_000 });
}

const timeKeys = new Set(['creationTimestamp', 'lastTransitionTime', 'startTime', 'startedAt', 'lastHeartbeatTime']);

/**
 * What may differ between the two runs: resourceVersion (an etcd counter), and uids and timestamps
 * of objects made during the test (evictions run in parallel, so the order in which the controllers
 * replace pods, and with it the uids they draw, is not fixed). Everything else must be identical.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'resourceVersion' || k === 'uid') continue;
    if (timeKeys.has(k) && typeof v === 'string' && Date.parse(v) >= testStart - 1000) {
      out[k] = '<during test>';
      continue;
    }
    out[k] = normalize(v);
  }
  return out;
}

function state(api: FakeKubeApi): unknown {
  const byName = (a: KubeObject, b: KubeObject) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);
  return normalize({ nodes: api.store.list('nodes').sort(byName), pods: api.store.list('pods').sort(byName) });
}

/** JSON with object keys sorted (key order carries no meaning; Go and client-node order them differently). */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * The writes and the reads that decide them, as comparable lines: discovery, the version check and
 * kubectl's polling of evicted pods (Guardia polls on its own interval) are left out. A body's null
 * `metadata.creationTimestamp` (Go's zero ObjectMeta) is the same as its absence.
 */
function traffic(api: FakeKubeApi): string[] {
  const strip = (b: unknown): unknown => JSON.parse(JSON.stringify(b ?? null, (k, v: unknown) => (k === 'creationTimestamp' && v === null ? undefined : v)));
  return api.requests
    .filter((r: RecordedRequest) => r.method !== 'GET' || /\/(nodes|pods|daemonsets)(\/[^/]+)?$/.test(r.path))
    .filter((r) => !(r.method === 'GET' && /\/namespaces\/[^/]+\/pods\/[^/]+$/.test(r.path)))
    .map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query).toString()} ${r.contentType ?? ''} ${canonical(strip(r.body))} → ${r.status}`)
    .sort();
}

/** A pod on node1 with the given owner and volumes (the seeded node1 runs only StatefulSet pods). */
function addPod(api: FakeKubeApi, name: string, owner: { kind: string; name: string } | null, extra: { emptyDir?: boolean; mirror?: boolean } = {}): void {
  const t = api.store.timestamp();
  api.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner?.kind === 'DaemonSet' || extra.mirror ? 'kube-system' : 'production',
      uid: '',
      resourceVersion: '',
      creationTimestamp: t,
      ...(extra.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'abc123' } } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1.36' }],
      nodeName: node1,
      ...(extra.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
    status: { phase: 'Running', startTime: t },
  } as unknown as Pod);
}

/** node1 as the runbook's drain finds it on AKS: a kube-proxy DaemonSet pod, a static (mirror) pod and a StatefulSet pod with emptyDir scratch space. */
function shapeNode1(api: FakeKubeApi): void {
  const t = api.store.timestamp();
  api.store.create('daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', uid: '', resourceVersion: '', creationTimestamp: t },
    spec: { selector: { matchLabels: { component: 'kube-proxy' } } },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2 },
  } as unknown as KubeObject);
  addPod(api, 'kube-proxy-x7k2p', { kind: 'DaemonSet', name: 'kube-proxy' });
  addPod(api, `etcd-${node1}`, { kind: 'Node', name: node1 }, { mirror: true });
  addPod(api, 'search-0', { kind: 'StatefulSet', name: 'search' }, { emptyDir: true });
}

const onNode = (api: FakeKubeApi, node: string) => api.store.list<Pod>('pods').filter((p) => p.spec.nodeName === node).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kubernetes-drain-test-'));
  testStart = Date.now();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('cordon and uncordon, as kubectl does them', () => {
  it('patches spec.unschedulable with the same strategic merge patches; a second cordon sends nothing', async () => {
    const [viaKubectl, viaGuardia] = [await fake(), await fake()];
    const g = guardia(viaGuardia);
    for (const args of [['cordon', node1], ['cordon', node1], ['uncordon', node1]]) {
      expect((await kubectl(viaKubectl, args)).code).toBe(0);
      await g.cordonNode(node1, args[0] === 'cordon');
      expect(state(viaGuardia)).toEqual(state(viaKubectl));
    }
    expect(traffic(viaGuardia)).toEqual(traffic(viaKubectl));
    const patches = viaGuardia.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
    expect(patches).toEqual([{ spec: { unschedulable: true } }, { spec: { unschedulable: null } }]);
    expect(viaGuardia.store.find('nodes', '', node1)?.spec).not.toHaveProperty('unschedulable');
  });
});

describe('listNodes', () => {
  it('reads the pool, the Ready condition, the cordon and the kubelet version', async () => {
    const api = await fake();
    const g = guardia(api);
    await g.cordonNode(node1, true);
    const n0 = api.store.find('nodes', '', node0)!;
    (n0.status as { conditions: Array<{ type: string; status: string }> }).conditions[0]!.status = 'Unknown';
    api.store.update('nodes', n0);
    expect(await g.listNodes('nodepool1')).toEqual([
      { name: node0, ready: false, unschedulable: false, kubeletVersion: 'v1.32.4' },
      { name: node1, ready: true, unschedulable: true, kubeletVersion: 'v1.32.4' },
    ]);
    expect(await g.listNodes('gpupool')).toEqual([]);
    expect(api.requests.find((r) => r.path === '/api/v1/nodes' && r.query.labelSelector === 'agentpool=gpupool')).toBeDefined();
  });
});

describe('drain --ignore-daemonsets --delete-emptydir-data, as kubectl does it', () => {
  it('cordons, leaves DaemonSet and mirror pods, evicts the rest (retrying a PDB refusal) and waits: same cluster, same requests', async () => {
    const [viaKubectl, viaGuardia] = [await fake(), await fake()];
    for (const api of [viaKubectl, viaGuardia]) {
      shapeNode1(api);
      api.refuseEvictions('production', 'redis-0', 1, 'redis-pdb');
    }
    const run = await kubectl(viaKubectl, ['drain', node1, '--ignore-daemonsets', '--delete-emptydir-data']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('will retry after 5s');
    const message = await guardia(viaGuardia).drainNode(node1);

    expect(state(viaGuardia)).toEqual(state(viaKubectl));
    expect(traffic(viaGuardia)).toEqual(traffic(viaKubectl));
    // What a user sees: the node is cordoned, only the DaemonSet and static pods are left on it,
    // and the StatefulSet pods came back on the other node.
    expect(viaGuardia.store.find('nodes', '', node1)?.spec).toMatchObject({ unschedulable: true });
    expect(onNode(viaGuardia, node1)).toEqual([`kube-system/etcd-${node1}`, 'kube-system/kube-proxy-x7k2p']);
    expect(onNode(viaGuardia, node0)).toEqual(expect.arrayContaining(['production/postgres-0', 'production/redis-0', 'production/search-0']));
    const evictions = viaGuardia.requests.filter((r) => r.path.endsWith('/eviction')).map((r) => `${r.path.split('/')[6]} ${r.status}`);
    expect(evictions.sort()).toEqual(['postgres-0 201', 'redis-0 201', 'redis-0 429', 'search-0 201']);
    expect(message).toContain('Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-x7k2p');
    expect(message).toMatch(/pod production\/redis-0 evicted[\s\S]*node\/aks-nodepool1-12345678-vmss000001 drained$/);
  });

  it('refuses like kubectl when a pod has no controller, evicting nothing and leaving the node cordoned', async () => {
    const [viaKubectl, viaGuardia] = [await fake(), await fake()];
    for (const api of [viaKubectl, viaGuardia]) addPod(api, 'debug-shell', null);
    const run = await kubectl(viaKubectl, ['drain', node1, '--ignore-daemonsets', '--delete-emptydir-data']);
    expect(run.code).not.toBe(0);
    expect(run.out).toContain('Pods that declare no controller (use --force to override): production/debug-shell');
    await expect(guardia(viaGuardia).drainNode(node1)).rejects.toMatchObject({
      code: 'kubernetes.drain-refused',
      message: expect.stringContaining('cannot delete Pods that declare no controller (use --force to override): production/debug-shell'),
    });
    expect(state(viaGuardia)).toEqual(state(viaKubectl));
    expect(traffic(viaGuardia)).toEqual(traffic(viaKubectl));
    expect(viaGuardia.requests.some((r) => r.path.endsWith('/eviction'))).toBe(false);
  });

  it('refuses emptyDir pods without --delete-emptydir-data and DaemonSet pods without --ignore-daemonsets, as kubectl', async () => {
    const [viaKubectl, viaGuardia] = [await fake(), await fake()];
    for (const api of [viaKubectl, viaGuardia]) shapeNode1(api);
    const run = await kubectl(viaKubectl, ['drain', node1]);
    expect(run.code).not.toBe(0);
    const refusal = guardia(viaGuardia).drainNode(node1, undefined, { ignoreDaemonSets: false, deleteEmptyDirData: false, force: false });
    await expect(refusal).rejects.toThrow(/cannot delete Pods with local storage \(use --delete-emptydir-data to override\): production\/search-0/);
    await expect(refusal).rejects.toThrow(/cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/kube-proxy-x7k2p/);
    for (const line of ['cannot delete Pods with local storage (use --delete-emptydir-data to override): production/search-0', 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-x7k2p']) {
      expect(run.out).toContain(line);
    }
    expect(state(viaGuardia)).toEqual(state(viaKubectl));
    expect(traffic(viaGuardia)).toEqual(traffic(viaKubectl));
  });

  it('gives up when a PodDisruptionBudget keeps refusing past the drain timeout, with the node still cordoned', async () => {
    const api = await fake();
    api.refuseEvictions('production', 'postgres-0', 1_000, 'postgres-pdb');
    const g = KubernetesCluster.fromFile(api.kubeconfigPath, undefined, { evictionRetryMs: 100, drainTimeoutMs: 1_000 });
    await expect(g.drainNode(node1)).rejects.toMatchObject({ code: 'kubernetes.drain-timeout', message: expect.stringContaining('node/aks-nodepool1-12345678-vmss000001') });
    expect(api.getPod('production', 'postgres-0')?.spec.nodeName).toBe(node1);
    expect(api.store.find('nodes', '', node1)?.spec).toMatchObject({ unschedulable: true });
    // Only refused evictions were repeated, and no more than the timeout allows.
    const postgres = api.requests.filter((r) => r.path.endsWith('/pods/postgres-0/eviction'));
    expect(postgres.every((r) => r.status === 429)).toBe(true);
    expect(postgres.length).toBeGreaterThan(1);
  });
});

describe('guided AKS node-pool upgrade on the fakes', () => {
  it('cordons, drains, upgrades once, uncordons and waits Ready per node through KubernetesCluster and ARM', async () => {
    const kube = await fake();
    const azureFake = await startFakeAzure();
    try {
      const connection = azureConnectionSchema.parse({
        subscriptionId: azureFake.subscriptionId,
        tenantId: azureFake.tenantId,
        resourceGroup: 'tiendi-prod',
        workspaceId: azureFake.workspaceId,
        region: 'eastus2',
        signIn: { method: 'service-principal', clientId: azureFake.clientId, secret: 'azure-sp-noc' },
        endpoints: { authorityHost: azureFake.url, resourceManager: azureFake.url, logAnalytics: azureFake.url, metrics: azureFake.url },
      });
      const az = new AzureConnector(connection, {
        secrets: { get: async () => azureFake.clientSecret, set: async () => {}, delete: async () => {}, list: async () => ['azure-sp-noc'] },
        clock: { now: () => Date.now() },
        clientOptions: { tlsOptions: { ca: azureFake.ca }, retryOptions: { maxRetries: 0 } },
        pollIntervalMs: 5,
      });
      await az.signInAndWait();
      const nodes = nodeOperationsOf(guardia(kube));
      expect(nodes).not.toBeNull();
      const journal = new Journal(await mkdtemp(join(work, 'journal-')), Date.now);
      const target = { resourceGroup: 'tiendi-prod', cluster: 'tiendi-cluster', nodePool: 'nodepool1', version: '1.28.3' };
      const proc = new AksUpgradeProcedure(target, az, nodes!, journal, { actor: 'ana', environment: 'prod' }, () => {}, async () => {}, Date.now);
      const plan = await proc.plan();
      expect(plan.steps.map((s) => s.id)).toEqual([node0, node1].flatMap((n) => ['cordon', 'drain', 'upgrade', 'uncordon', 'wait-ready'].map((k) => `${n}:${k}`)));
      await proc.start('nodepool1');
      const done = await proc.settled();
      expect(done.state, JSON.stringify(done.steps.filter((s) => s.state === 'failed'))).toBe('done');
      expect(azureFake.poolVersion('nodepool1')).toBe('1.28.3');
      expect(azureFake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/agentPools/nodepool1'))).toHaveLength(1);
      // Both nodes were drained through the Eviction API and are schedulable again.
      const evicted = (n: string) => done.steps.find((s) => s.id === `${n}:drain`)?.message ?? '';
      expect(evicted(node0)).toMatch(/pod production\/tiendi-api-[a-z0-9-]+ evicted/);
      expect(evicted(node1)).toContain('pod production/postgres-0 evicted');
      for (const n of [node0, node1]) expect(kube.store.find('nodes', '', n)?.spec).not.toHaveProperty('unschedulable');
      expect(kube.requests.filter((r) => r.method === 'PATCH').map((r) => `${r.path.split('/').pop()} ${JSON.stringify(r.body)}`)).toEqual([
        `${node0} {"spec":{"unschedulable":true}}`,
        `${node0} {"spec":{"unschedulable":null}}`,
        `${node1} {"spec":{"unschedulable":true}}`,
        `${node1} {"spec":{"unschedulable":null}}`,
      ]);
    } finally {
      await azureFake.close();
    }
  });
});
