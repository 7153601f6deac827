/**
 * Fault injection (issue 8): real PostgreSQL and Redis killed mid-session and replaced by new servers
 * behind a TCP proxy on a fixed port (as alerts-resilience.test.ts does for Alertmanager over HTTP).
 * What a user notices: Guardia stays up, the diagnosis says which database is down in its steps,
 * and the next diagnosis after the restart works with no help (pools reconnect).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisRun } from '../../shared/diagnosis.js';
import { PgDatabase } from '../../electron/core/postgres/pg-database.js';
import { PostgresRunner } from '../../electron/core/postgres/postgres-runner.js';
import { RedisConnection } from '../../electron/core/redis/redis-connection.js';
import { RedisRunner } from '../../electron/core/redis/redis-runner.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';
import { startPostgres, startRedis, type PostgresHandle, type RedisHandle } from '../helpers/services.js';

type Proxy = { server: Server; port: number; target: { port: number | null }; sockets: Set<Socket> };
function startTcpProxy(): Promise<Proxy> {
  const target = { port: null as number | null };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (target.port === null) return void client.destroy();
    const upstream = connect(target.port, '127.0.0.1');
    // A killed server drops its side: the client sees the connection close, as without the proxy.
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, target, sockets, port: (server.address() as { port: number }).port })));
}

let pgFirst: PostgresHandle;
let pgSecond: PostgresHandle;
let redisFirst: RedisHandle;
let redisSecond: RedisHandle;
let pgProxy: Proxy;
let redisProxy: Proxy;
let pgNow: PostgresHandle;
let redisNow: RedisHandle;
let harness: Awaited<ReturnType<typeof playbooksHarness>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const diagnose = (playbookId: string) => harness.invoke<DiagnosisRun>('playbooks.diagnose', { playbookId });
const statuses = (run: DiagnosisRun) => Object.fromEntries(run.steps.map((s) => [s.stepId, s.status]));

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  // The replacements start alongside: "restarted" is a new server on the same address.
  [pgFirst, pgSecond, redisFirst, redisSecond, pgProxy, redisProxy] = await Promise.all([
    startPostgres(),
    startPostgres(),
    startRedis({ password: 'cache-secret-1' }),
    startRedis({ password: 'cache-secret-1' }),
    startTcpProxy(),
    startTcpProxy(),
  ]);
  pgNow = pgFirst;
  redisNow = redisFirst;
  pgProxy.target.port = pgFirst.port;
  redisProxy.target.port = redisFirst.port;
  const u = pgFirst.user;
  // Passwords come through the keychain callback at connect time; each server has its own.
  const db = new PgDatabase({ name: 'tiendi-db', host: '127.0.0.1', port: pgProxy.port, database: u.database, user: u.user, password: async () => pgNow.user.password, timeoutMs: 2_000 });
  const cache = new RedisConnection({ name: 'tiendi-cache', url: `redis://127.0.0.1:${redisProxy.port}`, password: async () => 'cache-secret-1', timeoutMs: 2_000 });
  harness = await playbooksHarness({ runners: [new PostgresRunner([db]), new RedisRunner([cache])] });
}, 40_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  await harness?.stop();
  for (const p of [pgProxy, redisProxy]) {
    for (const s of p?.sockets ?? []) s.destroy();
  }
  await Promise.allSettled([pgFirst?.stop(), pgSecond?.stop(), redisFirst?.stop(), redisSecond?.stop(), ...[pgProxy, redisProxy].map((p) => new Promise((r) => p?.server.close(r)))]);
});

describe('Redis killed and restarted mid-session', () => {
  it('the diagnosis says Redis tiendi-cache is down, Guardia stays up, and the next one after the restart works', async () => {
    const before = await diagnose('redis-down');
    expect(Object.values(statuses(before))).not.toContain('error');

    await redisFirst.stop();
    const down = await diagnose('redis-down');
    expect(down.steps[0]!.status).toBe('error');
    expect(down.steps[0]!.summary).toContain('Redis tiendi-cache');

    redisNow = redisSecond;
    redisProxy.target.port = redisSecond.port;
    const after = await diagnose('redis-down');
    expect(Object.values(statuses(after))).not.toContain('error');
    expect(after.steps[0]!.summary).toBe(`PONG from 127.0.0.1:${redisProxy.port}`);
    expect(redisNow).toBe(redisSecond);
    expect(unhandled).toEqual([]);
  });
});

describe('PostgreSQL killed and restarted mid-session', () => {
  it('the diagnosis says tiendi-db is down, Guardia stays up, and the next one after the restart works', async () => {
    const before = await diagnose('database-slow');
    expect(Object.values(statuses(before))).not.toContain('error');

    await pgFirst.stop();
    const down = await diagnose('database-slow');
    const failed = down.steps.filter((s) => s.status === 'error');
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) expect(s.summary).toContain(`PostgreSQL tiendi-db (127.0.0.1:${pgProxy.port}/`);

    pgNow = pgSecond;
    pgProxy.target.port = pgSecond.port;
    const after = await diagnose('database-slow');
    expect(Object.values(statuses(after))).not.toContain('error');
    // An idle pooled connection to the killed server must not have crashed anything.
    expect(unhandled).toEqual([]);
  });
});

describe('a PostgreSQL action while the server is down', () => {
  it('fails saying which database, is journaled before and after, and after the restart runs once', async () => {
    const action = { playbookId: 'database-slow', actionId: 'kill-long-running', confirm: 'postgres' };
    await pgNow.stop();
    const journalBefore = (await harness.journal.readAll()).entries.length;
    const failed = await harness.result('playbooks.act', action);
    expect(failed).toMatchObject({ ok: false });
    if (!failed.ok) expect(failed.message).toContain('tiendi-db');
    const whileDown = (await harness.journal.readAll()).entries.slice(journalBefore);
    expect(whileDown.map((e) => [e.kind, e.data.outcome ?? null])).toEqual([
      ['action.started', null],
      ['action.finished', 'error'],
    ]);

    // A new server on the same address: the next action goes through with no help, once.
    const third = await startPostgres();
    try {
      pgNow = third;
      pgProxy.target.port = third.port;
      const done = await harness.result('playbooks.act', action);
      expect(done).toMatchObject({ ok: true, value: { outcome: 'done' } });
      const afterRestart = (await harness.journal.readAll()).entries.slice(journalBefore + 2);
      expect(afterRestart.map((e) => [e.kind, e.data.outcome ?? null])).toEqual([
        ['action.started', null],
        ['action.finished', 'ok'],
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      await third.stop();
    }
  }, 60_000);
});
