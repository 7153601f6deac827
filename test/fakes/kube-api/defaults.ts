/**
 * What a write goes through between decoding and storage in the real API server: JSON is decoded
 * into Go structs (nulls and `$` directives vanish, empty `omitempty` strings vanish, value structs
 * such as `resources` and the template's `creationTimestamp` come back as `{}` and `null`),
 * defaulting fills the usual fields, and validation rejects what kube-apiserver would.
 */
import { ApiError, isRecord, type Container, type Deployment, type JsonRecord, type PodTemplate } from './types.js';
import { matchesLabels, selectorFromObject } from './selectors.js';

function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || k.startsWith('$')) continue;
    out[k] = pruneNulls(v);
  }
  return out;
}

function defaultContainer(c: Container): Container {
  const out: Container = { ...c };
  if (!out.imagePullPolicy) {
    const tag = /:([^:/@]+)$/.exec(out.image ?? '')?.[1];
    out.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  out.terminationMessagePath ??= '/dev/termination-log';
  out.terminationMessagePolicy ??= 'File';
  out.resources ??= {};
  if (Array.isArray(out.ports)) {
    out.ports = out.ports.map((p) => (isRecord(p) ? { ...p, protocol: p.protocol ?? 'TCP' } : p));
  }
  if (Array.isArray(out.env)) {
    out.env = out.env.map((e) => {
      const copy = { ...e };
      if (copy.value === '') delete copy.value;
      return copy;
    });
  }
  return out;
}

/** Decoding + defaulting of a pod template (as inside Deployments and ReplicaSets). */
export function normalizeTemplate(template: PodTemplate): PodTemplate {
  const t = pruneNulls(template) as PodTemplate;
  t.metadata = { ...(t.metadata ?? {}), creationTimestamp: null };
  const spec = { ...(t.spec ?? { containers: [] }) };
  spec.containers = (spec.containers ?? []).map(defaultContainer);
  if (spec.initContainers) spec.initContainers = spec.initContainers.map(defaultContainer);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  t.spec = spec;
  return t;
}

/** Decoding + defaulting of a Deployment. */
export function normalizeDeployment(input: JsonRecord): Deployment {
  const d = pruneNulls(input) as Deployment;
  d.metadata = { ...d.metadata };
  d.spec = { ...d.spec };
  d.spec.replicas ??= 1;
  d.spec.revisionHistoryLimit ??= 10;
  d.spec.progressDeadlineSeconds ??= 600;
  const strategy = { ...(d.spec.strategy ?? {}) };
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%', ...(strategy.rollingUpdate ?? {}) };
  }
  d.spec.strategy = strategy;
  d.spec.template = normalizeTemplate(d.spec.template);
  d.status ??= {};
  return d;
}

interface Cause {
  reason: string;
  message: string;
  field: string;
}

const envName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Validation of a Deployment create/update, with the previous object for immutable fields. */
export function validateDeployment(d: Deployment, previous?: Deployment): void {
  const causes: Cause[] = [];
  const invalid = (field: string, value: unknown, detail: string) =>
    causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });
  const required = (field: string) => causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });

  if (!Number.isInteger(d.spec.replicas)) invalid('spec.replicas', d.spec.replicas, 'must be an integer');
  else if (d.spec.replicas < 0) invalid('spec.replicas', d.spec.replicas, 'must be greater than or equal to 0');
  const selector = selectorFromObject(d.spec.selector);
  if (selector.length === 0) required('spec.selector');
  else if (!matchesLabels(selector, d.spec.template.metadata.labels)) {
    invalid('spec.template.metadata.labels', d.spec.template.metadata.labels ?? {}, '`selector` does not match template `labels`');
  }
  if (previous && JSON.stringify(previous.spec.selector) !== JSON.stringify(d.spec.selector)) {
    invalid('spec.selector', d.spec.selector, 'field is immutable');
  }
  const containers = d.spec.template.spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) required('spec.template.spec.containers');
  const seen = new Set<string>();
  (containers ?? []).forEach((c, i) => {
    const at = `spec.template.spec.containers[${i}]`;
    if (!c.name) required(`${at}.name`);
    else if (!dnsLabel.test(c.name)) invalid(`${at}.name`, c.name, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'');
    else if (seen.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${c.name}"` });
    if (c.name) seen.add(c.name);
    if (!c.image) required(`${at}.image`);
    (c.env ?? []).forEach((e, j) => {
      if (!e.name) required(`${at}.env[${j}].name`);
      else if (!envName.test(e.name)) {
        invalid(`${at}.env[${j}].name`, e.name, 'a valid environment variable name must consist of alphabetic characters, digits, \'_\', \'-\', or \'.\', and must not start with a digit');
      }
      if (e.value !== undefined && e.valueFrom !== undefined) {
        invalid(`${at}.env[${j}].valueFrom`, '', 'may not be specified when `value` is not empty');
      }
    });
  });
  if (causes.length > 0) {
    const name = d.metadata.name;
    throw new ApiError(
      422,
      'Invalid',
      `Deployment.apps "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      { name, group: 'apps', kind: 'Deployment', causes },
    );
  }
}
