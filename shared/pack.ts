import { z } from 'zod';

/**
 * A pack is a runbook as data. Guardia ships Tiendi's (resources/packs/tiendi); every SLO, panel,
 * severity, playbook, phase and template the UI shows comes from a pack, never from a component.
 */

/** Text shown to people, in both UI languages. Spanish is the runbook's language and is required. */
export const localizedSchema = z.strictObject({ es: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localizedSchema>;

/** A Prometheus duration such as 30s, 5m, 24h, 30d. */
export const durationSchema = z
  .string()
  .regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'expected a Prometheus duration such as 5m, 24h or 30d');

export const severityIdSchema = z.enum(['P1', 'P2', 'P3', 'P4']);
export type SeverityId = z.infer<typeof severityIdSchema>;

export const unitSchema = z.enum([
  'ratio', // 0..1
  'percent', // 0..100
  'seconds',
  'rps',
  'per-minute',
  'count',
  'bytes',
  'pen', // Peruvian soles
  'bool', // 1 = up, 0 = down
]);
export type Unit = z.infer<typeof unitSchema>;

/** A named PromQL query. `id` is stable: panels, SLOs and caches refer to it. */
export const metricQuerySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case words joined by . _ or -'),
  expr: z.string().min(1),
  legend: z.string().optional(),
  unit: unitSchema,
});
export type MetricQuery = z.infer<typeof metricQuerySchema>;

/** SLO objective: either a ratio of good events (availability) or a threshold a value must stay under. */
export const sloObjectiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ratio'),
    /** percent of good events, e.g. 99.9 */
    target: z.number().gt(0).lt(100),
  }),
  z.strictObject({
    kind: z.literal('threshold'),
    comparator: z.enum(['lt', 'lte']),
    threshold: z.number().positive(),
    unit: z.enum(['seconds', 'percent']),
  }),
]);
export type SloObjective = z.infer<typeof sloObjectiveSchema>;

export const sloSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  service: localizedSchema,
  sli: localizedSchema,
  objective: sloObjectiveSchema,
  window: durationSchema,
  /** The runbook states the budget in minutes per window; `guardia check` verifies it matches the target. */
  errorBudgetMinutes: z.number().positive().optional(),
  /** Current SLI value, in the objective's unit (percent for ratio SLOs). */
  query: metricQuerySchema,
  /** Multi-window multi-burn-rate evaluation (SRE workbook ch. 5); without it the SLO has no burn state. */
  burnRate: z
    .strictObject({
      /** Fraction (0..1) of bad events over `$window`, e.g. 5xx / all requests, or requests slower than the threshold. */
      errorRatio: z.string().includes('$window'),
      /** Number of events over `$window` (e.g. `sum(increase(http_requests_total[$window]))`): the low-traffic guard. */
      events: z.string().includes('$window'),
      /** Allowed bad fraction. Derived for ratio (1 − target) and percent thresholds; required for latency thresholds. */
      budgetRatio: z.number().gt(0).lt(1).optional(),
      /** Fewer events than this in a window pair's long window never pages or tickets (Pyrra #1925). */
      minEvents: z.number().int().nonnegative().default(100),
    })
    .optional(),
});
export type Slo = z.infer<typeof sloSchema>;

export const panelSchema = z.strictObject({
  id: z.string(),
  title: localizedSchema,
  kind: z.enum(['health', 'stat', 'timeseries']),
  queries: z.array(metricQuerySchema).min(1),
  /** Optional per-endpoint breakdown of the same measure (label to group by). */
  breakdownLabel: z.string().optional(),
  thresholds: z
    .strictObject({ warning: z.number().optional(), critical: z.number().optional() })
    .optional(),
});
export type Panel = z.infer<typeof panelSchema>;

export const dashboardSchema = z.strictObject({
  id: z.string(),
  title: localizedSchema,
  /** Where the runbook keeps the Grafana original, for reference. */
  grafanaUrl: z.string().url().optional(),
  panels: z.array(panelSchema).min(1),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const severityLevelSchema = z.strictObject({
  id: severityIdSchema,
  name: localizedSchema,
  description: localizedSchema,
  response: localizedSchema,
  /** Minutes to respond; 0 = immediate, null = next business day. */
  responseMinutes: z.number().int().min(0).nullable(),
  examples: z.array(localizedSchema),
});

/** The runbook text attached to an alert (section 5.4): shown inline next to the alert. */
export const alertRunbookSchema = z.strictObject({
  alert: z.string(),
  severity: severityIdSchema.optional(),
  description: localizedSchema.optional(),
  impact: z.array(localizedSchema).default([]),
  diagnosis: z.array(localizedSchema).default([]),
  resolution: z.array(localizedSchema).default([]),
  prevention: z.array(localizedSchema).default([]),
  escalation: z
    .strictObject({ afterMinutes: z.number().int().positive(), contacts: z.array(z.string()) })
    .optional(),
  playbook: z.string().optional(),
});

export const alertingSchema = z.strictObject({
  /** Prometheus rules file in this pack folder, kept verbatim from the runbook. */
  rulesFile: z.string(),
  /** Alert `severity` label → runbook severity level. */
  severityMap: z.record(z.string(), severityIdSchema),
  /** Severity level used when an alert has no or an unknown severity label. */
  defaultSeverity: severityIdSchema,
  /** Per-alert overrides of the mapped severity. */
  overrides: z.record(z.string(), severityIdSchema).default({}),
  runbooks: z.array(alertRunbookSchema).default([]),
  /**
   * How an alert finds its PagerDuty incident: the incident's dedup key equals the alert's
   * `dedupKeyLabel` label (or its fingerprint), or its title names the alert on the mapped service.
   */
  pagerduty: z
    .strictObject({
      dedupKeyLabel: z.string().min(1).optional(),
      services: z
        .array(z.strictObject({ service: z.string().min(1), alerts: z.array(z.string().min(1)).min(1) }))
        .default([]),
    })
    .optional(),
});

/** What a playbook step runs. `system` picks the connector, `operation` one of its named calls. */
export const stepTargetSchema = z.strictObject({
  system: z.enum(['kubernetes', 'postgres', 'redis', 'tls', 'http', 'azure', 'manual']),
  operation: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

export const playbookStepSchema = z.strictObject({
  id: z.string(),
  title: localizedSchema,
  /** The command from the runbook this step stands for, shown beside its result. */
  command: z.string(),
  target: stepTargetSchema,
});

export const playbookActionSchema = playbookStepSchema.extend({
  /** Deletes or interrupts something (pods, queries): always requires typing the target's name. */
  destructive: z.boolean().default(false),
  description: localizedSchema.optional(),
});

export const playbookSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: localizedSchema,
  /** Runbook section, e.g. "7.1" or "9.3". */
  section: z.string(),
  symptoms: z.array(localizedSchema).default([]),
  /** Alerts whose runbook leads here. */
  alerts: z.array(z.string()).default([]),
  diagnosis: z.array(playbookStepSchema),
  actions: z.array(playbookActionSchema),
});
export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type PlaybookAction = z.infer<typeof playbookActionSchema>;

export const incidentPhaseSchema = z.strictObject({
  id: z.enum(['detection', 'triage', 'mitigation', 'resolution', 'postmortem']),
  name: localizedSchema,
  /** Minutes since detection when the phase should start and be done. */
  startMinute: z.number().min(0),
  endMinute: z.number().positive(),
  actions: z.array(localizedSchema),
  outputs: z.array(localizedSchema),
  owner: localizedSchema.optional(),
  /** Tools the runbook names for the phase (triage lists Grafana, Kibana, Azure Portal). */
  tools: z.array(z.strictObject({ name: z.string(), url: z.string().url() })).optional(),
  /** What to communicate during the phase (mitigation: status page every 15 min...). */
  communication: z.array(localizedSchema).optional(),
  /** How to tell the phase is done (resolution: error rate < 0.1%...). */
  validation: z.array(localizedSchema).optional(),
  notes: z.array(localizedSchema).optional(),
});

export const warRoomRoleSchema = z.strictObject({
  id: z.enum(['incident-commander', 'technical-lead', 'communications-lead', 'scribe']),
  name: localizedSchema,
  responsibility: localizedSchema,
  person: localizedSchema,
});

export const statusTemplateSchema = z.strictObject({
  id: z.enum(['start', 'update', 'resolved']),
  title: localizedSchema,
  /** Markdown body with [placeholders] as in the runbook. */
  body: localizedSchema,
});

export const incidentsSchema = z.strictObject({
  classification: z.record(severityIdSchema, localizedSchema),
  phases: z.array(incidentPhaseSchema).length(5),
  warRoom: z.strictObject({
    /** e.g. "#incident-{date}-{slug}" */
    channelFormat: z.string().includes('{date}'),
    example: z.string(),
    requiredFor: z.array(severityIdSchema),
    roles: z.array(warRoomRoleSchema).length(4),
    /** Chat commands the runbook lists for the war room (/incident create...). */
    commands: z.array(z.strictObject({ command: z.string(), description: localizedSchema })).optional(),
  }),
  statusPage: z.strictObject({
    url: z.string().url().optional(),
    components: z.array(z.string()).min(1),
    statuses: z.array(z.enum(['operational', 'degraded', 'partial_outage', 'major_outage'])),
    updateEveryMinutes: z.number().int().positive(),
    templates: z.array(statusTemplateSchema).length(3),
  }),
  escalation: z.strictObject({
    afterMinutes: z.number().int().positive(),
    contacts: z.array(
      z.strictObject({ role: z.string(), name: z.string(), phone: z.string(), email: z.string() }),
    ),
    /** Outside support lines (Azure, Niubiz...), from the runbook's "Proveedores de Soporte". */
    vendors: z
      .array(z.strictObject({ name: z.string(), service: z.string(), phone: z.string(), portal: z.string().url() }))
      .optional(),
  }),
});

export const maintenanceSchema = z.strictObject({
  /** Recurrence in plain terms the engine understands. */
  schedule: z.strictObject({
    frequency: z.literal('monthly'),
    weekday: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
    /** 1 = first such weekday of the month, -1 = last. */
    ordinal: z.number().int().min(-1).max(4),
    start: z.string().regex(/^\d{2}:\d{2}$/),
    end: z.string().regex(/^\d{2}:\d{2}$/),
    timezone: z.string(),
  }),
  maxDurationMinutes: z.number().int().positive(),
  noticeDays: z.number().int().min(0),
  checklist: z.array(
    z.strictObject({
      id: z.string(),
      when: localizedSchema,
      /** Minutes relative to the window's start (negative = before); null = after the window. */
      offsetMinutes: z.number().int().nullable(),
      items: z.array(localizedSchema).min(1),
    }),
  ),
});

export const rotationSchema = z.strictObject({
  lengthDays: z.number().int().positive(),
  handoff: z.strictObject({
    weekday: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
    time: z.string().regex(/^\d{2}:\d{2}$/),
    timezone: z.string(),
    meetingMinutes: z.number().int().positive(),
  }),
  roles: z.array(z.strictObject({ id: z.enum(['primary', 'secondary', 'backup']), description: localizedSchema })),
  ackWithinMinutes: z.number().int().positive(),
  responsibilities: z.array(localizedSchema),
  /** What the on-call needs installed and configured before the week starts. */
  toolsRequired: z.array(localizedSchema).optional(),
  shifts: z.array(
    z.strictObject({
      start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      primary: z.string(),
      secondary: z.string(),
      backup: z.string(),
    }),
  ),
});

export const postmortemSchema = z.strictObject({
  /** Markdown template file in this pack folder (runbook section 10.1). */
  templateFile: z.string(),
  blameless: z.strictObject({
    principles: z.array(z.strictObject({ title: localizedSchema, description: localizedSchema })).optional(),
    avoid: z.array(localizedSchema),
    prefer: z.array(localizedSchema),
  }),
});

/** Files in a pack folder: pack.yaml names the pack; each section lives in its own YAML file. */
export const packManifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  description: localizedSchema,
  /** The runbook this pack was made from, and its version. */
  source: z.strictObject({ title: z.string(), version: z.string(), updated: z.string() }),
  defaultLocale: z.enum(['es', 'en']),
  maintainedBy: z.string().optional(),
  /** The runbook's important URLs (Grafana, PagerDuty, status page...), offered as links. */
  links: z
    .array(z.strictObject({ id: z.string(), name: z.string(), url: z.string().url(), description: localizedSchema.optional() }))
    .optional(),
});

export const packSchema = z.strictObject({
  manifest: packManifestSchema,
  slos: z.array(sloSchema).min(1),
  dashboards: z.array(dashboardSchema).min(1),
  severities: z.array(severityLevelSchema).length(4),
  alerting: alertingSchema,
  playbooks: z.array(playbookSchema),
  incidents: incidentsSchema,
  maintenance: maintenanceSchema,
  rotation: rotationSchema,
  postmortem: postmortemSchema,
});
export type Pack = z.infer<typeof packSchema>;

/** Which YAML file of a pack folder holds which part of the pack (the loader reports errors per file). */
export const packFiles = {
  manifest: 'pack.yaml',
  slos: 'slos.yaml',
  dashboards: 'dashboards.yaml',
  severities: 'severities.yaml',
  alerting: 'alerting.yaml',
  playbooks: 'playbooks.yaml',
  incidents: 'incidents.yaml',
  maintenance: 'maintenance.yaml',
  rotation: 'rotation.yaml',
  postmortem: 'postmortem.yaml',
} as const satisfies Record<keyof Pack, string>;
