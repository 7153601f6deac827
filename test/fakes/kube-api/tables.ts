/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for: the columns and cell
 * values of k8s.io/kubernetes/pkg/printers/internalversion for the kinds the fake serves.
 */
import type { ResourceName } from './store.js';
import { isRecord, type Deployment, type KubeObject, type Pod, type ReplicaSet } from './types.js';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({
  name,
  type,
  format: name === 'Name' ? 'name' : format,
  description: name === 'Name' ? 'Name must be unique within a namespace.' : `${name} column`,
  priority,
});

/** duration.HumanDuration, as kubectl's AGE column shows it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(ts: unknown, now: number): string {
  if (typeof ts !== 'string') return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

/** printPod's READY, STATUS and RESTARTS (the logic kubectl users know). */
export function podColumns(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const statuses = pod.status.containerStatuses ?? [];
  const total = pod.spec.containers.length;
  let restarts = 0;
  let readyCount = 0;
  let lastRestart = 0;
  let reason: string = pod.status.reason || pod.status.phase;

  let initializing = false;
  const inits = pod.status.initContainerStatuses ?? [];
  inits.forEach((c, i) => {
    restarts += c.restartCount;
    const term = c.state.terminated;
    const wait = c.state.waiting;
    if (term && term.exitCode === 0) return;
    if (term) {
      reason = term.reason ? `Init:${String(term.reason)}` : term.signal ? `Init:Signal:${String(term.signal)}` : `Init:ExitCode:${String(term.exitCode)}`;
      initializing = true;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${String(wait.reason)}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${pod.spec.initContainers?.length ?? inits.length}`;
      initializing = true;
    }
  });

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      const finished = c.lastState.terminated?.finishedAt;
      if (typeof finished === 'string') lastRestart = Math.max(lastRestart, Date.parse(finished));
      const wait = c.state.waiting;
      const term = c.state.terminated;
      if (wait && wait.reason) reason = String(wait.reason);
      else if (term && term.reason) reason = String(term.reason);
      else if (term) reason = term.signal ? `Signal:${String(term.signal)}` : `ExitCode:${String(term.exitCode)}`;
      else if (c.ready && c.state.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartText = lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartText };
}

function cellsFor(resource: ResourceName, o: KubeObject, now: number): { columns: Column[]; cells: unknown[] } {
  switch (resource) {
    case 'pods': {
      const pod = o as Pod;
      const { ready, status, restarts } = podColumns(pod, now);
      return {
        columns: [col('Name'), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
        cells: [
          pod.metadata.name,
          ready,
          status,
          restarts,
          age(pod.metadata.creationTimestamp, now),
          pod.status.podIP ?? '<none>',
          pod.spec.nodeName ?? '<none>',
          '<none>',
          '<none>',
        ],
      };
    }
    case 'deployments': {
      const d = o as Deployment;
      const s = d.status as Record<string, number | undefined>;
      const containers = d.spec.template.spec.containers;
      return {
        columns: [col('Name'), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
        cells: [
          d.metadata.name,
          `${s.readyReplicas ?? 0}/${d.spec.replicas}`,
          s.updatedReplicas ?? 0,
          s.availableReplicas ?? 0,
          age(d.metadata.creationTimestamp, now),
          containers.map((c) => c.name).join(','),
          containers.map((c) => c.image).join(','),
          Object.entries(d.spec.selector.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ],
      };
    }
    case 'replicasets': {
      const rs = o as ReplicaSet;
      const s = rs.status as Record<string, number | undefined>;
      const containers = rs.spec.template.spec.containers;
      return {
        columns: [col('Name'), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
        cells: [
          rs.metadata.name,
          rs.spec.replicas,
          s.replicas ?? 0,
          s.readyReplicas ?? 0,
          age(rs.metadata.creationTimestamp, now),
          containers.map((c) => c.name).join(','),
          containers.map((c) => c.image).join(','),
          Object.entries(rs.spec.selector.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ],
      };
    }
    case 'events': {
      const involved = isRecord(o.involvedObject) ? o.involvedObject : {};
      return {
        columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message'), col('Source', 'string', 1), col('First Seen', 'string', 1), col('Count', 'integer', 1), col('Name', 'string', 1)],
        cells: [
          age(o.lastTimestamp, now),
          o.type,
          o.reason,
          `${String(involved.kind ?? '').toLowerCase()}/${String(involved.name ?? '')}`,
          o.message,
          isRecord(o.source) ? o.source.component : '',
          age(o.firstTimestamp, now),
          o.count,
          o.metadata.name,
        ],
      };
    }
    case 'namespaces':
      return {
        columns: [col('Name'), col('Status'), col('Age')],
        cells: [o.metadata.name, isRecord(o.status) ? o.status.phase : '', age(o.metadata.creationTimestamp, now)],
      };
    case 'nodes': {
      const status = isRecord(o.status) ? o.status : {};
      const conditions = Array.isArray(status.conditions) ? (status.conditions as Array<{ type: string; status: string }>) : [];
      const readiness = conditions.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady';
      const ready = isRecord(o.spec) && o.spec.unschedulable ? `${readiness},SchedulingDisabled` : readiness;
      const roles = Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length));
      const info = isRecord(status.nodeInfo) ? status.nodeInfo : {};
      return {
        columns: [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version')],
        cells: [o.metadata.name, ready, roles.join(',') || '<none>', age(o.metadata.creationTimestamp, now), info.kubeletVersion ?? ''],
      };
    }
    case 'horizontalpodautoscalers': {
      const spec = isRecord(o.spec) ? o.spec : {};
      const status = isRecord(o.status) ? o.status : {};
      const ref = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
      return {
        columns: [col('Name'), col('Reference'), col('Targets'), col('MinPods', 'string'), col('MaxPods', 'integer'), col('Replicas', 'integer'), col('Age')],
        cells: [
          o.metadata.name,
          `${String(ref.kind)}/${String(ref.name)}`,
          hpaTargets(spec, status),
          spec.minReplicas === undefined ? '<unset>' : String(spec.minReplicas),
          spec.maxReplicas,
          status.currentReplicas ?? 0,
          age(o.metadata.creationTimestamp, now),
        ],
      };
    }
    case 'certificates': {
      const spec = isRecord(o.spec) ? o.spec : {};
      const status = isRecord(o.status) ? o.status : {};
      const conditions = Array.isArray(status.conditions) ? (status.conditions as Array<{ type: string; status: string; message?: string }>) : [];
      const ready = conditions.find((c) => c.type === 'Ready');
      const issuer = isRecord(spec.issuerRef) ? spec.issuerRef.name : '';
      return {
        columns: [col('Name'), col('Ready'), col('Secret'), col('Issuer', 'string', 1), col('Status', 'string', 1), col('Age')],
        cells: [o.metadata.name, ready?.status ?? '', spec.secretName ?? '', issuer, ready?.message ?? '', age(o.metadata.creationTimestamp, now)],
      };
    }
    case 'daemonsets': {
      const status = (isRecord(o.status) ? o.status : {}) as Record<string, number | undefined>;
      return {
        columns: [col('Name'), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age')],
        cells: [
          o.metadata.name,
          status.desiredNumberScheduled ?? 0,
          status.currentNumberScheduled ?? 0,
          status.numberReady ?? 0,
          status.updatedNumberScheduled ?? 0,
          status.numberAvailable ?? 0,
          age(o.metadata.creationTimestamp, now),
        ],
      };
    }
  }
}

/** The TARGETS column of printHorizontalPodAutoscaler (formatHPAMetrics), written from the printer's source. */
function hpaTargets(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const specs = Array.isArray(spec.metrics) ? (spec.metrics as Array<Record<string, Record<string, unknown>>>) : [];
  const statuses = Array.isArray(status.currentMetrics) ? (status.currentMetrics as Array<Record<string, Record<string, unknown>>>) : [];
  if (specs.length === 0) return '<none>';
  const list: string[] = [];
  specs.forEach((m, i) => {
    const cur = statuses[i];
    const r = m.resource as { name?: string; target?: { averageUtilization?: number; averageValue?: string } } | undefined;
    if (m.type === ('Resource' as unknown) && r) {
      const current = cur?.resource as { current?: { averageUtilization?: number; averageValue?: string } } | undefined;
      if (r.target?.averageValue !== undefined) {
        list.push(`${r.name}: ${current?.current?.averageValue ?? '<unknown>'}/${r.target.averageValue}`);
      } else {
        const c = current?.current?.averageUtilization;
        const t = r.target?.averageUtilization;
        list.push(`${r.name}: ${c === undefined ? '<unknown>' : `${c}%`}/${t === undefined ? '<auto>' : `${t}%`}`);
      }
    } else {
      list.push('<unknown>/<unknown>');
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** A meta.k8s.io/v1 Table of objects; `includeObject` as the request asked (Metadata by default). */
export function toTable(
  resource: ResourceName,
  items: KubeObject[],
  resourceVersion: string,
  now: number,
  includeObject: string | null,
): Record<string, unknown> {
  const columns = cellsFor(resource, items[0] ?? placeholder(resource), now).columns;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns,
    rows: items.map((o) => {
      const row: Record<string, unknown> = { cells: cellsFor(resource, o, now).cells };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None') {
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      }
      return row;
    }),
  };
}

function placeholder(resource: ResourceName): KubeObject {
  const metadata = { name: '', uid: '', resourceVersion: '', creationTimestamp: null };
  const template = { metadata: {}, spec: { containers: [] } };
  switch (resource) {
    case 'pods':
      return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [] }, status: { phase: '' } } as Pod;
    case 'deployments':
      return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: 0, selector: {}, template }, status: {} } as Deployment;
    case 'replicasets':
      return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata, spec: { replicas: 0, selector: {}, template }, status: {} } as ReplicaSet;
    default:
      return { apiVersion: 'v1', kind: '', metadata };
  }
}
