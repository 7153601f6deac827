import type { TableOutput } from '../../../shared/diagnosis.js';

/** Which backends a bulk terminate picks, as the runbook's WHERE clauses do. */
export type BackendFilter = { kind: 'long-running'; minutes: number } | { kind: 'idle'; minutes: number };

/**
 * The PostgreSQL reads and writes of the runbook's §7.2, §7.4 and §9.3. The real connection (pg) and
 * the demo's stand-in implement it, so the playbook engine does not know which it talks to. Every
 * action has a preview listing exactly the backends or tables it will touch.
 */
export interface PostgresPort {
  /** Connection name from the configuration. */
  readonly name: string;
  /** host:port/database, for "where" in confirmations (never a password). */
  readonly where: string;
  activeQueries(signal?: AbortSignal): Promise<TableOutput>;
  blockingQueries(signal?: AbortSignal): Promise<TableOutput>;
  tableBloat(signal?: AbortSignal): Promise<TableOutput>;
  slowestStatements(limit: number, signal?: AbortSignal): Promise<TableOutput>;
  connectionsByState(signal?: AbortSignal): Promise<TableOutput>;
  connectionCount(signal?: AbortSignal): Promise<TableOutput>;
  replicationLag(signal?: AbortSignal): Promise<TableOutput>;
  failedPayments(signal?: AbortSignal): Promise<TableOutput>;
  /** Backends a terminate would end (pid first column). */
  matchingBackends(filter: BackendFilter): Promise<TableOutput>;
  /** Terminates the backends matching the filter now; returns their pids. */
  terminateMatching(filter: BackendFilter): Promise<number[]>;
  /** One backend (pid, user, state, query), empty when it does not exist. */
  backend(pid: number): Promise<TableOutput>;
  terminateBackend(pid: number): Promise<boolean>;
  cancelBackend(pid: number): Promise<boolean>;
  /** Tables VACUUM ANALYZE would process (dead tuples, last vacuum). */
  vacuumTargets(): Promise<TableOutput>;
  vacuumAnalyze(): Promise<void>;
  /** Indexes REINDEX TABLE CONCURRENTLY would rebuild; throws when the table does not exist. */
  reindexTargets(table: string): Promise<TableOutput>;
  reindexConcurrently(table: string): Promise<void>;
  close(): Promise<void>;
}
