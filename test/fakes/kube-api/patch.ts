/**
 * The three patch formats the API server accepts on PATCH, applied to plain JSON:
 * JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and strategic merge patch, following
 * k8s.io/apimachinery/pkg/util/strategicpatch (merge keys, $patch, $setElementOrder, $retainKeys,
 * $deleteFromPrimitiveList and its ordering rules).
 */
import { ApiError, clone, isRecord, jsonEqual, type JsonRecord } from './types.js';

// ---------------------------------------------------------------------------------------------
// JSON Patch

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new ApiError(400, 'BadRequest', `invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(op: string, path: string): ApiError {
  return new ApiError(422, 'Invalid', `${op} operation does not apply: doc is missing path: "${path}": missing value`);
}

/** Container of the last path segment, or throws the json-patch library's "missing path" error. */
function parentOf(doc: unknown, parts: string[], op: string, path: string): unknown {
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(part);
      if (!Number.isInteger(i) || i < 0 || i >= cur.length) throw missing(op, path);
      cur = cur[i];
    } else if (isRecord(cur) && part in cur) {
      cur = cur[part];
    } else {
      throw missing(op, path);
    }
  }
  return cur;
}

function getAt(doc: unknown, path: string, op: string): unknown {
  const parts = parsePointer(path);
  if (parts.length === 0) return doc;
  const parent = parentOf(doc, parts, op, path);
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw missing(op, path);
    return parent[i];
  }
  if (isRecord(parent) && last in parent) return parent[last];
  throw missing(op, path);
}

/** Applies an RFC 6902 patch; returns the new document (the input is not modified). */
export function applyJsonPatch(original: JsonRecord, patch: unknown): JsonRecord {
  if (!Array.isArray(patch)) {
    throw new ApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc: unknown = clone(original);
  for (const raw of patch as JsonPatchOp[]) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new ApiError(400, 'BadRequest', `invalid JSON patch operation: ${JSON.stringify(raw)}`);
    }
    const { op, path } = raw;
    const parts = parsePointer(path);
    const setAt = (value: unknown, mode: 'add' | 'replace') => {
      if (parts.length === 0) {
        doc = value;
        return;
      }
      const parent = parentOf(doc, parts, op, path);
      const last = parts[parts.length - 1]!;
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        const max = mode === 'add' ? parent.length : parent.length - 1;
        if (!Number.isInteger(i) || i < 0 || i > max) throw missing(op, path);
        if (mode === 'add') parent.splice(i, 0, value);
        else parent[i] = value;
      } else if (isRecord(parent)) {
        if (mode === 'replace' && !(last in parent)) throw missing(op, path);
        parent[last] = value;
      } else {
        throw missing(op, path);
      }
    };
    const removeAt = () => {
      const parent = parentOf(doc, parts, op, path);
      const last = parts[parts.length - 1]!;
      if (Array.isArray(parent)) {
        const i = Number(last);
        if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw missing(op, path);
        parent.splice(i, 1);
      } else if (isRecord(parent) && last in parent) {
        delete parent[last];
      } else {
        throw missing(op, path);
      }
    };
    switch (op) {
      case 'add':
        setAt(clone(raw.value), 'add');
        break;
      case 'replace':
        setAt(clone(raw.value), 'replace');
        break;
      case 'remove':
        removeAt();
        break;
      case 'copy':
        setAt(clone(getAt(doc, raw.from ?? '', op)), 'add');
        break;
      case 'move': {
        const value = getAt(doc, raw.from ?? '', op);
        const fromParts = parsePointer(raw.from ?? '');
        const saved = parts.splice(0, parts.length, ...fromParts);
        removeAt();
        parts.splice(0, parts.length, ...saved);
        setAt(value, 'add');
        break;
      }
      case 'test':
        if (!jsonEqual(getAt(doc, path, op), raw.value)) {
          throw new ApiError(422, 'Invalid', `testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw new ApiError(400, 'BadRequest', `Unexpected kind: ${op}`);
    }
  }
  if (!isRecord(doc)) throw new ApiError(422, 'Invalid', 'the patch replaced the object with a non-object');
  return doc;
}

// ---------------------------------------------------------------------------------------------
// JSON Merge Patch

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const out: JsonRecord = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeValue(out[k], v);
  }
  return out;
}

/** Applies an RFC 7386 merge patch (null deletes, objects merge, everything else replaces). */
export function applyMergePatch(original: JsonRecord, patch: unknown): JsonRecord {
  if (!isRecord(patch)) throw new ApiError(400, 'BadRequest', 'a merge patch must be a JSON object');
  return mergeValue(clone(original), patch) as JsonRecord;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch

/** Patch metadata of one field, from the Go struct tags (patchStrategy, patchMergeKey). */
export interface FieldMeta {
  /** Lists of objects merged by this key (patchStrategy=merge). */
  mergeKey?: string;
  /** Lists of scalars merged as sets (patchStrategy=merge, no key), e.g. finalizers. */
  mergeScalars?: boolean;
  /** patchStrategy=replace on a map. */
  replace?: boolean;
  /** Schema of the value (object) or of each element (list of objects). */
  fields?: Schema;
}

/** Field name → metadata; fields not listed merge as maps or replace as lists. */
export type Schema = Record<string, FieldMeta>;

const objectMeta: Schema = {
  finalizers: { mergeScalars: true },
  ownerReferences: { mergeKey: 'uid' },
};
const container: Schema = {
  env: { mergeKey: 'name' },
  ports: { mergeKey: 'containerPort' },
  volumeMounts: { mergeKey: 'mountPath' },
  volumeDevices: { mergeKey: 'devicePath' },
};
const podSpec: Schema = {
  containers: { mergeKey: 'name', fields: container },
  initContainers: { mergeKey: 'name', fields: container },
  ephemeralContainers: { mergeKey: 'name', fields: container },
  volumes: { mergeKey: 'name' },
  imagePullSecrets: { mergeKey: 'name' },
  hostAliases: { mergeKey: 'ip' },
  topologySpreadConstraints: { mergeKey: 'topologyKey' },
  resourceClaims: { mergeKey: 'name' },
  schedulingGates: { mergeKey: 'name' },
};
const podTemplate: Schema = { metadata: { fields: objectMeta }, spec: { fields: podSpec } };

/** Strategic-merge schemas of the kinds the fake accepts strategic patches for. */
export const schemas = {
  deployment: {
    metadata: { fields: objectMeta },
    spec: { fields: { template: { fields: podTemplate } } },
  } satisfies Schema,
  replicaSet: {
    metadata: { fields: objectMeta },
    spec: { fields: { template: { fields: podTemplate } } },
  } satisfies Schema,
  pod: { metadata: { fields: objectMeta }, spec: { fields: podSpec } } satisfies Schema,
  node: {
    metadata: { fields: objectMeta },
    status: { fields: { conditions: { mergeKey: 'type' }, addresses: { mergeKey: 'type' } } },
  } satisfies Schema,
  generic: { metadata: { fields: objectMeta } } satisfies Schema,
};

const directiveMarker = '$patch';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';
const retainKeysDirective = '$retainKeys';

function bad(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

function keyOf(item: unknown, mergeKey: string): unknown {
  if (!isRecord(item)) throw bad(`expected a map with merge key ${mergeKey}, got ${JSON.stringify(item)}`);
  if (!(mergeKey in item)) throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  return item[mergeKey];
}

function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  if (!mergeKey) return list.findIndex((v) => v === item);
  const key = keyOf(item, mergeKey);
  return list.findIndex((v) => isRecord(v) && v[mergeKey] === key);
}

function partition(merged: unknown[], by: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) (indexIn(by, v, mergeKey) >= 0 ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

/** strategicpatch.normalizeElementOrder + mergeSortedSlice: patch order wins, server-only items interleave. */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const sortBy = (items: unknown[], order: unknown[]) =>
    items
      .map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey) }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map((x) => x.v);
  const right = sortBy(patchItems, patchOrder);
  const left = sortBy(serverOnly, serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function mergeSlice(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const sample = original[0] ?? patch[0];
  if (!isRecord(sample)) {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    const merged = [...original];
    for (const v of patch) if (!merged.includes(v)) merged.push(v);
    const [p, s] = partition(merged, patch, undefined);
    return normalizeElementOrder(p, s, patch, original, undefined);
  }
  const mergeKey = meta.mergeKey;
  if (!mergeKey) throw bad('cannot merge lists without merge key');
  let base = [...original];
  const plain: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isRecord(item)) throw bad(`expected a map in a list merged by ${mergeKey}`);
    const directive = item[directiveMarker];
    if (directive === undefined) plain.push(item);
    else if (directive === 'delete') {
      const key = keyOf(item, mergeKey);
      base = base.filter((v) => !(isRecord(v) && v[mergeKey] === key));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw bad('merging lists cannot yet be specified in the patch');
    else throw bad(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(item)}`);
  }
  if (replace) return plain.map(stripDirectives);
  const merged = [...base];
  for (const item of plain) {
    const key = keyOf(item, mergeKey);
    const at = merged.findIndex((v) => isRecord(v) && v[mergeKey] === key);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonRecord, item as JsonRecord, meta.fields ?? {});
    else merged.push(stripDirectives(item));
  }
  const [p, s] = partition(merged, plain, mergeKey);
  return normalizeElementOrder(p, s, plain, base, mergeKey);
}

/** Directives in a value that lands without merging are dropped, as decoding into Go structs drops them. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}

function mergeMap(original: JsonRecord, patch: JsonRecord, schema: Schema): JsonRecord {
  const directive = patch[directiveMarker];
  if (directive !== undefined) {
    if (directive === 'replace') {
      const rest = { ...patch };
      delete rest[directiveMarker];
      return stripDirectives(rest) as JsonRecord;
    }
    if (directive === 'delete') return {};
    throw bad(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const out: JsonRecord = { ...original };
  const todo: JsonRecord = { ...patch };

  const retain = todo[retainKeysDirective];
  if (retain !== undefined) {
    delete todo[retainKeysDirective];
    if (!Array.isArray(retain)) throw bad('invalid patch: the $retainKeys directive must be a list');
    for (const [k, v] of Object.entries(todo)) {
      if (v !== null && !k.startsWith('$') && !retain.includes(k)) throw bad('invalid patch: a field is missing from $retainKeys');
    }
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }

  for (const key of Object.keys(todo)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = todo[key];
    delete todo[key];
    if (!Array.isArray(order)) throw bad('invalid patch: $setElementOrder must be a list');
    const field = key.slice(setElementOrderPrefix.length);
    const meta = schema[field] ?? {};
    const originalList = out[field];
    const patchList = todo[field];
    let merged: unknown[];
    if (Array.isArray(originalList) && Array.isArray(patchList)) {
      merged = meta.mergeKey || meta.mergeScalars ? mergeSlice(originalList, patchList, meta, false) : patchList;
    } else if (Array.isArray(originalList)) {
      merged = originalList;
    } else if (Array.isArray(patchList)) {
      merged = patchList.map(stripDirectives);
    } else {
      continue;
    }
    const [p, s] = partition(merged, order, meta.mergeKey);
    out[field] = normalizeElementOrder(p, s, order, Array.isArray(originalList) ? originalList : [], meta.mergeKey);
    delete todo[field];
  }

  for (const [rawKey, value] of Object.entries(todo)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = rawKey.slice(deleteFromPrimitiveListPrefix.length);
      isDeleteList = true;
    } else if (rawKey === directiveMarker || rawKey.startsWith('$')) {
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (current === undefined) {
      if (!isDeleteList) out[key] = stripDirectives(value);
      continue;
    }
    const meta = schema[key] ?? {};
    if (isRecord(current) && isRecord(value)) {
      out[key] = meta.replace ? stripDirectives(value) : mergeMap(current, value, meta.fields ?? {});
    } else if (Array.isArray(current) && Array.isArray(value)) {
      out[key] = meta.mergeKey || meta.mergeScalars ? mergeSlice(current, value, meta, isDeleteList) : stripDirectives(value);
    } else {
      out[key] = stripDirectives(value);
    }
  }
  return out;
}

/** Applies a strategic merge patch with the given schema; returns the new document. */
export function applyStrategicMergePatch(original: JsonRecord, patch: unknown, schema: Schema): JsonRecord {
  if (!isRecord(patch)) throw bad('a strategic merge patch must be a JSON object');
  return mergeMap(clone(original), clone(patch), schema);
}
