import { saidSchema } from './said.js';
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
  /** Budget left as time: allowed − consumed minutes (negative when over budget). */
  remainingMinutes: z.number().optional(),
});
export type ErrorBudget = z.infer<typeof errorBudgetSchema>;

/**
 * Burn-rate state of an SLO (SRE workbook, multiwindow multi-burn-rate), first match wins:
 * critical = a page condition holds (14.4× over 1h and 5m, or 6× over 6h and 30m); recovering = no
 * page condition holds but one's long window is still at or above its factor (a fast burn within the
 * last hour or six that its short window says has stopped); burning = the ticket condition holds (1×
 * over 3d and 6h); ok = none of these; unknown = no data for any window. Conditions whose long window
 * saw fewer events than the pack's `minEvents` count as not holding (low-traffic guard).
 */
export const burnStateSchema = z.enum(['critical', 'burning', 'recovering', 'ok', 'unknown']);
export type BurnState = z.infer<typeof burnStateSchema>;

export const sloBurnSchema = z.object({
  state: burnStateSchema,
  /** Allowed bad fraction (0..1) the burn rates are relative to. */
  budgetRatio: z.number(),
  windows: z.array(
    z.object({
      window: z.string(),
      errorRatio: z.number().nullable(),
      /** errorRatio / budgetRatio: 1 spends exactly the budget over the SLO window. */
      burnRate: z.number().nullable(),
      events: z.number().nullable(),
    }),
  ),
  conditions: z.array(
    z.object({
      severity: z.enum(['page', 'ticket']),
      factor: z.number(),
      long: z.string(),
      short: z.string(),
      /** Both windows at or above the factor, with enough traffic. */
      firing: z.boolean(),
      /** The long window saw fewer events than the pack's minimum: this condition cannot fire. */
      lowTraffic: z.boolean(),
    }),
  ),
  /** At the current 1h burn rate, minutes until the remaining budget is gone; null when not burning. */
  exhaustsInMinutes: z.number().nullable(),
});
export type SloBurn = z.infer<typeof sloBurnSchema>;

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
  /** Multi-window multi-burn-rate evaluation; absent when the SLO has no `burnRate` in the pack. */
  burn: sloBurnSchema.nullable().optional(),
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

/** A silence matcher as Alertmanager API v2 takes it (`isEqual: false` negates). */
export const silenceMatcherSchema = z.object({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name'),
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});
export type SilenceMatcherInput = z.input<typeof silenceMatcherSchema>;

/** A silence as Guardia shows it, from one or more Alertmanagers (merged by id). */
export const silenceSchema = z.object({
  id: z.string(),
  matchers: z.array(silenceMatcherSchema),
  startsAt: epochMsSchema,
  endsAt: epochMsSchema,
  createdBy: z.string(),
  comment: z.string(),
  state: z.enum(['active', 'pending', 'expired']),
  sources: z.array(z.string()),
});
export type Silence = z.infer<typeof silenceSchema>;

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
  /** Why it was raised: a new alert or incident, a storm summary, a reminder to ack, a shift reminder. */
  kind: z.enum(['alert', 'incident', 'storm', 'renotify', 'shift']).optional(),
  incidentId: z.string().nullable().optional(),
  /** What its Acknowledge action does (PagerDuty ack, Alertmanager silence, Guardia only); absent: no action. */
  ackTarget: z.enum(['pagerduty', 'silence', 'local']).nullable().optional(),
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
    // The shift's process (issue 6): every domain only appends one of these; the handoff and
    // incident views are read back from them.
    'page',
    'acknowledgement',
    'diagnosis',
    'silence',
    'status.update',
    'incident.declared',
    'incident.phase',
    'incident.role',
    'incident.resolved',
    'checklist.item',
    'maintenance',
    'pinned',
    'slo.snapshot',
  ]),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;
export type JournalKind = JournalEntry['kind'];

/** A journal line that could not be read back (torn by a crash mid-write, edited by hand): shown, never dropped. */
export const journalDamageSchema = z.object({ file: z.string(), line: z.number().int().positive(), reason: z.string() });
export type JournalDamageInfo = z.infer<typeof journalDamageSchema>;

/** The runbook's StatusUpdate (section 6.4): what a status page shows for one component. */
export const statusUpdateSchema = z.object({
  component: z.string().min(1).max(100),
  status: z.enum(['operational', 'degraded', 'partial_outage', 'major_outage']),
  message: z.string().min(1).max(5000),
  timestamp: epochMsSchema,
});
export type StatusUpdate = z.infer<typeof statusUpdateSchema>;

export const incidentPhaseIdSchema = z.enum(['detection', 'triage', 'mitigation', 'resolution', 'postmortem']);
export type IncidentPhaseId = z.infer<typeof incidentPhaseIdSchema>;
export const warRoomRoleIdSchema = z.enum(['incident-commander', 'technical-lead', 'communications-lead', 'scribe']);
export type WarRoomRoleId = z.infer<typeof warRoomRoleIdSchema>;

/** An incident as read back from the journal (runbook section 6): every change is a journal entry. */
export const incidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: severityIdSchema,
  /** Phase targets count from here: the alert's start when declared from one, else the declaration. */
  detectedAt: epochMsSchema,
  declaredAt: epochMsSchema,
  declaredBy: z.string(),
  alertFingerprint: z.string().nullable(),
  alertName: z.string().nullable(),
  /** The PagerDuty incident it was declared from (its acknowledgement counts as the incident's). */
  pagingIncidentId: z.string().nullable(),
  warRoom: z.string(),
  phase: incidentPhaseIdSchema,
  phases: z.array(z.object({ phase: incidentPhaseIdSchema, at: epochMsSchema, by: z.string() })),
  roles: z.partialRecord(warRoomRoleIdSchema, z.string()),
  acknowledgedAt: epochMsSchema.nullable(),
  resolvedAt: epochMsSchema.nullable(),
  resolvedBy: z.string().nullable(),
  statusUpdates: z.array(statusUpdateSchema),
});
export type Incident = z.infer<typeof incidentSchema>;

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
  /** `unavailableReason` as a translatable sentence, when Guardia wrote it. */
  unavailableSaid: saidSchema.optional(),
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
