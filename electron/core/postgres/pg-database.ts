import pg from 'pg';
import type { TableOutput } from '../../../shared/diagnosis.js';
import { GuardiaError } from '../../../shared/result.js';
import { table } from '../playbooks/step-runner.js';
import type { BackendFilter, PostgresPort } from './postgres-port.js';

/** How to reach one configured PostgreSQL; the password comes from the keychain at connect time. */
export interface PgDatabaseOptions {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Resolves the password (from the keychain); omitted when the server needs none. */
  password?: () => Promise<string>;
  sslmode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  /** Connect and per-statement timeout (default 10 s). */
  timeoutMs?: number;
  /** Pool size (default 4: diagnosis runs a handful of queries at once). */
  max?: number;
}

const secondsSince = (col: string) => `round(extract(epoch from now() - ${col})::numeric, 1)::float8`;

/**
 * PostgresPort over node-postgres: one small pool per connection, every query with a timeout, the pool
 * closed when Guardia quits. SQL is the runbook's, made safe to run from a tool: Guardia's own
 * backend is left out of every list and every terminate, and durations come back in seconds.
 */
export class PgDatabase implements PostgresPort {
  readonly name: string;
  readonly where: string;
  private readonly pool: pg.Pool;

  constructor(private readonly opts: PgDatabaseOptions) {
    this.name = opts.name;
    this.where = `${opts.host}:${opts.port}/${opts.database}`;
    const timeout = opts.timeoutMs ?? 10_000;
    const ssl =
      !opts.sslmode || opts.sslmode === 'disable'
        ? undefined
        : { rejectUnauthorized: opts.sslmode === 'verify-ca' || opts.sslmode === 'verify-full' };
    this.pool = new pg.Pool({
      host: opts.host,
      port: opts.port,
      database: opts.database,
      user: opts.user,
      password: opts.password,
      ssl,
      max: opts.max ?? 4,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      statement_timeout: timeout,
      idleTimeoutMillis: 30_000,
      application_name: 'guardia',
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
  }

  private async rows(sql: string, values: unknown[] = [], signal?: AbortSignal): Promise<Array<Record<string, unknown>>> {
    signal?.throwIfAborted();
    try {
      const result = await this.pool.query(sql, values);
      return result.rows as Array<Record<string, unknown>>;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** A driver error as a message that says where, without the password. */
  private explain(error: unknown): GuardiaError {
    const e = error as { code?: string; message?: string };
    const message = e.message ?? String(error);
    return new GuardiaError(`postgres.${e.code ?? 'error'}`, `PostgreSQL ${this.name} (${this.where}): ${message}`);
  }

  async activeQueries(signal?: AbortSignal): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT pid, usename, application_name, client_addr::text AS client_addr, state,
              query_start, state_change, ${secondsSince('query_start')} AS seconds, query
         FROM pg_stat_activity
        WHERE state != 'idle' AND pid <> pg_backend_pid()
        ORDER BY query_start`,
      [],
      signal,
    );
    return table(['pid', 'usename', 'application_name', 'client_addr', 'state', 'query_start', 'state_change', 'seconds', 'query'], rows);
  }

  async blockingQueries(signal?: AbortSignal): Promise<TableOutput> {
    // pg_blocking_pids is exact where the runbook's self-join of pg_locks over-reports (any lock of the same type).
    const rows = await this.rows(
      `SELECT waiting.pid AS blocked_pid, waiting.usename AS blocked_user,
              blocker.pid AS blocking_pid, blocker.usename AS blocking_user,
              ${secondsSince('waiting.query_start')} AS waiting_seconds,
              blocker.state AS blocking_state,
              waiting.query AS blocked_statement,
              blocker.query AS current_statement_in_blocking_process
         FROM pg_stat_activity waiting
         CROSS JOIN LATERAL unnest(pg_blocking_pids(waiting.pid)) AS b(pid)
         JOIN pg_stat_activity blocker ON blocker.pid = b.pid
        ORDER BY waiting.query_start`,
      [],
      signal,
    );
    return table(
      ['blocked_pid', 'blocked_user', 'blocking_pid', 'blocking_user', 'waiting_seconds', 'blocking_state', 'blocked_statement', 'current_statement_in_blocking_process'],
      rows,
    );
  }

  async tableBloat(signal?: AbortSignal): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT t.schemaname, t.tablename,
              pg_size_pretty(pg_total_relation_size(format('%I.%I', t.schemaname, t.tablename))) AS size,
              pg_size_pretty(pg_total_relation_size(format('%I.%I', t.schemaname, t.tablename)) -
                             pg_relation_size(format('%I.%I', t.schemaname, t.tablename))) AS external_size,
              s.n_live_tup::int8::float8 AS live_rows, s.n_dead_tup::int8::float8 AS dead_rows
         FROM pg_tables t
         LEFT JOIN pg_stat_user_tables s ON s.schemaname = t.schemaname AND s.relname = t.tablename
        WHERE t.schemaname = 'public'
        ORDER BY pg_total_relation_size(format('%I.%I', t.schemaname, t.tablename)) DESC`,
      [],
      signal,
    );
    return table(['schemaname', 'tablename', 'size', 'external_size', 'live_rows', 'dead_rows'], rows, rows.length ? null : 'no tables in schema public');
  }

  async slowestStatements(limit: number, signal?: AbortSignal): Promise<TableOutput> {
    try {
      const rows = await this.rows(
        `SELECT query, round(mean_exec_time::numeric, 2)::float8 AS mean_exec_time, calls::float8 AS calls
           FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT $1`,
        [limit],
        signal,
      );
      return table(['query', 'mean_exec_time', 'calls'], rows);
    } catch (error) {
      if (error instanceof GuardiaError && error.code === 'postgres.42P01') {
        throw new GuardiaError(
          'postgres.no-pg-stat-statements',
          `PostgreSQL ${this.name} (${this.where}): pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements; it also needs shared_preload_libraries)`,
        );
      }
      throw error;
    }
  }

  async connectionsByState(signal?: AbortSignal): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT count(*)::int AS connections, coalesce(state, '(background)') AS state
         FROM pg_stat_activity GROUP BY state ORDER BY 1 DESC`,
      [],
      signal,
    );
    const max = await this.rows(`SELECT current_setting('max_connections') AS max`, [], signal);
    return table(['connections', 'state'], rows, `max_connections ${String(max[0]?.max ?? '?')}`);
  }

  async connectionCount(signal?: AbortSignal): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT count(*)::int AS count, current_setting('max_connections')::int AS max_connections FROM pg_stat_activity`,
      [],
      signal,
    );
    return table(['count', 'max_connections'], rows);
  }

  async replicationLag(signal?: AbortSignal): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT application_name, client_addr::text AS client_addr, state, sync_state,
              extract(epoch from replay_lag)::float8 AS replay_lag_seconds,
              pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS replay_lag_bytes
         FROM pg_stat_replication ORDER BY application_name`,
      [],
      signal,
    );
    let note: string | null = null;
    if (rows.length === 0) {
      const standby = await this.rows(
        `SELECT pg_is_in_recovery() AS standby, extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 AS lag`,
        [],
        signal,
      );
      note = standby[0]?.standby
        ? `this server is a standby; last replayed transaction ${String(standby[0]?.lag ?? '?')} s ago`
        : 'no replicas are connected to this server';
    }
    return table(['application_name', 'client_addr', 'state', 'sync_state', 'replay_lag_seconds', 'replay_lag_bytes'], rows, note);
  }

  async failedPayments(signal?: AbortSignal): Promise<TableOutput> {
    try {
      const rows = await this.rows(
        `SELECT id, order_id, gateway, status, error_message, created_at
           FROM payments
          WHERE created_at > NOW() - INTERVAL '1 hour' AND status = 'failed'
          ORDER BY created_at DESC LIMIT 20`,
        [],
        signal,
      );
      return table(['id', 'order_id', 'gateway', 'status', 'error_message', 'created_at'], rows, rows.length ? null : 'no failed payments in the last hour');
    } catch (error) {
      if (error instanceof GuardiaError && error.code === 'postgres.42P01') {
        throw new GuardiaError(
          'postgres.no-payments-table',
          `PostgreSQL ${this.name} (${this.where}): there is no table "payments" in database ${this.opts.database}; this step needs Tiendi's payments schema`,
        );
      }
      throw error;
    }
  }

  private filterSql(filter: BackendFilter): string {
    return filter.kind === 'long-running'
      ? `state = 'active' AND query_start < now() - make_interval(mins => $1)`
      : `state = 'idle' AND state_change < now() - make_interval(mins => $1)`;
  }

  async matchingBackends(filter: BackendFilter): Promise<TableOutput> {
    const since = filter.kind === 'long-running' ? 'query_start' : 'state_change';
    const rows = await this.rows(
      `SELECT pid, usename, application_name, state, ${secondsSince(since)} AS seconds, query
         FROM pg_stat_activity
        WHERE ${this.filterSql(filter)} AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          AND application_name IS DISTINCT FROM 'guardia'
        ORDER BY ${since}`,
      [filter.minutes],
    );
    return table(['pid', 'usename', 'application_name', 'state', 'seconds', 'query'], rows);
  }

  async terminateMatching(filter: BackendFilter): Promise<number[]> {
    const rows = await this.rows(
      `SELECT pid, pg_terminate_backend(pid) AS terminated
         FROM pg_stat_activity
        WHERE ${this.filterSql(filter)} AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          AND application_name IS DISTINCT FROM 'guardia'`,
      [filter.minutes],
    );
    return rows.filter((r) => r.terminated === true).map((r) => Number(r.pid));
  }

  async backend(pid: number): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT pid, usename, application_name, state, ${secondsSince('query_start')} AS seconds, query
         FROM pg_stat_activity WHERE pid = $1`,
      [pid],
    );
    return table(['pid', 'usename', 'application_name', 'state', 'seconds', 'query'], rows);
  }

  async terminateBackend(pid: number): Promise<boolean> {
    const rows = await this.rows('SELECT pg_terminate_backend($1) AS ok', [pid]);
    return rows[0]?.ok === true;
  }

  async cancelBackend(pid: number): Promise<boolean> {
    const rows = await this.rows('SELECT pg_cancel_backend($1) AS ok', [pid]);
    return rows[0]?.ok === true;
  }

  async vacuumTargets(): Promise<TableOutput> {
    const rows = await this.rows(
      `SELECT schemaname, relname AS table, n_live_tup::float8 AS live_rows, n_dead_tup::float8 AS dead_rows,
              greatest(last_vacuum, last_autovacuum) AS last_vacuum,
              greatest(last_analyze, last_autoanalyze) AS last_analyze
         FROM pg_stat_user_tables ORDER BY n_dead_tup DESC`,
    );
    return table(['schemaname', 'table', 'live_rows', 'dead_rows', 'last_vacuum', 'last_analyze'], rows);
  }

  async vacuumAnalyze(): Promise<void> {
    // VACUUM cannot run inside a transaction block; a plain pooled query is its own statement.
    await this.rows('VACUUM ANALYZE');
  }

  async reindexTargets(tableName: string): Promise<TableOutput> {
    const found = await this.rows('SELECT to_regclass($1)::text AS t', [tableName]);
    if (!found[0]?.t) {
      throw new GuardiaError('postgres.no-table', `PostgreSQL ${this.name} (${this.where}): there is no table "${tableName}"`);
    }
    const rows = await this.rows(
      `SELECT i.indexrelid::regclass::text AS index, pg_size_pretty(pg_relation_size(i.indexrelid)) AS size, i.indisunique AS unique
         FROM pg_index i WHERE i.indrelid = to_regclass($1) ORDER BY 1`,
      [tableName],
    );
    return table(['index', 'size', 'unique'], rows, rows.length ? null : `table ${tableName} has no indexes`);
  }

  async reindexConcurrently(tableName: string): Promise<void> {
    const found = await this.rows('SELECT to_regclass($1)::text AS t', [tableName]);
    const name = found[0]?.t;
    if (typeof name !== 'string') {
      throw new GuardiaError('postgres.no-table', `PostgreSQL ${this.name} (${this.where}): there is no table "${tableName}"`);
    }
    // The name comes from to_regclass (already quoted as needed), never from user text.
    await this.rows(`REINDEX TABLE CONCURRENTLY ${name}`);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
