/**
 * The starting cluster: namespace production as the Tiendi runbook describes it. tiendi-api runs 3
 * replicas at revision 2 (image 1.8.0, one pod in CrashLoopBackOff) with revision 1 (1.7.3) still
 * in history; tiendi-payment (payment + envoy sidecar) has only revision 1; postgres-0 and redis-0
 * belong to StatefulSets. History is built by driving the fake controllers through time.
 */
import { recordEvent, reconcileDeployment } from './controller.js';
import { normalizeDeployment } from './defaults.js';
import type { Store } from './store.js';
import type { Deployment, Pod, PodTemplate } from './types.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

function apiTemplate(version: string, poolSize: string, extraEnv: Array<{ name: string; value: string }>): PodTemplate {
  return {
    metadata: { labels: { app: 'tiendi-api', tier: 'backend' } },
    spec: {
      containers: [
        {
          name: 'api',
          image: `tiendiacr.azurecr.io/tiendi-api:${version}`,
          ports: [{ name: 'http', containerPort: 3000 }],
          env: [
            { name: 'NODE_ENV', value: 'production' },
            { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'tiendi-db', key: 'url' } } },
            { name: 'DB_POOL_SIZE', value: poolSize },
            ...extraEnv,
          ],
          resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
          readinessProbe: {
            httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
    },
  };
}

function paymentTemplate(): PodTemplate {
  return {
    metadata: { labels: { app: 'tiendi-payment', tier: 'backend' } },
    spec: {
      containers: [
        {
          name: 'payment',
          image: 'tiendiacr.azurecr.io/tiendi-payment:2.3.1',
          env: [
            { name: 'PRIMARY_GATEWAY', value: 'niubiz' },
            { name: 'PAYMENT_TIMEOUT', value: '15000' },
          ],
        },
        { name: 'envoy', image: 'envoyproxy/envoy:v1.31.2', env: [{ name: 'ENVOY_LOG_LEVEL', value: 'info' }] },
      ],
    },
  };
}

function at<T>(store: Store, time: number, fn: () => T): T {
  const saved = store.now;
  store.now = () => time;
  try {
    return fn();
  } finally {
    store.now = saved;
  }
}

function createDeployment(store: Store, name: string, replicas: number, template: PodTemplate, changeCause: string): void {
  const d = normalizeDeployment({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'production',
      generation: 1,
      labels: { app: name },
      annotations: { 'kubernetes.io/change-cause': changeCause },
    },
    spec: { replicas, selector: { matchLabels: { app: name } }, template },
  });
  store.create('deployments', d);
  reconcileDeployment(store, name, 'production');
}

function updateTemplate(store: Store, name: string, template: PodTemplate, changeCause: string): void {
  const d = store.find<Deployment>('deployments', 'production', name)!;
  const next = normalizeDeployment({
    ...d,
    metadata: {
      ...d.metadata,
      generation: (d.metadata.generation ?? 1) + 1,
      annotations: { ...d.metadata.annotations, 'kubernetes.io/change-cause': changeCause },
    },
    spec: { ...d.spec, template },
  });
  store.update('deployments', next);
  reconcileDeployment(store, name, 'production');
}

function statefulPod(store: Store, name: string, app: string, image: string): void {
  const t = store.timestamp();
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'production',
      uid: '',
      resourceVersion: '',
      creationTimestamp: t,
      generateName: `${app}-`,
      labels: { app, 'apps.kubernetes.io/pod-index': '0', 'statefulset.kubernetes.io/pod-name': name },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: app, uid: store.uid(), controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      containers: [{ name: app, image, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      nodeName: 'aks-nodepool1-12345678-vmss000001',
      restartPolicy: 'Always',
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: t,
      })),
      podIP: app === 'redis' ? '10.244.1.20' : '10.244.1.21',
      startTime: t,
      qosClass: 'BestEffort',
      containerStatuses: [
        {
          name: app,
          ready: true,
          restartCount: 0,
          image,
          imageID: `${image}@sha256:0`,
          started: true,
          state: { running: { startedAt: t } },
          lastState: {},
        },
      ],
    },
  };
  store.create('pods', pod);
  store.logs.set(`production/${name}`, { [app]: { current: [`${t} ${app} ready to accept connections`] } });
  store.usage.set(`production/${name}`, [{ name: app, cpu: '31000000n', memory: '262144Ki' }]);
}

/** Two AKS nodes with their allocatable capacity and usage (what `kubectl top nodes` divides). */
function seedNodes(store: Store): void {
  const usage: Record<string, { cpu: string; memory: string }> = {
    'aks-nodepool1-12345678-vmss000000': { cpu: '1612000000n', memory: '9437184Ki' },
    'aks-nodepool1-12345678-vmss000001': { cpu: '284512345n', memory: '3145728Ki' },
  };
  for (const name of Object.keys(usage)) {
    const t = store.timestamp();
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        uid: '',
        resourceVersion: '',
        creationTimestamp: t,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', agentpool: 'nodepool1', 'node-role.kubernetes.io/agent': '' },
      },
      spec: { providerID: `azure:///subscriptions/0/resourceGroups/mc_tiendi/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-12345678-vmss/virtualMachines/${name.slice(-1)}` },
      status: {
        capacity: { cpu: '4', memory: '16393244Ki', pods: '110' },
        allocatable: { cpu: '3860m', memory: '12880412Ki', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }],
        nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Ubuntu 22.04.5 LTS', containerRuntimeVersion: 'containerd://1.7.27-1', architecture: 'amd64', operatingSystem: 'linux' },
      },
    });
    store.nodeUsage.set(name, usage[name]!);
  }
}

/** The HPA of tiendi-api (autoscaling/v2): CPU above target, at its minimum replicas. */
function seedHpa(store: Store): void {
  store.create('horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'tiendi-api', namespace: 'production', uid: '', resourceVersion: '', creationTimestamp: null },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tiendi-api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '900Mi' } } },
      ],
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85, averageValue: '212m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '629145600' } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4', lastTransitionTime: store.timestamp() },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', lastTransitionTime: store.timestamp() },
      ],
    },
  });
}

/** cert-manager Certificates: tiendi-tls is valid but overdue for renewal (renewal failing), admin's secret is missing. */
function seedCertificates(store: Store, base: number): void {
  const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const cert = (name: string, dnsNames: string[], status: Record<string, unknown>) =>
    store.create('certificates', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace: 'production', uid: '', resourceVersion: '', creationTimestamp: iso(base - 200 * day), generation: 1 },
      spec: { secretName: name, dnsNames, issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
      status,
    });
  at(store, base - 200 * day, () => {
    cert('tiendi-tls', ['tiendi.pe', 'www.tiendi.pe', 'api.tiendi.pe'], {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Certificate is up to date and has not expired', lastTransitionTime: iso(base - 80 * day), observedGeneration: 1 }],
      notBefore: iso(base - 80 * day),
      notAfter: iso(base + 10 * day),
      renewalTime: iso(base - 20 * day),
      revision: 3,
      failedIssuanceAttempts: 4,
      lastFailureTime: iso(base - 6 * hour),
    });
    cert('tiendi-admin-tls', ['admin.tiendi.pe'], {
      conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist', lastTransitionTime: iso(base - 1 * hour), observedGeneration: 1 }],
    });
  });
}

/** Seeds the store; `base` is "now" for the seeded history (timestamps are base minus offsets). */
export function seedProduction(store: Store, base: number): void {
  at(store, base - 90 * day, () => {
    for (const ns of ['default', 'kube-system', 'production']) {
      store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, uid: '', resourceVersion: '', creationTimestamp: null, labels: { 'kubernetes.io/metadata.name': ns } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
  });
  at(store, base - 90 * day, () => seedNodes(store));
  at(store, base - 60 * day, () => {
    statefulPod(store, 'postgres-0', 'postgres', 'postgres:15.6');
    statefulPod(store, 'redis-0', 'redis', 'redis:7.2.4');
  });

  at(store, base - 30 * day, () =>
    createDeployment(store, 'tiendi-api', 3, apiTemplate('1.7.3', '10', []), 'deploy tiendi-api 1.7.3'),
  );
  at(store, base - 20 * day, () => createDeployment(store, 'tiendi-payment', 2, paymentTemplate(), 'deploy tiendi-payment 2.3.1'));
  at(store, base - 30 * day, () => seedHpa(store));
  seedCertificates(store, base);
  at(store, base - 2 * hour, () =>
    updateTemplate(store, 'tiendi-api', apiTemplate('1.8.0', '20', [{ name: 'ENABLE_CACHE', value: 'true' }]), 'deploy tiendi-api 1.8.0'),
  );

  // One pod of the new revision crash-loops (the on-call scenario); another restarted once.
  at(store, base - 5 * minute, () => {
    const api = store.list<Pod>('pods', 'production').filter((p) => p.metadata.labels?.app === 'tiendi-api');
    const [crashing, restarted] = api;
    if (crashing) {
      const t = store.timestamp();
      const cs = crashing.status.containerStatuses![0]!;
      crashing.status.conditions = crashing.status.conditions!.map((c) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? { ...c, status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [api]', lastTransitionTime: t }
          : c,
      );
      crashing.status.containerStatuses = [
        {
          ...cs,
          ready: false,
          started: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=api' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: t, finishedAt: t, containerID: cs.containerID } },
        },
      ];
      store.update('pods', crashing);
      const key = `production/${crashing.metadata.name}`;
      store.logs.set(key, {
        api: {
          current: [`${t} info: starting api (tiendiacr.azurecr.io/tiendi-api:1.8.0)`],
          previous: [
            `${t} info: starting api (tiendiacr.azurecr.io/tiendi-api:1.8.0)`,
            `${t} info: connecting to database (pool size 20)`,
            `${t} error: Error: connect ECONNREFUSED 10.0.12.5:5432`,
            `${t} error: process exited with code 1`,
          ],
        },
      });
      recordEvent(
        store,
        crashing,
        'Warning',
        'BackOff',
        `Back-off restarting failed container api in pod ${crashing.metadata.name}_production(${crashing.metadata.uid})`,
        'kubelet',
      );
    }
    if (restarted) {
      const cs = restarted.status.containerStatuses![0]!;
      const t = store.timestamp(-20 * minute);
      restarted.status.containerStatuses = [
        { ...cs, restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: t, finishedAt: t } } },
      ];
      store.update('pods', restarted);
    }
    reconcileDeployment(store, 'tiendi-api', 'production');
    const d = store.find<Deployment>('deployments', 'production', 'tiendi-api')!;
    const rsName = String((d.status.conditions as Array<{ message: string }>)[1]!.message.split('"')[1]);
    d.status.conditions = [
      (d.status.conditions as unknown[])[0],
      {
        type: 'Progressing',
        status: 'False',
        lastUpdateTime: store.timestamp(),
        lastTransitionTime: store.timestamp(),
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${rsName}" has timed out progressing.`,
      },
    ];
    store.update('deployments', d);
  });
}
