import type { InvokeResponse } from '../../../shared/contract.js';
import type { Alert } from '../../../shared/domain.js';
import type { OnCall, PagingIncident, PagingUser } from '../../../shared/paging.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule, ModuleFactory, Poller } from '../core-module.js';
import type { PagingAdapter } from '../notifications/notifications-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { Clock, PagingIncidentData, PagingOutcomeData, PagingPort } from '../ports.js';
import { linkedAlerts } from './incident-links.js';

/** How the paging module polls; the notification-latency bench shortens the interval. */
export interface PagingModuleOptions {
  /** Seconds between polls of the open incidents (default: core's refresh interval). */
  pollSeconds?: number;
  /** Most incidents fetched per list (pages of 100). */
  maxIncidents?: number;
}

/** The paging module for a port (PagerDuty or the demo's); with none, every channel says it is not configured. */
export function pagingModule(port: PagingPort | null, options: PagingModuleOptions = {}): ModuleFactory {
  return (ctx) => (port ? new PagingModule(ctx, port, options) : notConfigured());
}

function notConfigured(): CoreModule {
  const fail = async (): Promise<never> => {
    throw new GuardiaError(
      'paging.not-configured',
      'PagerDuty is not configured for this environment: add connections.pagerduty { secret, from } to the configuration',
    );
  };
  return {
    name: 'paging',
    handlers: {
      'paging.listIncidents': fail,
      'paging.acknowledge': fail,
      'paging.resolve': fail,
      'paging.reassign': fail,
      'paging.snooze': fail,
      'paging.addNote': fail,
      'paging.getTimeline': fail,
      'paging.getOnCall': fail,
    },
  };
}

const source = 'pagerduty';
const onCallHorizonMs = 14 * 24 * 3600_000;

/** What the notifications module needs of paging (on-call, who I am, ack from a notification), from the port. */
export function pagingAdapterFor(port: PagingPort, clock: Clock): PagingAdapter {
  return {
    me: () => port.me(),
    onCalls: () => {
      const now = clock.now();
      return port.onCalls({ since: now, until: now + onCallHorizonMs });
    },
    acknowledge: (ids) => port.acknowledge(ids),
  };
}

/** Settings → Connections' "Test connection" for PagerDuty: really calls GET /users/me. */
export function pagingTestFor(port: PagingPort): () => Promise<string> {
  return async () => {
    const me = await port.me();
    return `signed in as ${me.name} <${me.email}>`;
  };
}
type WriteResult = InvokeResponse<'paging.acknowledge'>;

/**
 * Paging: answers the `paging.*` channels, polls the open incidents and emits `paging.changed`
 * (what appeared, changed or left, plus the open list the notification policy reads). Every change to an incident is
 * refused in a read-only environment, journaled before and after, and never retried.
 */
export class PagingModule implements CoreModule {
  readonly name = 'paging';
  readonly pollers: Poller[];
  private open = new Map<string, PagingIncidentData>();
  private me: PagingUser | null = null;
  private updatedAt: number | null = null;
  private readonly alerts = new Map<string, Alert>();
  private readonly unsubscribe: () => void;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly port: PagingPort,
    private readonly options: PagingModuleOptions,
  ) {
    this.pollers = [{ source, refresh: (signal) => this.refresh(signal), intervalSeconds: options.pollSeconds }];
    // Alerts arrive as deltas on the bus; linking needs the active ones.
    this.unsubscribe = ctx.events.subscribe((event) => {
      if (event.channel !== 'alerts.changed') return;
      const before = new Map([...this.open.values()].map((i) => [i.id, this.links(i).join()]));
      for (const a of event.payload.firing) this.alerts.set(a.fingerprint, a);
      for (const a of event.payload.resolved) this.alerts.delete(a.fingerprint);
      // An incident paged before its alert reached Guardia gets its link now.
      const relinked = [...this.open.values()].filter((i) => this.links(i).join() !== before.get(i.id));
      if (relinked.length && this.updatedAt !== null) {
        ctx.events.emit('paging.changed', {
          incidents: [...this.open.values()].map((i) => this.view(i)),
          added: [],
          updated: relinked.map((i) => this.view(i)),
          removed: [],
          updatedAt: this.updatedAt,
        });
      }
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe();
  }

  /** One poll, shared by concurrent callers (the poller and a handler after a write). */
  refresh(signal?: AbortSignal): Promise<void> {
    this.refreshing ??= this.poll(signal).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async poll(signal?: AbortSignal): Promise<void> {
    const { ctx } = this;
    this.me ??= await this.port.me(signal);
    const { incidents } = await this.port.listIncidents(
      { scope: 'all', statuses: ['triggered', 'acknowledged'], urgencies: [], serviceIds: [], max: this.options.maxIncidents ?? 500 },
      signal,
    );
    const now = ctx.clock.now();
    const first = this.updatedAt === null;
    const previous = this.open;
    const added: PagingIncidentData[] = [];
    const updated: PagingIncidentData[] = [];
    for (const incident of incidents) {
      const before = previous.get(incident.id);
      if (!before) added.push(incident);
      else if (changed(before, incident)) updated.push(incident);
    }
    const current = new Set(incidents.map((i) => i.id));
    const removed = [...previous.keys()].filter((id) => !current.has(id));
    this.open = new Map(incidents.map((i) => [i.id, i]));
    this.updatedAt = now;
    if (!first && added.length + updated.length + removed.length === 0) return;
    // The notifications module decides from `incidents` which ones page me (policy, snooze, on-call).
    ctx.events.emit('paging.changed', {
      incidents: incidents.map((i) => this.view(i)),
      added: added.map((i) => this.view(i)),
      updated: updated.map((i) => this.view(i)),
      removed,
      updatedAt: now,
    });
  }

  private isMine(incident: PagingIncidentData): boolean {
    return this.me !== null && incident.assignees.some((a) => a.id === this.me!.id);
  }

  private view(incident: PagingIncidentData): PagingIncident {
    return {
      ...incident,
      assignedToMe: this.isMine(incident),
      alertFingerprints: this.links(incident),
    };
  }

  private links(incident: PagingIncidentData): string[] {
    return linkedAlerts(incident, this.alerts.values(), this.ctx.pack.alerting.pagerduty);
  }

  /** Before the first poll, a request waits for one (or says why PagerDuty cannot be reached). */
  private async ensureData(): Promise<void> {
    if (this.updatedAt === null) await this.refresh();
  }

  private async mutate(verb: string, incidents: string[], call: () => Promise<PagingOutcomeData[]>, extra: Record<string, unknown> = {}): Promise<WriteResult> {
    const { ctx } = this;
    if (ctx.environment.readOnly) {
      throw new GuardiaError('paging.read-only', `Environment "${ctx.environment.id}" is read-only: PagerDuty incidents cannot be changed from Guardia`);
    }
    const names = incidents.map((id) => {
      const i = this.open.get(id);
      return i ? `#${i.number} ${i.title}` : id;
    });
    const what = `${verb} PagerDuty incident${incidents.length === 1 ? '' : 's'} ${names.join(', ')}`;
    const base = { actor: ctx.actor, environment: ctx.environment.id, source: `paging:${this.port.name}` };
    const started = await ctx.journal.append({ ...base, kind: 'action.started', summary: truncate(`Started: ${what}`), data: { verb, incidents, ...extra } });
    let results: PagingOutcomeData[];
    try {
      results = await call();
    } catch (error) {
      const message = messageOf(error);
      await ctx.journal.append({ ...base, kind: 'action.finished', summary: truncate(`Failed: ${what}: ${message}`), data: { verb, incidents, startedId: started.id, outcome: 'error' } });
      if (error instanceof GuardiaError) throw error;
      throw new GuardiaError('paging.failed', `${what} failed: ${message}`);
    }
    const failed = results.filter((r) => r.outcome === 'failed');
    const summary = failed.length
      ? `${what}: ${results.length - failed.length} of ${results.length} done; ${failed.map((f) => f.message).join('; ')}`
      : `${what}: done`;
    await ctx.journal.append({
      ...base,
      kind: 'action.finished',
      summary: truncate(summary),
      data: { verb, incidents, startedId: started.id, outcome: failed.length ? 'partial' : 'ok', results },
    });
    // Show the change without waiting for the next poll: a poll that started before the write is stale,
    // so wait for it and poll again. A failing poll only leaves the list as it was (the poller reports it).
    await this.refreshing?.catch(() => undefined);
    await this.refresh().catch(() => undefined);
    return { journalId: started.id, results };
  }

  readonly handlers: CoreModule['handlers'] = {
    'paging.listIncidents': async (req) => {
      const onlyOpen = req.statuses.length > 0 && req.statuses.every((s) => s !== 'resolved');
      let list: PagingIncidentData[];
      let more = false;
      if (onlyOpen) {
        await this.ensureData();
        list = [...this.open.values()];
      } else {
        this.me ??= await this.port.me();
        const page = await this.port.listIncidents({ scope: 'all', statuses: req.statuses, urgencies: [], serviceIds: [], max: this.options.maxIncidents ?? 500 });
        list = page.incidents;
        more = page.more;
      }
      const incidents = list
        .filter((i) => req.statuses.length === 0 || req.statuses.includes(i.status))
        .filter((i) => req.urgencies.length === 0 || req.urgencies.includes(i.urgency))
        .filter((i) => req.serviceIds.length === 0 || req.serviceIds.includes(i.service.id))
        .filter((i) => req.scope === 'all' || this.isMine(i))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((i) => this.view(i));
      return { incidents, more, me: this.me, updatedAt: this.updatedAt, stale: this.ctx.staleOf(source) };
    },
    'paging.acknowledge': async (req) => {
      let ids = req.ids;
      if (req.allMine) {
        await this.refresh();
        const mine = [...this.open.values()].filter((i) => this.isMine(i) && i.status === 'triggered').map((i) => i.id);
        ids = [...new Set([...ids, ...mine])];
      }
      if (ids.length === 0) return { journalId: null, results: [] };
      return this.mutate('Acknowledge', ids, () => this.port.acknowledge(ids));
    },
    'paging.resolve': async (req) => this.mutate('Resolve', req.ids, () => this.port.resolve(req.ids)),
    'paging.reassign': async (req) => {
      const to = req.userId ? { userId: req.userId } : { escalationPolicyId: req.escalationPolicyId! };
      const target = req.userId ? `user ${req.userId}` : `escalation policy ${req.escalationPolicyId}`;
      return this.mutate(`Reassign to ${target}:`, req.ids, () => this.port.reassign(req.ids, to), { to });
    },
    'paging.snooze': async (req) =>
      this.mutate(`Snooze for ${req.minutes} min`, [req.id], async () => [await this.port.snooze(req.id, req.minutes * 60)], { minutes: req.minutes }),
    'paging.addNote': async (req) =>
      this.mutate('Add a note to', [req.id], async () => [await this.port.addNote(req.id, req.text)], { note: req.text }),
    'paging.getTimeline': async (req) => {
      const [incident, entries] = await Promise.all([this.open.get(req.id) ?? this.port.getIncident(req.id), this.port.timeline(req.id)]);
      this.me ??= await this.port.me();
      return { incident: this.view(incident), entries };
    },
    'paging.getOnCall': async () => {
      const now = this.ctx.clock.now();
      this.me ??= await this.port.me();
      const [spans, escalationPolicies] = await Promise.all([
        this.port.onCalls({ since: now, until: now + onCallHorizonMs }),
        this.port.listEscalationPolicies(),
      ]);
      const holds = (o: OnCall) => (o.start === null || o.start <= now) && (o.end === null || o.end > now);
      const current = spans.filter(holds);
      const next: OnCall[] = [];
      const seen = new Set<string>();
      for (const o of [...spans].filter((s) => s.start !== null && s.start > now).sort((a, b) => a.start! - b.start!)) {
        const key = `${o.escalationPolicy.id}/${o.level}`;
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(o);
      }
      const mine = spans.filter((o) => o.user.id === this.me!.id).sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
      const shift = mine.find(holds) ?? mine[0] ?? null;
      const users = new Map(spans.map((o) => [o.user.id, o.user]));
      const byLevel = (a: OnCall, b: OnCall) => a.escalationPolicy.name.localeCompare(b.escalationPolicy.name) || a.level - b.level;
      return {
        me: this.me,
        now: current.sort(byLevel),
        next: next.sort(byLevel),
        myShift: shift ? { start: shift.start, end: shift.end } : null,
        escalationPolicies,
        users: [...users.values()].sort((a, b) => a.name.localeCompare(b.name)),
      };
    },
  };
}

function changed(a: PagingIncidentData, b: PagingIncidentData): boolean {
  return (
    a.status !== b.status ||
    a.updatedAt !== b.updatedAt ||
    a.title !== b.title ||
    a.urgency !== b.urgency ||
    a.assignees.map((x) => x.id).join() !== b.assignees.map((x) => x.id).join()
  );
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
