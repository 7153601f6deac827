import type { TableOutput } from '../../../shared/diagnosis.js';
import { GuardiaError } from '../../../shared/result.js';
import { param, plural, reading, UnsupportedStepError, type PreviewParts, type StepParams, type StepReading, type StepRunner } from '../playbooks/step-runner.js';
import { say, type Said } from '../../../shared/said.js';
import type { BackendFilter, PostgresPort } from './postgres-port.js';

const reads: Record<string, (db: PostgresPort, p: StepParams, signal: AbortSignal) => Promise<TableOutput>> = {
  'activity.active': (db, _p, s) => db.activeQueries(s),
  'locks.blocking': (db, _p, s) => db.blockingQueries(s),
  'tables.bloat': (db, _p, s) => db.tableBloat(s),
  'statements.slowest': (db, p, s) => db.slowestStatements(Number(p.limit ?? 10), s),
  'connections.byState': (db, _p, s) => db.connectionsByState(s),
  'connections.count': (db, _p, s) => db.connectionCount(s),
  'replication.lag': (db, _p, s) => db.replicationLag(s),
  'payments.failedRecent': (db, _p, s) => db.failedPayments(s),
};

const writes = new Set(['terminate.longRunning', 'terminate.idle', 'terminate.backend', 'cancel.backend', 'vacuum.analyze', 'reindex.table']);

/** The step's one-line summary: a sentence Guardia writes (translatable), or the server's own note. */
function summarize(operation: string, t: TableOutput): Said | string {
  const n = t.rows.length;
  switch (operation) {
    case 'locks.blocking': {
      if (n === 0) return say('diag.pgNoLocks');
      const blockers = new Set(t.rows.map((r) => r[2]));
      return say('diag.pgLocks', { count: n, pids: [...blockers].join(', ') });
    }
    case 'activity.active':
      return n === 0 ? say('diag.pgNoActive') : say('diag.pgActive', { count: n, seconds: String(t.rows.reduce((m, r) => Math.max(m, Number(r[7] ?? 0)), 0)) });
    case 'connections.byState': {
      const total = t.rows.reduce((s, r) => s + Number(r[0] ?? 0), 0);
      const states = t.rows.map((r) => `${String(r[1])} ${String(r[0])}`).join(', ');
      return t.note ? say('diag.pgByStateNote', { count: total, states, note: t.note }) : say('diag.pgByState', { count: total, states });
    }
    case 'connections.count':
      return say('diag.pgInUse', { used: String(t.rows[0]?.[0] ?? '?'), max: String(t.rows[0]?.[1] ?? '?') });
    case 'statements.slowest':
      return n === 0 ? say('diag.pgNoStatements') : say('diag.pgSlowest', { ms: String(t.rows[0]?.[1]), calls: String(t.rows[0]?.[2]) });
    case 'replication.lag':
      if (n === 0) return t.note ?? say('diag.pgNoReplicas');
      return say('diag.pgReplicas', { count: n, seconds: String(Math.max(...t.rows.map((r) => Number(r[4] ?? 0)))) });
    case 'payments.failedRecent':
      return n === 0 ? say('diag.pgNoFailedPayments') : say('diag.pgFailedPayments', { count: n });
    default:
      return say('diag.rows', { count: n });
  }
}

function pidOf(params: StepParams, where: string): number {
  const raw = param(params, 'pid', where);
  const pid = Number(raw);
  if (!Number.isInteger(pid) || pid <= 0) throw new GuardiaError('playbooks.bad-param', `pid must be a backend process id (a positive integer), got "${raw}"`);
  return pid;
}

function filterOf(operation: string, params: StepParams, where: string): BackendFilter {
  const minutes = Number(param(params, 'minutes', where));
  if (!Number.isFinite(minutes) || minutes < 0) throw new GuardiaError('playbooks.bad-param', `minutes must be a number of minutes, got "${String(params.minutes)}"`);
  return { kind: operation === 'terminate.longRunning' ? 'long-running' : 'idle', minutes };
}

/**
 * The `postgres` system of playbooks over one or more PostgresPort connections (the pack may pick one
 * with a `connection` parameter; the first configured is the default).
 */
export class PostgresRunner implements StepRunner {
  readonly system = 'postgres' as const;

  constructor(private readonly dbs: PostgresPort[]) {}

  private db(params: StepParams): PostgresPort {
    const wanted = params.connection;
    const db = wanted === undefined ? this.dbs[0] : this.dbs.find((d) => d.name === String(wanted));
    if (!db) {
      throw new GuardiaError(
        'playbooks.no-connection',
        wanted === undefined
          ? 'No PostgreSQL connection is configured for this environment'
          : `No PostgreSQL connection named "${String(wanted)}" (have: ${this.dbs.map((d) => d.name).join(', ') || 'none'})`,
      );
    }
    return db;
  }

  unavailable(operation: string): string | null {
    if (this.dbs.length === 0) return 'Needs a postgres connection, which this environment does not have';
    if (!reads[operation] && !writes.has(operation)) return `PostgreSQL operation "${operation}" is not supported by this connector`;
    return null;
  }

  async read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading> {
    const run = reads[operation];
    if (!run) throw new UnsupportedStepError(`PostgreSQL operation "${operation}"`);
    const output = await run(this.db(params), params, signal);
    return reading(output, summarize(operation, output));
  }

  async preview(operation: string, params: StepParams): Promise<PreviewParts> {
    const db = this.db(params);
    const base = { context: db.name, namespace: db.where };
    const where = `PostgreSQL operation "${operation}"`;
    switch (operation) {
      case 'terminate.longRunning':
      case 'terminate.idle': {
        const affected = await db.matchingBackends(filterOf(operation, params, where));
        return {
          ...base,
          object: plural(affected.rows.length, 'backend'),
          affected,
          blocked: affected.rows.length === 0 ? 'No backend matches: nothing to terminate' : null,
        };
      }
      case 'terminate.backend':
      case 'cancel.backend': {
        const pid = pidOf(params, where);
        const affected = await db.backend(pid);
        return { ...base, object: `pid ${pid}`, affected, blocked: affected.rows.length === 0 ? `No backend with pid ${pid}` : null };
      }
      case 'vacuum.analyze': {
        const affected = await db.vacuumTargets();
        return { ...base, object: `database ${db.where}`, affected };
      }
      case 'reindex.table': {
        const t = param(params, 'table', where);
        try {
          return { ...base, object: `table ${t}`, affected: await db.reindexTargets(t) };
        } catch (error) {
          return { ...base, object: `table ${t}`, affected: null, blocked: (error as Error).message };
        }
      }
      default:
        throw new UnsupportedStepError(where);
    }
  }

  async write(operation: string, params: StepParams, opts: { dryRun: boolean }): Promise<string> {
    const db = this.db(params);
    const where = `PostgreSQL operation "${operation}"`;
    if (opts.dryRun) {
      const p = await this.preview(operation, params);
      const list = p.affected?.rows.map((r) => String(r[0])).join(', ');
      return `dry run on ${db.name}: would touch ${p.object}${list ? ` (${list})` : ''}${p.blocked ? `; ${p.blocked}` : ''}`;
    }
    switch (operation) {
      case 'terminate.longRunning':
      case 'terminate.idle': {
        const pids = await db.terminateMatching(filterOf(operation, params, where));
        return pids.length ? `terminated ${plural(pids.length, 'backend')} on ${db.name}: pid ${pids.join(', ')}` : `no backend matched on ${db.name}; nothing terminated`;
      }
      case 'terminate.backend': {
        const pid = pidOf(params, where);
        return (await db.terminateBackend(pid)) ? `terminated backend ${pid} on ${db.name}` : `backend ${pid} was not terminated on ${db.name} (gone already?)`;
      }
      case 'cancel.backend': {
        const pid = pidOf(params, where);
        return (await db.cancelBackend(pid)) ? `cancelled the query of backend ${pid} on ${db.name}` : `backend ${pid} had nothing to cancel on ${db.name}`;
      }
      case 'vacuum.analyze':
        await db.vacuumAnalyze();
        return `VACUUM ANALYZE finished on ${db.where}`;
      case 'reindex.table': {
        const t = param(params, 'table', where);
        await db.reindexConcurrently(t);
        return `REINDEX TABLE CONCURRENTLY ${t} finished on ${db.where}`;
      }
      default:
        throw new UnsupportedStepError(where);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.dbs.map((d) => d.close()));
  }
}
