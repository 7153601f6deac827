/**
 * What kube-controller-manager would do after a write, run synchronously: the deployment controller
 * (one ReplicaSet per pod template, revisions, annotations copied to the ReplicaSet, scaling old sets
 * to zero) and the ReplicaSet controller (pods created Running and Ready at once, surplus pods removed
 * not-ready first). Rollouts complete instantly: there is no kubelet to wait for.
 */
import { createHash } from 'node:crypto';
import type { Store } from './store.js';
import { clone, isRecord, jsonEqual, type Deployment, type KubeObject, type Pod, type PodTemplate, type ReplicaSet } from './types.js';

/** Rollout revision of a Deployment and its ReplicaSets. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** Earlier revisions a reused ReplicaSet served. */
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
/** spec.replicas of the Deployment, recorded on its ReplicaSets. */
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
/** spec.replicas + maxSurge, recorded on ReplicaSets. */
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** Label that keeps pods of different templates apart. */
export const podTemplateHashLabel = 'pod-template-hash';

/** Annotations the controller never copies from a Deployment to its ReplicaSets. */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** pod-template-hash: FNV-32a of the template, its decimal digits mapped to rand.SafeEncodeString's alphabet. */
export function templateHash(template: PodTemplate): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(stableJson(withoutHash(template)))) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

function withoutHash(template: PodTemplate): PodTemplate {
  const t = clone(template);
  if (t.metadata?.labels) {
    delete t.metadata.labels[podTemplateHashLabel];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** deploymentutil.EqualIgnoreHash. */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

/** intstr.GetScaledValueFromIntOrPercent. */
function scaled(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const pct = Number(v.replace('%', ''));
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

function maxSurge(d: Deployment): number {
  if (d.spec.strategy?.type === 'Recreate') return 0;
  return scaled(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas, true, '25%');
}

function maxUnavailable(d: Deployment): number {
  if (d.spec.strategy?.type === 'Recreate') return 0;
  const surge = maxSurge(d);
  const un = scaled(d.spec.strategy?.rollingUpdate?.maxUnavailable, d.spec.replicas, false, '25%');
  return surge === 0 && un === 0 ? 1 : un;
}

function revisionOf(o: KubeObject): number {
  const v = Number(o.metadata.annotations?.[revisionAnnotation] ?? '0');
  return Number.isFinite(v) ? v : 0;
}

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

function isReady(p: Pod): boolean {
  return (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Records an Event as a controller's EventRecorder would. */
export function recordEvent(
  store: Store,
  involved: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component: string,
): void {
  const ns = involved.metadata.namespace ?? 'default';
  const t = store.timestamp();
  store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involved.metadata.name}.${createHash('sha1').update(store.uid()).digest('hex').slice(0, 16)}`,
      namespace: ns,
      uid: '',
      resourceVersion: '',
      creationTimestamp: t,
    },
    involvedObject: {
      kind: involved.kind,
      namespace: ns,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason,
    message,
    source: { component },
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  });
}

/** A pod of a ReplicaSet as the scheduler and kubelet would leave it once started: Running and Ready. */
export function newPod(store: Store, rs: ReplicaSet): Pod {
  const t = store.timestamp();
  const template = clone(rs.spec.template);
  const name = `${rs.metadata.name}-${store.suffix()}`;
  const h = createHash('sha256').update(name).digest();
  const ip = `10.244.${h[0]! % 4}.${(h[1]! % 250) + 2}`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      uid: '',
      resourceVersion: '',
      creationTimestamp: t,
      labels: template.metadata.labels ?? {},
      ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...template.spec,
      nodeName: scheduleNode(store, 'aks-nodepool1-12345678-vmss000000'),
      serviceAccountName: 'default',
      serviceAccount: 'default',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: t,
      })),
      hostIP: '10.240.0.4',
      hostIPs: [{ ip: '10.240.0.4' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: t,
      qosClass: 'Burstable',
      containerStatuses: template.spec.containers.map((c) => ({
        name: c.name,
        ready: true,
        restartCount: 0,
        image: c.image,
        imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
        containerID: `containerd://${createHash('sha256').update(`${name}/${c.name}`).digest('hex')}`,
        started: true,
        state: { running: { startedAt: t } },
        lastState: {},
      })),
    },
  };
  const created = store.create('pods', pod);
  const key = `${created.metadata.namespace}/${created.metadata.name}`;
  const logs: Record<string, { current: string[] }> = {};
  for (const c of template.spec.containers) {
    logs[c.name] = {
      current: [
        `${t} info: starting ${c.name} (${c.image})`,
        `${t} info: listening on :3000`,
        `${t} info: ready`,
      ],
    };
  }
  store.logs.set(key, logs);
  store.usage.set(
    key,
    template.spec.containers.map((c, i) => ({ name: c.name, cpu: `${(12_000_000 + i * 1_000_000).toString()}n`, memory: `${180_224 + i * 4096}Ki` })),
  );
  recordEvent(store, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'replicaset-controller');
  return created;
}

/** The ReplicaSet controller for one set: creates or deletes pods to match spec.replicas, then writes status. */
export function reconcileReplicaSet(store: Store, rsIn: ReplicaSet): ReplicaSet {
  let rs = rsIn;
  const ns = rs.metadata.namespace!;
  const pods = store.list<Pod>('pods', ns).filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp);
  if (pods.length > rs.spec.replicas) {
    const restarts = (p: Pod) => (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
    const doomed = [...pods]
      .sort(
        (a, b) =>
          Number(isReady(a)) - Number(isReady(b)) ||
          restarts(b) - restarts(a) ||
          String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
      )
      .slice(0, pods.length - rs.spec.replicas);
    for (const p of doomed) {
      store.remove('pods', ns, p.metadata.name);
      store.logs.delete(`${ns}/${p.metadata.name}`);
      store.usage.delete(`${ns}/${p.metadata.name}`);
      recordEvent(store, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
    }
  } else {
    for (let i = pods.length; i < rs.spec.replicas; i++) newPod(store, rs);
  }
  const now = store.list<Pod>('pods', ns).filter((p) => ownedBy(p, rs));
  const ready = now.filter(isReady).length;
  const status = {
    replicas: now.length,
    fullyLabeledReplicas: now.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (ready === 0) {
    delete (status as Partial<typeof status>).readyReplicas;
    delete (status as Partial<typeof status>).availableReplicas;
  }
  if (now.length === 0) delete (status as Partial<typeof status>).fullyLabeledReplicas;
  if (!jsonEqual(rs.status, status)) {
    rs = { ...rs, status };
    rs = store.update('replicasets', rs);
  }
  return rs;
}

function copyDeploymentAnnotations(d: Deployment, annotations: Record<string, string>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

function setScale(store: Store, d: Deployment, rs: ReplicaSet, replicas: number): ReplicaSet {
  const before = rs.spec.replicas;
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  annotations[desiredReplicasAnnotation] = String(d.spec.replicas);
  annotations[maxReplicasAnnotation] = String(d.spec.replicas + maxSurge(d));
  if (before === replicas && jsonEqual(annotations, rs.metadata.annotations ?? {})) return rs;
  const next: ReplicaSet = { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } };
  if (before !== replicas) next.metadata.generation = (rs.metadata.generation ?? 1) + 1;
  const saved = store.update('replicasets', next);
  if (before !== replicas) {
    const dir = replicas > before ? 'up' : 'down';
    recordEvent(store, d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${before} to ${replicas}`, 'deployment-controller');
  }
  return saved;
}

function condition(
  previous: unknown,
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): Record<string, string> {
  const prev = Array.isArray(previous)
    ? (previous as Array<Record<string, string>>).find((c) => c.type === type)
    : undefined;
  const same = prev && prev.status === status;
  const unchanged = same && prev.reason === reason && prev.message === message;
  return {
    type,
    status,
    lastUpdateTime: unchanged ? prev.lastUpdateTime! : now,
    lastTransitionTime: same ? prev.lastTransitionTime! : now,
    reason,
    message,
  };
}

/**
 * The deployment controller's sync for one Deployment: find or create the ReplicaSet of the current
 * template (new revision = highest old revision + 1), copy annotations, scale it to spec.replicas and
 * the old ones to zero, then write the Deployment's revision annotation and status.
 */
export function reconcileDeployment(store: Store, name: string, namespace: string): void {
  let d = store.find<Deployment>('deployments', namespace, name);
  if (!d) return;
  const owned = store.list<ReplicaSet>('replicasets', namespace).filter((rs) => ownedBy(rs, d!));
  const byAge = [...owned].sort(
    (a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  let current = byAge.find((rs) => equalIgnoreHash(rs.spec.template, d!.spec.template));
  const old = owned.filter((rs) => rs !== current);
  const maxOld = old.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  const newRevision = String(maxOld + 1);

  if (d.spec.paused) {
    d = writeStatus(store, d, current, owned);
    return;
  }

  if (current) {
    const annotations = { ...(current.metadata.annotations ?? {}) };
    let changed = copyDeploymentAnnotations(d, annotations);
    const had = annotations[revisionAnnotation];
    if (had !== newRevision) {
      if (had) {
        const history = annotations[revisionHistoryAnnotation];
        annotations[revisionHistoryAnnotation] = history ? `${history},${had}` : had;
      }
      annotations[revisionAnnotation] = newRevision;
      changed = true;
    }
    if (changed) current = store.update('replicasets', { ...current, metadata: { ...current.metadata, annotations } });
  } else {
    const hash = templateHash(d.spec.template);
    const template = clone(d.spec.template);
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [podTemplateHashLabel]: hash };
    const annotations: Record<string, string> = {};
    copyDeploymentAnnotations(d, annotations);
    annotations[desiredReplicasAnnotation] = String(d.spec.replicas);
    annotations[maxReplicasAnnotation] = String(d.spec.replicas + maxSurge(d));
    annotations[revisionAnnotation] = newRevision;
    current = store.create<ReplicaSet>('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace,
        uid: '',
        resourceVersion: '',
        generation: 1,
        creationTimestamp: null,
        labels: template.metadata.labels,
        annotations,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: {
        replicas: 0,
        selector: {
          ...clone(d.spec.selector),
          matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [podTemplateHashLabel]: hash },
        },
        template,
      },
      status: { replicas: 0 },
    });
  }

  current = setScale(store, d, current, d.spec.replicas);
  current = reconcileReplicaSet(store, current);
  const all: ReplicaSet[] = [current];
  for (const rs of old) {
    const scaled = setScale(store, d, rs, 0);
    all.push(reconcileReplicaSet(store, scaled));
  }

  const revision = current.metadata.annotations?.[revisionAnnotation];
  if (revision && d.metadata.annotations?.[revisionAnnotation] !== revision) {
    d = store.update('deployments', {
      ...d,
      metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [revisionAnnotation]: revision } },
    });
  }
  writeStatus(store, d, current, all);
}

function writeStatus(store: Store, d: Deployment, current: ReplicaSet | undefined, all: ReplicaSet[]): Deployment {
  const ns = d.metadata.namespace!;
  const pods = store.list<Pod>('pods', ns).filter((p) => all.some((rs) => ownedBy(p, rs)));
  const ready = pods.filter(isReady).length;
  const updated = current ? pods.filter((p) => ownedBy(p, current)).length : 0;
  const desiredTotal = all.reduce((n, rs) => n + rs.spec.replicas, 0);
  const now = store.timestamp();
  const available = ready >= d.spec.replicas - maxUnavailable(d);
  const complete = current !== undefined && updated === d.spec.replicas && ready === d.spec.replicas && pods.length === d.spec.replicas;
  const status: Record<string, unknown> = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: pods.length,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
  };
  if (desiredTotal - ready > 0) status.unavailableReplicas = desiredTotal - ready;
  if (ready === 0) {
    delete status.readyReplicas;
    delete status.availableReplicas;
  }
  const prev = d.status.conditions;
  const progressing =
    d.spec.paused
      ? condition(prev, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now)
      : complete
        ? condition(prev, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${current!.metadata.name}" has successfully progressed.`, now)
        : condition(prev, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${current?.metadata.name ?? ''}" is progressing.`, now);
  status.conditions = [
    available
      ? condition(prev, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
      : condition(prev, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now),
    progressing,
  ];
  if (jsonEqual(d.status, status)) return d;
  return store.update('deployments', { ...d, status });
}

/** The StatefulSet controller's answer to a deleted pod: the same name again, fresh, Running and Ready. */
export function recreateStatefulPod(store: Store, gone: Pod): Pod {
  const t = store.timestamp();
  const pod = clone(gone);
  pod.metadata = { ...pod.metadata, uid: '', resourceVersion: '', creationTimestamp: t };
  pod.spec.nodeName = scheduleNode(store, gone.spec.nodeName ?? 'aks-nodepool1-12345678-vmss000001');
  delete pod.metadata.deletionTimestamp;
  delete pod.metadata.deletionGracePeriodSeconds;
  pod.status = {
    ...pod.status,
    startTime: t,
    conditions: (pod.status.conditions ?? []).map((c) => ({ ...c, status: 'True', lastTransitionTime: t })),
    containerStatuses: (pod.status.containerStatuses ?? []).map((c) => ({
      ...c,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
      lastState: {},
    })),
  };
  const created = store.create('pods', pod);
  const key = `${created.metadata.namespace}/${created.metadata.name}`;
  store.logs.set(key, Object.fromEntries(pod.spec.containers.map((c) => [c.name, { current: [`${t} ${c.name} started`] }])));
  store.usage.set(key, pod.spec.containers.map((c) => ({ name: c.name, cpu: '5000000n', memory: '65536Ki' })));
  return created;
}

/**
 * The scheduler's one rule the fake keeps: a cordoned node (spec.unschedulable) gets no new pod, so a
 * drained node's pods come back on another node. The preferred node otherwise (the seeded layout).
 */
export function scheduleNode(store: Store, preferred: string): string {
  const nodes = store.list('nodes');
  const schedulable = (n: (typeof nodes)[number]) => !(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable;
  const want = nodes.find((n) => n.metadata.name === preferred);
  if (!want || schedulable(want)) return preferred;
  return nodes.filter(schedulable).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0]?.metadata.name ?? preferred;
}
