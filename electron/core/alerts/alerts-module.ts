import { randomUUID } from 'node:crypto';
import type { Alert } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import { notificationsFor } from '../notifications/notification-policy.js';
import type { AlertSource } from '../ports.js';
import { diffAlerts, mergeByFingerprint, normalizeAlert } from './normalize.js';

/**
 * Active alerts from one or more Alertmanagers (an HA pair is merged by fingerprint). Emits
 * firing/resolved deltas, journals them, and raises notifications for new P1/P2 alerts.
 */
export class AlertsModule implements CoreModule {
  readonly name = 'alerts';
  private current = new Map<string, Alert>();
  updatedAt: number | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly sources: AlertSource[],
  ) {}

  get alerts(): Alert[] {
    return [...this.current.values()];
  }

  get pollers() {
    return this.sources.length ? [{ source: 'alerts', refresh: (signal?: AbortSignal) => this.refresh(signal) }] : [];
  }

  private async refresh(signal?: AbortSignal): Promise<void> {
    const { ctx } = this;
    const results = await Promise.allSettled(this.sources.map((s) => s.listAlerts(signal)));
    const lists: Alert[][] = [];
    const failures: string[] = [];
    results.forEach((r, i) => {
      const source = this.sources[i]!;
      if (r.status === 'fulfilled') lists.push(r.value.map((raw) => normalizeAlert(ctx.pack, raw, source.name)));
      else failures.push(`${source.name}: ${messageOf(r.reason)}`);
    });
    // With an HA pair, one member down is not a reason to drop alerts: only all-down is stale.
    if (lists.length === 0) throw new GuardiaError('alerts.down', failures.join('; '));
    const merged = mergeByFingerprint(lists);
    const now = ctx.clock.now();
    const first = this.updatedAt === null;
    const { firing, resolved } = diffAlerts(this.current, merged);
    this.current = new Map(merged.map((a) => [a.fingerprint, a]));
    this.updatedAt = now;
    if (!first && firing.length === 0 && resolved.length === 0) return;
    ctx.events.emit('alerts.changed', { firing, resolved, active: merged.length, updatedAt: now });
    const base = { actor: 'guardia', environment: ctx.environment.id, time: now };
    for (const a of firing) {
      await ctx.journal.append({
        ...base,
        source: a.sources.join(','),
        kind: 'alert.firing',
        summary: `${a.severity} ${a.name}: ${a.summary}`,
        data: { fingerprint: a.fingerprint, labels: a.labels, startsAt: a.startsAt, alreadyFiring: first },
      });
    }
    for (const a of resolved) {
      await ctx.journal.append({
        ...base,
        source: a.sources.join(','),
        kind: 'alert.resolved',
        summary: `${a.severity} ${a.name} resolved`,
        data: { fingerprint: a.fingerprint, firingSince: a.startsAt },
      });
    }
    // Alerts already active when Guardia starts are shown, not announced.
    if (first) return;
    for (const n of notificationsFor(firing, now, randomUUID)) ctx.events.emit('notifications.changed', n);
  }

  readonly handlers: CoreModule['handlers'] = {
    'alerts.list': async () => ({ alerts: this.alerts, updatedAt: this.updatedAt, stale: this.ctx.staleOf('alerts') }),
  };
}
