import { GuardiaError } from '../../../shared/result.js';
import type {
  PagingIncidentData,
  PagingIncidentQuery,
  PagingOnCallData,
  PagingOutcomeData,
  PagingPort,
  PagingRefData,
  PagingTimelineData,
} from '../ports.js';
import { StatusBatcher, WriteGate } from './write-gate.js';

/**
 * PagerDuty REST API v2 over plain fetch, exactly as PagerDuty requires it: the versioned `Accept`,
 * `Authorization: Token token=…` (read from the keychain per request, never kept), `Content-Type`,
 * and `From` (the acting user's email) on every write.
 *
 * Rate limits: every request waits while the last `ratelimit-remaining: 0` says the budget is spent
 * (until `ratelimit-reset` seconds later). Reads answered 429 back off (`ratelimit-reset` when given,
 * else 1 s, 2 s, 4 s … capped at 30 s) and retry up to 4 times.
 *
 * Writes are never retried on their own, not even after a 429. PagerDuty's limiter rejects a request
 * before it is processed, so a retry would be safe in principle, but a delayed change the user no longer
 * expects (an ack landing a minute after the click) is worse than a clear "rate limited, nothing was
 * changed, try again in N s": the user decides. The one exception is not a retry: when a bulk status
 * change is refused as a whole because one incident is already resolved (HTTP 400, nothing changed),
 * the incidents are sent one by one so each gets its own outcome.
 *
 * At most one write is in flight per API key (WriteGate, shared by key name); identical pending writes
 * are shared and status changes clicked while a write runs are merged into one bulk request.
 */

export const pagerDutyAccept = 'application/vnd.pagerduty+json;version=2';
const pageLimit = 100;
const maxReadAttempts = 5;
const maxBackoffMs = 30_000;

export interface PagerDutyClientOptions {
  /** Default https://api.pagerduty.com (tests point it at the fake). */
  baseUrl?: string;
  /** Reads the API key (from the keychain) at request time. */
  token: () => Promise<string>;
  /** Email of the acting PagerDuty user (the required From header on writes). */
  from: string;
  /** Names the key for the one-write-in-flight gate (the keychain entry's name, never the key). */
  gateKey: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Real-time wait used for rate-limit backoff (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

const gates = new Map<string, WriteGate>();

/** The write gate of one API key, shared by every client using it. */
export function writeGateFor(key: string): WriteGate {
  let gate = gates.get(key);
  if (!gate) {
    gate = new WriteGate();
    gates.set(key, gate);
  }
  return gate;
}

type Json = Record<string, unknown>;
type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

interface PdError {
  status: number;
  message: string;
  errors: string[];
  retryAfterMs: number | null;
}

const alreadyPattern = /already (resolved|acknowledged)/i;

/** The PagingPort for a real PagerDuty account. */
export class PagerDutyClient implements PagingPort {
  readonly name = 'pagerduty';
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly gate: WriteGate;
  private blockedUntil = 0;
  private meCache: Promise<PagingRefData & { email: string }> | null = null;
  private readonly batchers: Record<'acknowledged' | 'resolved', StatusBatcher<PagingOutcomeData>>;

  constructor(private readonly opts: PagerDutyClientOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.gate = writeGateFor(opts.gateKey);
    this.batchers = {
      acknowledged: new StatusBatcher(this.gate, 'acknowledge', (ids) => this.sendStatus(ids, 'acknowledged')),
      resolved: new StatusBatcher(this.gate, 'resolve', (ids) => this.sendStatus(ids, 'resolved')),
    };
  }

  me(signal?: AbortSignal): Promise<PagingRefData & { email: string }> {
    this.meCache ??= this.read<{ user: Json }>('/users/me', {}, signal).then(({ user }) => ({
      id: String(user.id),
      name: String(user.name ?? user.summary ?? user.id),
      email: String(user.email ?? ''),
    }));
    this.meCache.catch(() => (this.meCache = null));
    return this.meCache;
  }

  async listIncidents(q: PagingIncidentQuery, signal?: AbortSignal): Promise<{ incidents: PagingIncidentData[]; more: boolean }> {
    const onlyOpen = q.statuses.length > 0 && !q.statuses.includes('resolved');
    const query: Query = {
      'statuses[]': q.statuses,
      'urgencies[]': q.urgencies,
      'service_ids[]': q.serviceIds,
      'user_ids[]': q.scope === 'mine' ? [(await this.me(signal)).id] : undefined,
      // Open incidents of any age; with resolved ones, PagerDuty's default window (the last month).
      date_range: onlyOpen ? 'all' : undefined,
      sort_by: 'created_at:desc',
      time_zone: 'UTC',
    };
    const { items, more } = await this.paginate('/incidents', 'incidents', query, q.max, signal);
    return { incidents: items.map(toIncident), more };
  }

  async getIncident(id: string, signal?: AbortSignal): Promise<PagingIncidentData> {
    const { incident } = await this.read<{ incident: Json }>(`/incidents/${encodeURIComponent(id)}`, {}, signal);
    return toIncident(incident);
  }

  acknowledge(ids: string[]): Promise<PagingOutcomeData[]> {
    return this.batchers.acknowledged.submit(ids);
  }

  resolve(ids: string[]): Promise<PagingOutcomeData[]> {
    return this.batchers.resolved.submit(ids);
  }

  async reassign(ids: string[], to: { userId?: string; escalationPolicyId?: string }): Promise<PagingOutcomeData[]> {
    const change = to.userId
      ? { assignments: [{ assignee: { id: to.userId, type: 'user_reference' } }] }
      : { escalation_policy: { id: to.escalationPolicyId, type: 'escalation_policy_reference' } };
    const body = { incidents: ids.map((id) => ({ id, type: 'incident_reference', ...change })) };
    return this.gate.run(`PUT /incidents ${JSON.stringify(body)}`, async () => {
      const error = await this.tryWrite('PUT', '/incidents', body);
      const message = error ? describe('PUT', '/incidents', error) : to.userId ? 'reassigned' : 'escalation policy changed';
      return ids.map((id) => ({ id, outcome: error ? 'failed' : 'done', message }) as PagingOutcomeData);
    });
  }

  snooze(id: string, durationSeconds: number): Promise<PagingOutcomeData> {
    const path = `/incidents/${encodeURIComponent(id)}/snooze`;
    const body = { duration: durationSeconds };
    return this.gate.run(`POST ${path} ${JSON.stringify(body)}`, async () => {
      const error = await this.tryWrite('POST', path, body);
      return error
        ? { id, outcome: 'failed', message: describe('POST', path, error) }
        : { id, outcome: 'done', message: `snoozed for ${Math.round(durationSeconds / 60)} min` };
    });
  }

  addNote(id: string, content: string): Promise<PagingOutcomeData> {
    const path = `/incidents/${encodeURIComponent(id)}/notes`;
    const body = { note: { content } };
    return this.gate.run(`POST ${path} ${JSON.stringify(body)}`, async () => {
      const error = await this.tryWrite('POST', path, body);
      return error ? { id, outcome: 'failed', message: describe('POST', path, error) } : { id, outcome: 'done', message: 'note added' };
    });
  }

  async timeline(id: string, signal?: AbortSignal): Promise<PagingTimelineData[]> {
    const base = `/incidents/${encodeURIComponent(id)}`;
    const [logs, notes] = await Promise.all([
      this.paginate(`${base}/log_entries`, 'log_entries', { is_overview: true, time_zone: 'UTC' }, 1000, signal),
      this.read<{ notes: Json[] }>(`${base}/notes`, {}, signal),
    ]);
    const note = (n: Json): PagingTimelineData => ({
      id: String(n.id),
      time: Date.parse(String(n.created_at)),
      kind: 'note',
      summary: String(n.content ?? ''),
      agent: refName(n.user),
    });
    const pendingNotes = [...notes.notes].sort((a, b) => Date.parse(String(a.created_at)) - Date.parse(String(b.created_at)));
    const entries: PagingTimelineData[] = [];
    for (const e of logs.items) {
      const kind = String(e.type ?? '').replace(/_log_entry$/, '');
      // A note's log entry only says "Note added": the note itself (with its text) takes its place.
      if (kind === 'annotate') {
        const n = pendingNotes.shift();
        if (n) entries.push(note(n));
        continue;
      }
      entries.push({
        id: String(e.id),
        time: Date.parse(String(e.created_at)),
        kind: timelineKinds.has(kind) ? (kind as PagingTimelineData['kind']) : kind === 'acknowledgement' ? 'acknowledge' : 'other',
        summary: String(e.summary ?? kind),
        agent: refName(e.agent),
      });
    }
    entries.push(...pendingNotes.map(note));
    // PagerDuty times are whole seconds: a stable sort keeps the log's own order within a second.
    return entries.sort((a, b) => a.time - b.time);
  }

  async onCalls(window: { since: number; until: number }, signal?: AbortSignal): Promise<PagingOnCallData[]> {
    const query = { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString(), time_zone: 'UTC' };
    const { items } = await this.paginate('/oncalls', 'oncalls', query, 1000, signal);
    return items.map((o) => ({
      user: ref(o.user),
      level: Number(o.escalation_level ?? 1),
      escalationPolicy: ref(o.escalation_policy),
      schedule: o.schedule ? ref(o.schedule) : null,
      start: o.start ? Date.parse(String(o.start)) : null,
      end: o.end ? Date.parse(String(o.end)) : null,
    }));
  }

  async listEscalationPolicies(signal?: AbortSignal): Promise<PagingRefData[]> {
    const { items } = await this.paginate('/escalation_policies', 'escalation_policies', {}, 500, signal);
    return items.map(ref);
  }

  /** PUT /incidents with one status for every id, each id's outcome; "already" counts as success. */
  private async sendStatus(ids: string[], status: 'acknowledged' | 'resolved'): Promise<Map<string, PagingOutcomeData>> {
    const out = new Map<string, PagingOutcomeData>();
    const done = status === 'acknowledged' ? 'acknowledged' : 'resolved';
    for (let i = 0; i < ids.length; i += pageLimit) {
      const chunk = ids.slice(i, i + pageLimit);
      const body = { incidents: chunk.map((id) => ({ id, type: 'incident_reference', status })) };
      const error = await this.tryWrite('PUT', '/incidents', body);
      if (!error) {
        for (const id of chunk) out.set(id, { id, outcome: 'done', message: done });
        continue;
      }
      if (!isAlready(error)) {
        for (const id of chunk) out.set(id, { id, outcome: 'failed', message: describe('PUT', '/incidents', error) });
        continue;
      }
      if (chunk.length === 1) {
        out.set(chunk[0]!, { id: chunk[0]!, outcome: 'already', message: alreadyText(error) });
        continue;
      }
      // Refused as a whole (nothing changed): one request per incident so each gets its own answer.
      for (const id of chunk) {
        const path = `/incidents/${encodeURIComponent(id)}`;
        const one = await this.tryWrite('PUT', path, { incident: { type: 'incident_reference', status } });
        out.set(
          id,
          !one
            ? { id, outcome: 'done', message: done }
            : isAlready(one)
              ? { id, outcome: 'already', message: alreadyText(one) }
              : { id, outcome: 'failed', message: describe('PUT', path, one) },
        );
      }
    }
    return out;
  }

  /**
   * One write, never retried. Per-incident refusals (400/404/409) come back as a value; anything that
   * says nothing can be written now (401, 403, 429, 5xx, network) throws.
   */
  private async tryWrite(method: 'PUT' | 'POST', path: string, body: unknown): Promise<PdError | null> {
    const res = await this.send(method, path, {}, body);
    if (res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    const error = await readError(res);
    if (error.status === 429) {
      const wait = Math.ceil((error.retryAfterMs ?? 1000) / 1000);
      throw new GuardiaError('pagerduty.rate-limited', `PagerDuty rate limit reached on ${method} ${path}: nothing was changed; try again in ${wait} s`);
    }
    if ([400, 404, 409, 422].includes(error.status)) return error;
    throw toGuardiaError(method, path, error);
  }

  private async read<T>(path: string, query: Query, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.send('GET', path, query, undefined, signal);
      if (res.ok) {
        // A body cut off mid-way (or not JSON) must name PagerDuty, not surface as a bare "terminated".
        try {
          return (await res.json()) as T;
        } catch (error) {
          if (signal?.aborted) throw error;
          throw new GuardiaError('pagerduty.bad-response', `PagerDuty GET ${path} answered ${res.status} with an unreadable body: ${messageOfBody(error)} (${this.baseUrl})`);
        }
      }
      const error = await readError(res);
      if (error.status === 429 && attempt < maxReadAttempts) {
        await this.sleep(error.retryAfterMs ?? Math.min(1000 * 2 ** (attempt - 1), maxBackoffMs));
        signal?.throwIfAborted();
        continue;
      }
      throw toGuardiaError('GET', path, error);
    }
  }

  private async paginate(path: string, key: string, query: Query, max: number, signal?: AbortSignal): Promise<{ items: Json[]; more: boolean }> {
    const items: Json[] = [];
    for (let offset = 0; ; ) {
      const page = await this.read<Json>(path, { ...query, limit: pageLimit, offset }, signal);
      const got = (page[key] as Json[] | undefined) ?? [];
      items.push(...got);
      const more = page.more === true && got.length > 0;
      if (!more) return { items, more: false };
      if (items.length >= max) return { items: items.slice(0, max), more: true };
      offset += got.length;
    }
  }

  private async send(method: string, path: string, query: Query, body: unknown, signal?: AbortSignal): Promise<Response> {
    const wait = this.blockedUntil - this.now();
    if (wait > 0) await this.sleep(wait);
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, v);
      else url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      Accept: pagerDutyAccept,
      'Content-Type': 'application/json',
      Authorization: `Token token=${await this.opts.token()}`,
    };
    if (method !== 'GET') headers.From = this.opts.from;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 15_000);
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = timeout.aborted ? 'timed out' : (error as Error).message;
      throw new GuardiaError('pagerduty.unreachable', `PagerDuty ${method} ${path} failed: ${reason} (${this.baseUrl})`);
    }
    const remaining = res.headers.get('ratelimit-remaining');
    const reset = Number(res.headers.get('ratelimit-reset'));
    if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) && reset > 0) {
      this.blockedUntil = this.now() + reset * 1000;
    }
    return res;
  }
}

const timelineKinds = new Set(['trigger', 'acknowledge', 'assign', 'escalate', 'notify', 'snooze', 'unacknowledge', 'resolve']);

function ref(value: unknown): PagingRefData {
  const r = (value ?? {}) as Json;
  return { id: String(r.id ?? ''), name: String(r.summary ?? r.name ?? r.id ?? '') };
}

function refName(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Json;
  return String(r.summary ?? r.name ?? r.id ?? '') || null;
}

/** Only an https: link is kept; anything else stays out of the UI. */
function httpsOnly(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

function toIncident(i: Json): PagingIncidentData {
  const assignments = (i.assignments as Json[] | undefined) ?? [];
  const created = Date.parse(String(i.created_at));
  const updated = Date.parse(String(i.updated_at ?? i.last_status_change_at ?? i.created_at));
  return {
    id: String(i.id),
    number: Number(i.incident_number ?? 0),
    title: String(i.title ?? i.summary ?? ''),
    status: i.status as PagingIncidentData['status'],
    urgency: i.urgency === 'low' ? 'low' : 'high',
    service: ref(i.service),
    escalationPolicy: i.escalation_policy ? ref(i.escalation_policy) : null,
    assignees: assignments.map((a) => ref(a.assignee)),
    createdAt: Number.isFinite(created) ? created : 0,
    updatedAt: Number.isFinite(updated) ? updated : Number.isFinite(created) ? created : 0,
    incidentKey: typeof i.incident_key === 'string' ? i.incident_key : null,
    htmlUrl: httpsOnly(i.html_url),
  };
}

/** Why a 2xx body could not be read: not JSON, or the connection broke before its end. */
function messageOfBody(error: unknown): string {
  if (error instanceof SyntaxError) return `not JSON (${error.message})`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `the connection broke mid-body (${cause?.code ?? cause?.message ?? (error as Error).message})`;
}

async function readError(res: Response): Promise<PdError> {
  let message = res.statusText || `HTTP ${res.status}`;
  let errors: string[] = [];
  try {
    const body = (await res.json()) as { error?: { message?: unknown; errors?: unknown } };
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body.error?.errors)) errors = body.error.errors.map(String);
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const reset = Number(res.headers.get('ratelimit-reset'));
  return { status: res.status, message, errors, retryAfterMs: Number.isFinite(reset) && reset > 0 ? reset * 1000 : null };
}

function isAlready(error: PdError): boolean {
  return error.status === 400 && [error.message, ...error.errors].some((m) => alreadyPattern.test(m));
}

function alreadyText(error: PdError): string {
  const found = [...error.errors, error.message].find((m) => alreadyPattern.test(m)) ?? 'already done';
  return found.toLowerCase().replace(/^incident /, '');
}

function describe(method: string, path: string, error: PdError): string {
  const details = error.errors.length ? ` (${error.errors.join('; ')})` : '';
  return `PagerDuty ${method} ${path} answered ${error.status}: ${error.message}${details}`;
}

function toGuardiaError(method: string, path: string, error: PdError): GuardiaError {
  const code =
    error.status === 401
      ? 'pagerduty.unauthorized'
      : error.status === 403
        ? 'pagerduty.forbidden'
        : error.status === 404
          ? 'pagerduty.not-found'
          : error.status === 429
            ? 'pagerduty.rate-limited'
            : error.status >= 500
              ? 'pagerduty.unavailable'
              : 'pagerduty.rejected';
  const hint = error.status === 401 ? ' — check the API key stored with `guardia creds set`' : '';
  return new GuardiaError(code, describe(method, path, error) + hint);
}
