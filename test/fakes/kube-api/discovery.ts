/**
 * Legacy discovery documents (APIVersions, APIGroupList, APIResourceList), which kubectl falls back
 * to when the server does not answer with aggregated discovery.
 */

const rw = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
  shortNames?: string[];
  categories?: string[];
}

const res = (r: ApiResource): ApiResource => r;

/** The resource lists by group version ("v1" is the core group). */
export const resourceLists: Record<string, ApiResource[]> = {
  v1: [
    res({ name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: rw, shortNames: ['ev'] }),
    res({ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] }),
    res({ name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: rw, shortNames: ['no'] }),
    res({ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: rw, shortNames: ['po'], categories: ['all'] }),
    res({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
    res({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }),
    res({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] }),
  ],
  'apps/v1': [
    res({ name: 'daemonsets', singularName: 'daemonset', namespaced: true, kind: 'DaemonSet', verbs: rw, shortNames: ['ds'], categories: ['all'] }),
    res({ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: rw, shortNames: ['deploy'], categories: ['all'] }),
    res({ name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }),
    res({ name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] }),
    res({ name: 'replicasets', singularName: 'replicaset', namespaced: true, kind: 'ReplicaSet', verbs: rw, shortNames: ['rs'], categories: ['all'] }),
    res({ name: 'replicasets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }),
    res({ name: 'replicasets/status', singularName: '', namespaced: true, kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] }),
  ],
  'autoscaling/v2': [
    res({ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: rw, shortNames: ['hpa'], categories: ['all'] }),
    res({ name: 'horizontalpodautoscalers/status', singularName: '', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['get', 'patch', 'update'] }),
  ],
  'cert-manager.io/v1': [
    res({ name: 'certificates', singularName: 'certificate', namespaced: true, kind: 'Certificate', verbs: rw, shortNames: ['cert', 'certs'], categories: ['cert-manager'] }),
    res({ name: 'certificates/status', singularName: '', namespaced: true, kind: 'Certificate', verbs: ['get', 'patch', 'update'] }),
  ],
  'authorization.k8s.io/v1': [
    res({ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }),
  ],
  'metrics.k8s.io/v1beta1': [
    res({ name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] }),
    res({ name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }),
  ],
};

const groups = ['apps/v1', 'autoscaling/v2', 'authorization.k8s.io/v1', 'cert-manager.io/v1', 'metrics.k8s.io/v1beta1'];

/** GET /api */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function group(gv: string): Record<string, unknown> {
  const [name, version] = gv.split('/') as [string, string];
  const v = { groupVersion: gv, version };
  return { name, versions: [v], preferredVersion: v };
}

/** GET /apis */
export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(group) };
}

/** GET /apis/{group}, or undefined for an unknown group. */
export function apiGroup(name: string): Record<string, unknown> | undefined {
  const gv = groups.find((g) => g.startsWith(`${name}/`));
  return gv ? { kind: 'APIGroup', apiVersion: 'v1', ...group(gv) } : undefined;
}

/** GET /api/v1 or /apis/{group}/{version}, or undefined when not served. */
export function apiResourceList(groupVersion: string): Record<string, unknown> | undefined {
  const list = resourceLists[groupVersion];
  if (!list) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: list.map((r) => ({ ...r, storageVersionHash: r.name.includes('/') ? undefined : 'fake' })),
  };
}

/** GET /version: a v1.32 server. */
export const versionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};
