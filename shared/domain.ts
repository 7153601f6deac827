import { z } from 'zod';
import { localizedSchema, severityIdSchema, sloObjectiveSchema, unitSchema } from './pack.js';

/** Milliseconds since the epoch; every time on the contract is one, so the renderer formats it locally. */
export const epochMsSchema = z.number().int().nonnegative();

/** One series of a panel: a query can return several (e.g. one per endpoint). */
export const seriesSchema = z.object({
  /** Stable key: query id plus the rendered legend, used as the chart's dataKey. */
  key: z.string(),
  queryId: z.string(),
  legend: z.string(),
  labels: z.record(z.string(), z.string()),
  unit: unitSchema,
  /** [time ms, value] oldest first; null marks a gap. */
  points: z.array(z.tuple([epochMsSchema, z.number().nullable()])),
});
export type Series = z.infer<typeof seriesSchema>;

/** Why a source's data is old: the UI says "stale since HH:MM" with this reason. */
export const staleSchema = z.object({ since: epochMsSchema, reason: z.string() }).nullable();

export const panelDataSchema = z.object({
  id: z.string(),
  title: localizedSchema,
  kind: z.enum(['health', 'stat', 'timeseries']),
  series: z.array(seriesSchema),
  /** A failing query shows its error in place; the other panels keep working. */
  error: z.string().nullable(),
  warnings: z.array(z.string()),
  thresholds: z.object({ warning: z.number().optional(), critical: z.number().optional() }).optional(),
});
export type PanelData = z.infer<typeof panelDataSchema>;

export const dashboardDataSchema = z.object({
  id: z.string(),
  title: localizedSchema,
  panels: z.array(panelDataSchema),
  updatedAt: epochMsSchema.nullable(),
  stale: staleSchema,
});
export type DashboardData = z.infer<typeof dashboardDataSchema>;

export const errorBudgetSchema = z.object({
  allowedMinutes: z.number(),
  consumedMinutes: z.number(),
  /** Not clamped: −50 means over budget by half the budget. */
  remainingPercent: z.number(),
});
export type ErrorBudget = z.infer<typeof errorBudgetSchema>;

export const sloStatusSchema = z.object({
  id: z.string(),
  service: localizedSchema,
  sli: localizedSchema,
  objective: sloObjectiveSchema,
  window: z.string(),
  /** Current SLI value in the objective's unit (percent for ratio SLOs); null when unknown. */
  current: z.number().nullable(),
  unit: z.enum(['percent', 'seconds']),
  /** Whether the current value meets the objective; null when unknown. */
  met: z.boolean().nullable(),
  errorBudget: errorBudgetSchema.nullable(),
  error: z.string().nullable(),
});
export type SloStatus = z.infer<typeof sloStatusSchema>;

export const alertStateSchema = z.enum(['firing', 'pending', 'resolved']);

/** An alert as Guardia shows it, normalised from Alertmanager v2 (or Prometheus) shapes. */
export const alertSchema = z.object({
  fingerprint: z.string(),
  name: z.string(),
  state: alertStateSchema,
  severity: severityIdSchema,
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  summary: z.string(),
  startsAt: epochMsSchema,
  endsAt: epochMsSchema.nullable(),
  silenced: z.boolean(),
  inhibited: z.boolean(),
  /** Only set when the annotation's URL is https: anything else stays text. */
  runbookUrl: z.string().nullable(),
  playbookId: z.string().nullable(),
  /** Which Alertmanager(s) or Prometheus reported it. */
  sources: z.array(z.string()),
});
export type Alert = z.infer<typeof alertSchema>;

export const healthStatusSchema = z.enum(['up', 'down', 'unknown']);
export const healthItemSchema = z.object({
  id: z.string(),
  label: localizedSchema,
  status: healthStatusSchema,
});
export type HealthItem = z.infer<typeof healthItemSchema>;

export const notificationSchema = z.object({
  id: z.string(),
  time: epochMsSchema,
  severity: severityIdSchema,
  title: z.string(),
  body: z.string(),
  alertFingerprint: z.string().nullable(),
});
export type GuardiaNotification = z.infer<typeof notificationSchema>;

export const journalEntrySchema = z.object({
  id: z.string(),
  time: epochMsSchema,
  actor: z.string(),
  environment: z.string(),
  source: z.string(),
  kind: z.enum([
    'alert.firing',
    'alert.resolved',
    'action.started',
    'action.finished',
    'note',
    'notification',
    'shift.started',
  ]),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const environmentInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  production: z.boolean(),
  readOnly: z.boolean(),
});

export const actionSummarySchema = z.object({
  id: z.string(),
  title: localizedSchema,
  command: z.string(),
  destructive: z.boolean(),
  /** What the user must type to confirm (the target's name); null when it depends on a chosen parameter. */
  confirmTarget: z.string().nullable(),
  /** Parameters the user chooses at run time (the runbook writes them as <pod-name>). */
  choose: z.array(z.object({ name: z.string(), placeholder: z.string() })),
  /** Disabled actions say why (read-only environment, no connection for that system, …). */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
});

export const playbookSummarySchema = z.object({
  id: z.string(),
  title: localizedSchema,
  section: z.string(),
  alerts: z.array(z.string()),
  diagnosis: z.array(z.object({ id: z.string(), title: localizedSchema, command: z.string() })),
  actions: z.array(actionSummarySchema),
});
export type PlaybookSummary = z.infer<typeof playbookSummarySchema>;
