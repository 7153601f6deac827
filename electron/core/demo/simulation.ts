import type { DeploymentInfo, PodInfo } from '../ports.js';
import { hashString, hashUnit, smoothstep } from './noise.js';

/**
 * The simulated Tiendi production behind the demo's Prometheus, Alertmanager and Kubernetes.
 *
 * Everything is a pure function of sim time plus the list of actions applied so far: sim time is cut
 * into 60-minute cycles, each starting with a CI deploy of tiendi-api whose new revision raises
 * queries per request. A cycle is computed once (a tiny event replay of the deploy, the user's
 * actions and a colleague's rollback) into piecewise "regimes" whose values blend smoothly, and the
 * record is dropped and recomputed only when an action lands in it. Range queries over the past are
 * therefore answered by evaluating the same function at each step.
 */

/** The only namespace the demo cluster has (the runbook's). */
export const DEMO_NAMESPACE = 'production';
/** Sim milliseconds per minute, for readable timings. */
export const MINUTE_MS = 60_000;
/** One story cycle: deploy, incident, (self-)resolution, quiet. */
export const CYCLE_MS = 60 * MINUTE_MS;
/** Sim time between the default start and the first scripted deploy. */
export const LEAD_IN_MS = MINUTE_MS;
/** The deployment the story is about. */
export const API_DEPLOYMENT = 'tiendi-api';
const PAYMENT_DEPLOYMENT = 'tiendi-payment';
const REGISTRY = 'tiendi.azurecr.io';

/** Timing of the story, in ms after a bad tiendi-api revision goes live (exported for tests and docs). */
export const STORY = {
  rolloutMs: 1.5 * MINUTE_MS,
  poolRamp: [1 * MINUTE_MS, 3 * MINUTE_MS],
  latencyRamp: [1.8 * MINUTE_MS, 3.8 * MINUTE_MS],
  errorRamp: [2.2 * MINUTE_MS, 4.2 * MINUTE_MS],
  /** A pod starts crash-looping after its pool has been starved this long. */
  crashAfterHighMs: 5.5 * MINUTE_MS,
  /** Nobody acts: a colleague rolls back this long after the deploy (post-mortem: ~35 min incident). */
  colleagueRollbackMs: 37 * MINUTE_MS,
} as const;

/** Overall error rate (percent) at the peak of an unmitigated incident: the post-mortem's 35%. */
export const PEAK_ERROR_PERCENT = 35.2;
/** Overall error rate (percent) of a healthy API. */
export const BASE_ERROR_PERCENT = 0.04;
/** Share of the overall extra error rate each endpoint sees (traffic-weighted mean is 1). */
export const ENDPOINTS: ReadonlyArray<{ endpoint: string; share: number; errorWeight: number; p95: number; p95Add: number }> = [
  { endpoint: '/api/products', share: 0.4, errorWeight: 0.82, p95: 0.24, p95Add: 2.4 },
  { endpoint: '/api/cart', share: 0.15, errorWeight: 0.88, p95: 0.27, p95Add: 3.0 },
  { endpoint: '/api/checkout', share: 0.07, errorWeight: 2.0, p95: 0.55, p95Add: 5.6 },
  { endpoint: '/api/search', share: 0.25, errorWeight: 0.65, p95: 0.42, p95Add: 1.1 },
  { endpoint: '/api/orders', share: 0.08, errorWeight: 1.77, p95: 0.36, p95Add: 4.8 },
  { endpoint: '/api/payments', share: 0.05, errorWeight: 1.88, p95: 0.68, p95Add: 6.2 },
];
const PAYMENTS_ERROR_WEIGHT = 1.88;

const ROLL_STEP_MS = 30_000;
const READY_MS = 25_000;
const GRACE_MS = 15_000;
const SAMPLE_MS = 15_000;
const COLD_CACHE_MS = 6 * MINUTE_MS;
/** Mitigation strength k in level(c) = 1 - (c - 1) / k, per variable (c = API pool capacity / default). */
const POOL_K = 1.5;
const ERR_K = 0.72;
const LAT_K = 0.8;

/** What the on-call can be looking at: the phases of one story cycle. */
export type SimPhase = 'quiet' | 'deploying' | 'degraded' | 'incident' | 'recovering';
/** The ClusterPort writes, named after their methods. */
export type ActionKind = 'rolloutUndo' | 'rolloutRestart' | 'scale' | 'setEnv' | 'deletePod';

/** A cluster operation as asked for (target is a deployment, or a pod for deletePod). */
export interface ActionRequest {
  kind: ActionKind;
  namespace: string;
  target: string;
  replicas?: number;
  env?: Record<string, string>;
}

/** An action that changed the simulation, stamped with the sim time it took effect. */
export interface AppliedAction extends ActionRequest {
  at: number;
  message: string;
}

/** The demo's own view for tests and logs; nothing else in Guardia needs it. */
export interface Simulation {
  readonly seed: number;
  /** Sim time of the first scripted deploy; later ones follow every cycleMs. */
  readonly firstDeployAt: number;
  readonly cycleMs: number;
  /** Actions applied so far, oldest first (dry runs are not recorded). */
  actions(): AppliedAction[];
  phase(t?: number): SimPhase;
  /** One-line English summary of the state at t (default: now). */
  describe(t?: number): string;
}

/** Noise-free state of production at one instant: what metrics add noise to and alert rules compare. */
export interface SimSnapshot {
  t: number;
  cycle: number;
  /** Daily traffic curve, 0 (04:00 Lima) to 1 (20:00 Lima). */
  traffic: number;
  /** Incident severities 0..1 (pool saturation, errors, latency). */
  pool: number;
  err: number;
  lat: number;
  capacity: number;
  connections: number;
  poolUsage: number;
  rps: number;
  errorRate: number;
  paymentsErrorRate: number;
  p50: number;
  p95: number;
  p99: number;
  bad: boolean;
  badSince: number | null;
  cacheOff: boolean;
  apiReplicas: number;
  dbDown: boolean;
  cacheDown: boolean;
  /** 1 right after Redis restarts, fading to 0 as the cache warms up. */
  cacheCold: number;
}

/** A pod as listed, plus what metrics need to know about it. */
export interface PodStatus {
  info: PodInfo;
  owner: string;
  ready: boolean;
  crashing: boolean;
}

/** Cumulative series kept per cycle so windowed SLIs (24h, 7d, 30d) cost two lookups. */
export type WindowKind = 'apiErr' | 'payErr' | 'lat';

interface Template {
  image: string;
  env: Record<string, string>;
  restartedAt: number | null;
}
interface Revision {
  revision: number;
  template: Template;
}
interface Deployment {
  replicas: number;
  history: Revision[];
}
type World = Record<string, Deployment>;

interface PodLife {
  name: string;
  owner: string;
  statefulset: boolean;
  rsHash: string | null;
  slot: number;
  bornAt: number;
  createdAt: number;
  readyAt: number;
  terminatingAt: number;
  goneAt: number;
}

interface RegimeState {
  badSince: number | null;
  c: number;
  capacity: number;
  mitigatedAt: number | null;
  cacheOff: boolean;
  apiReplicas: number;
}
interface Vars {
  pool: number;
  err: number;
  lat: number;
  capacity: number;
}
interface Regime {
  at: number;
  blendMs: number;
  state: RegimeState;
  start: Vars;
}
interface Dip {
  at: number;
  depth: number;
  recoverMs: number;
}
interface Outage {
  kind: 'db' | 'cache';
  at: number;
  until: number;
}

interface CycleRecord {
  k: number;
  start: number;
  end: number;
  snapshots: Array<{ at: number; world: World }>;
  regimes: Regime[];
  dips: Dip[];
  outages: Outage[];
  pods: PodLife[];
  crashWindows: Array<{ start: number; end: number }>;
  colleagueRollbacks: number[];
  sampleStart: number;
  cum: Record<WindowKind, Float64Array>;
  cumBefore: Record<WindowKind, number>;
}

type Event =
  | { at: number; order: number; kind: 'deploy' }
  | { at: number; order: number; kind: 'action'; action: AppliedAction }
  | { at: number; order: number; kind: 'colleague'; badSince: number };

const API_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  PORT: '8080',
  DB_HOST: 'postgres-0.postgres.production.svc.cluster.local',
  DB_POOL_SIZE: '30',
  REDIS_URL: 'redis://redis-0.redis.production.svc.cluster.local:6379',
  ENABLE_CACHE: 'true',
  LOG_LEVEL: 'info',
};

const DAY_MS = 24 * 60 * MINUTE_MS;
const INITIAL_DEPLOYMENTS: ReadonlyArray<{
  name: string;
  replicas: number;
  images: [string, string];
  firstRevision: number;
  env: Record<string, string>;
  ageMs: number;
}> = [
  { name: API_DEPLOYMENT, replicas: 3, images: ['tiendi-api:v2.13.1', 'tiendi-api:v2.13.2'], firstRevision: 7, env: API_ENV, ageMs: 2 * DAY_MS + 4 * 60 * MINUTE_MS },
  {
    name: PAYMENT_DEPLOYMENT,
    replicas: 2,
    images: ['tiendi-payment:v1.8.2', 'tiendi-payment:v1.8.3'],
    firstRevision: 5,
    env: { NODE_ENV: 'production', PORT: '8080', DB_POOL_SIZE: '5', PAYMENT_GATEWAY: 'niubiz', PAYMENT_TIMEOUT_MS: '15000' },
    ageMs: 6 * DAY_MS,
  },
  {
    name: 'tiendi-search',
    replicas: 2,
    images: ['tiendi-search:v1.2.0', 'tiendi-search:v1.2.1'],
    firstRevision: 3,
    env: { NODE_ENV: 'production', PORT: '8080', ELASTICSEARCH_URL: 'http://elasticsearch.production.svc.cluster.local:9200' },
    ageMs: 12 * DAY_MS,
  },
  {
    name: 'tiendi-web',
    replicas: 3,
    images: ['tiendi-web:v3.4.0', 'tiendi-web:v3.4.1'],
    firstRevision: 11,
    env: { NODE_ENV: 'production', PORT: '3000', API_URL: 'http://tiendi-api.production.svc.cluster.local:8080' },
    ageMs: 3 * DAY_MS + 7 * 60 * MINUTE_MS,
  },
];
const STATEFUL_PODS: ReadonlyArray<{ name: string; owner: string; ageMs: number; downMs: number; goneMs: number }> = [
  { name: 'postgres-0', owner: 'postgres', ageMs: 42 * DAY_MS, downMs: 45_000, goneMs: 5_000 },
  { name: 'redis-0', owner: 'redis', ageMs: 21 * DAY_MS, downMs: 15_000, goneMs: 3_000 },
];

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Image of tiendi-api the CI pipeline deploys at the start of cycle k (each one raises queries per request). */
export function apiImage(k: number): string {
  return `${REGISTRY}/tiendi-api:v2.${14 + k}.0`;
}

function isBadImage(image: string): boolean {
  const m = /tiendi-api:v2\.(\d+)\./.exec(image);
  return m !== null && Number(m[1]) >= 14;
}

function current(d: Deployment): Revision {
  const r = d.history[d.history.length - 1];
  if (!r) throw new Error('deployment without revisions');
  return r;
}

function templateKey(t: Template): string {
  const env = Object.keys(t.env)
    .sort()
    .map((k) => `${k}=${t.env[k]}`)
    .join('\n');
  return `${t.image}\n${env}\n${t.restartedAt ?? ''}`;
}

function poolSizeOf(env: Record<string, string>): number {
  const n = Number.parseInt(env.DB_POOL_SIZE ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : 10;
}

function cloneWorld(w: World): World {
  return structuredClone(w);
}

function level(c: number, k: number): number {
  return Math.min(1, Math.max(0, 1 - (c - 1) / k));
}

function ramp(tau: number, [a, b]: readonly [number, number]): number {
  return smoothstep((tau - a) / (b - a));
}

/** Daily traffic shape in Lima time (UTC-5): low at 04:00, peak at 20:00. */
export function dailyShape(t: number): number {
  const h = (((t / 3_600_000 - 5) % 24) + 24) % 24;
  if (h >= 4 && h < 20) return 0.5 - 0.5 * Math.cos((Math.PI * (h - 4)) / 16);
  const hh = h < 4 ? h + 24 : h;
  return 0.5 + 0.5 * Math.cos((Math.PI * (hh - 20)) / 8);
}

/** Connections the current traffic needs with healthy code (the pool's normal 30–54 of 100). */
function demandAt(shape: number, cacheOff: boolean): number {
  return (30 + 24 * shape) * (cacheOff ? 1.25 : 1);
}

/** The severities a regime heads for at time t (before blending and dips). */
function formula(st: RegimeState, t: number): Vars {
  const demand = demandAt(dailyShape(t), st.cacheOff);
  const overload = st.capacity <= 0 ? 1 : smoothstep((demand / st.capacity - 0.9) / 0.25);
  let pool = overload;
  let err = 0.8 * overload;
  let lat = overload;
  if (st.badSince !== null) {
    const tau = t - st.badSince;
    const residual =
      st.mitigatedAt === null ? 1 : 1 - smoothstep((t - st.mitigatedAt - 4 * MINUTE_MS) / (8 * MINUTE_MS));
    pool = Math.max(pool, ramp(tau, STORY.poolRamp) * level(st.c, POOL_K));
    err = Math.max(err, ramp(tau, STORY.errorRamp) * level(st.c, ERR_K) * residual);
    lat = Math.max(lat, ramp(tau, STORY.latencyRamp) * level(st.c, LAT_K) * residual);
  }
  return { pool, err, lat, capacity: st.capacity };
}

function regimeAt(regimes: Regime[], t: number): Regime {
  for (let i = regimes.length - 1; i > 0; i--) {
    const r = regimes[i];
    if (r && r.at <= t) return r;
  }
  const first = regimes[0];
  if (!first) throw new Error('cycle without regimes');
  return first;
}

function regimeValue(regimes: Regime[], t: number): Vars {
  const r = regimeAt(regimes, t);
  const f = formula(r.state, t);
  if (r.blendMs <= 0) return f;
  const w = smoothstep((t - r.at) / r.blendMs);
  if (w >= 1) return f;
  const mix = (a: number, b: number): number => a + (b - a) * w;
  return {
    pool: mix(r.start.pool, f.pool),
    err: mix(r.start.err, f.err),
    lat: mix(r.start.lat, f.lat),
    capacity: mix(r.start.capacity, f.capacity),
  };
}

function dipFactor(dips: Dip[], t: number): number {
  let f = 1;
  for (const d of dips) {
    if (t < d.at) continue;
    const x = t - d.at;
    const bump = smoothstep(x / 30_000) * (1 - smoothstep((x - 30_000) / d.recoverMs));
    f *= 1 - d.depth * bump;
  }
  return f;
}

function varsAt(rec: CycleRecord, t: number): Vars {
  const v = regimeValue(rec.regimes, t);
  const d = dipFactor(rec.dips, t);
  return { pool: v.pool * d, err: v.err * d, lat: v.lat * d, capacity: v.capacity };
}

function snapshotOf(rec: CycleRecord, t: number): SimSnapshot {
  const st = regimeAt(rec.regimes, t).state;
  const v = varsAt(rec, t);
  const traffic = dailyShape(t);
  const demand = demandAt(traffic, st.cacheOff);
  const baseUsage = Math.min(100, (demand / Math.max(1, v.capacity)) * 100);
  let poolUsage = baseUsage + (100 - baseUsage) * v.pool;
  let errorRate = BASE_ERROR_PERCENT + (PEAK_ERROR_PERCENT - BASE_ERROR_PERCENT) * v.err;
  let p50 = 0.08 + 0.01 * traffic + 0.85 * v.lat;
  let p95 = 0.3 + 0.04 * traffic + 3.5 * v.lat;
  let p99 = 0.72 + 0.1 * traffic + 5.8 * v.lat;
  if (st.cacheOff) {
    p50 += 0.03;
    p95 += 0.08;
    p99 += 0.15;
  }
  let dbDown = false;
  let cacheDown = false;
  let cacheCold = 0;
  for (const o of rec.outages) {
    const during = t >= o.at && t < o.until;
    if (o.kind === 'db' && during) dbDown = true;
    if (o.kind === 'cache') {
      if (during) cacheDown = true;
      if (t >= o.at) cacheCold = Math.max(cacheCold, during ? 1 : 1 - smoothstep((t - o.until) / COLD_CACHE_MS));
    }
  }
  if (cacheDown) errorRate += 1.5;
  p50 += 0.04 * cacheCold;
  p95 += 0.15 * cacheCold;
  p99 += 0.3 * cacheCold;
  if (dbDown) {
    errorRate = Math.max(errorRate, 82);
    poolUsage = 0;
    p50 = Math.max(p50, 2);
    p95 = Math.max(p95, 5);
    p99 = Math.max(p99, 10);
  }
  if (st.apiReplicas === 0) errorRate = 100;
  errorRate = Math.min(100, errorRate);
  const excess = Math.max(0, errorRate - BASE_ERROR_PERCENT);
  return {
    t,
    cycle: rec.k,
    traffic,
    pool: v.pool,
    err: v.err,
    lat: v.lat,
    capacity: v.capacity,
    connections: (poolUsage / 100) * v.capacity,
    poolUsage,
    rps: (400 + 500 * traffic) * (1 + 0.08 * v.err),
    errorRate,
    paymentsErrorRate: Math.min(100, 0.02 + excess * PAYMENTS_ERROR_WEIGHT),
    p50,
    p95,
    p99,
    bad: st.badSince !== null,
    badSince: st.badSince,
    cacheOff: st.cacheOff,
    apiReplicas: st.apiReplicas,
    dbDown,
    cacheDown,
    cacheCold,
  };
}

/** kubelet's CrashLoopBackOff: runs ~25 s until the liveness probe kills it, then waits 10 s, 20 s, ... 5 min. */
function crashLoop(elapsed: number): { restarts: number; backoff: boolean } {
  let at = 0;
  let n = 0;
  for (;;) {
    const runEnd = at + 25_000;
    if (elapsed < runEnd) return { restarts: n, backoff: false };
    n++;
    const wait = Math.min(10_000 * 2 ** (n - 1), 300_000);
    if (elapsed < runEnd + wait) return { restarts: n, backoff: true };
    at = runEnd + wait;
  }
}

function stateOf(world: World, prev: RegimeState | null, at: number, isDeploy: boolean): RegimeState {
  const api = world[API_DEPLOYMENT];
  const pay = world[PAYMENT_DEPLOYMENT];
  if (!api || !pay) throw new Error('demo world lost a deployment');
  const tpl = current(api).template;
  const apiConns = api.replicas * poolSizeOf(tpl.env);
  const capacity = apiConns + pay.replicas * poolSizeOf(current(pay).template.env);
  const c = apiConns / 90;
  const bad = isBadImage(tpl.image);
  const badSince = !bad ? null : isDeploy || !prev || prev.badSince === null ? at : prev.badSince;
  const mitigated = bad && level(c, ERR_K) < 0.35;
  const mitigatedAt = !mitigated
    ? null
    : prev && prev.mitigatedAt !== null && prev.badSince === badSince
      ? prev.mitigatedAt
      : at;
  return { badSince, c, capacity, mitigatedAt, cacheOff: tpl.env.ENABLE_CACHE === 'false', apiReplicas: api.replicas };
}

function sameState(a: RegimeState, b: RegimeState): boolean {
  return (
    a.badSince === b.badSince &&
    a.c === b.c &&
    a.capacity === b.capacity &&
    a.mitigatedAt === b.mitigatedAt &&
    a.cacheOff === b.cacheOff &&
    a.apiReplicas === b.apiReplicas
  );
}

/** Replays one cycle's events on a mutable copy of the cluster; also used (on clones) to plan a dry run. */
class Builder {
  constructor(
    private readonly names: { rsHash(owner: string, tpl: Template): string; podName(owner: string, rs: string, slot: number, createdAt: number): string },
    readonly world: World,
    public pods: PodLife[],
    readonly dips: Dip[],
    readonly outages: Outage[],
  ) {}

  deployment(name: string): Deployment {
    const d = this.world[name];
    if (!d) throw new Error(`deployments.apps "${name}" not found in namespace "${DEMO_NAMESPACE}"`);
    return d;
  }

  private activeOf(owner: string, at: number): PodLife[] {
    return this.pods.filter((p) => p.owner === owner && !p.statefulset && p.goneAt > at && p.terminatingAt > at);
  }

  private dropUnborn(owner: string, at: number, filter: (p: PodLife) => boolean): void {
    this.pods = this.pods.filter((p) => !(p.owner === owner && p.bornAt > at && filter(p)));
  }

  private terminate(p: PodLife, at: number): void {
    if (at < p.terminatingAt) {
      p.terminatingAt = at;
      p.goneAt = at + GRACE_MS;
    }
  }

  private newPod(owner: string, rs: string, slot: number, createdAt: number, readyAt: number): PodLife {
    return {
      name: this.names.podName(owner, rs, slot, createdAt),
      owner,
      statefulset: false,
      rsHash: rs,
      slot,
      bornAt: createdAt,
      createdAt,
      readyAt,
      terminatingAt: Infinity,
      goneAt: Infinity,
    };
  }

  /** Puts tpl on top of the history (reusing an identical old revision, as Kubernetes does). */
  private setTemplate(name: string, tpl: Template): boolean {
    const d = this.deployment(name);
    const cur = current(d);
    const key = templateKey(tpl);
    if (templateKey(cur.template) === key) return false;
    d.history = d.history.filter((r) => templateKey(r.template) !== key);
    d.history.push({ revision: cur.revision + 1, template: tpl });
    if (d.history.length > 10) d.history.splice(0, d.history.length - 10);
    return true;
  }

  /** Rolling update: one new pod every 30 s, each old pod goes when its replacement is ready. */
  private rollout(name: string, at: number): void {
    const d = this.deployment(name);
    const rs = this.names.rsHash(name, current(d).template);
    this.dropUnborn(name, at, () => true);
    const live = this.activeOf(name, at);
    for (let slot = 0; slot < d.replicas; slot++) {
      const createdAt = at + slot * ROLL_STEP_MS;
      const readyAt = createdAt + READY_MS;
      this.pods.push(this.newPod(name, rs, slot, createdAt, readyAt));
      for (const p of live) if (p.slot === slot) this.terminate(p, readyAt);
    }
    const doneAt = at + Math.max(0, d.replicas - 1) * ROLL_STEP_MS + READY_MS;
    for (const p of live) if (p.slot >= d.replicas) this.terminate(p, doneAt);
  }

  deploy(k: number, at: number): void {
    const d = this.deployment(API_DEPLOYMENT);
    this.setTemplate(API_DEPLOYMENT, { image: apiImage(k), env: { ...API_ENV }, restartedAt: null });
    d.replicas = 3;
    this.rollout(API_DEPLOYMENT, at);
  }

  /** The colleague's `kubectl rollout undo --to-revision=<last good>`. */
  rollbackToLastGood(at: number): boolean {
    const d = this.deployment(API_DEPLOYMENT);
    const cur = current(d);
    if (!isBadImage(cur.template.image)) return false;
    const target = [...d.history].reverse().find((r) => r !== cur && !isBadImage(r.template.image));
    if (!target) return false;
    d.history = d.history.filter((r) => r !== target);
    d.history.push({ revision: cur.revision + 1, template: target.template });
    this.rollout(API_DEPLOYMENT, at);
    return true;
  }

  /** Applies one action and says, in "would" form, what it changes (the dry-run detail). */
  apply(a: ActionRequest, at: number): string {
    switch (a.kind) {
      case 'rolloutUndo': {
        const d = this.deployment(a.target);
        const cur = current(d);
        const target = d.history[d.history.length - 2];
        if (!target) throw new Error(`no rollout history found for deployment "${a.target}"`);
        d.history.splice(d.history.length - 2, 1);
        d.history.push({ revision: cur.revision + 1, template: target.template });
        this.rollout(a.target, at);
        const from = `revision ${cur.revision} (${shortImage(cur.template.image)})`;
        const to = `revision ${target.revision} (${shortImage(target.template.image)})`;
        const envChanges = [...new Set([...Object.keys(cur.template.env), ...Object.keys(target.template.env)])]
          .filter((k) => cur.template.env[k] !== target.template.env[k])
          .map((k) => `${k} ${cur.template.env[k] ?? '(unset)'} → ${target.template.env[k] ?? '(unset)'}`);
        const envNote = envChanges.length > 0 ? `, env ${envChanges.join(', ')}` : '';
        return `would roll back from ${from} to ${to}${envNote} and replace ${d.replicas} pods`;
      }
      case 'rolloutRestart': {
        const d = this.deployment(a.target);
        const cur = current(d);
        this.setTemplate(a.target, { ...cur.template, env: { ...cur.template.env }, restartedAt: at });
        this.rollout(a.target, at);
        if (a.target === API_DEPLOYMENT) this.dips.push({ at, depth: 0.9, recoverMs: 4 * MINUTE_MS });
        return `would replace the ${d.replicas} pods of ${a.target} one by one`;
      }
      case 'scale': {
        const d = this.deployment(a.target);
        const n = a.replicas ?? d.replicas;
        const before = d.replicas;
        d.replicas = n;
        const rs = this.names.rsHash(a.target, current(d).template);
        this.dropUnborn(a.target, at, (p) => p.slot >= n);
        const active = this.activeOf(a.target, at);
        for (const p of active) if (p.slot >= n) this.terminate(p, at);
        const used = new Set(active.filter((p) => p.slot < n).map((p) => p.slot));
        for (let slot = 0; slot < n; slot++) if (!used.has(slot)) this.pods.push(this.newPod(a.target, rs, slot, at, at + READY_MS));
        return `would change replicas of ${a.target} from ${before} to ${n}`;
      }
      case 'setEnv': {
        const d = this.deployment(a.target);
        const cur = current(d).template;
        const env = a.env ?? {};
        const changes = Object.entries(env)
          .filter(([k, v]) => cur.env[k] !== v)
          .map(([k, v]) => (cur.env[k] === undefined ? `${k}=${v} (new)` : `${k}=${v} (was ${cur.env[k]})`));
        const changed = this.setTemplate(a.target, { ...cur, env: { ...cur.env, ...env } });
        if (!changed) return `would change nothing: ${Object.keys(env).join(', ')} already set`;
        this.rollout(a.target, at);
        return `would set ${changes.join(', ')} and roll out ${d.replicas} new pods`;
      }
      case 'deletePod': {
        const p = this.pods.find((x) => x.name === a.target && x.bornAt <= at && at < x.goneAt);
        if (!p) throw new Error(`pods "${a.target}" not found in namespace "${DEMO_NAMESPACE}"`);
        if (at >= p.terminatingAt) return `would change nothing: pod ${p.name} is already terminating`;
        if (p.statefulset) {
          const spec = STATEFUL_PODS.find((s) => s.name === p.name);
          const downMs = spec?.downMs ?? 15_000;
          p.terminatingAt = at;
          p.goneAt = at + (spec?.goneMs ?? 3_000);
          const bornAt = p.goneAt + 1_000;
          this.pods.push({ ...p, bornAt, createdAt: bornAt, readyAt: at + downMs, terminatingAt: Infinity, goneAt: Infinity });
          this.outages.push({ kind: p.owner === 'postgres' ? 'db' : 'cache', at, until: at + downMs });
          return `would delete pod ${p.name}; statefulset ${p.owner} recreates it (${p.owner} unavailable for about ${downMs / 1000} s)`;
        }
        const scheduled = p.terminatingAt !== Infinity;
        this.terminate(p, at);
        const d = this.deployment(p.owner);
        if (!scheduled && p.slot < d.replicas && p.rsHash) {
          this.pods.push(this.newPod(p.owner, p.rsHash, p.slot, at + 1_000, at + 1_000 + READY_MS));
        }
        if (p.owner === API_DEPLOYMENT) this.dips.push({ at, depth: 0.8 / Math.max(1, d.replicas), recoverMs: 3 * MINUTE_MS });
        return `would delete pod ${p.name}; replicaset ${p.owner}-${p.rsHash} recreates it`;
      }
    }
  }
}

function shortImage(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}

/** The simulation itself: cycles computed lazily and cached, actions recorded, state queried by time. */
export class TiendiSimulation implements Simulation {
  readonly cycleMs = CYCLE_MS;
  /** 32-bit key the noise and the generated names derive from. */
  readonly noiseSeed: number;
  private readonly applied: AppliedAction[] = [];
  private readonly records: CycleRecord[] = [];
  /** Per-instant memo: a dashboard refresh asks ~40 queries at the same few hundred instants. */
  private readonly snapCache = new Map<number, SimSnapshot>();
  private readonly podCache = new Map<number, PodStatus[]>();

  constructor(
    readonly seed: number,
    readonly firstDeployAt: number,
    private readonly now: () => number,
  ) {
    this.noiseSeed = hashString(`tiendi-demo:${seed}`);
  }

  actions(): AppliedAction[] {
    return this.applied.map((a) => ({ ...a, env: a.env ? { ...a.env } : undefined }));
  }

  cycleOf(t: number): number {
    return t < this.firstDeployAt ? -1 : Math.floor((t - this.firstDeployAt) / CYCLE_MS);
  }

  /** Noise-free state at sim time t. */
  at(t: number): SimSnapshot {
    let s = this.snapCache.get(t);
    if (!s) {
      if (this.snapCache.size >= 20_000) this.snapCache.clear();
      s = snapshotOf(this.record(this.cycleOf(t)), t);
      this.snapCache.set(t, s);
    }
    return s;
  }

  /** Windowed average of a cumulative series over (t - windowMs, t], per minute of window. */
  windowAverage(kind: WindowKind, t: number, windowMs: number): number {
    return (this.integralUpTo(kind, t) - this.integralUpTo(kind, t - windowMs)) / (windowMs / MINUTE_MS);
  }

  phase(t: number = this.now()): SimPhase {
    const s = this.at(t);
    if (s.errorRate >= 5) return 'incident';
    if (s.badSince !== null && t - s.badSince < STORY.rolloutMs) return 'deploying';
    const p = this.at(t - 30_000);
    const eps = 1e-6;
    const userFacing = s.err > 0.003 || s.lat > 0.02 || s.errorRate > 1;
    const rising = s.err > p.err + eps || s.lat > p.lat + eps || s.pool > p.pool + eps;
    const falling = s.err < p.err - eps || s.lat < p.lat - eps || s.pool < p.pool - eps;
    if (rising && (s.bad || userFacing)) return 'degraded';
    if (userFacing) return falling ? 'recovering' : 'degraded';
    if (falling && s.pool > 0.01) return 'recovering';
    // Healed, but the 5-minute error rate the alerts look at still remembers the incident.
    let recent = 0;
    for (let i = 0; i < 10; i++) recent += this.at(t - i * 30_000).errorRate / 10;
    if (recent > 1) return 'recovering';
    return 'quiet';
  }

  describe(t: number = this.now()): string {
    const s = this.at(t);
    const rec = this.record(this.cycleOf(t));
    const api = this.worldAt(rec, t)[API_DEPLOYMENT];
    const rev = api ? current(api) : undefined;
    const down = this.apiInstanceDown(t);
    const nextDeploy = this.firstDeployAt + (this.cycleOf(t) + 1) * CYCLE_MS;
    const parts = [
      `${this.phase(t)}: tiendi-api ${rev ? shortImage(rev.template.image) : '?'} (revision ${rev?.revision ?? '?'}, ${api?.replicas ?? 0} replicas, DB_POOL_SIZE ${rev?.template.env.DB_POOL_SIZE ?? '?'})`,
      `DB pool ${s.poolUsage.toFixed(0)}% (${Math.round(s.connections)}/${Math.round(s.capacity)} connections)`,
      `error rate ${s.errorRate.toFixed(2)}%`,
      `p95 ${s.p95.toFixed(2)}s`,
    ];
    if (down) parts.push(`pod ${down.pod} crash-looping`);
    const last = rec.colleagueRollbacks.filter((c) => c <= t).pop();
    if (last !== undefined) parts.push(`a colleague rolled back ${((t - last) / MINUTE_MS).toFixed(0)} min ago`);
    parts.push(`next scripted deploy in ${((nextDeploy - t) / MINUTE_MS).toFixed(1)} min`);
    return parts.join('; ');
  }

  /** Pods of the namespace visible at t, sorted by name as kubectl does. */
  podsAt(t: number): PodStatus[] {
    let pods = this.podCache.get(t);
    if (!pods) {
      const rec = this.record(this.cycleOf(t));
      pods = rec.pods
        .filter((p) => p.bornAt <= t && t < p.goneAt)
        .map((p) => this.podStatus(rec, p, t))
        .sort((a, b) => (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
      if (this.podCache.size >= 5_000) this.podCache.clear();
      this.podCache.set(t, pods);
    }
    return pods.map((p) => ({ ...p, info: { ...p.info, labels: { ...p.info.labels } } }));
  }

  deploymentsAt(t: number): DeploymentInfo[] {
    const rec = this.record(this.cycleOf(t));
    const world = this.worldAt(rec, t);
    const pods = this.podsAt(t);
    return Object.keys(world)
      .sort()
      .map((name) => {
        const d = world[name] as Deployment;
        const rev = current(d);
        return {
          namespace: DEMO_NAMESPACE,
          name,
          replicas: d.replicas,
          readyReplicas: pods.filter((p) => p.owner === name && p.ready).length,
          revision: rev.revision,
          image: rev.template.image,
          env: { ...rev.template.env },
        };
      });
  }

  /**
   * Rollout history of a deployment at t, oldest revision first (what `kubectl rollout history` lists),
   * with the ReplicaSet hash of each template; null when the deployment does not exist.
   */
  historyAt(t: number, deployment: string): Array<{ revision: number; image: string; env: Record<string, string>; restartedAt: number | null; rsHash: string }> | null {
    const d = this.worldAt(this.record(this.cycleOf(t)), t)[deployment];
    if (!d) return null;
    return d.history.map((r) => ({
      revision: r.revision,
      image: r.template.image,
      env: { ...r.template.env },
      restartedAt: r.template.restartedAt,
      rsHash: this.rsHash(deployment, r.template),
    }));
  }

  /** The tiendi-api pod whose target is down (crash-looping) at t, and since when; null if none. */
  apiInstanceDown(t: number): { pod: string; since: number } | null {
    const rec = this.record(this.cycleOf(t));
    const p = this.designated(rec, t);
    if (!p) return null;
    for (const w of rec.crashWindows) {
      const since = Math.max(w.start, p.readyAt + MINUTE_MS);
      if (t >= since && t < w.end && this.designated(rec, since) === p) return { pod: p.name, since };
    }
    return null;
  }

  /**
   * Validates an action against the cluster as it is now and, unless dryRun, records it so the
   * simulation changes from this sim instant on. Returns the kubectl-like message.
   */
  apply(req: ActionRequest, dryRun: boolean): string {
    if (req.namespace !== DEMO_NAMESPACE) throw new Error(`namespaces "${req.namespace}" not found`);
    if (req.kind === 'scale') {
      const n = req.replicas;
      if (n === undefined || !Number.isInteger(n) || n < 0 || n > 100) {
        throw new Error(`replicas must be an integer from 0 to 100, got ${String(n)}`);
      }
    }
    if (req.kind === 'setEnv') {
      const keys = Object.keys(req.env ?? {});
      if (keys.length === 0) throw new Error('at least one environment variable is required');
      const bad = keys.find((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
      if (bad !== undefined) throw new Error(`invalid environment variable name "${bad}"`);
    }
    const t = this.now();
    const rec = this.record(this.cycleOf(t));
    const plan = new Builder(
      this,
      cloneWorld(this.worldAt(rec, t)),
      rec.pods.filter((p) => p.goneAt > t && p.bornAt <= t).map((p) => ({ ...p })),
      [],
      [],
    );
    const detail = plan.apply(req, t);
    const message = kubectlMessage(req);
    if (dryRun) return `${message} (server dry run): ${detail}`;
    this.applied.push({ ...req, env: req.env ? { ...req.env } : undefined, at: t, message });
    this.applied.sort((a, b) => a.at - b.at);
    this.records.length = Math.min(this.records.length, this.cycleOf(t) + 1);
    this.snapCache.clear();
    this.podCache.clear();
    return message;
  }

  rsHash(owner: string, tpl: Template): string {
    const key = hashString(`${owner}\n${templateKey(tpl)}`);
    let s = '';
    for (let i = 0; i < 10; i++) s += SAFE_ALPHABET[Math.floor(hashUnit(this.noiseSeed, key, i) * SAFE_ALPHABET.length)];
    return s;
  }

  podName(owner: string, rs: string, slot: number, createdAt: number): string {
    const key = hashString(`${owner}/${rs}/${slot}/${createdAt}`);
    let s = '';
    for (let i = 0; i < 5; i++) s += SAFE_ALPHABET[Math.floor(hashUnit(this.noiseSeed, key, i) * SAFE_ALPHABET.length)];
    return `${owner}-${rs}-${s}`;
  }

  private worldAt(rec: CycleRecord, t: number): World {
    let w = rec.snapshots[0]?.world;
    for (const s of rec.snapshots) if (s.at <= t) w = s.world;
    if (!w) throw new Error('cycle without snapshots');
    return w;
  }

  private integralUpTo(kind: WindowKind, t: number): number {
    const rec = this.record(this.cycleOf(t));
    const base = rec.cumBefore[kind];
    if (t <= rec.sampleStart) return base;
    const arr = rec.cum[kind];
    const x = (t - rec.sampleStart) / SAMPLE_MS;
    const i = Math.min(arr.length - 1, Math.floor(x));
    const a = arr[i] ?? 0;
    const b = arr[Math.min(arr.length - 1, i + 1)] ?? a;
    return base + a + (b - a) * Math.min(1, x - i);
  }

  private designated(rec: CycleRecord, t: number): PodLife | undefined {
    let best: PodLife | undefined;
    for (const p of rec.pods) {
      if (p.owner !== API_DEPLOYMENT || p.bornAt > t || t >= p.terminatingAt) continue;
      if (!best || p.slot < best.slot || (p.slot === best.slot && p.createdAt < best.createdAt)) best = p;
    }
    return best;
  }

  private podStatus(rec: CycleRecord, p: PodLife, t: number): PodStatus {
    let restarts = 0;
    let crashing = false;
    let backoff = false;
    if (p.owner === API_DEPLOYMENT) {
      for (const w of rec.crashWindows) {
        const since = Math.max(w.start, p.readyAt + MINUTE_MS);
        const until = Math.min(t, w.end, p.terminatingAt);
        if (until <= since || this.designated(rec, since) !== p) continue;
        const loop = crashLoop(until - since);
        restarts += loop.restarts;
        if (t < w.end && t < p.terminatingAt) {
          crashing = true;
          backoff = loop.backoff;
        }
      }
    }
    let phase = 'Running';
    let ready = true;
    if (t >= p.terminatingAt) {
      phase = 'Terminating';
      ready = false;
    } else if (crashing) {
      phase = backoff ? 'CrashLoopBackOff' : 'Running';
      ready = false;
    } else if (t < p.readyAt) {
      phase = t < p.createdAt + 8_000 ? 'ContainerCreating' : 'Running';
      ready = false;
    }
    const labels: Record<string, string> = p.statefulset
      ? { app: p.owner, 'statefulset.kubernetes.io/pod-name': p.name }
      : { app: p.owner, 'pod-template-hash': p.rsHash ?? '' };
    return {
      info: { namespace: DEMO_NAMESPACE, name: p.name, phase, ready: ready ? '1/1' : '0/1', restarts, createdAt: p.createdAt, labels },
      owner: p.owner,
      ready,
      crashing,
    };
  }

  private record(k: number): CycleRecord {
    while (this.records.length <= k + 1) {
      const prev = this.records[this.records.length - 1];
      this.records.push(this.build(this.records.length - 1, prev));
    }
    const rec = this.records[k + 1];
    if (!rec) throw new Error(`demo cycle ${k} missing`);
    return rec;
  }

  private initialBuilder(): { builder: Builder; state: RegimeState } {
    const world: World = {};
    const pods: PodLife[] = [];
    const origin = this.firstDeployAt - LEAD_IN_MS;
    for (const d of INITIAL_DEPLOYMENTS) {
      const history = d.images.map((image, i) => ({
        revision: d.firstRevision + i,
        template: { image: `${REGISTRY}/${image}`, env: { ...d.env }, restartedAt: null },
      }));
      world[d.name] = { replicas: d.replicas, history };
      const rs = this.rsHash(d.name, current(world[d.name] as Deployment).template);
      for (let slot = 0; slot < d.replicas; slot++) {
        const createdAt = origin - d.ageMs - slot * 47_000;
        pods.push({
          name: this.podName(d.name, rs, slot, createdAt),
          owner: d.name,
          statefulset: false,
          rsHash: rs,
          slot,
          bornAt: -Infinity,
          createdAt,
          readyAt: -Infinity,
          terminatingAt: Infinity,
          goneAt: Infinity,
        });
      }
    }
    for (const s of STATEFUL_PODS) {
      pods.push({
        name: s.name,
        owner: s.owner,
        statefulset: true,
        rsHash: null,
        slot: 0,
        bornAt: -Infinity,
        createdAt: origin - s.ageMs,
        readyAt: -Infinity,
        terminatingAt: Infinity,
        goneAt: Infinity,
      });
    }
    return { builder: new Builder(this, world, pods, [], []), state: stateOf(world, null, -Infinity, false) };
  }

  private build(k: number, prev: CycleRecord | undefined): CycleRecord {
    const start = k < 0 ? -Infinity : this.firstDeployAt + k * CYCLE_MS;
    const end = this.firstDeployAt + (k + 1) * CYCLE_MS;
    let b: Builder;
    let regimes: Regime[];
    if (prev) {
      const last = prev.regimes[prev.regimes.length - 1] as Regime;
      b = new Builder(
        this,
        cloneWorld(this.worldAt(prev, start)),
        prev.pods.filter((p) => p.goneAt > start).map((p) => ({ ...p })),
        prev.dips.filter((d) => d.at + 30_000 + d.recoverMs > start),
        prev.outages.filter((o) => o.until + COLD_CACHE_MS > start),
      );
      regimes = [last];
    } else {
      const init = this.initialBuilder();
      b = init.builder;
      regimes = [{ at: -Infinity, blendMs: 0, state: init.state, start: formula(init.state, 0) }];
    }
    let state = (regimes[0] as Regime).state;
    const snapshots: Array<{ at: number; world: World }> = [{ at: start, world: cloneWorld(b.world) }];
    const colleagueRollbacks: number[] = [];
    const queue: Event[] = [];
    if (k >= 0) queue.push({ at: start, order: 0, kind: 'deploy' });
    let order = 1;
    for (const a of this.applied) if (a.at >= start && a.at < end) queue.push({ at: a.at, order: order++, kind: 'action', action: a });

    while (queue.length > 0) {
      queue.sort((x, y) => x.at - y.at || x.order - y.order);
      const ev = queue.shift() as Event;
      let blendMs = 90_000;
      let isDeploy = false;
      if (ev.kind === 'deploy') {
        b.deploy(k, ev.at);
        blendMs = 30_000;
        isDeploy = true;
      } else if (ev.kind === 'action') {
        b.apply(ev.action, ev.at);
        if (ev.action.kind === 'scale') blendMs = 60_000;
      } else {
        if (state.badSince !== ev.badSince || !b.rollbackToLastGood(ev.at)) continue;
        colleagueRollbacks.push(ev.at);
      }
      const next = stateOf(b.world, state, ev.at, isDeploy);
      if (!sameState(next, state)) {
        regimes.push({ at: ev.at, blendMs, state: next, start: regimeValue(regimes, ev.at) });
        if (next.badSince !== null && next.badSince !== state.badSince) {
          const due = next.badSince + STORY.colleagueRollbackMs;
          if (due < end) queue.push({ at: due, order: 0, kind: 'colleague', badSince: next.badSince });
        }
        state = next;
      }
      snapshots.push({ at: ev.at, world: cloneWorld(b.world) });
    }

    const sampleStart = k < 0 ? this.firstDeployAt - CYCLE_MS : start;
    const n = Math.ceil((end - sampleStart) / SAMPLE_MS) + 1;
    const rec: CycleRecord = {
      k,
      start,
      end,
      snapshots,
      regimes,
      dips: b.dips,
      outages: b.outages,
      pods: b.pods,
      crashWindows: [],
      colleagueRollbacks,
      sampleStart,
      cum: { apiErr: new Float64Array(n), payErr: new Float64Array(n), lat: new Float64Array(n) },
      cumBefore: prev
        ? {
            apiErr: prev.cumBefore.apiErr + (prev.cum.apiErr[prev.cum.apiErr.length - 1] ?? 0),
            payErr: prev.cumBefore.payErr + (prev.cum.payErr[prev.cum.payErr.length - 1] ?? 0),
            lat: prev.cumBefore.lat + (prev.cum.lat[prev.cum.lat.length - 1] ?? 0),
          }
        : { apiErr: 0, payErr: 0, lat: 0 },
    };

    // Sample the cycle once: cumulative SLI integrals (per minute) and the windows where a pod crash-loops.
    let runStart: number | null = null;
    let prevSnap: SimSnapshot | null = null;
    const stepMin = SAMPLE_MS / MINUTE_MS;
    for (let i = 0; i < n; i++) {
      const t = sampleStart + i * SAMPLE_MS;
      const s = snapshotOf(rec, t);
      if (prevSnap) {
        const trap = (a: number, c: number): number => ((a + c) / 2) * stepMin;
        rec.cum.apiErr[i] = (rec.cum.apiErr[i - 1] ?? 0) + trap(prevSnap.errorRate - BASE_ERROR_PERCENT, s.errorRate - BASE_ERROR_PERCENT);
        rec.cum.payErr[i] = (rec.cum.payErr[i - 1] ?? 0) + trap(prevSnap.paymentsErrorRate - 0.02, s.paymentsErrorRate - 0.02);
        rec.cum.lat[i] = (rec.cum.lat[i - 1] ?? 0) + trap(prevSnap.lat, s.lat);
      }
      prevSnap = s;
      const high = s.err >= 0.5;
      if (high && runStart === null) runStart = t;
      if ((!high || i === n - 1) && runStart !== null) {
        const runEnd = high ? end : t;
        if (runEnd - runStart > STORY.crashAfterHighMs) rec.crashWindows.push({ start: runStart + STORY.crashAfterHighMs, end: runEnd });
        runStart = null;
      }
    }
    return rec;
  }
}

function kubectlMessage(req: ActionRequest): string {
  switch (req.kind) {
    case 'rolloutUndo':
      return `deployment.apps/${req.target} rolled back`;
    case 'rolloutRestart':
      return `deployment.apps/${req.target} restarted`;
    case 'scale':
      return `deployment.apps/${req.target} scaled`;
    case 'setEnv':
      return `deployment.apps/${req.target} env updated`;
    case 'deletePod':
      return `pod "${req.target}" deleted`;
  }
}
