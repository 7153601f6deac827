import type { MetricsQuery, MetricsSource, QueryResult, RangeSeries, RuleAlert, RuleGroup, Sample } from '../ports.js';
import { hashString, normalQuantile, valueNoise } from './noise.js';
import { BASE_ERROR_PERCENT, ENDPOINTS, MINUTE_MS, type SimSnapshot, type TiendiSimulation } from './simulation.js';

/** Prometheus refuses range queries with more points per series than this; so does the demo. */
export const MAX_RANGE_POINTS = 11_000;

const DAY_MS = 24 * 60 * MINUTE_MS;

type Point = { labels: Record<string, string>; value: number | null };

interface Ctx {
  s: SimSnapshot;
  sim: TiendiSimulation;
  /** Smooth noise in [-1, 1] for a series key at this instant (30 s wiggle plus a 5 min drift). */
  n(key: string): number;
  /** Slow noise with a chosen period. */
  slow(key: string, periodMs: number): number;
}

type Evaluator = (c: Ctx) => Point[];

const one = (value: number | null): Point[] => [{ labels: {}, value }];
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * A latency quantile over a long window (the pack's SLIs are "over the SLO's window"): a lognormal
 * healthy distribution mixed with a fraction f of incident-time requests, all slower than it.
 */
function windowQuantile(p50: number, p95: number, incident: number, f: number): number {
  const tail = (0.05 - f) / (1 - f);
  if (tail <= 0.0005) return incident;
  const sigma = Math.log(p95 / p50) / 1.6449;
  return Math.min(incident, p50 * Math.exp(sigma * normalQuantile(1 - tail)));
}

function errorRate(c: Ctx): number {
  return clamp(c.s.errorRate * (1 + 0.03 * c.n('error-rate')) + 0.006 * c.n('error-rate-abs'), 0, 100);
}

function endpointErrorRate(s: SimSnapshot, weight: number): number {
  return clamp(0.02 + 0.03 * weight + (s.errorRate - BASE_ERROR_PERCENT) * weight, 0, 100);
}

function orderFactor(s: SimSnapshot): number {
  return 1 - endpointErrorRate(s, 2.0) / 100;
}

/** Every query id of the Tiendi pack, answered from the simulation's state at one instant. */
const EVALUATORS: Record<string, Evaluator> = {
  'slo.api-availability': ({ s, sim }) => one(100 - 0.045 - sim.windowAverage('apiErr', s.t, 30 * DAY_MS)),
  'slo.api-latency-p95': ({ s, sim, n }) =>
    one(windowQuantile(0.085, 0.32, 3.8, sim.windowAverage('lat', s.t, 7 * DAY_MS)) * (1 + 0.004 * n('slo-api-p95'))),
  'slo.api-error-rate': ({ s, sim }) => one(BASE_ERROR_PERCENT + sim.windowAverage('apiErr', s.t, DAY_MS)),
  'slo.web-page-load': ({ s, sim, n }) =>
    one(windowQuantile(0.9, 1.45, 4.0, sim.windowAverage('lat', s.t, 7 * DAY_MS)) * (1 + 0.004 * n('slo-web'))),
  'slo.payments-availability': ({ s, sim }) => one(100 - 0.02 - sim.windowAverage('payErr', s.t, 30 * DAY_MS)),
  'slo.search-latency-p95': ({ s, sim, n }) =>
    one(windowQuantile(0.18, 0.45, 0.95, sim.windowAverage('lat', s.t, 7 * DAY_MS)) * (1 + 0.004 * n('slo-search'))),
  'slo.db-query-latency': ({ s, sim, n }) =>
    one(windowQuantile(0.012, 0.035, 0.2, sim.windowAverage('lat', s.t, DAY_MS)) * (1 + 0.004 * n('slo-db'))),

  'health.api': ({ s, sim }) => one(s.apiReplicas > 0 && sim.apiInstanceDown(s.t) === null ? 1 : 0),
  'health.database': ({ s }) => one(s.dbDown ? 0 : 1),
  'health.cache': ({ s }) => one(s.cacheDown ? 0 : 1),
  'health.queue': () => one(1),

  'overview.rps': ({ s, n }) => one(s.rps * (1 + 0.03 * n('rps'))),
  'overview.success-rate': (c) => one(100 - errorRate(c)),
  'overview.error-rate': (c) => one(errorRate(c)),
  'overview.latency-p50': ({ s, n }) => one(s.p50 * (1 + 0.04 * n('p50'))),
  'overview.latency-p95': ({ s, n }) => one(s.p95 * (1 + 0.04 * n('p95'))),
  'overview.latency-p99': ({ s, n }) => one(s.p99 * (1 + 0.05 * n('p99'))),
  'overview.error-rate-by-endpoint': ({ s, n }) =>
    ENDPOINTS.map((e) => ({
      labels: { endpoint: e.endpoint },
      value: clamp(endpointErrorRate(s, e.errorWeight) * (1 + 0.05 * n(`err ${e.endpoint}`)) + 0.004 * n(`err-abs ${e.endpoint}`), 0, 100),
    })),
  'overview.latency-p95-by-endpoint': ({ s, n }) => {
    // Whatever the shared overlays (cold cache, database down) add to the overall p95, every endpoint feels.
    const extra = Math.max(0, s.p95 - (0.3 + 0.04 * s.traffic + 3.5 * s.lat));
    return ENDPOINTS.map((e) => ({
      labels: { endpoint: e.endpoint },
      value: (e.p95 * (1 + 0.1 * s.traffic) + e.p95Add * s.lat + extra) * (1 + 0.05 * n(`p95 ${e.endpoint}`)),
    }));
  },

  'infra.node-cpu': ({ s, n }) =>
    [0, 4, -3].map((offset, i) => ({
      labels: { instance: `aks-nodepool1-${i}` },
      value: clamp(30 + 20 * s.traffic + 14 * s.err + offset + 3 * n(`cpu ${i}`), 1, 100),
    })),
  'infra.pods-ready': ({ s, sim }) => one(sim.podsAt(s.t).filter((p) => p.ready).length),
  'infra.db-pool-usage': ({ s, n }) => one(clamp(s.poolUsage * (1 + 0.015 * n('pool')), 0, 100)),
  'infra.db-connections': ({ s, n }) => one(Math.round(clamp(s.connections * (1 + 0.015 * n('pool')), 0, s.capacity))),
  'infra.redis-hit-rate': ({ s, n }) => one(s.cacheDown ? null : clamp(94.2 - 30 * s.cacheCold + 0.6 * n('redis-hit'), 0, 100)),
  'infra.redis-memory': ({ s, n }) =>
    one(s.cacheDown ? null : Math.round((1.15e9 + 1.2e8 * s.traffic) * (1 - 0.6 * s.cacheCold) * (1 + 0.01 * n('redis-mem')))),
  'infra.redis-clients': ({ s, n }) => one(s.cacheDown ? 0 : Math.round(10 * s.apiReplicas + 14 + 2 * n('redis-clients'))),
  'infra.redis-ops': ({ s, n }) => one(s.cacheDown ? 0 : s.rps * (s.cacheOff ? 0.4 : 6.5) * (1 + 0.04 * n('redis-ops'))),

  'business.gmv-per-hour': ({ s, slow }) =>
    one((5 + 21 * s.traffic) * orderFactor(s) * 60 * (142 + 8 * s.traffic) * (1 + 0.04 * slow('gmv', 10 * MINUTE_MS))),
  'business.orders-per-minute': ({ s, n }) => one(Math.max(0, (5 + 21 * s.traffic) * orderFactor(s) * (1 + 0.08 * n('orders')))),
  'business.average-ticket': ({ s, slow }) => one(142 + 8 * s.traffic + 4 * slow('ticket', 10 * MINUTE_MS)),
  'business.conversion-rate': ({ s, n }) => one((2.4 + 0.6 * s.traffic) * orderFactor(s) * (1 + 0.03 * n('conversion'))),
  'business.active-users': ({ s, n }) => one(Math.round((14_000 + 26_000 * s.traffic) * (1 + 0.02 * n('users')))),

  'security.failed-logins': ({ s, n }) => one(Math.max(0, 6 + 8 * s.traffic + 25 * s.err + 3 * n('failed-logins'))),
  'security.rate-limit-hits': ({ s, n }) => one(Math.max(0, 20 + 25 * s.traffic + 40 * s.err + 8 * n('rate-limit'))),
  'security.blocked-ips': ({ slow }) => one(Math.round(12 + 3 * slow('blocked-ips', 60 * MINUTE_MS))),
  'security.invalid-tokens': ({ s, n }) => one(Math.max(0, 3 + 3 * s.traffic + 2 * n('invalid-tokens'))),
};

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Share of requests slower than T: the healthy lognormal's tail plus the incident-time fraction f if slower. */
function slowerThan(p50: number, p95: number, incident: number, f: number, threshold: number): number {
  const sigma = Math.log(p95 / p50) / 1.6449;
  const tail = 1 - normalCdf(Math.log(threshold / p50) / sigma);
  return (1 - f) * tail + (incident > threshold ? f : 0);
}

const windowMs = (w: string): number => {
  const m = /^(\d+)(m|h|d)$/.exec(w);
  if (!m) throw new Error(`demo Prometheus: unsupported window "${w}"`);
  return Number(m[1]) * { m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS }[m[2] as 'm' | 'h' | 'd'];
};

/**
 * The burn-rate queries of the pack's SLOs (ids `burn.<slo>.ratio.<window>` and `burn.<slo>.events.<window>`,
 * see electron/core/slo/burn-rate.ts): the bad-event fraction and event count over a window, from the
 * same windowed integrals the SLIs above use, so the budget agrees with the SLO's value.
 */
const BURN: Record<string, { ratio(sim: TiendiSimulation, t: number, w: number): number; perSecond(s: SimSnapshot): number }> = {
  'api-availability': { ratio: (sim, t, w) => (0.045 + sim.windowAverage('apiErr', t, w)) / 100, perSecond: (s) => s.rps },
  'api-error-rate': { ratio: (sim, t, w) => (BASE_ERROR_PERCENT + sim.windowAverage('apiErr', t, w)) / 100, perSecond: (s) => s.rps },
  'payments-availability': { ratio: (sim, t, w) => (0.02 + sim.windowAverage('payErr', t, w)) / 100, perSecond: (s) => s.rps * 0.04 },
  'api-latency-p95': { ratio: (sim, t, w) => slowerThan(0.085, 0.32, 3.8, sim.windowAverage('lat', t, w), 0.5), perSecond: (s) => s.rps },
  'web-page-load': { ratio: (sim, t, w) => slowerThan(0.9, 1.45, 4.0, sim.windowAverage('lat', t, w), 2), perSecond: (s) => s.rps * 0.3 },
  'search-latency-p95': { ratio: (sim, t, w) => slowerThan(0.18, 0.45, 0.95, sim.windowAverage('lat', t, w), 1), perSecond: (s) => s.rps * 0.2 },
  'db-query-latency': { ratio: (sim, t, w) => slowerThan(0.012, 0.035, 0.2, sim.windowAverage('lat', t, w), 0.1), perSecond: (s) => s.rps * 3 },
};

function burnEvaluator(id: string): Evaluator | undefined {
  const m = /^burn\.([a-z0-9-]+)\.(ratio|events)\.(\d+[mhd])$/.exec(id);
  const def = m ? BURN[m[1]!] : undefined;
  if (!m || !def) return undefined;
  const w = windowMs(m[3]!);
  return m[2] === 'ratio'
    ? ({ s, sim }) => one(Math.min(1, Math.max(0, def.ratio(sim, s.t, w))))
    : ({ s }) => one(Math.round(def.perSecond(s) * (w / 1000)));
}

/** Query ids the demo Prometheus answers (the Tiendi pack's). */
export const DEMO_QUERY_IDS: readonly string[] = Object.keys(EVALUATORS);

function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/**
 * The demo's Prometheus query API. It answers by query id (the expression is shown in the UI but
 * not parsed) and, like Prometheus, knows nothing of the future: points after "now" are omitted.
 */
export class DemoMetrics implements MetricsSource {
  readonly name = 'demo-prometheus';
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly sim: TiendiSimulation,
    private readonly now: () => number,
    /** The demo's rule evaluator, for Prometheus' `/api/v1/alerts` and `/api/v1/rules`. */
    private readonly rules?: { listRuleAlerts(signal?: AbortSignal): Promise<RuleAlert[]>; listRules(signal?: AbortSignal): Promise<RuleGroup[]> },
  ) {}

  listRuleAlerts(signal?: AbortSignal): Promise<RuleAlert[]> {
    if (!this.rules) return Promise.resolve([]);
    return this.rules.listRuleAlerts(signal);
  }

  listRules(signal?: AbortSignal): Promise<RuleGroup[]> {
    if (!this.rules) return Promise.resolve([]);
    return this.rules.listRules(signal);
  }

  async instant(query: MetricsQuery, at: number, signal?: AbortSignal): Promise<QueryResult<Sample[]>> {
    signal?.throwIfAborted();
    const evaluate = this.evaluator(query.id);
    const data = evaluate(this.ctx(Math.min(at, this.now()))).map((p) => ({ labels: { ...p.labels }, value: p.value }));
    await Promise.resolve();
    signal?.throwIfAborted();
    return { data, warnings: [] };
  }

  async range(
    query: MetricsQuery,
    range: { start: number; end: number; stepSeconds: number },
    signal?: AbortSignal,
  ): Promise<QueryResult<RangeSeries[]>> {
    signal?.throwIfAborted();
    const evaluate = this.evaluator(query.id);
    const { start, end, stepSeconds } = range;
    if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(stepSeconds) || stepSeconds <= 0) {
      throw new Error('invalid range: finite start and end and a positive step are required');
    }
    if (end < start) throw new Error('end timestamp must not be before start time');
    const stepMs = stepSeconds * 1000;
    const count = Math.floor((end - start) / stepMs) + 1;
    if (count > MAX_RANGE_POINTS) {
      throw new Error(
        `exceeded maximum resolution of 11,000 points per timeseries (${count} asked). Try decreasing the query resolution (?step=XX)`,
      );
    }
    const limit = Math.min(end, this.now());
    const series = new Map<string, RangeSeries>();
    for (let i = 0; i < count; i++) {
      const t = start + i * stepMs;
      if (t > limit) break;
      for (const p of evaluate(this.ctx(t))) {
        const key = labelKey(p.labels);
        let s = series.get(key);
        if (!s) {
          s = { labels: { ...p.labels }, points: [] };
          series.set(key, s);
        }
        s.points.push([t, p.value]);
      }
      if (i % 2000 === 1999) {
        await Promise.resolve();
        signal?.throwIfAborted();
      }
    }
    await Promise.resolve();
    signal?.throwIfAborted();
    return { data: [...series.values()], warnings: [] };
  }

  private evaluator(id: string): Evaluator {
    const e = EVALUATORS[id] ?? burnEvaluator(id);
    if (!e) throw new Error(`demo Prometheus: unknown query id "${id}" (it answers only the Tiendi pack's query ids)`);
    return e;
  }

  private key(name: string): number {
    let k = this.keys.get(name);
    if (k === undefined) {
      k = hashString(name);
      this.keys.set(name, k);
    }
    return k;
  }

  private ctx(t: number): Ctx {
    const seed = this.sim.noiseSeed;
    return {
      s: this.sim.at(t),
      sim: this.sim,
      n: (name) => 0.7 * valueNoise(seed, this.key(name), t, 30_000) + 0.3 * valueNoise(seed, this.key(`${name}~`), t, 5 * MINUTE_MS),
      slow: (name, periodMs) => valueNoise(seed, this.key(name), t, periodMs),
    };
  }
}
