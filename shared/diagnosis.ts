import { saidSchema } from './said.js';
import { z } from 'zod';
import { epochMsSchema } from './domain.js';

/**
 * What a playbook diagnosis step and an action preview return across the contract. A step's output
 * is a table (rows from a database or the cluster) or text (logs); both are data, never markup.
 */

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Rows as the runbook's command would print them, with column names. */
export const tableOutputSchema = z.object({
  kind: z.literal('table'),
  columns: z.array(z.string()),
  rows: z.array(z.array(cellSchema)),
  /** A line under the table (e.g. "max_connections 100", "no replicas"). */
  note: z.string().nullable().default(null),
});
export type TableOutput = z.infer<typeof tableOutputSchema>;

export const stepOutputSchema = z.discriminatedUnion('kind', [
  tableOutputSchema,
  z.object({ kind: z.literal('text'), text: z.string(), note: z.string().nullable().default(null) }),
  z.object({ kind: z.literal('none') }),
]);
export type StepOutput = z.infer<typeof stepOutputSchema>;

/**
 * How a step ended. `unsupported`: the connector lacks the call; `manual`: the runbook step is for a
 * person; `needs-input`: a value the runbook leaves open (<pod-name>) was not given.
 */
export const stepStatusSchema = z.enum(['ok', 'error', 'timeout', 'unsupported', 'manual', 'needs-input']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

/** One diagnosis step's result, pushed as soon as it arrives and returned again at the end. */
export const stepResultSchema = z.object({
  stepId: z.string(),
  system: z.string(),
  /** The runbook's command, shown beside the result. */
  command: z.string(),
  status: stepStatusSchema,
  startedAt: epochMsSchema,
  durationMs: z.number().nonnegative(),
  /** One line for lists, the CLI and the journal ("3 pods, 1 not ready"). */
  summary: z.string(),
  /** The summary as a translatable sentence, when Guardia wrote it (no connection, manual step). */
  summarySaid: saidSchema.optional(),
  output: stepOutputSchema,
});
export type StepResult = z.infer<typeof stepResultSchema>;

export const diagnosisRunSchema = z.object({
  runId: z.string(),
  playbookId: z.string(),
  startedAt: epochMsSchema,
  finishedAt: epochMsSchema,
  /** Real elapsed time of the whole run (the demo's clock runs faster than real time). */
  durationMs: z.number().nonnegative(),
  steps: z.array(stepResultSchema),
  journalId: z.string().nullable(),
});
export type DiagnosisRun = z.infer<typeof diagnosisRunSchema>;

/** One line of the confirmation diff: a field of the object before and after the change. */
export const diffLineSchema = z.object({
  path: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type DiffLine = z.infer<typeof diffLineSchema>;

/**
 * Everything the confirmation dialog shows before an action runs: where (context, namespace, object),
 * whether the user may (RBAC review), what the server's dry run said and the diff of what changes,
 * and for databases the exact backends or tables touched. `blocked` says why it must not run.
 */
export const actionPreviewSchema = z.object({
  playbookId: z.string(),
  actionId: z.string(),
  system: z.string(),
  environment: z.string(),
  production: z.boolean(),
  where: z.object({
    context: z.string().nullable(),
    namespace: z.string().nullable(),
    object: z.string(),
  }),
  access: z.object({ allowed: z.boolean(), reason: z.string() }).nullable(),
  dryRun: z.object({ ok: z.boolean(), message: z.string(), said: saidSchema.optional() }).nullable(),
  diff: z.array(diffLineSchema),
  /** Backends, tables or pods the action will touch, as rows. */
  affected: tableOutputSchema.nullable(),
  blocked: z.string().nullable(),
  /** `blocked` as a translatable sentence, when Guardia wrote it. */
  blockedSaid: saidSchema.optional(),
  /** Seconds the faces wait (cancellable) after confirmation before sending the action. */
  cancelWindowSeconds: z.number().int().nonnegative(),
});
export type ActionPreview = z.infer<typeof actionPreviewSchema>;

/** An action journaled as started with no matching finish: a crash mid-action. */
export const unfinishedActionSchema = z.object({
  journalId: z.string(),
  time: epochMsSchema,
  playbookId: z.string(),
  actionId: z.string(),
  target: z.string(),
  summary: z.string(),
});
export type UnfinishedAction = z.infer<typeof unfinishedActionSchema>;

/** Pushed on `playbooks.changed`: a step result as it arrives, then the run's end. */
export const playbooksChangedSchema = z.object({
  runId: z.string(),
  playbookId: z.string(),
  step: stepResultSchema.nullable(),
  done: z.boolean(),
});
