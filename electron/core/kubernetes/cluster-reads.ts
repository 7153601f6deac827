/**
 * The client-side halves of kubectl's read commands as pure functions over what the API returned:
 * which pod `kubectl logs deployment/NAME` reads, the rows of `kubectl rollout history`, `kubectl
 * top`, `kubectl get events/hpa` and cert-manager's Certificate status, and the patch of `kubectl set
 * resources`. References: kubectl/pkg/polymorphichelpers (logsforobject.go, history.go),
 * kubectl/pkg/util/podutils (ByLogging), kubectl/pkg/cmd/top, pkg/printers/internalversion
 * (formatHPAMetrics), kubectl/pkg/cmd/set/set_resources.go.
 */
import type {
  CoreV1Event,
  V1Container,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { GuardiaError } from '../../../shared/result.js';
import type { CertificateInfo, HpaInfo, KubeEvent, NodeMetrics, PodMetrics, RolloutRevision } from '../ports.js';
import { addQuantities, milliValue, normalizeQuantity, parseQuantity, unitValue, type Quantity } from './quantity.js';
import { revisionAnnotation } from './rollout-plans.js';

/** The annotation kubectl reads for `rollout history`'s CHANGE-CAUSE column. */
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
/** The annotation naming the container `kubectl logs` and `exec` use when none is given. */
export const defaultContainerAnnotation = 'kubectl.kubernetes.io/default-container';

const ms = (d: Date | string | undefined | null): number => (d ? new Date(d).getTime() : 0);

function readyCondition(pod: V1Pod) {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}
const isReady = (pod: V1Pod) => readyCondition(pod)?.status === 'True';
const maxRestarts = (pod: V1Pod) => Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount));

/** afterOrZero(t1, t2): t1 is zero, or t1 is after t2 (both non-zero). */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** podutils.ByLogging.Less: the pod `kubectl logs deployment/NAME` prefers comes first. */
export function byLogging(a: V1Pod, b: V1Pod): number {
  const less = (i: V1Pod, j: V1Pod): boolean => {
    const ni = i.spec?.nodeName ?? '';
    const nj = j.spec?.nodeName ?? '';
    if (ni !== nj && (ni === '' || nj === '')) return ni !== '';
    const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
    const pi = rank[i.status?.phase ?? ''] ?? 3;
    const pj = rank[j.status?.phase ?? ''] ?? 3;
    if (pi !== pj) return pi < pj;
    if (isReady(i) !== isReady(j)) return isReady(i);
    if (isReady(i) && isReady(j)) {
      const ri = ms(readyCondition(i)?.lastTransitionTime);
      const rj = ms(readyCondition(j)?.lastTransitionTime);
      if (ri !== rj) return afterOrZero(rj, ri);
    }
    if (maxRestarts(i) !== maxRestarts(j)) return maxRestarts(i) > maxRestarts(j);
    const ci = ms(i.metadata?.creationTimestamp);
    const cj = ms(j.metadata?.creationTimestamp);
    if (ci !== cj) return afterOrZero(cj, ci);
    return false;
  };
  return less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

/** The pod kubectl reads logs from for a workload: the first by ByLogging. */
export function pickLogPod(pods: V1Pod[]): V1Pod | undefined {
  return [...pods].sort(byLogging)[0];
}

/**
 * The container to read (podcmd.FindOrDefaultContainerByName): the one asked for, else the pod's
 * default-container annotation, else its first container.
 */
export function logContainer(pod: V1Pod, wanted?: string): string {
  const name = pod.metadata?.name ?? '';
  const containers = pod.spec?.containers ?? [];
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  if (wanted) {
    if (!all.includes(wanted)) {
      throw new GuardiaError('kubernetes.no-container', `container ${wanted} is not valid for pod ${name} (containers: ${all.join(', ')})`);
    }
    return wanted;
  }
  const annotated = pod.metadata?.annotations?.[defaultContainerAnnotation];
  if (annotated && containers.some((c) => c.name === annotated)) return annotated;
  const first = containers[0]?.name;
  if (!first) throw new GuardiaError('kubernetes.no-container', `pod ${name} has no containers`);
  return first;
}

function controlledBy(rs: V1ReplicaSet, d: V1Deployment): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === d.metadata?.uid);
}

/**
 * `kubectl rollout history deployment/NAME`: one row per revision among the ReplicaSets the
 * Deployment controls, oldest first, with the ReplicaSet's change-cause (null prints as <none>).
 * A later ReplicaSet with the same revision replaces an earlier one, as kubectl's map does.
 */
export function rolloutHistoryOf(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): RolloutRevision[] {
  const byRevision = new Map<number, RolloutRevision>();
  for (const rs of replicaSets) {
    if (!controlledBy(rs, deployment)) continue;
    const raw = rs.metadata?.annotations?.[revisionAnnotation];
    const revision = raw === undefined ? 0 : /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isFinite(revision)) continue;
    byRevision.set(revision, {
      revision,
      changeCause: rs.metadata?.annotations?.[changeCauseAnnotation] || null,
      image: rs.spec?.template?.spec?.containers?.[0]?.image ?? '',
      createdAt: ms(rs.metadata?.creationTimestamp),
    });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

/** One Event as `kubectl get events` shows it; `lastSeen` falls back as kubectl's LAST SEEN does. */
export function eventInfo(e: CoreV1Event): KubeEvent {
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  return {
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: kind ? `${kind}/${e.involvedObject?.name ?? ''}` : (e.involvedObject?.name ?? ''),
    message: (e.message ?? '').trim(),
    count: e.count ?? e.series?.count ?? 1,
    lastSeen: ms(e.lastTimestamp) || ms(e.series?.lastObservedTime) || ms(e.eventTime) || ms(e.firstTimestamp) || ms(e.metadata?.creationTimestamp),
  };
}

/** Events oldest first (`kubectl get events --sort-by=.lastTimestamp`), so the newest reads last. */
export function sortEvents(events: KubeEvent[]): KubeEvent[] {
  return [...events].sort((a, b) => a.lastSeen - b.lastSeen);
}

/** The TARGETS column of `kubectl get hpa` (formatHPAMetrics): spec metric i against status metric i. */
export function hpaTargets(hpa: V2HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  const statuses = hpa.status?.currentMetrics ?? [];
  if (specs.length === 0) return '<none>';
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const status = statuses[i];
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const r = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const cur = spec.type === 'Resource' ? status?.resource?.current : status?.containerResource?.current;
        const prefix = spec.type === 'Resource' ? `${r?.name}` : `${r?.name} of container "${spec.containerResource?.container}"`;
        if (r?.target.averageValue !== undefined) {
          list.push(`${prefix}: ${cur?.averageValue !== undefined ? String(cur.averageValue) : '<unknown>'}/${String(r.target.averageValue)}`);
        } else {
          const c = cur?.averageUtilization;
          const t = r?.target.averageUtilization;
          list.push(`${prefix}: ${c === undefined ? '<unknown>' : `${c}%`}/${t === undefined ? '<auto>' : `${t}%`}`);
        }
        break;
      }
      case 'Pods': {
        const cur = status?.pods?.current.averageValue;
        list.push(`${cur !== undefined ? String(cur) : '<unknown>'}/${String(spec.pods?.target.averageValue ?? '<unknown>')}`);
        break;
      }
      case 'Object':
      case 'External': {
        const target = spec.type === 'Object' ? spec.object?.target : spec.external?.target;
        const cur = spec.type === 'Object' ? status?.object?.current : status?.external?.current;
        if (target?.averageValue !== undefined) {
          list.push(`${cur?.averageValue !== undefined ? String(cur.averageValue) : '<unknown>'}/${String(target.averageValue)} (avg)`);
        } else {
          list.push(`${cur?.value !== undefined ? String(cur.value) : '<unknown>'}/${String(target?.value ?? '<unknown>')}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** One row of `kubectl get hpa`. */
export function hpaInfo(hpa: V2HorizontalPodAutoscaler): HpaInfo {
  const ref = hpa.spec?.scaleTargetRef;
  return {
    name: hpa.metadata?.name ?? '',
    target: `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
    minReplicas: hpa.spec?.minReplicas ?? 1,
    maxReplicas: hpa.spec?.maxReplicas ?? 0,
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    metrics: hpaTargets(hpa),
  };
}

interface CertificateObject {
  metadata?: { name?: string };
  status?: {
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    notAfter?: string;
    renewalTime?: string;
  };
}

/** cert-manager.io/v1 Certificate status: its Ready condition, expiry and planned renewal. */
export function certificateInfo(obj: unknown): CertificateInfo {
  const c = (obj ?? {}) as CertificateObject;
  const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
  return {
    name: c.metadata?.name ?? '',
    ready: ready?.status === 'True',
    notAfter: c.status?.notAfter ? Date.parse(c.status.notAfter) : null,
    renewalTime: c.status?.renewalTime ? Date.parse(c.status.renewalTime) : null,
    message: ready?.message ?? (ready ? '' : 'cert-manager has not reported a Ready condition yet'),
  };
}

interface UsageObject {
  metadata?: { name?: string; namespace?: string };
  containers?: Array<{ usage?: { cpu?: string; memory?: string } }>;
  usage?: { cpu?: string; memory?: string };
}

const sum = (values: Array<string | undefined>): Quantity => addQuantities(values.map((v) => parseQuantity(v ?? '0')));

/** A PodMetrics item as `kubectl top pods` sums it: CPU millicores and memory bytes over containers. */
export function podMetricsInfo(obj: unknown, namespace: string): PodMetrics {
  const m = (obj ?? {}) as UsageObject;
  const containers = m.containers ?? [];
  return {
    namespace: m.metadata?.namespace ?? namespace,
    name: m.metadata?.name ?? '',
    cpuMillis: milliValue(sum(containers.map((c) => c.usage?.cpu))),
    memoryBytes: unitValue(sum(containers.map((c) => c.usage?.memory))),
  };
}

/** A NodeMetrics item with the node's allocatable capacity, as `kubectl top nodes` divides it. */
export function nodeMetricsInfo(obj: unknown, allocatable: { cpu?: string; memory?: string } | undefined): NodeMetrics {
  const m = (obj ?? {}) as UsageObject;
  const cpu = parseQuantity(m.usage?.cpu ?? '0');
  const memory = parseQuantity(m.usage?.memory ?? '0');
  const cpuMillis = milliValue(cpu);
  const allocCpu = allocatable?.cpu ? milliValue(parseQuantity(allocatable.cpu)) : 0;
  const allocMemory = allocatable?.memory ? milliValue(parseQuantity(allocatable.memory)) : 0;
  // kubectl: int64(float64(usage.MilliValue()) / float64(allocatable.MilliValue()) * 100).
  return {
    name: m.metadata?.name ?? '',
    cpuMillis,
    memoryBytes: unitValue(memory),
    cpuPercent: allocCpu > 0 ? Math.trunc((cpuMillis / allocCpu) * 100) : null,
    memoryPercent: allocMemory > 0 ? Math.trunc((milliValue(memory) / allocMemory) * 100) : null,
  };
}

/** Requests and limits as `kubectl set resources --limits=... --requests=...` takes them. */
export interface ResourceChange {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/** What `kubectl set resources` decided for one container: the patch, or null when nothing changes. */
export interface ResourcesPlan {
  container: string;
  patch: Record<string, unknown> | null;
}

const resourceName = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * `kubectl set resources deployment/NAME -c CONTAINER --limits=... --requests=...` on one container
 * (the first unless named): given values are set over the container's existing ones in their
 * canonical form, and the strategic merge patch is kubectl's two-way diff — the changed keys only,
 * with `$setElementOrder/containers`.
 */
export function planResourcesPatch(deployment: V1Deployment, change: ResourceChange, containerName?: string): ResourcesPlan {
  const name = deployment.metadata?.name ?? '';
  const containers: V1Container[] = deployment.spec?.template?.spec?.containers ?? [];
  const container = containerName ? containers.find((c) => c.name === containerName) : containers[0];
  if (!container) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw new GuardiaError(
      'kubernetes.no-container',
      containerName ? `deployment ${name} has no container "${containerName}" (containers: ${names})` : `deployment ${name} has no containers`,
    );
  }
  const wanted: Record<'limits' | 'requests', Record<string, string>> = { limits: {}, requests: {} };
  for (const kind of ['limits', 'requests'] as const) {
    for (const [k, v] of Object.entries(change[kind] ?? {})) {
      if (!resourceName.test(k)) throw new GuardiaError('kubernetes.bad-resources', `"${k}" is not a resource name (cpu, memory, ephemeral-storage, …)`);
      wanted[kind][k] = normalizeQuantity(v);
    }
  }
  if (Object.keys(wanted.limits).length + Object.keys(wanted.requests).length === 0) {
    throw new GuardiaError('kubernetes.bad-resources', 'you must specify an update to requests or limits (in the form of --limits/--requests)');
  }
  const current = container.resources ?? {};
  const diff: Record<string, Record<string, string>> = {};
  for (const kind of ['limits', 'requests'] as const) {
    const before = (current[kind] ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(wanted[kind])) {
      if (before[k] !== undefined && normalizeQuantity(String(before[k])) === v) continue;
      (diff[kind] ??= {})[k] = v;
    }
  }
  if (Object.keys(diff).length === 0) return { container: container.name, patch: null };
  return {
    container: container.name,
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': containers.map((c) => ({ name: c.name })),
            containers: [{ name: container.name, resources: diff }],
          },
        },
      },
    },
  };
}
