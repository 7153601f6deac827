import { randomUUID } from 'node:crypto';
import { matchesAll } from '../alerts/silence-match.js';
import type { AlertSource, GettableAlert, GettableSilence, RuleAlert, RuleGroup, SilenceMatcher } from '../ports.js';
import { labelsFingerprint } from './noise.js';
import { DEMO_NAMESPACE, MINUTE_MS, type SimSnapshot, type TiendiSimulation } from './simulation.js';

/**
 * The demo's Alertmanager: the runbook's Prometheus rules (section 5.2) evaluated on the simulation
 * at their group intervals, with `for` held in sim time, routed as in section 5.3. Like Alertmanager's
 * /api/v2/alerts, it lists firing alerts only; a resolved alert simply disappears.
 */

const PROMETHEUS_URL = 'http://prometheus.tiendi.internal';
/** How far back a rule's current streak is traced to find its start (longer streaks report this start). */
const MAX_SCAN_MS = 6 * 60 * MINUTE_MS;
const SAMPLE_MS = 30_000;

interface Rule {
  alertname: string;
  intervalMs: number;
  forMs: number;
  labels: Record<string, string>;
  expr: string;
  /** The rule's value at an evaluation, or null when its condition is false. */
  value(t: number): number | null;
  annotations(value: number): Record<string, string>;
}

/** Prometheus' humanize for values between 1 and 1000 (%.4g). */
function g4(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function receiversFor(severity: string): Array<{ name: string }> {
  if (severity === 'critical') return [{ name: 'pagerduty-critical' }, { name: 'slack-critical' }];
  if (severity === 'warning') return [{ name: 'slack-warnings' }];
  return [{ name: 'default' }];
}

function generatorUrl(expr: string): string {
  return `${PROMETHEUS_URL}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;
}

/** Alertmanager v2 for the demo: evaluates the rules at sim now on every poll (cheap, no state kept). */
export class DemoAlerts implements AlertSource {
  readonly name = 'demo-alertmanager';

  constructor(
    private readonly sim: TiendiSimulation,
    private readonly now: () => number,
  ) {}

  /** Silences created in this run, kept in memory like a fresh Alertmanager's (expired ones stay listed). */
  private readonly silences: GettableSilence[] = [];

  async listAlerts(signal?: AbortSignal): Promise<GettableAlert[]> {
    signal?.throwIfAborted();
    const now = this.now();
    const active = this.silences.filter((s) => silenceState(s, now) === 'active');
    const alerts = this.evaluate(now).map((a) => {
      const silencedBy = active.filter((s) => matchesAll(s.matchers, a.labels)).map((s) => s.id);
      return silencedBy.length ? { ...a, status: { ...a.status, state: 'suppressed' as const, silencedBy } } : a;
    });
    await Promise.resolve();
    signal?.throwIfAborted();
    return alerts;
  }

  async listSilences(signal?: AbortSignal): Promise<GettableSilence[]> {
    signal?.throwIfAborted();
    const now = this.now();
    return this.silences.map((s) => ({ ...s, matchers: s.matchers.map((m) => ({ ...m })), status: { state: silenceState(s, now) } }));
  }

  async createSilence(silence: { matchers: SilenceMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }): Promise<string> {
    const id = randomUUID();
    const now = new Date(this.now()).toISOString();
    this.silences.push({ id, ...silence, matchers: silence.matchers.map((m) => ({ ...m })), updatedAt: now, status: { state: 'active' } });
    return id;
  }

  async expireSilence(id: string): Promise<void> {
    const s = this.silences.find((x) => x.id === id);
    if (!s) throw new Error(`demo Alertmanager: silence ${id} not found`);
    const now = new Date(this.now()).toISOString();
    s.endsAt = now;
    s.updatedAt = now;
  }

  /** Active alerts at sim time t, sorted by fingerprint as Alertmanager returns them. */
  /** Prometheus' `/api/v1/alerts` on the demo: the same rules, with pending ones (waiting out `for:`). */
  async listRuleAlerts(signal?: AbortSignal): Promise<RuleAlert[]> {
    signal?.throwIfAborted();
    const states: RuleState[] = [];
    const firing = this.evaluate(this.now(), states);
    return [
      ...firing.map((a) => ({ labels: a.labels, annotations: a.annotations, state: 'firing' as const, activeAt: a.startsAt })),
      ...states.filter((r) => r.state === 'pending').map((r) => ({ labels: r.labels, annotations: r.annotations, state: 'pending' as const, activeAt: new Date(r.activeAt!).toISOString() })),
    ];
  }

  /** Prometheus' `/api/v1/rules` on the demo: the rules it simulates, all healthy, with their state. */
  async listRules(signal?: AbortSignal): Promise<RuleGroup[]> {
    signal?.throwIfAborted();
    const states: RuleState[] = [];
    const firing = new Set(this.evaluate(this.now(), states).map((a) => a.labels.alertname));
    const rule = (r: RuleState) => ({
      name: r.alertname,
      type: 'alerting' as const,
      health: 'ok' as const,
      state: firing.has(r.alertname) ? ('firing' as const) : r.state,
      query: r.expr,
      duration: r.forMs / 1000,
    });
    const apiDown = { alertname: 'APIDown', expr: 'up{job="tiendi-api"} == 0', forMs: MINUTE_MS, state: 'inactive' as const, labels: {}, annotations: {}, activeAt: null, severity: 'critical' };
    const all = [apiDown, ...states];
    return [
      { name: 'tiendi_critical', file: 'rules.yml', rules: all.filter((r) => r.severity === 'critical').map(rule) },
      { name: 'tiendi_warning', file: 'rules.yml', rules: all.filter((r) => r.severity !== 'critical').map(rule) },
    ];
  }

  evaluate(t: number, states?: RuleState[]): GettableAlert[] {
    const snaps = new Map<number, SimSnapshot>();
    const at = (x: number): SimSnapshot => {
      let s = snaps.get(x);
      if (!s) {
        s = this.sim.at(x);
        snaps.set(x, s);
      }
      return s;
    };
    /** Mean error ratio over (t - window, t], like rate()[window] on a 30 s scrape grid. */
    const meanErrorRatio = (x: number, windowMs: number): number => {
      const last = Math.floor(x / SAMPLE_MS) * SAMPLE_MS;
      const n = windowMs / SAMPLE_MS;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += at(last - i * SAMPLE_MS).errorRate;
      return sum / n / 100;
    };

    const rules: Rule[] = [
      {
        alertname: 'HighErrorRate',
        intervalMs: 30_000,
        forMs: 5 * MINUTE_MS,
        labels: { severity: 'critical', team: 'backend' },
        expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        value: (x) => {
          const r = at(x).errorRate / 100;
          return r > 0.05 ? r : null;
        },
        annotations: (v) => ({
          summary: 'High error rate detected',
          description: `Error rate is ${g4(v * 100)}%`,
          runbook: 'https://runbook.tiendi.pe/high-error-rate',
        }),
      },
      {
        alertname: 'DatabaseDown',
        intervalMs: 30_000,
        forMs: MINUTE_MS,
        labels: { instance: 'postgres-0:9187', job: 'postgresql', severity: 'critical', team: 'infrastructure' },
        expr: 'up{job="postgresql"} == 0',
        value: (x) => (at(x).dbDown ? 0 : null),
        annotations: () => ({
          summary: 'PostgreSQL is down',
          description: 'Database postgres-0:9187 is unreachable',
          runbook: 'https://runbook.tiendi.pe/database-down',
        }),
      },
      {
        alertname: 'HighLatency',
        intervalMs: MINUTE_MS,
        forMs: 10 * MINUTE_MS,
        labels: { severity: 'warning', team: 'backend' },
        expr: 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m])) > 1',
        value: (x) => {
          const p95 = at(x).p95;
          return p95 > 1 ? p95 : null;
        },
        annotations: (v) => ({ summary: 'High API latency', description: `P95 latency is ${Number(v.toFixed(4))}s` }),
      },
      {
        alertname: 'ErrorBudgetBurnRateHigh',
        intervalMs: MINUTE_MS,
        forMs: 5 * MINUTE_MS,
        labels: { severity: 'warning', team: 'sre' },
        // The runbook's 1h burn rate, paired with a 5m window (multi-window burn rate) so the alert clears
        // once the burning stops instead of lingering for an hour into the next cycle.
        expr:
          '(1 - (sum(rate(http_requests_total{status!~"5.."}[1h])) / sum(rate(http_requests_total[1h])))) > 0.001 * 14.4' +
          ' and (1 - (sum(rate(http_requests_total{status!~"5.."}[5m])) / sum(rate(http_requests_total[5m])))) > 0.001 * 14.4',
        value: (x) => {
          const long = meanErrorRatio(x, 60 * MINUTE_MS);
          return long > 0.0144 && meanErrorRatio(x, 5 * MINUTE_MS) > 0.0144 ? long : null;
        },
        annotations: () => ({
          summary: 'Error budget burning too fast',
          description: 'At this rate, error budget will be exhausted',
        }),
      },
    ];

    const out: GettableAlert[] = [];
    for (const rule of rules) {
      const last = Math.floor(t / rule.intervalMs) * rule.intervalMs;
      const v = rule.value(last);
      const state: RuleState = { alertname: rule.alertname, expr: rule.expr, forMs: rule.forMs, severity: rule.labels.severity ?? '', labels: { alertname: rule.alertname, ...rule.labels }, annotations: {}, state: 'inactive', activeAt: null };
      states?.push(state);
      if (v === null) continue;
      let activeAt = last;
      for (let g = last - rule.intervalMs; g >= last - MAX_SCAN_MS; g -= rule.intervalMs) {
        if (rule.value(g) === null) break;
        activeAt = g;
      }
      state.annotations = rule.annotations(v);
      state.activeAt = activeAt;
      state.state = last - activeAt < rule.forMs ? 'pending' : 'firing';
      if (last - activeAt < rule.forMs) continue;
      const firedAt = activeAt + Math.ceil(rule.forMs / rule.intervalMs) * rule.intervalMs;
      out.push(this.alert(rule.alertname, rule.labels, rule.annotations(v), firedAt, last, rule.intervalMs, rule.expr));
    }

    // APIDown is per instance: the crash-looping tiendi-api pod's target is down.
    const apiLast = Math.floor(t / 30_000) * 30_000;
    const down = this.sim.apiInstanceDown(apiLast);
    if (down) {
      const activeAt = Math.ceil(down.since / 30_000) * 30_000;
      if (apiLast - activeAt >= MINUTE_MS) {
        const instance = `${down.pod}:8080`;
        out.push(
          this.alert(
            'APIDown',
            { instance, job: 'tiendi-api', namespace: DEMO_NAMESPACE, pod: down.pod, severity: 'critical', team: 'backend' },
            {
              summary: 'API is down',
              description: `API ${instance} has been down for more than 1 minute`,
              runbook: 'https://runbook.tiendi.pe/api-down',
            },
            activeAt + MINUTE_MS,
            apiLast,
            30_000,
            'up{job="tiendi-api"} == 0',
          ),
        );
      }
    }
    return out.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  private alert(
    alertname: string,
    ruleLabels: Record<string, string>,
    annotations: Record<string, string>,
    firedAt: number,
    lastEval: number,
    intervalMs: number,
    expr: string,
  ): GettableAlert {
    const labels: Record<string, string> = { alertname, ...ruleLabels };
    return {
      fingerprint: labelsFingerprint(labels),
      labels,
      annotations,
      startsAt: new Date(firedAt).toISOString(),
      // Prometheus sends endsAt = last evaluation + 4 × max(interval, resend delay of 1m).
      endsAt: new Date(lastEval + 4 * Math.max(intervalMs, MINUTE_MS)).toISOString(),
      updatedAt: new Date(lastEval).toISOString(),
      generatorURL: generatorUrl(expr),
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      receivers: receiversFor(labels.severity ?? ''),
    };
  }
}

/** A silence's state at sim time `now`, as Alertmanager derives it from its start and end. */
function silenceState(s: GettableSilence, now: number): GettableSilence['status']['state'] {
  if (Date.parse(s.endsAt) <= now) return 'expired';
  return Date.parse(s.startsAt) > now ? 'pending' : 'active';
}

/** One simulated rule at an evaluation: what `/api/v1/rules` and `/api/v1/alerts` report. */
interface RuleState {
  alertname: string;
  expr: string;
  forMs: number;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt: number | null;
}
