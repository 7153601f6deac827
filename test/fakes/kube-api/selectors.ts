import { ApiError, isRecord, type LabelSelector } from './types.js';

type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** A parsed label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-joined. */
export type Selector = Requirement[];

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Parses the `labelSelector` query parameter as the API server does (400 on syntax errors). */
export function parseLabelSelector(text: string | null): Selector {
  if (!text) return [];
  return splitTopLevel(text).map((part): Requirement => {
    let m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    }
    m = /^!\s*(\S+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'notexists' };
    if (/^[A-Za-z0-9._/-]+$/.test(part)) return { key: part, op: 'exists' };
    throw new ApiError(400, 'BadRequest', `unable to parse requirement: found '${part}', expected: identifier`);
  });
}

/** Converts a LabelSelector object (matchLabels/matchExpressions) into requirements. */
export function selectorFromObject(selector: LabelSelector | undefined): Selector {
  const out: Selector = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) out.push({ key, op: 'in', values: [value] });
  for (const e of selector?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists' || op === 'doesnotexist') out.push({ key: e.key, op: op === 'exists' ? 'exists' : 'notexists' });
    else out.push({ key: e.key, op: op === 'in' ? 'in' : 'notin', values: e.values ?? [] });
  }
  return out;
}

/** True when labels satisfy every requirement (an empty selector matches everything). */
export function matchesLabels(selector: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/** A parsed field selector: `metadata.name=x,status.phase!=Running`. */
export type FieldSelector = Array<{ path: string[]; value: string; equal: boolean }>;

/** Parses the `fieldSelector` query parameter. */
export function parseFieldSelector(text: string | null): FieldSelector {
  if (!text) return [];
  return text
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part.trim());
      if (!m) throw new ApiError(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
      return { path: m[1]!.split('.'), value: m[3]!, equal: m[2] !== '!=' };
    });
}

/** True when the object's fields satisfy the selector (missing fields read as ""). */
export function matchesFields(selector: FieldSelector, obj: unknown): boolean {
  return selector.every(({ path, value, equal }) => {
    let cur: unknown = obj;
    for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
    const actual = cur === undefined || cur === null ? '' : String(cur);
    return (actual === value) === equal;
  });
}

/** Renders a LabelSelector the way metav1.LabelSelectorAsSelector(...).String() does (sorted by key). */
export function selectorString(selector: LabelSelector | undefined): string {
  const parts: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push([k, `${k}=${v}`]);
  for (const e of selector?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    const text =
      op === 'exists' ? e.key : op === 'doesnotexist' ? `!${e.key}` : `${e.key} ${op} (${[...(e.values ?? [])].sort().join(',')})`;
    parts.push([e.key, text]);
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((p) => p[1])
    .join(',');
}
