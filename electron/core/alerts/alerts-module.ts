import type { Alert } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { AlertSource, MetricsSource } from '../ports.js';
import { changedAlerts, diffAlerts, mergeByFingerprint, normalizeRuleAlert, normalizeSourceAlerts } from './normalize.js';
import { SilenceService } from './silences.js';
import { truncate } from '../http/http-json.js';
import { mapSliced } from '../time/time-slice.js';
import type { JournalDraft } from '../journal/journal.js';

/**
 * Active alerts from one or more Alertmanagers (an HA pair is merged by fingerprint). Emits
 * firing/resolved deltas and journals them; the notifications module decides what to announce.
 */
export class AlertsModule implements CoreModule {
  readonly name = 'alerts';
  private current = new Map<string, Alert>();
  updatedAt: number | null = null;

  readonly silences: SilenceService;

  constructor(
    private readonly ctx: CoreContext,
    private readonly sources: AlertSource[],
    /** Prometheus as a second source: pending alerts (and firing ones when no Alertmanager is configured). */
    private readonly rules: MetricsSource | null = null,
  ) {
    this.silences = new SilenceService(ctx, sources, () => this.alerts);
  }

  get alerts(): Alert[] {
    return [...this.current.values()];
  }

  get pollers() {
    return this.sources.length || this.rules?.listRuleAlerts ? [{ source: 'alerts', refresh: (signal?: AbortSignal) => this.refresh(signal) }] : [];
  }

  private chain: Promise<void> = Promise.resolve();

  /** Polls run one at a time (a silence created between polls refreshes too): no delta is seen twice. */
  private refresh(signal?: AbortSignal): Promise<void> {
    const run = this.chain.then(() => this.poll(signal));
    this.chain = run.catch(() => {});
    return run;
  }

  private async poll(signal?: AbortSignal): Promise<void> {
    const { ctx } = this;
    const [results, fromRules] = await Promise.all([
      Promise.allSettled(this.sources.map((s) => s.listAlerts(signal))),
      this.rules?.listRuleAlerts ? this.rules.listRuleAlerts(signal).then((r) => r, (e: unknown) => e as Error) : Promise.resolve(null),
    ]);
    const lists: Alert[][] = [];
    const failures: string[] = [];
    for (const [i, r] of results.entries()) {
      const source = this.sources[i]!;
      if (r.status === 'rejected') {
        failures.push(`${source.name}: ${messageOf(r.reason)}`);
        continue;
      }
      // What a source returns is outside input: a wrong shape fails that source (stale, saying why).
      try {
        lists.push(await normalizeSourceAlerts(ctx.pack, r.value, source.name, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        failures.push(`${source.name}: ${messageOf(error)}`);
      }
    }
    if (Array.isArray(fromRules)) {
      // Alertmanager owns firing alerts (silences, inhibitions); Prometheus adds what only it knows: pending.
      const wanted = this.sources.length ? fromRules.filter((a) => a.state === 'pending') : fromRules.filter((a) => a.state !== 'inactive');
      lists.push(wanted.map((a) => normalizeRuleAlert(ctx.pack, a, this.rules!.name)));
    } else if (fromRules instanceof Error && this.sources.length === 0) {
      failures.push(`${this.rules!.name}: ${messageOf(fromRules)}`);
    }
    // With an HA pair, one member down is not a reason to drop alerts: only all-down is stale.
    if (this.sources.length > 0 ? lists.length === (Array.isArray(fromRules) ? 1 : 0) : failures.length > 0) {
      throw new GuardiaError('alerts.down', failures.join('; '));
    }
    const merged = mergeByFingerprint(lists);
    const now = ctx.clock.now();
    const first = this.updatedAt === null;
    const diff = diffAlerts(this.current, merged);
    // Pending alerts (Prometheus, waiting out `for:`) are shown but are not news: they never reach
    // `firing` (notifications, paging, the journal); they appear through `updated` and leave through `resolved`.
    const isPending = (a: Alert) => a.state === 'pending' || this.current.get(a.fingerprint)?.state === 'pending';
    const firing = diff.firing.filter((a) => !isPending(a));
    const resolved = diff.resolved.filter((a) => !isPending(a));
    const updated = [...changedAlerts(this.current, merged), ...diff.firing.filter(isPending)];
    const gonePending = diff.resolved.filter(isPending);
    this.current = new Map(merged.map((a) => [a.fingerprint, a]));
    this.updatedAt = now;
    if (!first && firing.length === 0 && resolved.length === 0 && updated.length === 0 && gonePending.length === 0) return;
    const active = merged.filter((a) => a.state !== 'pending').length;
    ctx.events.emit('alerts.changed', { firing, resolved: [...resolved, ...gonePending], updated, active, updatedAt: now });
    const base = { actor: 'guardia', environment: ctx.environment.id, time: now };
    // Appended together so the journal commits the whole poll in one write + fsync (order is kept); in
    // time slices, as the first poll of a busy Alertmanager journals thousands of alerts.
    const draftOf = (a: Alert): JournalDraft =>
      a.state === 'resolved'
        ? {
            ...base,
            source: a.sources.join(','),
            kind: 'alert.resolved',
            summary: `${a.severity} ${a.name} resolved`,
            data: { fingerprint: a.fingerprint, firingSince: a.startsAt },
          }
        : {
            ...base,
            source: a.sources.join(','),
            kind: 'alert.firing',
            // A journal line, not the annotation: a 1 MB summary stays in Alertmanager, not in every export.
            summary: truncate(`${a.severity} ${a.name}: ${a.summary}`, 500),
            data: { fingerprint: a.fingerprint, labels: a.labels, startsAt: a.startsAt, alreadyFiring: first },
          };
    const appends = await mapSliced([...firing, ...resolved], (a) => ctx.journal.append(draftOf(a)));
    await Promise.all(appends);
    // Notifications are decided by the notifications module from this event (core/notifications).
  }

  readonly handlers: CoreModule['handlers'] = {
    'alerts.list': async () => ({ alerts: this.alerts, updatedAt: this.updatedAt, stale: this.ctx.staleOf('alerts') }),
    'alerts.getRunbook': async ({ alert }) => ({ runbook: this.ctx.pack.alerting.runbooks.find((r) => r.alert === alert) ?? null }),
    'alerts.listRules': async () => {
      if (!this.rules?.listRules) return { supported: false, groups: [] };
      const groups = await this.rules.listRules();
      return {
        supported: true,
        groups: groups.map((g) => ({
          name: g.name,
          file: g.file,
          rules: g.rules.map((r) => ({ name: r.name, type: r.type, health: r.health, lastError: r.lastError || null, state: r.state ?? null, query: r.query })),
        })),
      };
    },
    'silences.list': async () => ({ silences: await this.silences.list(), supported: this.silences.supported }),
    'silences.preview': async ({ matchers }) => this.silences.preview(matchers),
    'silences.create': async (req) => {
      const created = await this.silences.create(req);
      // Show the alert as silenced now, not one poll later (a failed refresh just leaves it for the poller).
      await this.refresh().catch(() => {});
      return created;
    },
    'silences.expire': async (req) => {
      const expired = await this.silences.expire(req);
      await this.refresh().catch(() => {});
      return expired;
    },
  };
}
