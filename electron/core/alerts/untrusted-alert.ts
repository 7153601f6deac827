import { GuardiaError } from '../../../shared/result.js';
import type { GettableAlert } from '../ports.js';

/** A label or annotation value longer than this is cut (a 1 MB annotation passes; a 50 MB one does not). */
export const maxValueChars = 2_000_000;
/** Labels beyond this many are dropped, and the drop is said in a `guardia_dropped_labels` label. */
export const maxLabels = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cut(value: string): string {
  return value.length <= maxValueChars ? value : `${value.slice(0, maxValueChars)}… [cut by Guardia: ${value.length} characters]`;
}

function stringMap(value: unknown, where: string, limit: number | null): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new GuardiaError('alerts.bad-shape', `${where} is ${Array.isArray(value) ? 'an array' : typeof value}, not an object of strings`);
  const entries = Object.entries(value);
  const out: Record<string, string> = {};
  for (const [k, v] of limit === null ? entries : entries.slice(0, limit)) {
    if (typeof v !== 'string') throw new GuardiaError('alerts.bad-shape', `${where}.${k.slice(0, 80)} is ${v === null ? 'null' : typeof v}, not a string`);
    out[cut(k)] = cut(v);
  }
  if (limit !== null && entries.length > limit) out.guardia_dropped_labels = String(entries.length - limit);
  return out;
}

function stringArray(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new GuardiaError('alerts.bad-shape', `${where} is not a list of strings`);
  return value as string[];
}

/** The top of a `GET /api/v2/alerts` answer: a list, or the source fails saying what it got instead. */
export function alertList(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw new GuardiaError('alerts.bad-shape', `/api/v2/alerts answered ${body === null ? 'null' : typeof body}, not a list of alerts`);
  return body;
}

/**
 * Checks one alert of a `GET /api/v2/alerts` answer (its `index` in the list) against Alertmanager's
 * GettableAlert shape before anything reads it: wrong types make the source fail with a message naming
 * the alert and field (so the panel goes stale saying why, instead of a TypeError), absurdly long values
 * are cut, huge label sets capped.
 */
export function checkGettableAlert(raw: unknown, index: number): GettableAlert {
  const where = `alert #${index + 1} in /api/v2/alerts`;
  if (!isObject(raw)) throw new GuardiaError('alerts.bad-shape', `${where} is ${raw === null ? 'null' : typeof raw}, not an object`);
  if (typeof raw.fingerprint !== 'string' || raw.fingerprint === '') throw new GuardiaError('alerts.bad-shape', `${where} has no fingerprint`);
  if (typeof raw.startsAt !== 'string' || !Number.isFinite(Date.parse(raw.startsAt))) {
    throw new GuardiaError('alerts.bad-shape', `${where} has no valid startsAt`);
  }
  const status = isObject(raw.status) ? raw.status : {};
  const state = status.state === 'suppressed' || status.state === 'unprocessed' ? status.state : 'active';
  return {
    fingerprint: cut(raw.fingerprint).slice(0, 200),
    labels: stringMap(raw.labels, `${where}: labels`, maxLabels),
    annotations: stringMap(raw.annotations, `${where}: annotations`, null),
    startsAt: raw.startsAt,
    endsAt: typeof raw.endsAt === 'string' ? raw.endsAt : '',
    updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : raw.startsAt,
    ...(typeof raw.generatorURL === 'string' ? { generatorURL: raw.generatorURL } : {}),
    status: { state, silencedBy: stringArray(status.silencedBy, `${where}: status.silencedBy`), inhibitedBy: stringArray(status.inhibitedBy, `${where}: status.inhibitedBy`) },
    receivers: Array.isArray(raw.receivers) ? raw.receivers.filter((r): r is { name: string } => isObject(r) && typeof r.name === 'string') : [],
  };
}

/** A whole `GET /api/v2/alerts` answer checked at once (small answers, tests). */
export function checkGettableAlerts(body: unknown): GettableAlert[] {
  return alertList(body).map(checkGettableAlert);
}
