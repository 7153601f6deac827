import type { TableOutput } from '../../../shared/diagnosis.js';
import { GuardiaError } from '../../../shared/result.js';
import { table } from '../playbooks/step-runner.js';
import type { BackendFilter, PostgresPort } from '../postgres/postgres-port.js';
import type { RedisPort } from '../redis/redis-port.js';
import type { CertificateExpiry } from '../tls/certificate-expiry.js';
import { MINUTE_MS, type SimSnapshot } from './simulation.js';

/** The part of the simulation the stand-ins read: production's state at a sim instant. */
export interface SimState {
  at(t: number): SimSnapshot;
}

const DAY_MS = 86_400_000;

/** A deterministic 0..1 from integers (the stand-ins must show the same rows for the same instant). */
function unit(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h ^= x | 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return ((h >>> 0) % 100_000) / 100_000;
}

const API_QUERIES = [
  'SELECT o.* FROM orders o WHERE o.user_id = $1 ORDER BY created_at DESC LIMIT 20',
  'SELECT p.id, p.name, p.price, i.stock FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.category_id = $1',
  'INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, $4)',
  'UPDATE carts SET updated_at = now() WHERE id = $1',
  'SELECT count(*) FROM orders WHERE seller_id = $1 AND created_at > now() - interval $2',
];
const REPORT_QUERY = 'SELECT seller_id, sum(total) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.created_at > now() - interval $1 GROUP BY seller_id';
const BLOCKER_QUERY = 'UPDATE inventory SET stock = stock - $1 WHERE product_id = $2';

interface Backend {
  pid: number;
  usename: string;
  application_name: string;
  client_addr: string;
  state: 'active' | 'idle' | 'idle in transaction';
  seconds: number;
  query: string;
}

/**
 * The demo's PostgreSQL: rows derived from the simulation's connection pool, so the same incident the
 * dashboards show is what the diagnosis reads (pool exhausted ⇒ ~100 connections, a blocker holding
 * inventory rows, slow statements). Actions are remembered: a terminated backend disappears, and
 * terminating idle connections frees them until the pool fills again (a few sim minutes). The
 * simulation's metrics offer no hook for the database, so they do not move.
 */
export class DemoDatabase implements PostgresPort {
  readonly name = 'tiendi-db';
  readonly where = 'tiendi-db.postgres.database.azure.com:5432/tiendi';
  private readonly ended = new Set<number>();
  private idleFreedAt: number | null = null;
  private vacuumedAt: number | null = null;

  constructor(
    private readonly sim: SimState,
    private readonly now: () => number,
    /** Real-time delay per call, so the demo's results arrive one by one as a real database's do (0 in tests). */
    private readonly latency: (operation: string) => number = () => 0,
  ) {}

  private wait(operation: string): Promise<void> {
    const ms = this.latency(operation);
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }

  private down(): void {
    if (this.sim.at(this.now()).dbDown) {
      throw new GuardiaError('postgres.ECONNREFUSED', `PostgreSQL ${this.name} (${this.where}): connect ECONNREFUSED (postgres-0 is restarting)`);
    }
  }

  /** The backends at the current sim instant (a new set every 30 s of sim time). */
  private backends(): Backend[] {
    this.down();
    const t = this.now();
    const s = this.sim.at(t);
    const bucket = Math.floor(t / 30_000);
    let total = Math.min(95, Math.round(s.connections));
    let freed = 0;
    if (this.idleFreedAt !== null && t - this.idleFreedAt < 6 * MINUTE_MS) {
      freed = Math.round(total * 0.55 * (1 - (t - this.idleFreedAt) / (6 * MINUTE_MS)));
      total -= freed;
    }
    const active = Math.max(2, Math.round(total * (0.12 + 0.35 * s.pool)));
    const stuck = s.pool > 0.5 ? 3 : 0;
    const out: Backend[] = [];
    for (let i = 0; i < total; i++) {
      const pid = 18_000 + Math.floor(unit(i, 7) * 9_000);
      const r = unit(bucket, i);
      let b: Backend;
      if (i < stuck) {
        b = { pid, usename: 'tiendi_api', application_name: 'tiendi-api', client_addr: `10.244.1.${20 + i}`, state: 'active', seconds: i === 0 ? 395 + (t / 1000) % 60 : 120 + 40 * i, query: i === 0 ? REPORT_QUERY : `SELECT * FROM inventory WHERE product_id = ${1000 + i} FOR UPDATE` };
      } else if (i === stuck && s.pool > 0.5) {
        b = { pid, usename: 'tiendi_api', application_name: 'tiendi-api', client_addr: '10.244.1.19', state: 'idle in transaction', seconds: 240 + (t / 1000) % 30, query: BLOCKER_QUERY };
      } else if (i < active) {
        b = { pid, usename: 'tiendi_api', application_name: 'tiendi-api', client_addr: `10.244.${1 + (i % 3)}.${30 + (i % 200)}`, state: 'active', seconds: Math.round(r * (0.2 + 4 * s.lat) * 100) / 100, query: API_QUERIES[i % API_QUERIES.length]! };
      } else {
        // Idle connections the deploy's leaked pool holds: old when the pool is saturated.
        const old = s.pool > 0.3 && unit(i, 3) < s.pool;
        b = { pid, usename: i % 9 === 0 ? 'tiendi_payment' : 'tiendi_api', application_name: i % 9 === 0 ? 'tiendi-payment' : 'tiendi-api', client_addr: `10.244.${1 + (i % 3)}.${30 + (i % 200)}`, state: 'idle', seconds: old ? 700 + Math.round(r * 900) : Math.round(r * 200), query: API_QUERIES[(i + 2) % API_QUERIES.length]! };
      }
      b.seconds = Math.round(b.seconds * 10) / 10;
      if (!this.ended.has(b.pid)) out.push(b);
    }
    return out;
  }

  private rows(list: Backend[]): TableOutput {
    return table(['pid', 'usename', 'application_name', 'state', 'seconds', 'query'], list.map((b) => ({ ...b })));
  }

  async activeQueries(): Promise<TableOutput> {
    await this.wait('activeQueries');
    const t = this.now();
    const list = this.backends().filter((b) => b.state !== 'idle').sort((a, b) => b.seconds - a.seconds);
    return table(
      ['pid', 'usename', 'application_name', 'client_addr', 'state', 'query_start', 'state_change', 'seconds', 'query'],
      list.map((b) => ({ ...b, query_start: new Date(t - b.seconds * 1000), state_change: new Date(t - b.seconds * 1000) })),
    );
  }

  async blockingQueries(): Promise<TableOutput> {
    await this.wait('blockingQueries');
    const list = this.backends();
    const blocker = list.find((b) => b.state === 'idle in transaction');
    const waiters = blocker ? list.filter((b) => b.query.includes('FOR UPDATE')) : [];
    return table(
      ['blocked_pid', 'blocked_user', 'blocking_pid', 'blocking_user', 'waiting_seconds', 'blocking_state', 'blocked_statement', 'current_statement_in_blocking_process'],
      waiters.map((w) => ({
        blocked_pid: w.pid,
        blocked_user: w.usename,
        blocking_pid: blocker!.pid,
        blocking_user: blocker!.usename,
        waiting_seconds: w.seconds,
        blocking_state: blocker!.state,
        blocked_statement: w.query,
        current_statement_in_blocking_process: blocker!.query,
      })),
    );
  }

  private deadRows(base: number): number {
    const t = this.now();
    const since = this.vacuumedAt ?? t - 3 * DAY_MS;
    return Math.round(base * Math.min(1, (t - since) / (3 * DAY_MS)));
  }

  async tableBloat(): Promise<TableOutput> {
    await this.wait('tableBloat');
    this.down();
    const tables = [
      ['orders', '18 GB', '6120 MB', 41_200_000, 3_900_000],
      ['order_items', '11 GB', '3480 MB', 96_000_000, 5_100_000],
      ['payments', '7420 MB', '2210 MB', 39_800_000, 1_200_000],
      ['products', '2380 MB', '910 MB', 1_850_000, 240_000],
      ['inventory', '1210 MB', '620 MB', 1_850_000, 690_000],
      ['users', '980 MB', '402 MB', 2_400_000, 61_000],
    ] as const;
    return table(
      ['schemaname', 'tablename', 'size', 'external_size', 'live_rows', 'dead_rows'],
      tables.map(([tablename, size, external_size, live_rows, dead]) => ({ schemaname: 'public', tablename, size, external_size, live_rows, dead_rows: this.deadRows(dead) })),
    );
  }

  async slowestStatements(limit: number): Promise<TableOutput> {
    await this.wait('slowestStatements');
    this.down();
    const s = this.sim.at(this.now());
    const rows = [
      { query: REPORT_QUERY, mean: 2_140 + 9_000 * s.lat, calls: 1_204 },
      { query: 'SELECT * FROM inventory WHERE product_id = $1 FOR UPDATE', mean: 12 + 4_800 * s.pool, calls: 88_412 },
      { query: API_QUERIES[1]!, mean: 48 + 900 * s.lat, calls: 1_902_331 },
      { query: API_QUERIES[0]!, mean: 21 + 600 * s.lat, calls: 4_118_050 },
      { query: API_QUERIES[4]!, mean: 17 + 120 * s.lat, calls: 310_775 },
      { query: API_QUERIES[2]!, mean: 3.1 + 40 * s.pool, calls: 6_020_117 },
    ]
      .sort((a, b) => b.mean - a.mean)
      .slice(0, limit);
    return table(['query', 'mean_exec_time', 'calls'], rows.map((r) => ({ query: r.query, mean_exec_time: Math.round(r.mean * 100) / 100, calls: r.calls })));
  }

  async connectionsByState(): Promise<TableOutput> {
    await this.wait('connectionsByState');
    const list = this.backends();
    const counts = new Map<string, number>();
    for (const b of list) counts.set(b.state, (counts.get(b.state) ?? 0) + 1);
    counts.set('(background)', 5);
    const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([state, connections]) => ({ connections, state }));
    return table(['connections', 'state'], rows, 'max_connections 100');
  }

  async connectionCount(): Promise<TableOutput> {
    await this.wait('connectionCount');
    return table(['count', 'max_connections'], [{ count: this.backends().length + 5, max_connections: 100 }]);
  }

  async replicationLag(): Promise<TableOutput> {
    await this.wait('replicationLag');
    this.down();
    const s = this.sim.at(this.now());
    return table(
      ['application_name', 'client_addr', 'state', 'sync_state', 'replay_lag_seconds', 'replay_lag_bytes'],
      [{ application_name: 'tiendi-db-replica-1', client_addr: '10.20.0.12', state: 'streaming', sync_state: 'async', replay_lag_seconds: Math.round((0.2 + 6 * s.pool) * 100) / 100, replay_lag_bytes: Math.round(40_000 + 9_000_000 * s.pool) }],
    );
  }

  async failedPayments(): Promise<TableOutput> {
    await this.wait('failedPayments');
    this.down();
    const t = this.now();
    const s = this.sim.at(t);
    const n = Math.min(20, Math.round(s.paymentsErrorRate * 2 + 1));
    const errors = ['Gateway timeout after 10000 ms (Niubiz)', 'connection pool exhausted: timeout acquiring a connection', 'Card declined: insufficient funds', 'Niubiz 503 Service Unavailable'];
    const rows = Array.from({ length: n }, (_, i) => {
      const r = unit(Math.floor(t / 60_000), i);
      const pool = s.pool > 0.4 && i % 3 !== 2;
      return {
        id: `pay_${(900_000 + Math.floor(r * 99_999)).toString(36)}`,
        order_id: `ord_${(500_000 + i * 7919 + Math.floor(t / 600_000)).toString(36)}`,
        gateway: i % 4 === 3 ? 'culqi' : 'niubiz',
        status: 'failed',
        error_message: pool ? errors[1]! : errors[Math.floor(r * 4) % 4 === 1 ? 0 : Math.floor(r * 4) % 4]!,
        created_at: new Date(t - Math.floor((i + r) * (3_600_000 / (n + 1)))),
      };
    });
    return table(['id', 'order_id', 'gateway', 'status', 'error_message', 'created_at'], rows);
  }

  private matching(filter: BackendFilter): Backend[] {
    const state = filter.kind === 'long-running' ? 'active' : 'idle';
    return this.backends().filter((b) => b.state === state && b.seconds > filter.minutes * 60);
  }

  async matchingBackends(filter: BackendFilter): Promise<TableOutput> {
    return this.rows(this.matching(filter));
  }

  async terminateMatching(filter: BackendFilter): Promise<number[]> {
    const pids = this.matching(filter).map((b) => b.pid);
    for (const pid of pids) this.ended.add(pid);
    if (filter.kind === 'idle' && pids.length > 0) this.idleFreedAt = this.now();
    return pids;
  }

  async backend(pid: number): Promise<TableOutput> {
    return this.rows(this.backends().filter((b) => b.pid === pid));
  }

  async terminateBackend(pid: number): Promise<boolean> {
    const found = this.backends().some((b) => b.pid === pid);
    if (found) this.ended.add(pid);
    return found;
  }

  async cancelBackend(pid: number): Promise<boolean> {
    return this.backends().some((b) => b.pid === pid && b.state === 'active');
  }

  async vacuumTargets(): Promise<TableOutput> {
    const bloat = await this.tableBloat();
    return table(
      ['schemaname', 'table', 'live_rows', 'dead_rows'],
      bloat.rows.map((r) => ({ schemaname: r[0], table: r[1], live_rows: r[4], dead_rows: r[5] })),
    );
  }

  async vacuumAnalyze(): Promise<void> {
    this.down();
    this.vacuumedAt = this.now();
  }

  async reindexTargets(name: string): Promise<TableOutput> {
    this.down();
    const indexes: Record<string, Array<[string, string, boolean]>> = {
      orders: [['orders_pkey', '880 MB', true], ['orders_user_id_created_at_idx', '1240 MB', false], ['orders_seller_id_idx', '910 MB', false]],
      products: [['products_pkey', '40 MB', true], ['products_category_id_idx', '61 MB', false]],
      users: [['users_pkey', '52 MB', true], ['users_email_key', '118 MB', true]],
    };
    const list = indexes[name];
    if (!list) throw new GuardiaError('postgres.no-table', `PostgreSQL ${this.name} (${this.where}): there is no table "${name}"`);
    return table(['index', 'size', 'unique'], list.map(([index, size, unique]) => ({ index, size, unique })));
  }

  async reindexConcurrently(name: string): Promise<void> {
    await this.reindexTargets(name);
  }

  async close(): Promise<void> {}
}

/** The demo's Redis (redis-0): down while the simulation restarts it, cold (empty, missing) afterwards. */
export class DemoRedis implements RedisPort {
  readonly name = 'tiendi-cache';
  readonly where = 'redis-0.redis.production.svc:6379';

  constructor(
    private readonly sim: SimState,
    private readonly now: () => number,
    private readonly latency: (operation: string) => number = () => 0,
  ) {}

  private async state(operation: string): Promise<SimSnapshot> {
    const ms = this.latency(operation);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    const s = this.sim.at(this.now());
    if (s.cacheDown) throw new GuardiaError('redis.error', `Redis ${this.name} (${this.where}): connect ECONNREFUSED (redis-0 is restarting)`);
    return s;
  }

  async ping(): Promise<string> {
    await this.state('ping');
    return 'PONG';
  }

  async dbsize(): Promise<number> {
    const s = await this.state('dbsize');
    return Math.round(48_213 * (1 - 0.97 * s.cacheCold) + 211 * s.traffic);
  }

  async info(): Promise<Record<string, Record<string, string>>> {
    const s = await this.state('info');
    const uptime = Math.floor((this.now() % (30 * DAY_MS)) / 1000);
    const hitRatio = s.cacheOff ? 0 : 0.94 - 0.6 * s.cacheCold;
    const lookups = Math.round(2_400_000_000 + uptime * 8_000);
    const usedMb = 1_900 * (1 - 0.9 * s.cacheCold) + 40;
    return {
      server: { redis_version: '7.0.15', uptime_in_seconds: String(uptime) },
      clients: { connected_clients: String(Math.round(40 + s.apiReplicas * 6 + 20 * s.pool)) },
      memory: { used_memory_human: `${(usedMb / 1024).toFixed(2)}G`, maxmemory: String(4 * 1024 ** 3), maxmemory_human: '4.00G' },
      stats: {
        keyspace_hits: String(Math.round(lookups * hitRatio)),
        keyspace_misses: String(Math.round(lookups * (1 - hitRatio))),
        instantaneous_ops_per_sec: String(Math.round(s.cacheOff ? 0 : s.rps * 3.1)),
        evicted_keys: '0',
      },
    };
  }

  async close(): Promise<void> {}
}

/** A plausible per-call latency for the demo's stand-ins (150–1200 ms), fixed per operation. */
export function demoLatency(operation: string): number {
  let h = 7;
  for (const ch of operation) h = (h * 31 + ch.charCodeAt(0)) % 100_000;
  return 150 + (h % 1050);
}

/** The demo's tiendi.pe certificate: issued by Let's Encrypt, renewed 49 days before the demo started. */
export function demoCertificate(startAt: number, now: () => number) {
  return async (host: string, port: number): Promise<CertificateExpiry> => {
    const notBefore = startAt - 49 * DAY_MS;
    const notAfter = notBefore + 90 * DAY_MS;
    return { host, port, subject: `CN=${host}`, issuer: "C=US, O=Let's Encrypt, CN=R11", notBefore, notAfter, daysLeft: Math.floor((notAfter - now()) / DAY_MS), verifyError: '' };
  };
}

/** The demo's view of the payment provider's status page (it is Tiendi's side that fails in the story). */
export async function demoStatusPage(): Promise<{ status: number; ms: number; title: string }> {
  return { status: 200, ms: 182, title: 'Niubiz Status — All Systems Operational' };
}
