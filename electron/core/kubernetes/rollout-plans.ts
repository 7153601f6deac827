/**
 * The client-side halves of `kubectl rollout undo`, `kubectl rollout restart` and `kubectl set env`
 * as pure functions: given what was read from the API, the exact patch kubectl would send.
 * References: kubectl/pkg/polymorphichelpers/rollback.go and objectrestarter.go,
 * kubectl/pkg/cmd/set/set_env.go, apimachinery's strategicpatch.CreateTwoWayMergePatch.
 */
import type { V1Container, V1Deployment, V1EnvVar, V1LabelSelector, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { GuardiaError } from '../../../shared/result.js';

/** The Deployment/ReplicaSet annotation holding the rollout revision. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** The pod-template annotation `kubectl rollout restart` sets. */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
const podTemplateHashLabel = 'pod-template-hash';

/** Deployment annotations a rollback keeps from the Deployment instead of copying from the ReplicaSet. */
export const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, values sorted. */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const parts: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push([k, `${k}=${v}`]);
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        parts.push([e.key, `${e.key} in (${values})`]);
        break;
      case 'NotIn':
        parts.push([e.key, `${e.key} notin (${values})`]);
        break;
      case 'Exists':
        parts.push([e.key, e.key]);
        break;
      case 'DoesNotExist':
        parts.push([e.key, `!${e.key}`]);
        break;
      default:
        throw new GuardiaError('kubernetes.bad-selector', `"${e.operator}" is not a valid label selector operator`);
    }
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}

/**
 * A typed client-node object as the JSON the API server sent. Safe for pod templates: no model in
 * V1PodTemplateSpec's tree renames a field (a unit test guards this), and Dates become RFC 3339.
 */
export function toJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * apiequality.Semantic.DeepEqual on JSON: nil and empty slices/maps are equal, and an absent struct
 * equals one whose fields are all empty (Go compares zero-valued structs field by field).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => semanticEqual(v, b[i]));
  if ((isObject(a) || a === undefined || a === null) && (isObject(b) || b === undefined || b === null)) {
    const ra = isObject(a) ? a : {};
    const rb = isObject(b) ? b : {};
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    return [...keys].every((k) => semanticEqual(ra[k], rb[k]));
  }
  return a === b;
}

function withoutHash(template: V1PodTemplateSpec | undefined): Record<string, unknown> {
  const t = (toJson(template ?? {}) ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) delete t.metadata.labels[podTemplateHashLabel];
  return t as Record<string, unknown>;
}

/** deploymentutil.EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** deploymentutil.Revision: the revision annotation, 0 when absent, undefined when unparsable. */
function revisionOf(annotations: Record<string, string> | undefined): number | undefined {
  const v = annotations?.[revisionAnnotation];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/** metav1.IsControlledBy. */
function controlledBy(rs: V1ReplicaSet, d: V1Deployment): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === d.metadata?.uid);
}

function creation(o: { metadata?: { creationTimestamp?: Date | string; name?: string } }): number {
  const t = o.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

/** A JSON Patch operation (RFC 6902). */
export interface JsonPatchOp {
  op: 'replace';
  path: string;
  value: unknown;
}

/** What `kubectl rollout undo` decided: patch to a revision, or skip because the template already matches. */
export type RollbackPlan =
  | { action: 'patch'; toRevision: number; patch: JsonPatchOp[] }
  | { action: 'skip'; toRevision: number };

/**
 * DeploymentRollbacker.Rollback with toRevision 0: among the ReplicaSets the Deployment controls
 * (listed by its selector), take the second-highest revision; copy its pod template without the
 * pod-template-hash label; keep the Deployment's own revision/last-applied annotations and take every
 * other annotation from that ReplicaSet; replace /spec/template and /metadata/annotations.
 */
export function planRollback(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): RollbackPlan {
  const name = deployment.metadata?.name ?? '';
  const owned = replicaSets
    .filter((rs) => controlledBy(rs, deployment))
    .sort((a, b) => creation(a) - creation(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const newRs = owned.find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
  const all = [...owned.filter((rs) => rs !== newRs), ...(newRs ? [newRs] : [])];

  let latest = -1;
  let latestRs: V1ReplicaSet | undefined;
  let previous = -1;
  let previousRs: V1ReplicaSet | undefined;
  for (const rs of all) {
    const v = revisionOf(rs.metadata?.annotations);
    if (v === undefined) continue;
    if (latest < v) {
      previous = latest;
      previousRs = latestRs;
      latest = v;
      latestRs = rs;
    } else if (previous < v) {
      previous = v;
      previousRs = rs;
    }
  }
  if (!previousRs) {
    throw new GuardiaError('kubernetes.no-history', `no rollout history found for deployment ${name}`);
  }
  if (deployment.spec?.paused) {
    throw new GuardiaError(
      'kubernetes.paused',
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`,
    );
  }
  if (equalIgnoreHash(previousRs.spec?.template, deployment.spec?.template)) {
    return { action: 'skip', toRevision: previous };
  }
  const template = toJson(previousRs.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHashLabel];

  const annotations: Record<string, string> = {};
  const current = deployment.metadata?.annotations ?? {};
  for (const k of annotationsToSkip) if (k in current) annotations[k] = current[k]!;
  for (const [k, v] of Object.entries(previousRs.metadata?.annotations ?? {})) {
    if (!annotationsToSkip.has(k)) annotations[k] = v;
  }
  return {
    action: 'patch',
    toRevision: previous,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/** Go's time.Now().Format(time.RFC3339): local time, whole seconds, "Z" or a ±hh:mm offset. */
export function rfc3339(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`
  );
}

/** The strategic merge patch `kubectl rollout restart` sends (objectrestarter.go + CreateTwoWayMergePatch). */
export function restartPatch(deployment: V1Deployment, now: Date): Record<string, unknown> {
  const name = deployment.metadata?.name ?? '';
  if (deployment.spec?.paused) {
    throw new GuardiaError('kubernetes.paused', `can't restart paused deployment ${name} (run rollout resume first)`);
  }
  const at = rfc3339(now);
  if (deployment.spec?.template?.metadata?.annotations?.[restartedAtAnnotation] === at) {
    throw new GuardiaError(
      'kubernetes.restart-too-soon',
      `failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
    );
  }
  return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: at } } } } };
}

const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** What `kubectl set env` decided for one container: the patch, or null when nothing changes. */
export interface EnvPlan {
  container: string;
  patch: Record<string, unknown> | null;
}

/**
 * `kubectl set env deployment/NAME -c CONTAINER K=V...` (CONTAINER defaults to the first container):
 * existing variables are replaced in place (a valueFrom is dropped), new ones are appended in the
 * given order, and the strategic merge patch is the two-way diff kubectl computes — changed entries
 * only, with `$setElementOrder` lists so the server keeps kubectl's order (without them a real API
 * server would put new variables first).
 */
export function planEnvPatch(deployment: V1Deployment, env: Record<string, string>, containerName?: string): EnvPlan {
  const name = deployment.metadata?.name ?? '';
  const containers: V1Container[] = deployment.spec?.template?.spec?.containers ?? [];
  const container = containerName ? containers.find((c) => c.name === containerName) : containers[0];
  if (!container) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw new GuardiaError(
      'kubernetes.no-container',
      containerName
        ? `deployment ${name} has no container "${containerName}" (containers: ${names})`
        : `deployment ${name} has no containers`,
    );
  }
  const entries = Object.entries(env);
  if (entries.length === 0) throw new GuardiaError('kubernetes.bad-env', 'at least one environment variable must be provided');
  for (const [k] of entries) {
    if (!envVarName.test(k)) {
      throw new GuardiaError(
        'kubernetes.bad-env',
        `invalid environment variable name "${k}": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`,
      );
    }
  }
  const wanted: V1EnvVar[] = entries.map(([k, v]) => ({ name: k, value: v }));
  const existing: V1EnvVar[] = container.env ?? [];

  // set_env.go updateEnv: replace in place, then append the new ones.
  const covered = new Set<string>();
  const updated: V1EnvVar[] = [];
  for (const e of existing) {
    const newer = wanted.find((w) => w.name === e.name);
    if (newer) {
      covered.add(e.name);
      updated.push(newer);
    } else {
      updated.push(e);
    }
  }
  for (const w of wanted) {
    if (covered.has(w.name)) continue;
    covered.add(w.name);
    updated.push(w);
  }

  // CreateTwoWayMergePatch on the env list (merge key "name").
  const changed: Array<Record<string, unknown>> = [];
  for (const u of updated) {
    const before = existing.find((e) => e.name === u.name);
    // An empty value is omitted by Go's encoder ("omitempty"), so "" and absent are the same value.
    const value = u.value === '' ? undefined : u.value;
    if (!before) {
      changed.push(value === undefined ? { name: u.name } : { name: u.name, value });
      continue;
    }
    const beforeValue = before.value === '' ? undefined : before.value;
    const diff: Record<string, unknown> = {};
    if (beforeValue !== value) diff.value = value ?? null;
    if (before.valueFrom !== undefined && u.valueFrom === undefined) diff.valueFrom = null;
    if (Object.keys(diff).length > 0) changed.push({ name: u.name, ...diff });
  }
  if (changed.length === 0) return { container: container.name, patch: null };

  const containerPatch: Record<string, unknown> = { name: container.name };
  if (existing.length > 0) containerPatch['$setElementOrder/env'] = updated.map((e) => ({ name: e.name }));
  containerPatch.env = changed;
  return {
    container: container.name,
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': containers.map((c) => ({ name: c.name })),
            containers: [containerPatch],
          },
        },
      },
    },
  };
}
