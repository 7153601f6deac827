/**
 * A fake PagerDuty REST API v2 for tests and benches. Every request is validated against PagerDuty's
 * published OpenAPI description (openapi-validator.ts) and refused the way PagerDuty refuses it, in its
 * error envelope `{ error: { message, code, errors } }`: unknown endpoint, missing or wrong `Accept`,
 * `Content-Type`, `Authorization: Token token=…`, missing `From` on writes, unknown or ill-typed query
 * parameters, bodies outside the schema. Lists paginate with `limit/offset/more/total` (limit capped
 * at 100). 429s are served on demand, with or without `ratelimit-*` headers.
 *
 * State: users, services, one escalation policy with three levels, schedules, on-call spans, and
 * incidents with log entries and notes. `triggerIncident` injects an incident as the Events API would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRefusal, OpenApiValidator, refusal, type Accepted, type Refusal } from './openapi-validator.js';

type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  email: string;
}

export interface FakeIncident {
  id: string;
  number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  serviceId: string;
  policyId: string;
  assigneeIds: string[];
  createdAt: number;
  updatedAt: number;
  incidentKey: string;
  snoozedUntil: number | null;
  logEntries: Array<{ id: string; type: string; at: number; summary: string; agentId: string | null }>;
  notes: Array<{ id: string; userId: string; content: string; at: number }>;
}

export interface FakeOnCall {
  userId: string;
  policyId: string;
  level: number;
  scheduleId: string | null;
  start: number;
  end: number;
}

/** One request as the fake saw it (the Authorization value is never kept). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  status: number;
}

export interface FakePagerDutyOptions {
  /** Tokens accepted, each acting as a user (default: "test-token" → Juan Pérez). */
  tokens?: Record<string, string>;
  /** Epoch ms the seeded on-call spans are laid around (default now). */
  now?: () => number;
  /** Delay before a write is applied (lets tests see concurrent writes). */
  writeDelayMs?: number;
}

const html = 'https://tiendi-test.pagerduty.com';
const pageMax = 100;

/** The fake's seed: Tiendi's rotation as PagerDuty users, its services and one escalation policy. */
function seed(now: number) {
  const users: FakeUser[] = [
    { id: 'PUSRJUA', name: 'Juan Pérez', email: 'juan.perez@tiendi.pe' },
    { id: 'PUSRMAR', name: 'María García', email: 'maria.garcia@tiendi.pe' },
    { id: 'PUSRCAR', name: 'Carlos López', email: 'carlos.lopez@tiendi.pe' },
    { id: 'PUSRANA', name: 'Ana Torres', email: 'ana.torres@tiendi.pe' },
  ];
  const services = [
    { id: 'PSVCAPI', name: 'Tiendi API', policyId: 'PEPTIEN' },
    { id: 'PSVCDB0', name: 'Tiendi Database', policyId: 'PEPTIEN' },
  ];
  const policies = [{ id: 'PEPTIEN', name: 'Tiendi — guardia' }];
  const schedules = [
    { id: 'PSCHPRI', name: 'Tiendi primary' },
    { id: 'PSCHSEC', name: 'Tiendi secondary' },
    { id: 'PSCHBAK', name: 'Tiendi backup' },
  ];
  const week = 7 * 24 * 3600_000;
  const start = now - 2 * 24 * 3600_000;
  const rota = [
    ['PUSRJUA', 'PUSRMAR', 'PUSRCAR'],
    ['PUSRMAR', 'PUSRCAR', 'PUSRANA'],
  ];
  const oncalls: FakeOnCall[] = rota.flatMap((people, w) =>
    people.map((userId, i) => ({ userId, policyId: 'PEPTIEN', level: i + 1, scheduleId: schedules[i]!.id, start: start + w * week, end: start + (w + 1) * week })),
  );
  return { users, services, policies, schedules, oncalls };
}

/** What `faultNext` makes the fake do instead of answering. */
export type PagerDutyFault = 'http500' | 'hang' | 'truncated';

/** A running fake PagerDuty. */
export class FakePagerDuty {
  readonly users: FakeUser[];
  readonly services: Array<{ id: string; name: string; policyId: string }>;
  readonly policies: Array<{ id: string; name: string }>;
  readonly schedules: Array<{ id: string; name: string }>;
  readonly oncalls: FakeOnCall[];
  readonly incidents = new Map<string, FakeIncident>();
  readonly requests: RecordedRequest[] = [];
  /** Most writes in flight at once, per token. */
  readonly maxWritesInFlight = new Map<string, number>();
  url = '';
  private readonly tokens: Map<string, string>;
  private readonly writesInFlight = new Map<string, number>();
  private readonly validator: OpenApiValidator;
  private readonly now: () => number;
  private server: Server | null = null;
  private seq = 0;
  private throttle: Array<{ headers: boolean; resetSeconds: number; path?: string }> = [];
  private faults: Array<{ kind: PagerDutyFault; writesOnly: boolean; path: string | null }> = [];
  private budget: { remaining: number; resetSeconds: number } | null = null;
  /** Check the fake's own answers against the description too (on in the fake's tests). */
  checkResponses = false;
  readonly responseProblems: string[] = [];

  constructor(private readonly opts: FakePagerDutyOptions = {}, validator?: OpenApiValidator) {
    this.now = opts.now ?? Date.now;
    const s = seed(this.now());
    this.users = s.users;
    this.services = s.services;
    this.policies = s.policies;
    this.schedules = s.schedules;
    this.oncalls = s.oncalls;
    this.tokens = new Map(Object.entries(opts.tokens ?? { 'test-token': 'PUSRJUA' }));
    this.validator = validator ?? new OpenApiValidator();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) =>
      // A bug in the fake must show as a 500 with its message, never as a hung request.
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake PagerDuty failed: ${(error as Error).message}`, code: 2000 } }));
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `count` requests are answered 429, with `ratelimit-*` headers or without any. */
  rateLimitNext(count: number, opts: { headers: boolean; resetSeconds?: number; path?: string }): void {
    for (let i = 0; i < count; i++) this.throttle.push({ headers: opts.headers, resetSeconds: opts.resetSeconds ?? 1, path: opts.path });
  }

  /**
   * Fault injection (issue 8): the next `count` requests (only writes with `writesOnly`, only to `path`
   * with it) fail before PagerDuty changes anything: a 500, no answer at all, or a 200 whose body stops mid-way.
   */
  faultNext(count: number, kind: PagerDutyFault, opts: { writesOnly?: boolean; path?: string } = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ kind, writesOnly: opts.writesOnly ?? false, path: opts.path ?? null });
  }

  /** Successful answers carry `ratelimit-remaining`/`ratelimit-reset` with these values (null: no headers). */
  setBudget(budget: { remaining: number; resetSeconds: number } | null): void {
    this.budget = budget;
  }

  /** Injects an incident as the Events API would (Alertmanager's pagerduty receiver), assigned to level 1. */
  triggerIncident(input: { title: string; serviceId?: string; urgency?: 'high' | 'low'; incidentKey?: string; assignTo?: string[] }): FakeIncident {
    const service = this.services.find((s) => s.id === (input.serviceId ?? 'PSVCAPI'));
    if (!service) throw new Error(`fake PagerDuty has no service ${input.serviceId}`);
    const now = this.now();
    const n = ++this.seq;
    const level1 = this.onCallAt(service.policyId, 1, now);
    const incident: FakeIncident = {
      id: `PINC${String(n).padStart(4, '0')}`,
      number: n,
      title: input.title,
      status: 'triggered',
      urgency: input.urgency ?? 'high',
      serviceId: service.id,
      policyId: service.policyId,
      assigneeIds: input.assignTo ?? (level1 ? [level1] : []),
      createdAt: now,
      updatedAt: now,
      incidentKey: input.incidentKey ?? `key-${n}`,
      snoozedUntil: null,
      logEntries: [],
      notes: [],
    };
    this.incidents.set(incident.id, incident);
    this.log(incident, 'trigger_log_entry', 'Triggered through the API.', null);
    for (const id of incident.assigneeIds) this.log(incident, 'assign_log_entry', `Assigned to ${this.user(id).name}.`, null);
    return incident;
  }

  private onCallAt(policyId: string, level: number, t: number): string | null {
    return this.oncalls.find((o) => o.policyId === policyId && o.level === level && o.start <= t && t < o.end)?.userId ?? null;
  }

  private user(id: string): FakeUser {
    return this.users.find((u) => u.id === id) ?? { id, name: id, email: `${id.toLowerCase()}@example.com` };
  }

  private log(i: FakeIncident, type: string, summary: string, agentId: string | null): void {
    const at = this.now();
    i.logEntries.push({ id: `Q${String(++this.seq).padStart(12, '0')}`, type, at, summary, agentId });
    i.updatedAt = at;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      headers: { ...headers, authorization: headers.authorization ? '(redacted)' : undefined },
      body: undefined,
      status: 0,
    };
    this.requests.push(record);
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const fail = (r: Refusal, extra: Record<string, string> = {}) =>
      send(r.status, { error: { message: r.message, code: r.code, ...(r.errors.length ? { errors: r.errors } : {}) } }, extra);

    const faultAt = this.faults.findIndex((f) => (!f.writesOnly || record.method !== 'GET') && (f.path === null || f.path === url.pathname));
    if (faultAt >= 0) {
      const [fault] = this.faults.splice(faultAt, 1);
      if (fault!.kind === 'http500') return send(500, { error: { message: 'Internal Server Error', code: 2000 } });
      if (fault!.kind === 'hang') return; // the socket stays open until the caller gives up or close()
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"incidents":[{"id":"PINC');
      return void setTimeout(() => req.socket.destroy(), 10);
    }
    // Authentication comes first, as on the real API.
    const auth = /^Token token=(.+)$/.exec(headers.authorization ?? '');
    const actorId = auth ? this.tokens.get(auth[1]!) : undefined;
    if (!actorId) return fail(refusal(401, 'Unauthorized', 2006, [auth ? 'The API key is not valid' : 'Authorization must be "Token token=<API key>"']));
    // With `path`, only requests to it are throttled (a storm aimed at one poll, not the others).
    const throttledAt = this.throttle.findIndex((t) => t.path === undefined || t.path === url.pathname);
    const limited = throttledAt >= 0 ? this.throttle.splice(throttledAt, 1)[0] : undefined;
    if (limited) {
      const extra: Record<string, string> = limited.headers
        ? { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': String(limited.resetSeconds) }
        : {};
      return fail(refusal(429, 'Rate Limit Exceeded', 2020), extra);
    }
    const checked = this.validator.validate({ method: record.method, path: url.pathname, query: url.searchParams, headers, rawBody });
    if (isRefusal(checked)) return fail(checked);
    record.body = checked.body;
    const write = record.method !== 'GET';
    const token = auth![1]!;
    if (write) {
      const from = this.users.find((u) => u.email.toLowerCase() === (headers.from ?? '').toLowerCase());
      if (!from) return fail(refusal(400, 'Invalid Input Provided', 2001, ['Requester User Not Found: the From header must be the email of a user of this account']));
      const flying = (this.writesInFlight.get(token) ?? 0) + 1;
      this.writesInFlight.set(token, flying);
      this.maxWritesInFlight.set(token, Math.max(this.maxWritesInFlight.get(token) ?? 0, flying));
      if (this.opts.writeDelayMs) await new Promise((r) => setTimeout(r, this.opts.writeDelayMs));
    }
    try {
      const actor = write ? this.users.find((u) => u.email.toLowerCase() === headers.from!.toLowerCase())! : this.user(actorId);
      const [status, body] = this.route(checked, actor, actorId);
      if (this.checkResponses) {
        const problems = this.validator.responseErrors(checked.op, status, body);
        if (problems.length) this.responseProblems.push(`${record.method} ${url.pathname} → ${status}: ${problems.join('; ')}`);
      }
      const extra: Record<string, string> = this.budget
        ? { 'ratelimit-limit': '960', 'ratelimit-remaining': String(this.budget.remaining), 'ratelimit-reset': String(this.budget.resetSeconds) }
        : {};
      if (status >= 400) {
        const e = (body as { error: { message: string; code: number; errors?: string[] } }).error;
        return fail(refusal(status, e.message, e.code, e.errors ?? []), extra);
      }
      send(status, body, extra);
    } finally {
      if (write) this.writesInFlight.set(token, (this.writesInFlight.get(token) ?? 1) - 1);
    }
  }

  /** Answers a validated request: [status, body]. */
  private route(r: Accepted, actor: FakeUser, actorId: string): [number, unknown] {
    const id = r.params.id ?? '';
    // A snoozed incident triggers again when its snooze ends.
    for (const i of this.incidents.values()) {
      if (i.snoozedUntil !== null && i.snoozedUntil <= this.now() && i.status === 'acknowledged') {
        i.snoozedUntil = null;
        i.status = 'triggered';
        this.log(i, 'unacknowledge_log_entry', 'Unacknowledged: the snooze ended.', null);
      }
    }
    switch (r.op.operationId) {
      case 'getCurrentUser':
        return [200, { user: this.userBody(this.user(actorId)) }];
      case 'listIncidents':
        return [200, this.listIncidents(r.query)];
      case 'getIncident': {
        const i = this.incidents.get(id);
        return i ? [200, { incident: this.incidentBody(i) }] : notFound();
      }
      case 'updateIncidents': {
        const items = (r.body as { incidents: Json[] }).incidents;
        const result = this.update(items, actor);
        return result ?? [200, { incidents: items.map((x) => this.incidentBody(this.incidents.get(String(x.id))!)), limit: items.length, offset: 0, more: false, total: null }];
      }
      case 'updateIncident': {
        if (!this.incidents.has(id)) return notFound();
        const result = this.update([{ ...((r.body as { incident: Json }).incident ?? {}), id }], actor);
        return result ?? [200, { incident: this.incidentBody(this.incidents.get(id)!) }];
      }
      case 'createIncidentSnooze': {
        const i = this.incidents.get(id);
        if (!i) return notFound();
        if (i.status !== 'acknowledged') return invalid('Incident is not acknowledged: only acknowledged incidents can be snoozed');
        i.snoozedUntil = this.now() + Number((r.body as { duration: number }).duration) * 1000;
        this.log(i, 'snooze_log_entry', `Snoozed by ${actor.name}.`, actor.id);
        return [201, { incident: this.incidentBody(i) }];
      }
      case 'createIncidentNote': {
        const i = this.incidents.get(id);
        if (!i) return notFound();
        const note = { id: `PNOT${String(++this.seq).padStart(4, '0')}`, userId: actor.id, content: (r.body as { note: { content: string } }).note.content, at: this.now() };
        i.notes.push(note);
        this.log(i, 'annotate_log_entry', `Note added by ${actor.name}.`, actor.id);
        return [200, { note: this.noteBody(note) }];
      }
      case 'listIncidentNotes': {
        const i = this.incidents.get(id);
        return i ? [200, { notes: i.notes.map((n) => this.noteBody(n)) }] : notFound();
      }
      case 'listIncidentLogEntries': {
        const i = this.incidents.get(id);
        if (!i) return notFound();
        return [200, this.page(r.query, 'log_entries', i.logEntries.map((e) => this.logEntryBody(i, e)))];
      }
      case 'listOnCalls':
        return [200, this.page(r.query, 'oncalls', this.listOnCalls(r.query))];
      case 'listEscalationPolicies':
        return [200, this.page(r.query, 'escalation_policies', this.policies.map((p) => this.policyBody(p)))];
      case 'listSchedules':
        return [200, this.page(r.query, 'schedules', this.schedules.map((s) => ({ ...ref('schedule', s.id, s.name), name: s.name, time_zone: 'America/Lima' })))];
      case 'listServices':
        return [200, this.page(r.query, 'services', this.services.map((s) => ({ ...ref('service', s.id, s.name), name: s.name, escalation_policy: ref('escalation_policy_reference', s.policyId, this.policies[0]!.name) })))];
      default:
        return [501, { error: { message: `The fake PagerDuty does not implement ${r.op.operationId}`, code: 2000 } }];
    }
  }

  /** Applies a bulk update all-or-nothing, as PagerDuty refuses a request with an invalid incident. */
  private update(items: Json[], actor: FakeUser): [number, unknown] | null {
    for (const x of items) {
      const i = this.incidents.get(String(x.id));
      if (!i) return notFound(`Incident ${String(x.id)} not found`);
      if (x.status && i.status === 'resolved') return invalid('Incident Already Resolved');
      if (x.assignments && i.status === 'resolved') return invalid('Incident Already Resolved');
      const assignees = (x.assignments as Array<{ assignee?: { id?: string } }> | undefined)?.map((a) => a.assignee?.id ?? '');
      if (assignees?.some((u) => !this.users.some((x2) => x2.id === u))) return invalid('Assignee not found');
      const policy = x.escalation_policy as { id?: string } | undefined;
      if (policy && !this.policies.some((p) => p.id === policy.id)) return invalid('Escalation Policy Not Found');
    }
    for (const x of items) {
      const i = this.incidents.get(String(x.id))!;
      if (x.status === 'acknowledged') {
        i.status = 'acknowledged';
        this.log(i, 'acknowledge_log_entry', `Acknowledged by ${actor.name}.`, actor.id);
      } else if (x.status === 'resolved') {
        i.status = 'resolved';
        i.snoozedUntil = null;
        this.log(i, 'resolve_log_entry', `Resolved by ${actor.name}.`, actor.id);
      } else if (x.status === 'triggered' && i.status !== 'triggered') {
        i.status = 'triggered';
        this.log(i, 'unacknowledge_log_entry', `Unacknowledged by ${actor.name}.`, actor.id);
      }
      const assignees = (x.assignments as Array<{ assignee: { id: string } }> | undefined)?.map((a) => a.assignee.id);
      const policy = x.escalation_policy as { id: string } | undefined;
      if (assignees || policy) {
        if (policy) i.policyId = policy.id;
        i.assigneeIds = assignees ?? [this.onCallAt(i.policyId, 1, this.now())].filter((u): u is string => Boolean(u));
        // Reassigning an acknowledged incident triggers it again for the new assignee.
        i.status = 'triggered';
        for (const u of i.assigneeIds) this.log(i, 'assign_log_entry', `Reassigned to ${this.user(u).name} by ${actor.name}.`, actor.id);
      }
    }
    return null;
  }

  private listIncidents(q: Record<string, unknown>): Json {
    const statuses = (q['statuses[]'] as string[] | undefined) ?? [];
    const urgencies = (q['urgencies[]'] as string[] | undefined) ?? [];
    const services = (q['service_ids[]'] as string[] | undefined) ?? [];
    const users = (q['user_ids[]'] as string[] | undefined) ?? [];
    const monthAgo = this.now() - 30 * 24 * 3600_000;
    let list = [...this.incidents.values()]
      .filter((i) => statuses.length === 0 || statuses.includes(i.status))
      .filter((i) => urgencies.length === 0 || urgencies.includes(i.urgency))
      .filter((i) => services.length === 0 || services.includes(i.serviceId))
      .filter((i) => users.length === 0 || i.assigneeIds.some((u) => users.includes(u)))
      .filter((i) => q.incident_key === undefined || i.incidentKey === q.incident_key)
      .filter((i) => q.date_range === 'all' || i.createdAt >= monthAgo);
    const sort = String((q.sort_by as string[] | undefined)?.[0] ?? 'created_at:asc');
    list = list.sort((a, b) => (sort.endsWith(':desc') ? b.createdAt - a.createdAt : a.createdAt - b.createdAt));
    return this.page(q, 'incidents', list.map((i) => this.incidentBody(i)));
  }

  private listOnCalls(q: Record<string, unknown>): Json[] {
    const now = this.now();
    const since = q.since ? Date.parse(String(q.since)) : now;
    const until = q.until ? Date.parse(String(q.until)) : now + 1;
    const users = (q['user_ids[]'] as string[] | undefined) ?? [];
    const policies = (q['escalation_policy_ids[]'] as string[] | undefined) ?? [];
    return this.oncalls
      .filter((o) => o.start < until && o.end > since)
      .filter((o) => users.length === 0 || users.includes(o.userId))
      .filter((o) => policies.length === 0 || policies.includes(o.policyId))
      .sort((a, b) => a.start - b.start || a.level - b.level)
      .map((o) => ({
        escalation_policy: ref('escalation_policy_reference', o.policyId, this.policies.find((p) => p.id === o.policyId)!.name),
        escalation_level: o.level,
        schedule: o.scheduleId ? ref('schedule_reference', o.scheduleId, this.schedules.find((s) => s.id === o.scheduleId)!.name) : null,
        user: ref('user_reference', o.userId, this.user(o.userId).name),
        start: iso(o.start),
        end: iso(o.end),
      }));
  }

  /** Classic offset pagination: limit defaults to 25 and is capped at 100; total only when asked. */
  private page(q: Record<string, unknown>, key: string, all: unknown[]): Json {
    const limit = Math.min(Math.max(Number(q.limit ?? 25), 1), pageMax);
    const offset = Math.max(Number(q.offset ?? 0), 0);
    const items = all.slice(offset, offset + limit);
    return { [key]: items, limit, offset, more: offset + items.length < all.length, total: q.total === true ? all.length : null };
  }

  private userBody(u: FakeUser): Json {
    return { ...ref('user', u.id, u.name), name: u.name, email: u.email, time_zone: 'America/Lima', role: 'user' };
  }

  private policyBody(p: { id: string; name: string }): Json {
    const rules = [1, 2, 3].map((level) => ({
      id: `PRUL${level}`,
      escalation_delay_in_minutes: 5,
      targets: [ref('schedule_reference', this.schedules[level - 1]!.id, this.schedules[level - 1]!.name)],
    }));
    return { ...ref('escalation_policy', p.id, p.name), name: p.name, escalation_rules: rules, num_loops: 0 };
  }

  private noteBody(n: { id: string; userId: string; content: string; at: number }): Json {
    return { id: n.id, user: ref('user_reference', n.userId, this.user(n.userId).name), content: n.content, created_at: iso(n.at) };
  }

  private logEntryBody(i: FakeIncident, e: FakeIncident['logEntries'][number]): Json {
    return {
      ...ref(e.type, e.id, e.summary),
      self: `https://api.pagerduty.com/log_entries/${e.id}`,
      created_at: iso(e.at),
      agent: e.agentId ? ref('user_reference', e.agentId, this.user(e.agentId).name) : ref('service_reference', i.serviceId, this.services.find((s) => s.id === i.serviceId)!.name),
      channel: { type: e.agentId ? 'web_ui' : 'api' },
      incident: ref('incident_reference', i.id, `[#${i.number}] ${i.title}`),
      service: ref('service_reference', i.serviceId, this.services.find((s) => s.id === i.serviceId)!.name),
      teams: [],
      contexts: [],
    };
  }

  private incidentBody(i: FakeIncident): Json {
    const service = this.services.find((s) => s.id === i.serviceId)!;
    const policy = this.policies.find((p) => p.id === i.policyId)!;
    const trigger = i.logEntries.find((e) => e.type === 'trigger_log_entry');
    const acks = i.logEntries.filter((e) => e.type === 'acknowledge_log_entry' && e.agentId);
    return {
      ...ref('incident', i.id, `[#${i.number}] ${i.title}`),
      incident_number: i.number,
      title: i.title,
      created_at: iso(i.createdAt),
      updated_at: iso(i.updatedAt),
      status: i.status,
      incident_key: i.incidentKey,
      service: ref('service_reference', service.id, service.name),
      assignments: i.status === 'resolved' ? [] : i.assigneeIds.map((u) => ({ at: iso(i.updatedAt), assignee: ref('user_reference', u, this.user(u).name) })),
      assigned_via: 'escalation_policy',
      last_status_change_at: iso(i.updatedAt),
      ...(i.status === 'resolved' ? { resolved_at: iso(i.updatedAt) } : {}),
      ...(trigger ? { first_trigger_log_entry: ref('trigger_log_entry_reference', trigger.id, trigger.summary) } : {}),
      alert_counts: { all: 1, triggered: i.status === 'resolved' ? 0 : 1, resolved: i.status === 'resolved' ? 1 : 0 },
      is_mergeable: true,
      incident_type: { name: 'incident_default' },
      escalation_policy: ref('escalation_policy_reference', policy.id, policy.name),
      teams: [],
      pending_actions: [],
      acknowledgements: acks.map((a) => ({ at: iso(a.at), acknowledger: ref('user_reference', a.agentId!, this.user(a.agentId!).name) })),
      urgency: i.urgency,
    };
  }
}

function ref(type: string, id: string, summary: string): Json {
  const kind = type.replace(/_reference$/, '');
  const plural = kind === 'escalation_policy' ? 'escalation_policies' : `${kind}s`;
  return { id, type, summary, self: `https://api.pagerduty.com/${plural}/${id}`, html_url: `${html}/${plural}/${id}` };
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function notFound(detail?: string): [number, unknown] {
  return [404, { error: { message: 'Not Found', code: 2100, ...(detail ? { errors: [detail] } : {}) } }];
}

function invalid(detail: string): [number, unknown] {
  return [400, { error: { message: 'Invalid Input Provided', code: 2001, errors: [detail] } }];
}

/** Starts a fake PagerDuty on 127.0.0.1 (random port). */
export async function startFakePagerDuty(opts: FakePagerDutyOptions = {}): Promise<FakePagerDuty> {
  return new FakePagerDuty(opts).start();
}
