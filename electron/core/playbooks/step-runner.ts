import type { Said, SaidRef } from '../../../shared/said.js';
import type { StepOutput, TableOutput, DiffLine } from '../../../shared/diagnosis.js';
import type { stepTargetSchema } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import type { z } from 'zod';
import type { AccessDecision } from '../ports.js';

/** The systems a pack step can target (`target.system`). */
export type StepSystem = z.infer<typeof stepTargetSchema>['system'];

/** A step's parameters after the user's choices are filled in. */
export type StepParams = Record<string, string | number | boolean>;

/** What a read-only step returns: its output and a one-line summary. */
export interface StepReading {
  output: StepOutput;
  summary: string;
  /** `summary` as a translatable sentence, when Guardia wrote it. */
  summarySaid?: SaidRef;
}

/** A reading whose one-line summary Guardia wrote: the English text, and the key the faces translate. */
export function reading(output: StepOutput, summary: Said | string): StepReading {
  return typeof summary === 'string' ? { output, summary } : { output, summary: summary.text, summarySaid: summary.ref };
}

/** What a runner adds to an action's preview (the engine fills environment, access and the window). */
export interface PreviewParts {
  context: string | null;
  namespace: string | null;
  object: string;
  access?: AccessDecision | null;
  dryRun?: { ok: boolean; message: string; said?: SaidRef } | null;
  diff?: DiffLine[];
  affected?: TableOutput | null;
  blocked?: string | null;
  /** `blocked` as a translatable sentence, when Guardia wrote it. */
  blockedSaid?: SaidRef;
}

/**
 * One connector's side of the playbook engine, keyed by `system`: it reads for diagnosis steps,
 * previews and runs actions. Modules register theirs (helper modules pass one to the playbooks
 * module through CoreDeps.stepRunners; the engine builds kubernetes/tls/http/manual itself).
 */
export interface StepRunner {
  readonly system: StepSystem;
  /** Why `operation` cannot run here (no connection, an operation this connector lacks), or null. */
  unavailable(operation: string): string | null;
  /** A read-only diagnosis step. Throws UnsupportedStepError when the connector lacks the call. */
  read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading>;
  /** Runs an action (or its dry run); returns what happened in one or two lines. Never retries. */
  write(operation: string, params: StepParams, opts: { dryRun: boolean }): Promise<string>;
  /** What an action would touch and whether it may; must change nothing. */
  preview(operation: string, params: StepParams): Promise<PreviewParts>;
  /**
   * The concrete object an action acts on now, and its params pinned to it, when the pack leaves the
   * choice to the system (a command run in "a pod of the deployment"): what was confirmed is what runs.
   */
  pin?(operation: string, params: StepParams): Promise<{ object: string; params: StepParams } | null>;
  /** RBAC answer for an action, for showing it disabled with the reason; null when the system has none. */
  access?(operation: string, params: StepParams): Promise<AccessDecision | null>;
  close?(): Promise<void>;
}

/** The connector lacks this call: shown as "not supported by this connector", never as a silent gap. */
export class UnsupportedStepError extends GuardiaError {
  constructor(what: string, where?: string) {
    super('playbooks.unsupported', `${what} is not supported by this connector${where ? ` (${where})` : ''}`);
  }
}

/** Reads a parameter the pack must provide, with a message naming the action when it does not. */
export function param(params: StepParams, key: string, where: string): string {
  const v = params[key];
  if (v === undefined || v === '') throw new GuardiaError('playbooks.bad-action', `${where} has no "${key}" parameter in the pack`);
  return String(v);
}

/** Builds a table output from objects (columns in the given order). */
export function table(columns: string[], rows: Array<Record<string, unknown>>, note: string | null = null): TableOutput {
  return { kind: 'table', columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))), note };
}

/** A value as a table cell: dates as ISO, objects as JSON, big numbers as numbers. */
export function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/** "1 row" / "3 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
