/**
 * A fake Kubernetes API server over HTTPS for tests: bearer-token authentication, an RBAC-like
 * authorizer with configurable rules, legacy discovery, pods (+log), deployments (+scale, +status,
 * JSON / merge / strategic-merge patches, server-side dry run), replicasets, events, namespaces,
 * nodes (get, list, patch: cordon), the pods/eviction subresource (policy/v1, optional
 * PodDisruptionBudget refusals), pods/exec over WebSocket (exec.ts; commands answered by `onExec`
 * responders), daemonsets (read), selfsubjectaccessreviews and metrics.k8s.io, answering in the real API's shapes (Status objects
 * for errors, Tables for `kubectl get`). Writes to deployments run the deployment and ReplicaSet
 * controllers synchronously (see controller.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { stringify as toYaml } from 'yaml';
import { reconcileDeployment, reconcileReplicaSet, recreateStatefulPod } from './controller.js';
import { normalizeDeployment, validateDeployment } from './defaults.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import {
  execOptionsOf,
  execSubprotocols,
  ExecSessions,
  isWebSocketUpgrade,
  offeredSubprotocols,
  pickSubprotocol,
  type ExecResponder,
} from './exec.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, schemas } from './patch.js';
import { decodeSelfSubjectAccessReview, unwrapEnvelope } from './protobuf.js';
import { seedProduction } from './seed.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, selectorString } from './selectors.js';
import { notFound, Store, type ResourceName, type WatchEvent } from './store.js';
import { toTable } from './tables.js';
import { generateServingCert } from './tls.js';
import {
  ApiError,
  clone,
  isRecord,
  jsonEqual,
  type Deployment,
  type JsonRecord,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type StatusBody,
} from './types.js';

/** One authorization rule; the first rule that matches a request decides, no match allows. */
export interface AccessRule {
  /** Verbs (get, list, watch, create, update, patch, delete, deletecollection) or '*'. Default all. */
  verbs?: string[];
  /** Resources, with subresource as `deployments/scale`, or '*'. Default all. */
  resources?: string[];
  /** Namespaces the rule covers. Default all. */
  namespaces?: string[];
  /** Users the rule covers. Default all. */
  users?: string[];
  allow: boolean;
}

/** Options of startFakeKubeApi. */
export interface FakeKubeApiOptions {
  /** Bearer token of the default user (random when omitted). */
  token?: string;
  /** Name of the default user. */
  user?: string;
  /** More accepted tokens: token → user name. */
  extraTokens?: Record<string, string>;
  /** Base time of the seeded history (epoch ms); pass the same value to two fakes to make them identical. */
  now?: number;
  /** Seed of uids and generated names (default "guardia"). */
  seed?: string;
  /** Authorization rules (see AccessRule). */
  rules?: AccessRule[];
}

/** What `faultNext` makes the fake do instead of answering. */
export type KubeFault = 'http500' | 'http429' | 'hang' | 'truncated';

/** One request the fake answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** Whether the request carried an Authorization header. */
  credentials: boolean;
  /** The authenticated user, if any. */
  user?: string;
  /** Parsed JSON body (or text) of writes. */
  body?: unknown;
  /** On requests to pods/NAME/exec: the command and streams asked for, and the container (resolved when the pod was found). */
  exec?: { command: string[]; container: string; tty: boolean; stdin: boolean };
  /** The HTTP status answered: 101 for an exec the fake upgraded (faults included). */
  status: number;
}

/** A running fake API server. */
export interface FakeKubeApi {
  /** `https://127.0.0.1:PORT` */
  url: string;
  token: string;
  user: string;
  /** The self-signed certificate (its own CA), for certificate-authority. */
  caFile: string;
  /** A kubeconfig (mode 0600) with context "fake" (namespace production) for the default user. */
  kubeconfigPath: string;
  /** Temp dir holding the certificate and kubeconfigs; removed by stop(). */
  dir: string;
  /** Every request, oldest first. */
  requests: RecordedRequest[];
  /** Writes another kubeconfig (other token, context name or namespace); returns its path. */
  writeKubeconfig(opts?: { token?: string; context?: string; namespace?: string; name?: string }): string;
  getDeployment(namespace: string, name: string): Deployment | undefined;
  listDeployments(namespace: string): Deployment[];
  listReplicaSets(namespace: string): ReplicaSet[];
  getPod(namespace: string, name: string): Pod | undefined;
  listPods(namespace: string): Pod[];
  listEvents(namespace: string): KubeObject[];
  /** Replaces the authorization rules. */
  setAccessRules(rules: AccessRule[]): void;
  /**
   * The next `times` evictions of the pod answer 429 as a PodDisruptionBudget would (`budget` names
   * it): the pod stays, and a later eviction goes through.
   */
  refuseEvictions(namespace: string, pod: string, times: number, budget?: string): void;
  /**
   * Fault injection (issue 8): the next `count` requests matching `match` (method, and a substring of
   * the path; `dryRun: false` spares server-side dry runs) fail before the fake changes anything: a 500
   * or 429 Status, no answer at all, or a 200 whose body stops mid-way.
   */
  faultNext(count: number, kind: KubeFault, match?: { method?: string; pathIncludes?: string; dryRun?: boolean }): void;
  /**
   * Answers pods/exec: responders are tried newest first, the first that does not return undefined
   * answers; with none, the exec fails as a container without that executable does. Returns the
   * responder's removal.
   */
  onExec(responder: ExecResponder): () => void;
  /** The store itself, for tests that need to shape state further. */
  store: Store;
  stop(): Promise<void>;
}

/** An Upgrade request as the server's 'upgrade' event hands it over, and its record. */
interface Upgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  record: RecordedRequest;
}

interface Target {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const kinds: Record<ResourceName, { kind: string; apiVersion: string; group: string }> = {
  pods: { kind: 'Pod', apiVersion: 'v1', group: '' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1', group: 'apps' },
  daemonsets: { kind: 'DaemonSet', apiVersion: 'apps/v1', group: 'apps' },
  events: { kind: 'Event', apiVersion: 'v1', group: '' },
  namespaces: { kind: 'Namespace', apiVersion: 'v1', group: '' },
  nodes: { kind: 'Node', apiVersion: 'v1', group: '' },
  horizontalpodautoscalers: { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', group: 'autoscaling' },
  certificates: { kind: 'Certificate', apiVersion: 'cert-manager.io/v1', group: 'cert-manager.io' },
};

const served: Record<string, ResourceName[]> = {
  v1: ['pods', 'events', 'namespaces', 'nodes'],
  'apps/v1': ['deployments', 'replicasets', 'daemonsets'],
  'autoscaling/v2': ['horizontalpodautoscalers'],
  'cert-manager.io/v1': ['certificates'],
};

function parseTarget(path: string): Target | undefined {
  const parts = path.split('/').filter(Boolean);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource || rest.length > 3) return undefined;
  return { group, version, namespace, resource, name, subresource };
}

function verbOf(method: string, t: Target, query: URLSearchParams): string {
  const watch = query.get('watch');
  switch (method) {
    case 'GET':
      if (watch === 'true' || watch === '1') return 'watch';
      return t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function ruleMatches(rule: AccessRule, user: string, verb: string, resource: string, namespace: string | undefined): boolean {
  const inList = (list: string[] | undefined, value: string | undefined) =>
    !list || list.includes('*') || (value !== undefined && list.includes(value));
  return (
    inList(rule.verbs, verb) &&
    inList(rule.resources, resource) &&
    (!rule.namespaces || (namespace !== undefined && rule.namespaces.includes(namespace))) &&
    inList(rule.users, user)
  );
}

function parseDryRun(query: URLSearchParams, body?: unknown): boolean {
  const values = [...query.getAll('dryRun')];
  if (isRecord(body) && Array.isArray(body.dryRun)) values.push(...(body.dryRun as string[]));
  for (const v of values) {
    if (v !== 'All') throw new ApiError(400, 'BadRequest', `dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

function stripTypeMeta(o: KubeObject): JsonRecord {
  const copy: JsonRecord = { ...o };
  delete copy.kind;
  delete copy.apiVersion;
  return copy;
}

function scaleOf(d: Deployment): JsonRecord {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: d.metadata.name,
      namespace: d.metadata.namespace,
      uid: d.metadata.uid,
      resourceVersion: d.metadata.resourceVersion,
      creationTimestamp: d.metadata.creationTimestamp,
    },
    spec: { replicas: d.spec.replicas },
    status: { replicas: Number(d.status.replicas ?? 0), selector: selectorString(d.spec.selector) },
  };
}

function managerFrom(query: URLSearchParams, userAgent: string | undefined): string {
  const fm = query.get('fieldManager');
  if (fm) return fm;
  const ua = userAgent ?? 'unknown';
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}

/** Starts the fake on 127.0.0.1 on a free port, seeded with namespace production. */
export async function startFakeKubeApi(opts: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-api-'));
  const cert = await generateServingCert(dir);
  const token = opts.token ?? randomBytes(24).toString('hex');
  const user = opts.user ?? 'oncall@tiendi.pe';
  const tokens = new Map<string, string>([[token, user], ...Object.entries(opts.extraTokens ?? {})]);
  let rules = [...(opts.rules ?? [])];
  const store = new Store(opts.seed ?? 'guardia', Date.now);
  seedProduction(store, opts.now ?? Date.now());

  const requests: RecordedRequest[] = [];
  const faults: Array<{ kind: KubeFault; method?: string; pathIncludes?: string; dryRun?: boolean }> = [];
  const sockets = new Set<Socket>();
  const watchers = new Set<() => void>();
  let url = '';

  const authorize = (who: string, verb: string, t: Target) => {
    const resource = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
    const rule = rules.find((r) => ruleMatches(r, who, verb, resource, t.namespace));
    return rule ? rule.allow : true;
  };

  const forbidden = (who: string, verb: string, t: Target) => {
    const resource = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
    const gr = t.group ? `${t.resource}.${t.group}` : t.resource;
    const subject = t.name ? `${gr} "${t.name}"` : gr;
    const where = t.namespace ? ` in the namespace "${t.namespace}"` : ' at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${who}" cannot ${verb} resource "${resource}" in API group "${t.group}"${where}`,
      { ...(t.name ? { name: t.name } : {}), ...(t.group ? { group: t.group } : {}), kind: t.resource },
    );
  };

  // ---- deployments

  const saveDeployment = (
    current: Deployment,
    patched: JsonRecord,
    dryRun: boolean,
    manager: string,
  ): Deployment => {
    const meta = isRecord(patched.metadata) ? patched.metadata : {};
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on deployments.apps "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.metadata.name, group: 'apps', kind: 'deployments' },
      );
    }
    if (meta.name !== undefined && meta.name !== current.metadata.name) {
      throw new ApiError(400, 'BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${current.metadata.name})`);
    }
    const next = normalizeDeployment({
      ...patched,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        ...meta,
        name: current.metadata.name,
        namespace: current.metadata.namespace,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: current.metadata.resourceVersion,
        generation: current.metadata.generation,
        managedFields: current.metadata.managedFields,
      },
      status: current.status,
    });
    validateDeployment(next, current);
    if (!jsonEqual(current.spec, next.spec)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (jsonEqual(stripManaged(current), stripManaged(next))) return current;
    next.metadata.managedFields = updateManaged(current.metadata.managedFields, manager, store.timestamp());
    if (dryRun) return next;
    const saved = store.update('deployments', next);
    reconcileDeployment(store, saved.metadata.name, saved.metadata.namespace!);
    return saved;
  };

  const patchBody = (contentType: string | undefined, current: JsonRecord, body: unknown, schema: Record<string, unknown>) => {
    const type = (contentType ?? '').split(';')[0]!.trim();
    switch (type) {
      case 'application/json-patch+json':
        return applyJsonPatch(current, body);
      case 'application/merge-patch+json':
        return applyMergePatch(current, body);
      case 'application/strategic-merge-patch+json':
        return applyStrategicMergePatch(current, body, schema as typeof schemas.deployment);
      default:
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (server-side apply is not implemented by the fake)`,
        );
    }
  };

  const handleScale = (method: string, t: Target, query: URLSearchParams, body: unknown, contentType: string | undefined, ua?: string) => {
    const current = store.get<Deployment>('deployments', 'apps', t.namespace!, t.name!);
    const scale = scaleOf(current);
    if (method === 'GET') return { status: 200, body: scale };
    const dryRun = parseDryRun(query, body);
    let wanted: JsonRecord;
    if (method === 'PATCH') wanted = patchBody(contentType, scale, body, {});
    else if (method === 'PUT') {
      if (!isRecord(body)) throw new ApiError(400, 'BadRequest', 'the body of a Scale update must be a Scale object');
      wanted = body;
    } else throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    const meta = isRecord(wanted.metadata) ? wanted.metadata : {};
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on deployments.apps "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.metadata.name, group: 'apps', kind: 'deployments' },
      );
    }
    const replicas = isRecord(wanted.spec) ? wanted.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      const shown = replicas === undefined ? '0' : JSON.stringify(replicas);
      throw new ApiError(
        422,
        'Invalid',
        `Scale.autoscaling "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${shown}: must be greater than or equal to 0`,
        { name: current.metadata.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: must be greater than or equal to 0`, field: 'spec.replicas' }] },
      );
    }
    const next = clone(current) as unknown as JsonRecord;
    (next.spec as JsonRecord).replicas = replicas;
    const saved = saveDeployment(current, next, dryRun, managerFrom(query, ua));
    return { status: 200, body: scaleOf(saved) };
  };

  const handleDeployments = (method: string, t: Target, query: URLSearchParams, body: unknown, contentType?: string, ua?: string) => {
    if (t.subresource === 'scale') return handleScale(method, t, query, body, contentType, ua);
    if (t.subresource && t.subresource !== 'status') throw notFoundPath();
    if (t.subresource === 'status' && method !== 'GET') {
      throw new ApiError(405, 'MethodNotAllowed', 'the fake does not accept writes to deployments/status');
    }
    const ns = t.namespace!;
    switch (method) {
      case 'GET':
        return { status: 200, body: store.get<Deployment>('deployments', 'apps', ns, t.name!) };
      case 'PATCH': {
        const current = store.get<Deployment>('deployments', 'apps', ns, t.name!);
        const dryRun = parseDryRun(query, undefined);
        const patched = patchBody(contentType, current as unknown as JsonRecord, body, schemas.deployment);
        return { status: 200, body: saveDeployment(current, patched, dryRun, managerFrom(query, ua)) };
      }
      case 'PUT': {
        const current = store.get<Deployment>('deployments', 'apps', ns, t.name!);
        if (!isRecord(body)) throw new ApiError(400, 'BadRequest', 'the body must be a Deployment');
        const dryRun = parseDryRun(query, undefined);
        const meta = isRecord(body.metadata) ? body.metadata : {};
        if (!meta.resourceVersion) {
          throw new ApiError(422, 'Invalid', `Deployment.apps "${t.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
        }
        return { status: 200, body: saveDeployment(current, body, dryRun, managerFrom(query, ua)) };
      }
      case 'POST': {
        if (!isRecord(body) || !isRecord(body.metadata) || typeof body.metadata.name !== 'string') {
          throw new ApiError(400, 'BadRequest', 'the body must be a Deployment with metadata.name');
        }
        const dryRun = parseDryRun(query, undefined);
        const d = normalizeDeployment({ ...body, apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...body.metadata, namespace: ns, generation: 1 } });
        validateDeployment(d);
        d.status = {};
        if (store.find('deployments', ns, d.metadata.name)) {
          throw new ApiError(409, 'AlreadyExists', `deployments.apps "${d.metadata.name}" already exists`, { name: d.metadata.name, group: 'apps', kind: 'deployments' });
        }
        if (dryRun) return { status: 201, body: { ...d, metadata: { ...d.metadata, uid: store.uid(), creationTimestamp: store.timestamp() } } };
        const saved = store.create('deployments', d);
        reconcileDeployment(store, saved.metadata.name, ns);
        return { status: 201, body: saved };
      }
      case 'DELETE': {
        const current = store.get<Deployment>('deployments', 'apps', ns, t.name!);
        if (parseDryRun(query, body)) return { status: 200, body: current };
        store.remove('deployments', ns, current.metadata.name);
        for (const rs of store.list<ReplicaSet>('replicasets', ns)) {
          if (!rs.metadata.ownerReferences?.some((r) => r.uid === current.metadata.uid)) continue;
          store.remove('replicasets', ns, rs.metadata.name);
          for (const p of store.list<Pod>('pods', ns)) {
            if (p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid)) store.remove('pods', ns, p.metadata.name);
          }
        }
        return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: current.metadata.name, group: 'apps', kind: 'deployments', uid: current.metadata.uid } } };
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  };

  // ---- pods

  const handlePodLog = (t: Target, query: URLSearchParams) => {
    const pod = store.get<Pod>('pods', '', t.namespace!, t.name!);
    const container = containerOf(pod, query.get('container'));
    const logs = store.logs.get(`${t.namespace}/${t.name}`)?.[container];
    const previous = query.get('previous') === 'true';
    let lines = previous ? logs?.previous : (logs?.current ?? []);
    if (!lines) {
      throw new ApiError(400, 'BadRequest', `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    }
    const tail = query.get('tailLines');
    if (tail !== null) {
      const n = Number(tail);
      if (!Number.isInteger(n) || n < 0) throw new ApiError(400, 'BadRequest', `tailLines: Invalid value: "${tail}": must be greater than or equal to 0`);
      lines = n === 0 ? [] : lines.slice(-n);
    }
    if (query.get('timestamps') === 'true') {
      const started = String(pod.status.startTime ?? pod.metadata.creationTimestamp);
      lines = lines.map((l) => `${started.replace('Z', '.000000000Z')} ${l}`);
    }
    let text = lines.map((l) => `${l}\n`).join('');
    const limit = query.get('limitBytes');
    if (limit !== null) text = Buffer.from(text).subarray(0, Number(limit)).toString();
    return { status: 200, body: text, text: true };
  };

  /** No kubelet honours the grace period: the pod goes at once, and its controller replaces it. */
  const removePod = (pod: Pod) => {
    const ns = pod.metadata.namespace!;
    store.remove('pods', ns, pod.metadata.name);
    store.logs.delete(`${ns}/${pod.metadata.name}`);
    store.usage.delete(`${ns}/${pod.metadata.name}`);
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (owner?.kind === 'StatefulSet') recreateStatefulPod(store, pod);
    const rs = owner?.kind === 'ReplicaSet' ? store.find<ReplicaSet>('replicasets', ns, owner.name) : undefined;
    if (rs) {
      reconcileReplicaSet(store, rs);
      const d = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
      if (d) reconcileDeployment(store, d.name, ns);
    }
  };

  /** Evictions a test made a PodDisruptionBudget refuse: `namespace/pod` → refusals left and the budget's name. */
  const refusals = new Map<string, { left: number; budget: string }>();

  /** POST pods/NAME/eviction (policy/v1 Eviction): a delete that a PodDisruptionBudget may refuse with 429. */
  const handleEviction = (t: Target, query: URLSearchParams, body: unknown) => {
    const ns = t.namespace!;
    if (!isRecord(body) || body.kind !== 'Eviction') throw new ApiError(400, 'BadRequest', 'the body of an eviction must be a policy/v1 Eviction');
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (meta.name !== undefined && meta.name !== t.name) {
      throw new ApiError(400, 'BadRequest', `name in URL does not match name in Eviction object`);
    }
    const pod = store.get<Pod>('pods', '', ns, t.name!);
    const options = isRecord(body.deleteOptions) ? body.deleteOptions : {};
    const refusal = refusals.get(`${ns}/${pod.metadata.name}`);
    if (refusal && refusal.left > 0) {
      refusal.left--;
      throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
        causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${refusal.budget} needs 1 healthy pods and has 1 currently` }],
      } as StatusBody['details']);
    }
    const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    if (parseDryRun(query, options)) return { status: 201, body: success };
    removePod(pod);
    return { status: 201, body: success };
  };

  // ---- nodes (cordon / uncordon patch spec.unschedulable)

  const handleNodes = (method: string, t: Target, query: URLSearchParams, body: unknown, contentType: string | undefined) => {
    const current = store.get<KubeObject>('nodes', '', '', t.name!);
    if (method === 'GET' && !t.subresource) return { status: 200, body: current };
    if (method !== 'PATCH' || t.subresource) {
      throw new ApiError(405, 'MethodNotAllowed', 'the fake serves nodes read-only apart from patch');
    }
    const patched = patchBody(contentType, current as unknown as JsonRecord, body, schemas.node);
    const meta = isRecord(patched.metadata) ? patched.metadata : {};
    const next = {
      ...patched,
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { ...meta, name: current.metadata.name, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, resourceVersion: current.metadata.resourceVersion },
    } as unknown as KubeObject;
    const spec = isRecord(next.spec) ? next.spec : {};
    // unschedulable is omitempty: a false one (a merge patch's uncordon) is stored as absent, like null.
    if (spec.unschedulable === false || spec.unschedulable === null) delete spec.unschedulable;
    if (parseDryRun(query)) return { status: 200, body: next };
    if (jsonEqual(current, next)) return { status: 200, body: current };
    return { status: 200, body: store.update('nodes', next) };
  };

  /** Exec sessions (exec.ts) and the responders that stand in for containers. */
  const execSessions = new ExecSessions();

  /**
   * pods/NAME/exec: checked as kube-apiserver 1.32 checks it (create on pods/exec, the pod, its
   * container, its node), then upgraded to a WebSocket session that exec.ts runs.
   */
  const handleExec = (who: string, t: Target, query: URLSearchParams, upgrade: Upgrade | undefined): 'upgraded' => {
    // A plain request never reaches the kubelet: the API server's UpgradeAwareHandler refuses it.
    if (!upgrade) throw new ApiError(400, 'BadRequest', 'Upgrade request required');
    // Since 1.31 (AuthorizePodWebsocketUpgradeCreatePermission) a WebSocket GET needs create, as SPDY's POST always did.
    if (!authorize(who, 'create', t)) throw forbidden(who, 'create', t);
    const options = execOptionsOf(query);
    const pod = store.get<Pod>('pods', '', t.namespace!, t.name!);
    const container = containerOf(pod, options.container);
    upgrade.record.exec = { command: options.command, container, tty: options.tty, stdin: options.stdin };
    if (!pod.spec.nodeName) throw new ApiError(400, 'BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
    const { req, socket, head } = upgrade;
    if (!isWebSocketUpgrade(req)) {
      // kubectl falls back to SPDY when its WebSocket upgrade fails; after a refusal the same checks refuse again above.
      throw new ApiError(400, 'BadRequest', `the fake API server serves pods/exec over WebSocket only (${execSubprotocols.join(', ')}), not ${req.headers.upgrade ?? 'this upgrade'}`);
    }
    const offered = offeredSubprotocols(req);
    if (offered.length > 0 && !pickSubprotocol(offered)) {
      throw new ApiError(400, 'BadRequest', `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${execSubprotocols.join(' ')}]`);
    }
    const status = pod.status.containerStatuses?.find((c) => c.name === container);
    execSessions.serve(req, socket, head, {
      ...options,
      namespace: t.namespace!,
      pod: pod.metadata.name,
      container,
      // A crash-looping or unstarted container has nothing to exec into.
      running: pod.status.phase === 'Running' && Boolean(status?.state.running),
      user: who,
    });
    return 'upgraded';
  };

  const handlePods = (method: string, t: Target, query: URLSearchParams, body: unknown, who: string, upgrade: Upgrade | undefined) => {
    const ns = t.namespace!;
    if (t.subresource === 'exec') return handleExec(who, t, query, upgrade);
    if (t.subresource === 'eviction') {
      if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return handleEviction(t, query, body);
    }
    if (t.subresource === 'log') {
      if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return handlePodLog(t, query);
    }
    if (t.subresource && t.subresource !== 'status') throw notFoundPath();
    switch (method) {
      case 'GET':
        return { status: 200, body: store.get<Pod>('pods', '', ns, t.name!) };
      case 'DELETE': {
        const pod = store.get<Pod>('pods', '', ns, t.name!);
        const dryRun = parseDryRun(query, body);
        const grace = Number(
          query.get('gracePeriodSeconds') ?? (isRecord(body) && body.gracePeriodSeconds !== undefined ? body.gracePeriodSeconds : pod.spec.terminationGracePeriodSeconds ?? 30),
        );
        const answer: Pod = clone(pod);
        if (grace > 0) {
          answer.metadata.deletionTimestamp = store.timestamp(grace * 1000);
          answer.metadata.deletionGracePeriodSeconds = grace;
        }
        if (dryRun) return { status: 200, body: answer };
        removePod(pod);
        return { status: 200, body: answer };
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the fake serves pods read-only apart from delete');
    }
  };

  // ---- generic delete (objects no controller of the fake owns: the Status of a foreground-less delete is the object)

  const deleteSimple = (resource: ResourceName, t: Target, query: URLSearchParams, body: unknown) => {
    const current = store.get(resource, kinds[resource].group, t.namespace ?? '', t.name!);
    if (parseDryRun(query, body)) return { status: 200, body: current };
    store.remove(resource, t.namespace ?? '', current.metadata.name);
    return { status: 200, body: current };
  };

  // ---- generic list / watch

  const listOf = (resource: ResourceName, t: Target, query: URLSearchParams, accept: string | undefined) => {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const items = store
      .list(resource, t.namespace)
      .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
    if (accept?.includes('as=Table')) {
      return { status: 200, body: toTable(resource, items, store.resourceVersion, Date.now(), query.get('includeObject')) };
    }
    const { kind, apiVersion } = kinds[resource];
    return {
      status: 200,
      body: { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: store.resourceVersion }, items: items.map(stripTypeMeta) },
    };
  };

  const startWatch = (resource: ResourceName, t: Target, query: URLSearchParams, res: ServerResponse, accept?: string) => {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const send = (e: WatchEvent) => {
      if (e.resource !== resource) return;
      if (t.namespace && e.object.metadata.namespace !== t.namespace) return;
      if (!matchesLabels(labels, e.object.metadata.labels) || !matchesFields(fields, e.object)) return;
      const object = accept?.includes('as=Table')
        ? toTable(resource, [e.object], e.object.metadata.resourceVersion, Date.now(), query.get('includeObject'))
        : e.object;
      res.write(`${JSON.stringify({ type: e.type, object })}\n`);
    };
    const unsubscribe = store.watch(send);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);
    const end = () => {
      unsubscribe();
      clearTimeout(timer);
      watchers.delete(end);
      res.end();
    };
    const timer = setTimeout(end, Math.min(timeoutSeconds, 1800) * 1000);
    watchers.add(end);
    res.on('close', end);
  };

  // ---- metrics.k8s.io and authorization

  const podMetrics = (pod: Pod): JsonRecord => ({
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: store.timestamp(), labels: pod.metadata.labels ?? {} },
    timestamp: store.timestamp(-15_000),
    window: '15.029s',
    containers: (store.usage.get(`${pod.metadata.namespace}/${pod.metadata.name}`) ?? []).map((c) => ({
      name: c.name,
      usage: { cpu: c.cpu, memory: c.memory },
    })),
  });

  const handleMetrics = (t: Target) => {
    if (t.resource === 'pods') {
      const running = store.list<Pod>('pods', t.namespace).filter((p) => p.status.phase === 'Running');
      if (t.name) {
        const pod = running.find((p) => p.metadata.name === t.name);
        if (!pod) throw notFound('pods', 'metrics.k8s.io', t.name);
        return { status: 200, body: { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...podMetrics(pod) } };
      }
      return {
        status: 200,
        body: { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: running.map(podMetrics) },
      };
    }
    if (t.resource === 'nodes') {
      const nodeMetrics = (n: KubeObject): JsonRecord => ({
        metadata: { name: n.metadata.name, creationTimestamp: store.timestamp(), labels: n.metadata.labels ?? {} },
        timestamp: store.timestamp(-15_000),
        window: '20.05s',
        usage: store.nodeUsage.get(n.metadata.name) ?? { cpu: '0', memory: '0' },
      });
      const nodes = store.list('nodes').filter((n) => store.nodeUsage.has(n.metadata.name));
      if (t.name) {
        const node = nodes.find((n) => n.metadata.name === t.name);
        if (!node) throw notFound('nodes', 'metrics.k8s.io', t.name);
        return { status: 200, body: { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...nodeMetrics(node) } };
      }
      return { status: 200, body: { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: nodes.map(nodeMetrics) } };
    }
    throw notFoundPath();
  };

  const handleAccessReview = (who: string, body: unknown) => {
    if (!isRecord(body) || !isRecord(body.spec)) throw new ApiError(400, 'BadRequest', 'the body must be a SelfSubjectAccessReview');
    const attrs = isRecord(body.spec.resourceAttributes) ? body.spec.resourceAttributes : undefined;
    let allowed = true;
    if (attrs) {
      const target: Target = {
        group: String(attrs.group ?? ''),
        version: String(attrs.version ?? ''),
        namespace: attrs.namespace ? String(attrs.namespace) : undefined,
        resource: String(attrs.resource ?? ''),
        name: attrs.name ? String(attrs.name) : undefined,
        subresource: attrs.subresource ? String(attrs.subresource) : undefined,
      };
      allowed = authorize(who, String(attrs.verb ?? ''), target);
    }
    return {
      status: 201,
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: body.spec,
        status: allowed ? { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "fake-oncall" of ClusterRole "edit" to User "${who}"` } : { allowed: false },
      },
    };
  };

  // ---- dispatch

  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    who: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    upgrade: Upgrade | undefined,
  ): { status: number; body: unknown; text?: boolean } | 'streaming' | 'upgraded' => {
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      if (path === '/api') return { status: 200, body: apiVersions(new URL(url).host) };
      if (path === '/apis') return { status: 200, body: apiGroupList() };
      const g = /^\/apis\/([^/]+)$/.exec(path);
      if (g) {
        const doc = apiGroup(g[1]!);
        if (doc) return { status: 200, body: doc };
        throw notFoundPath();
      }
      const gv = /^\/api\/(v1)$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)$/.exec(path);
      if (gv) {
        const doc = apiResourceList(gv[1]!);
        if (doc) return { status: 200, body: doc };
        throw notFoundPath();
      }
    }
    const t = parseTarget(path);
    if (!t) throw notFoundPath();
    const gv = t.group ? `${t.group}/${t.version}` : t.version;
    const verb = verbOf(method, t, query);

    if (t.group === 'authorization.k8s.io' && t.version === 'v1' && t.resource === 'selfsubjectaccessreviews') {
      if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return handleAccessReview(who, body);
    }
    if (!authorize(who, verb, t)) throw forbidden(who, verb, t);
    if (t.group === 'metrics.k8s.io' && t.version === 'v1beta1') {
      if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return handleMetrics(t);
    }
    const resource = served[gv]?.find((r) => r === t.resource);
    if (!resource) throw notFoundPath();
    if (t.namespace && resource !== 'namespaces' && !store.find('namespaces', '', t.namespace) && method !== 'GET') {
      throw new ApiError(404, 'NotFound', `namespaces "${t.namespace}" not found`, { name: t.namespace, kind: 'namespaces' });
    }
    if (!t.name) {
      if (method !== 'GET' && !(resource === 'deployments' && method === 'POST')) {
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      }
      if (method === 'POST') return handleDeployments(method, t, query, body, req.headers['content-type'], req.headers['user-agent']);
      if (verb === 'watch') {
        startWatch(resource, t, query, res, req.headers.accept);
        return 'streaming';
      }
      return listOf(resource, t, query, req.headers.accept);
    }
    const ns = t.namespace ?? '';
    if (method === 'GET' && !t.subresource && req.headers.accept?.includes('as=Table')) {
      const one = store.get(resource, kinds[resource].group, ns, t.name);
      return { status: 200, body: toTable(resource, [one], store.resourceVersion, Date.now(), query.get('includeObject')) };
    }
    switch (resource) {
      case 'deployments':
        return handleDeployments(method, t, query, body, req.headers['content-type'], req.headers['user-agent']);
      case 'pods':
        return handlePods(method, t, query, body, who, upgrade);
      case 'nodes':
        return handleNodes(method, t, query, body, req.headers['content-type']);
      case 'certificates':
        if (method === 'DELETE' && !t.subresource) return deleteSimple(resource, t, query, body);
        return { status: 200, body: store.get(resource, kinds[resource].group, ns, t.name) };
      default:
        if (method !== 'GET' || t.subresource) {
          throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        }
        return { status: 200, body: store.get(resource, kinds[resource].group, ns, t.name) };
    }
  };

  /**
   * Every request, plain or Upgrade (`upgraded` then carries the socket the 'upgrade' event handed
   * over, and `res` writes on it): recorded, faulted, authenticated and routed alike.
   */
  const handle = async (req: IncomingMessage, res: ServerResponse, upgraded?: { socket: Duplex; head: Buffer }) => {
    const chunks: Buffer[] = [];
    // An Upgrade request has no body to read: its socket belongs to the upgrade.
    if (!upgraded) for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const u = new URL(req.url ?? '/', 'https://fake');
    const query = u.searchParams;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(query.entries()),
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      credentials: Boolean(req.headers.authorization),
      status: 0,
    };
    const target = parseTarget(u.pathname);
    if (target?.resource === 'pods' && target.subresource === 'exec') {
      // The container as asked for; handleExec replaces it with the one it resolved.
      const { command, container = '', tty, stdin } = execOptionsOf(query);
      record.exec = { command, container, tty, stdin };
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      record.body = body;
    }
    requests.push(record);
    const faultAt = faults.findIndex(
      (f) =>
        (!f.method || f.method === record.method) &&
        (!f.pathIncludes || u.pathname.includes(f.pathIncludes)) &&
        (f.dryRun === undefined || f.dryRun === query.has('dryRun')),
    );
    if (faultAt >= 0) {
      const [fault] = faults.splice(faultAt, 1);
      const status = (code: number, reason: string, message: string) => {
        record.status = code;
        res.writeHead(code, { 'Content-Type': 'application/json', ...(code === 429 ? { 'Retry-After': '1' } : {}) });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
      };
      if (fault!.kind === 'http500') return status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out');
      if (fault!.kind === 'http429') return status(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later');
      if (upgraded && isWebSocketUpgrade(req)) {
        record.status = 101;
        if (fault!.kind === 'hang') return execSessions.hang(req, upgraded.socket, upgraded.head);
        return execSessions.drop(req, upgraded.socket, upgraded.head);
      }
      if (fault!.kind === 'hang') return; // open until the caller gives up or stop()
      if (upgraded) return void upgraded.socket.destroy();
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
      res.write('{"kind":"DeploymentList","apiVersion":"apps/v1","items":[{"metadata":');
      return void setTimeout(() => req.socket.destroy(), 10);
    }
    const send = (status: number, payload: unknown, text = false) => {
      record.status = status;
      res.writeHead(status, {
        'Content-Type': text ? 'text/plain' : 'application/json',
        'Cache-Control': 'no-cache, private',
        'Audit-Id': randomBytes(16).toString('hex'),
      });
      res.end(text ? String(payload) : JSON.stringify(payload));
    };
    try {
      const path = u.pathname.replace(/\/+$/, '') || '/';
      if (req.method === 'GET' && path === '/version') return send(200, versionInfo);
      if (req.method === 'GET' && ['/healthz', '/livez', '/readyz'].includes(path)) return send(200, 'ok', true);
      const auth = req.headers.authorization ?? '';
      const m = /^Bearer\s+(.+)$/i.exec(auth);
      const who = m ? tokens.get(m[1]!.trim()) : undefined;
      if (!who) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      record.user = who;
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      const envelope = type === 'application/vnd.kubernetes.protobuf' ? unwrapEnvelope(bytes) : undefined;
      if (envelope?.kind === 'SelfSubjectAccessReview') {
        body = decodeSelfSubjectAccessReview(envelope.raw);
        record.body = body;
      } else if (raw.length > 0 && (type === 'application/vnd.kubernetes.protobuf' || type === 'application/cbor')) {
        // The fake reads protobuf only for SelfSubjectAccessReview (kubectl auth can-i) and answers in JSON.
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
        );
      }
      if (typeof body === 'string' && req.method !== 'GET') {
        throw new ApiError(400, 'BadRequest', `the request body is not JSON: ${body.slice(0, 100)}`);
      }
      const out = route(req, res, who, path, query, body, upgraded && { req, ...upgraded, record });
      if (out === 'streaming') {
        record.status = 200;
        return;
      }
      if (out === 'upgraded') {
        record.status = 101;
        return;
      }
      send(out.status, out.body, out.text);
    } catch (error) {
      if (error instanceof ApiError) return send(error.code, error.toStatus());
      const message = error instanceof Error ? error.message : String(error);
      send(500, new ApiError(500, 'InternalError', `Internal error occurred: ${message}`).toStatus());
    }
  };

  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  // Upgrades (pods/exec) go through handle() too: a refusal is an ordinary HTTP answer written on the socket.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => {
      res.detachSocket(socket as Socket);
      socket.end();
    });
    handle(req, res, { socket, head }).catch((error: unknown) => {
      socket.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let kubeconfigCount = 0;
  const writeKubeconfig: FakeKubeApi['writeKubeconfig'] = (o = {}) => {
    const context = o.context ?? 'fake';
    const file = join(dir, o.name ?? `kubeconfig-${++kubeconfigCount}`);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake-cluster', cluster: { server: url, 'certificate-authority': cert.certFile } }],
      users: [{ name: `${context}-user`, user: { token: o.token ?? token } }],
      contexts: [{ name: context, context: { cluster: 'fake-cluster', user: `${context}-user`, namespace: o.namespace ?? 'production' } }],
      'current-context': context,
      preferences: {},
    };
    writeFileSync(file, toYaml(config), { mode: 0o600 });
    return file;
  };
  const kubeconfigPath = writeKubeconfig({ name: 'kubeconfig' });

  let stopped = false;
  return {
    url,
    token,
    user,
    caFile: cert.certFile,
    kubeconfigPath,
    dir,
    requests,
    faultNext: (count, kind, match = {}) => {
      for (let i = 0; i < count; i++) faults.push({ kind, ...match });
    },
    onExec: (responder) => execSessions.onExec(responder),
    writeKubeconfig,
    getDeployment: (ns, name) => store.find<Deployment>('deployments', ns, name),
    listDeployments: (ns) => store.list<Deployment>('deployments', ns),
    listReplicaSets: (ns) => store.list<ReplicaSet>('replicasets', ns),
    getPod: (ns, name) => store.find<Pod>('pods', ns, name),
    listPods: (ns) => store.list<Pod>('pods', ns),
    listEvents: (ns) => store.list('events', ns),
    setAccessRules: (r) => {
      rules = [...r];
    },
    refuseEvictions: (namespace, pod, times, budget = `${pod.replace(/-[^-]+(-[^-]+)?$/, '')}-pdb`) => {
      refusals.set(`${namespace}/${pod}`, { left: times, budget });
    },
    store,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const end of [...watchers]) end();
      execSessions.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The container a log or exec request means, as kube-apiserver's validateContainer resolves it: the
 * only container when none is named, else the named one (init containers count).
 */
function containerOf(pod: Pod, requested: string | null | undefined): string {
  const names = pod.spec.containers.map((c) => c.name);
  const initNames = (pod.spec.initContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (names.length === 1) return names[0]!;
    const init = initNames.length > 0 ? ` or one of the init containers: [${initNames.join(' ')}]` : '';
    throw new ApiError(400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${init}`);
  }
  if (!names.includes(requested) && !initNames.includes(requested)) {
    throw new ApiError(400, 'BadRequest', `container ${requested} is not valid for pod ${pod.metadata.name}`);
  }
  return requested;
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

function stripManaged(d: Deployment): JsonRecord {
  const copy = clone(d) as unknown as JsonRecord;
  delete (copy.metadata as JsonRecord).managedFields;
  return copy;
}

function updateManaged(existing: unknown, manager: string, time: string): JsonRecord[] {
  const list = Array.isArray(existing) ? (existing as JsonRecord[]).filter((e) => e.manager !== manager) : [];
  return [...list, { manager, operation: 'Update', apiVersion: 'apps/v1', time, fieldsType: 'FieldsV1' }];
}
