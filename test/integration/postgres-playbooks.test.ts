/**
 * The PostgreSQL playbooks against a real PostgreSQL 15 with pg_stat_statements, as the NORMAL role
 * (a pg_signal_backend member cannot terminate superuser sessions): a real lock, a waiter behind it,
 * diagnosis naming blocker and waiter, the blocker terminated through the action, the waiter done.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionPreview, DiagnosisRun } from '../../shared/diagnosis.js';
import type { Journal } from '../../electron/core/journal/journal.js';
import { PgDatabase } from '../../electron/core/postgres/pg-database.js';
import { PostgresRunner } from '../../electron/core/postgres/postgres-runner.js';
import { playbooksHarness } from '../unit/core/playbooks/playbooks-harness.js';
import { psql, startPostgres, type PostgresHandle } from '../helpers/services.js';

let server: PostgresHandle;
let db: PgDatabase;
let harness: Awaited<ReturnType<typeof playbooksHarness>>;
let journal: Journal;
const clients: pg.Client[] = [];

async function session(appName: string): Promise<pg.Client> {
  const u = server.user;
  const c = new pg.Client({ host: u.host, port: u.port, user: u.user, password: u.password, database: u.database, application_name: appName });
  await c.connect();
  c.on('error', () => {});
  clients.push(c);
  return c;
}

async function pidOf(c: pg.Client): Promise<number> {
  return Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
}

function invoke<T>(channel: 'playbooks.diagnose' | 'playbooks.preview' | 'playbooks.act', req: unknown): Promise<T> {
  return harness.invoke<T>(channel, req);
}

beforeAll(async () => {
  server = await startPostgres();
  await psql(server.user, 'CREATE TABLE inventory (product_id int PRIMARY KEY, stock int NOT NULL); INSERT INTO inventory SELECT g, 100 FROM generate_series(1, 500) g; CREATE INDEX inventory_stock_idx ON inventory (stock);');
  // Give pg_stat_statements something slow to rank first.
  await psql(server.user, 'SELECT pg_sleep(0.3)');
  const u = server.user;
  // The password reaches the pool through the same callback the keychain uses in production.
  db = new PgDatabase({ name: 'tiendi-db', host: u.host, port: u.port, database: u.database, user: u.user, password: async () => u.password, timeoutMs: 5_000 });
  harness = await playbooksHarness({ runners: [new PostgresRunner([db])] });
  journal = harness.journal;
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.end()));
  await harness?.stop();
  await server?.stop();
});

describe('PostgreSQL playbooks on a real server', () => {
  it('diagnosis names blocker and waiter; terminating the blocker lets the waiter finish', async () => {
    const blocker = await session('tiendi-api-blocker');
    const waiter = await session('tiendi-api-waiter');
    const blockerPid = await pidOf(blocker);
    const waiterPid = await pidOf(waiter);
    await blocker.query('BEGIN');
    await blocker.query('UPDATE inventory SET stock = stock - 1 WHERE product_id = 7');
    // The long-running query: it waits on the blocker's row lock until the blocker goes away.
    const waiting = waiter.query('UPDATE inventory SET stock = stock - 2 WHERE product_id = 7 RETURNING stock');
    let waiterDone = false;
    void waiting.then(() => (waiterDone = true), () => (waiterDone = true));
    // Wait until PostgreSQL itself reports the wait.
    for (let i = 0; i < 100; i++) {
      const r = await psql(server.superuser, `SELECT cardinality(pg_blocking_pids(${waiterPid}))`, { database: 'guardia' });
      if (r.trim() === '1') break;
      await new Promise((res) => setTimeout(res, 50));
    }

    const run = await invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'database-slow' });
    const blocking = run.steps.find((s) => s.stepId === 'blocking-queries')!;
    expect(blocking.status).toBe('ok');
    if (blocking.output.kind !== 'table') throw new Error('expected rows');
    const cols = blocking.output.columns;
    const row = blocking.output.rows.find((r) => r[cols.indexOf('blocked_pid')] === waiterPid);
    expect(row?.[cols.indexOf('blocking_pid')]).toBe(blockerPid);
    expect(String(row?.[cols.indexOf('blocked_statement')])).toContain('stock - 2');
    expect(blocking.summary).toContain(`blocked by pid ${blockerPid}`);
    const active = run.steps.find((s) => s.stepId === 'active-queries')!;
    expect(active.status).toBe('ok');
    expect(JSON.stringify(active.output)).toContain('stock - 2');
    expect(run.steps.find((s) => s.stepId === 'table-bloat')!.summary).toMatch(/row/);
    // The step's result carries the runbook command it stands for.
    expect(blocking.command).toContain('pg_catalog.pg_locks');
    expect(waiterDone).toBe(false);

    // The preview lists exactly the backend the action will touch.
    const preview = await invoke<ActionPreview>('playbooks.preview', { playbookId: 'database-slow', actionId: 'terminate-backend', params: { pid: String(blockerPid) } });
    expect(preview.blocked).toBeNull();
    expect(preview.affected?.rows.map((r) => r[0])).toEqual([blockerPid]);

    const acted = await invoke<{ outcome: string; message: string }>('playbooks.act', {
      playbookId: 'database-slow', actionId: 'terminate-backend', confirm: String(blockerPid), params: { pid: String(blockerPid) },
    });
    expect(acted.message).toBe(`terminated backend ${blockerPid} on tiendi-db`);
    const finished = await waiting;
    expect(finished.rows[0].stock).toBe(98);

    const after = await invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'database-slow' });
    expect(after.steps.find((s) => s.stepId === 'blocking-queries')!.summary).toBe('no query is waiting on a lock');
    const kinds = (await journal.readAll()).entries.filter((e) => e.source === 'playbook:database-slow').map((e) => e.kind);
    expect(kinds).toEqual(['note', 'action.started', 'action.finished', 'note']);
  });

  it('reads connections by state, slowest statements and replication, and says clearly when payments is missing', async () => {
    const apiSlow = await invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'api-slow' });
    const byState = apiSlow.steps.find((s) => s.stepId === 'db-connections')!;
    expect(byState.status).toBe('ok');
    expect(byState.summary).toMatch(/max_connections 100/);
    const slow = apiSlow.steps.find((s) => s.stepId === 'slow-queries')!;
    expect(slow.status).toBe('ok');
    expect(JSON.stringify(slow.output)).toContain('pg_sleep');
    // Kubernetes steps without a cluster say so instead of disappearing.
    expect(apiSlow.steps.find((s) => s.stepId === 'pod-status')!.status).toBe('unsupported');

    const lag = (await invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'database-slow' })).steps.find((s) => s.stepId === 'replication-lag')!;
    expect(lag.summary).toBe('no replicas are connected to this server');

    const payments = (await invoke<DiagnosisRun>('playbooks.diagnose', { playbookId: 'payments-failing' })).steps.find((s) => s.stepId === 'failed-transactions')!;
    expect(payments.status).toBe('error');
    expect(payments.summary).toContain('there is no table "payments" in database guardia');
  });

  it('lists and terminates idle connections older than N minutes, and only those', async () => {
    const idle = await session('tiendi-api-idle');
    const idlePid = await pidOf(idle);
    const runner = new PostgresRunner([db]);
    const preview = await runner.preview('terminate.idle', { minutes: 0 });
    expect(preview.affected?.rows.map((r) => r[0])).toContain(idlePid);
    const message = await runner.write('terminate.idle', { minutes: 0 }, { dryRun: false });
    expect(message).toContain(String(idlePid));
    // PostgreSQL itself no longer lists the backend.
    for (let i = 0; i < 50 && (await psql(server.superuser, `SELECT count(*) FROM pg_stat_activity WHERE pid = ${idlePid}`)).trim() !== '0'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await psql(server.superuser, `SELECT count(*) FROM pg_stat_activity WHERE pid = ${idlePid}`)).trim()).toBe('0');
    await expect(idle.query('SELECT 1')).rejects.toThrow();
    // Guardia's own pool is never in the list, so it keeps working.
    expect((await runner.read('connections.count', {}, AbortSignal.timeout(5000))).summary).toMatch(/of 100 connections/);
  });

  it('cancels one backend\'s running query and keeps its connection', async () => {
    const busy = await session('tiendi-report');
    const pid = await pidOf(busy);
    const sleeping = busy.query('SELECT pg_sleep(30)');
    const outcome = sleeping.then(() => 'finished', (e: Error) => e.message);
    for (let i = 0; i < 50 && (await psql(server.superuser, `SELECT state FROM pg_stat_activity WHERE pid = ${pid}`, { database: 'guardia' })).trim() !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
    const acted = await invoke<{ message: string }>('playbooks.act', { playbookId: 'database-slow', actionId: 'cancel-backend', confirm: String(pid), params: { pid: String(pid) } });
    expect(acted.message).toBe(`cancelled the query of backend ${pid} on tiendi-db`);
    expect(await outcome).toBe('canceling statement due to user request');
    expect((await busy.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('previews and runs VACUUM ANALYZE and REINDEX CONCURRENTLY, refusing a table that does not exist', async () => {
    const vacuum = await invoke<ActionPreview>('playbooks.preview', { playbookId: 'database-slow', actionId: 'vacuum-analyze' });
    expect(vacuum.affected?.rows.map((r) => r[1])).toContain('inventory');
    const missing = await invoke<ActionPreview>('playbooks.preview', { playbookId: 'database-slow', actionId: 'reindex-orders' });
    expect(missing.blocked).toContain('there is no table "orders"');
    const runner = new PostgresRunner([db]);
    const reindex = await runner.preview('reindex.table', { table: 'inventory' });
    expect(reindex.affected?.rows.map((r) => r[0]).sort()).toEqual(['inventory_pkey', 'inventory_stock_idx']);
    expect(await runner.write('reindex.table', { table: 'inventory' }, { dryRun: false })).toContain('REINDEX TABLE CONCURRENTLY inventory');
    const done = await invoke<{ message: string }>('playbooks.act', { playbookId: 'database-slow', actionId: 'vacuum-analyze', confirm: 'postgres' });
    expect(done.message).toContain('VACUUM ANALYZE finished');
  });
});
