import type { Pack } from '../../../shared/pack.js';
import { shiftAt } from '../shift/rotation.js';
import type {
  AlertSource,
  PagingIncidentData,
  PagingIncidentQuery,
  PagingOnCallData,
  PagingOutcomeData,
  PagingPort,
  PagingRefData,
  PagingTimelineData,
} from '../ports.js';

/**
 * The demo's PagerDuty: Alertmanager's pagerduty-critical receiver (section 5.3 of the runbook) pages
 * it, so when a critical alert routed there fires in the simulation (HighErrorRate, APIDown…), an
 * incident is triggered on the pack-mapped service and assigned to the primary of the pack's rotation
 * (rotation.yaml, repeated week after week from its first shift); it resolves when the alert does.
 * Acknowledge, resolve, reassign, snooze and notes work as in PagerDuty. The primary on call is "me",
 * so a newcomer sees their own incidents.
 */

const DAY_MS = 24 * 3600_000;
const levels = { primary: 1, secondary: 2, backup: 3 } as const;

interface DemoIncident extends PagingIncidentData {
  timeline: PagingTimelineData[];
  snoozedUntil: number | null;
  alertFingerprint: string;
}

/** The PagingPort of the embedded demo, driven by the demo's Alertmanager and sim clock. */
export class DemoPagerDuty implements PagingPort {
  readonly name = 'demo-pagerduty';
  private readonly incidents = new Map<string, DemoIncident>();
  private readonly users: Array<PagingRefData & { email: string }>;
  private readonly policy: PagingRefData = { id: 'PDEMOEP', name: 'Tiendi — guardia' };
  private seq = 0;
  private entrySeq = 0;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly pack: Pack,
    private readonly alerts: AlertSource,
    private readonly now: () => number,
  ) {
    const names = new Set(pack.rotation.shifts.flatMap((s) => [s.primary, s.secondary, s.backup]));
    this.users = [...names].map((name, i) => ({ id: `PDEMOU${i + 1}`, name, email: emailOf(name) }));
  }

  async me(): Promise<PagingRefData & { email: string }> {
    return this.userNamed(this.shiftAt(this.now()).people.primary);
  }

  async listIncidents(q: PagingIncidentQuery): Promise<{ incidents: PagingIncidentData[]; more: boolean }> {
    await this.sync();
    const me = await this.me();
    const list = [...this.incidents.values()]
      .filter((i) => q.statuses.length === 0 || q.statuses.includes(i.status))
      .filter((i) => q.urgencies.length === 0 || q.urgencies.includes(i.urgency))
      .filter((i) => q.serviceIds.length === 0 || q.serviceIds.includes(i.service.id))
      .filter((i) => q.scope === 'all' || i.assignees.some((a) => a.id === me.id))
      .sort((a, b) => b.createdAt - a.createdAt);
    return { incidents: list.slice(0, q.max).map(plain), more: list.length > q.max };
  }

  async getIncident(id: string): Promise<PagingIncidentData> {
    await this.sync();
    return plain(this.find(id));
  }

  async acknowledge(ids: string[]): Promise<PagingOutcomeData[]> {
    return this.setStatus(ids, 'acknowledged');
  }

  async resolve(ids: string[]): Promise<PagingOutcomeData[]> {
    return this.setStatus(ids, 'resolved');
  }

  async reassign(ids: string[], to: { userId?: string; escalationPolicyId?: string }): Promise<PagingOutcomeData[]> {
    const me = await this.me();
    const user = to.userId ? this.users.find((u) => u.id === to.userId) : null;
    if (to.userId && !user) return ids.map((id) => ({ id, outcome: 'failed', message: `no user ${to.userId}` }));
    if (to.escalationPolicyId && to.escalationPolicyId !== this.policy.id) {
      return ids.map((id) => ({ id, outcome: 'failed', message: `no escalation policy ${to.escalationPolicyId}` }));
    }
    const assignee = user ?? this.userNamed(this.shiftAt(this.now()).people.primary);
    return ids.map((id) => {
      const i = this.incidents.get(id);
      if (!i) return { id, outcome: 'failed', message: `no incident ${id}` };
      if (i.status === 'resolved') return { id, outcome: 'failed', message: 'incident already resolved' };
      i.assignees = [{ id: assignee.id, name: assignee.name }];
      i.status = 'triggered';
      this.log(i, 'assign', `Reassigned to ${assignee.name}`, me.name);
      return { id, outcome: 'done', message: `reassigned to ${assignee.name}` };
    });
  }

  async snooze(id: string, durationSeconds: number): Promise<PagingOutcomeData> {
    const me = await this.me();
    const i = this.incidents.get(id);
    if (!i) return { id, outcome: 'failed', message: `no incident ${id}` };
    if (i.status !== 'acknowledged') return { id, outcome: 'failed', message: 'only an acknowledged incident can be snoozed' };
    i.snoozedUntil = this.now() + durationSeconds * 1000;
    this.log(i, 'snooze', `Snoozed for ${Math.round(durationSeconds / 60)} min`, me.name);
    return { id, outcome: 'done', message: `snoozed for ${Math.round(durationSeconds / 60)} min` };
  }

  async addNote(id: string, content: string): Promise<PagingOutcomeData> {
    const me = await this.me();
    const i = this.incidents.get(id);
    if (!i) return { id, outcome: 'failed', message: `no incident ${id}` };
    this.log(i, 'note', content, me.name);
    return { id, outcome: 'done', message: 'note added' };
  }

  async timeline(id: string): Promise<PagingTimelineData[]> {
    await this.sync();
    return [...this.find(id).timeline];
  }

  async onCalls(window: { since: number; until: number }): Promise<PagingOnCallData[]> {
    const out: PagingOnCallData[] = [];
    for (let t = this.shiftAt(window.since).start; t < window.until; t += this.pack.rotation.lengthDays * DAY_MS) {
      const shift = this.shiftAt(t);
      for (const role of ['primary', 'secondary', 'backup'] as const) {
        const user = this.userNamed(shift.people[role]);
        out.push({ user: { id: user.id, name: user.name }, level: levels[role], escalationPolicy: this.policy, schedule: { id: `PDEMOS${levels[role]}`, name: `Tiendi ${role}` }, start: shift.start, end: shift.end });
      }
    }
    return out;
  }

  async listEscalationPolicies(): Promise<PagingRefData[]> {
    return [this.policy];
  }

  /** Triggers incidents for new paging alerts, resolves those whose alert ended, wakes snoozed ones. */
  private sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const now = this.now();
    const firing = (await this.alerts.listAlerts()).filter((a) => a.receivers.some((r) => r.name.startsWith('pagerduty')));
    const open = new Map([...this.incidents.values()].filter((i) => i.status !== 'resolved').map((i) => [i.alertFingerprint, i]));
    for (const alert of firing) {
      if (open.has(alert.fingerprint)) continue;
      const name = alert.labels.alertname ?? 'alert';
      const primary = this.userNamed(this.shiftAt(now).people.primary);
      const service = this.serviceFor(name);
      const id = `PDEMO${String(++this.seq).padStart(3, '0')}`;
      const incident: DemoIncident = {
        id,
        number: 1000 + this.seq,
        title: `[FIRING:1] ${name} (${alert.annotations.summary ?? name})`,
        status: 'triggered',
        urgency: alert.labels.severity === 'critical' ? 'high' : 'low',
        service,
        escalationPolicy: this.policy,
        assignees: [{ id: primary.id, name: primary.name }],
        createdAt: now,
        updatedAt: now,
        incidentKey: alert.fingerprint,
        htmlUrl: null,
        timeline: [],
        snoozedUntil: null,
        alertFingerprint: alert.fingerprint,
      };
      this.incidents.set(id, incident);
      this.log(incident, 'trigger', `Triggered through the API by Alertmanager (${name})`, 'Alertmanager');
      this.log(incident, 'assign', `Assigned to ${primary.name} (level 1 of ${this.policy.name})`, 'Alertmanager');
      this.log(incident, 'notify', `Notified ${primary.name} by push notification`, null);
    }
    const still = new Set(firing.map((a) => a.fingerprint));
    for (const i of this.incidents.values()) {
      if (i.status === 'resolved') continue;
      if (!still.has(i.alertFingerprint)) {
        i.status = 'resolved';
        this.log(i, 'resolve', 'Resolved through the API by Alertmanager (the alert ended)', 'Alertmanager');
      } else if (i.snoozedUntil !== null && i.snoozedUntil <= now) {
        i.snoozedUntil = null;
        i.status = 'triggered';
        this.log(i, 'unacknowledge', 'Snooze ended: triggered again', null);
      }
    }
  }

  private async setStatus(ids: string[], status: 'acknowledged' | 'resolved'): Promise<PagingOutcomeData[]> {
    await this.sync();
    const me = await this.me();
    return ids.map((id) => {
      const i = this.incidents.get(id);
      if (!i) return { id, outcome: 'failed', message: `no incident ${id}` };
      if (i.status === 'resolved') return { id, outcome: 'already', message: 'already resolved' };
      if (i.status === status) return { id, outcome: 'already', message: `already ${status}` };
      i.status = status;
      i.snoozedUntil = null;
      this.log(i, status === 'acknowledged' ? 'acknowledge' : 'resolve', `${status === 'acknowledged' ? 'Acknowledged' : 'Resolved'} by ${me.name}`, me.name);
      return { id, outcome: 'done', message: status };
    });
  }

  private log(i: DemoIncident, kind: PagingTimelineData['kind'], summary: string, agent: string | null): void {
    const time = this.now();
    i.timeline.push({ id: `QDEMO${++this.entrySeq}`, time, kind, summary, agent });
    i.updatedAt = time;
  }

  private find(id: string): DemoIncident {
    const i = this.incidents.get(id);
    if (!i) throw new Error(`The demo PagerDuty has no incident ${id}`);
    return i;
  }

  private serviceFor(alertName: string): PagingRefData {
    const mapped = this.pack.alerting.pagerduty?.services.find((s) => s.alerts.includes(alertName))?.service ?? 'Tiendi';
    return { id: `PDEMOSV${slug(mapped)}`, name: mapped };
  }

  private userNamed(name: string): PagingRefData & { email: string } {
    return this.users.find((u) => u.name === name) ?? { id: 'PDEMOU0', name, email: emailOf(name) };
  }

  /** The rotation's shift holding time t (the pack's rows repeated week after week from the first). */
  private shiftAt(t: number): { start: number; end: number; people: { primary: string; secondary: string; backup: string } } {
    const span = shiftAt(this.pack.rotation, t);
    return { start: span.start, end: span.end, people: { primary: span.primary, secondary: span.secondary ?? span.primary, backup: span.backup ?? span.primary } };
  }
}

function plain(i: DemoIncident): PagingIncidentData {
  const { timeline: _t, snoozedUntil: _s, alertFingerprint: _a, ...rest } = i;
  return { ...rest, assignees: [...rest.assignees] };
}

function emailOf(name: string): string {
  return `${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, '.')}@tiendi.pe`;
}

function slug(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
