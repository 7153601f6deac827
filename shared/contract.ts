import { z } from 'zod';
import { kubeImportChannels } from './kube-import.js';
import { kubernetesChannels, kubernetesEventChannels } from './kubernetes.js';
import { actionPreviewSchema, diagnosisRunSchema, playbooksChangedSchema, unfinishedActionSchema } from './diagnosis.js';
import { aksUpgradeSchema, azureQueryResultSchema, azureQuerySummarySchema, azureStatusSchema } from './azure.js';
import {
  alertSchema,
  dashboardDataSchema,
  environmentInfoSchema,
  epochMsSchema,
  healthItemSchema,
  incidentPhaseIdSchema,
  incidentSchema,
  journalDamageSchema,
  journalEntrySchema,
  notificationSchema,
  playbookSummarySchema,
  silenceMatcherSchema,
  silenceSchema,
  sloStatusSchema,
  staleSchema,
  statusUpdateSchema,
  warRoomRoleIdSchema,
} from './domain.js';
import { alertRunbookSchema, incidentsSchema, localizedSchema, severityIdSchema } from './pack.js';
import {
  acknowledgeRequestSchema,
  addNoteRequestSchema,
  onCallSchema,
  pagingIncidentSchema,
  pagingListRequestSchema,
  pagingUserSchema,
  pagingRefSchema,
  pagingWriteResultSchema,
  reassignRequestSchema,
  resolveRequestSchema,
  snoozeRequestSchema,
  timelineEntrySchema,
} from './paging.js';
import {
  ackTargetSchema,
  connectionInfoSchema,
  connectionTestSchema,
  notificationStateSchema,
  shiftInfoSchema,
} from './notifications.js';

/**
 * The whole surface between the renderer (or any client) and core. Electron IPC, the loopback HTTP
 * server and the CLI all bind exactly these channels; nothing else crosses. Secrets never appear here:
 * a request names a connection and core resolves its secret.
 */
const none = z.object({}).strict();

export const invokeChannels = {
  'app.getInfo': {
    req: none,
    res: z.object({
      name: z.string(),
      version: z.string(),
      pack: z.object({ id: z.string(), name: z.string(), defaultLocale: z.enum(['es', 'en']) }),
      environments: z.array(environmentInfoSchema),
      activeEnvironment: z.string(),
      refreshSeconds: z.number().positive(),
      dashboards: z.array(z.object({ id: z.string(), title: localizedSchema })),
    }),
  },
  'status.get': {
    req: none,
    res: z.object({
      environment: z.string(),
      updatedAt: epochMsSchema.nullable(),
      health: z.array(healthItemSchema),
      slos: z.array(sloStatusSchema),
      alerts: z.array(alertSchema),
      worstSeverity: z.enum(['P1', 'P2', 'P3', 'P4']).nullable(),
      stale: z.array(z.object({ source: z.string(), since: epochMsSchema, reason: z.string() })),
    }),
  },
  'dashboards.get': {
    req: z.object({ id: z.string(), rangeMinutes: z.number().int().positive().max(60 * 24 * 7).default(15) }).strict(),
    res: dashboardDataSchema,
  },
  'slos.list': {
    req: none,
    res: z.object({ slos: z.array(sloStatusSchema), updatedAt: epochMsSchema.nullable(), stale: staleSchema }),
  },
  /** One SLO with its burn rates per window and its error budget over the last `rangeMinutes`. */
  'slos.getDetail': {
    req: z.object({ id: z.string(), rangeMinutes: z.number().int().positive().max(60 * 24 * 30).default(24 * 60) }).strict(),
    res: z.object({
      slo: sloStatusSchema,
      /** [time ms, remaining budget % (not clamped)] oldest first; null marks a gap. */
      budget: z.array(z.tuple([epochMsSchema, z.number().nullable()])),
      /** [time ms, 1h burn rate] oldest first. */
      burnRate: z.array(z.tuple([epochMsSchema, z.number().nullable()])),
      stale: staleSchema,
    }),
  },
  /** The pack's runbook for an alert (runbook §5.4: diagnosis, resolution, escalation), shown inline; null when none. */
  'alerts.getRunbook': {
    req: z.object({ alert: z.string().min(1).max(200) }).strict(),
    res: z.object({ runbook: alertRunbookSchema.nullable() }),
  },
  /** Prometheus' rule groups (`/api/v1/rules`): each rule's health and last error; `supported` false without Prometheus. */
  'alerts.listRules': {
    req: none,
    res: z.object({
      supported: z.boolean(),
      groups: z.array(
        z.object({
          name: z.string(),
          file: z.string(),
          rules: z.array(
            z.object({
              name: z.string(),
              type: z.enum(['alerting', 'recording']),
              health: z.enum(['ok', 'err', 'unknown']),
              lastError: z.string().nullable(),
              state: z.enum(['pending', 'firing', 'inactive']).nullable(),
              query: z.string(),
            }),
          ),
        }),
      ),
    }),
  },
  /** Silences of the Alertmanager(s), newest first; `supported` is false when no source can silence. */
  'silences.list': {
    req: none,
    res: z.object({ silences: z.array(silenceSchema), supported: z.boolean() }),
  },
  /** Which active alerts a silence with these matchers would silence, before creating it. Changes nothing. */
  'silences.preview': {
    req: z.object({ matchers: z.array(silenceMatcherSchema).min(1).max(50) }).strict(),
    res: z.object({ alerts: z.array(alertSchema), total: z.number().int().nonnegative(), problem: z.string().nullable() }),
  },
  /** Creates a silence (changes production alerting): typed confirmation, journaled before and after, never retried. */
  'silences.create': {
    req: z
      .object({
        matchers: z.array(silenceMatcherSchema).min(1).max(50),
        durationMinutes: z.number().int().positive().max(60 * 24 * 30),
        author: z.string().min(1).max(200).optional(),
        comment: z.string().min(1).max(5000),
        /** The environment's id, typed by the user. */
        confirm: z.string(),
      })
      .strict(),
    res: z.object({ id: z.string(), journalId: z.string(), matched: z.number().int().nonnegative() }),
  },
  /** Expires a silence now (changes production alerting): typed confirmation, journaled before and after. */
  'silences.expire': {
    req: z.object({ id: z.string().min(1).max(100), confirm: z.string() }).strict(),
    res: z.object({ journalId: z.string() }),
  },
  'alerts.list': {
    req: none,
    res: z.object({ alerts: z.array(alertSchema), updatedAt: epochMsSchema.nullable(), stale: staleSchema }),
  },
  'playbooks.list': {
    req: none,
    res: z.object({
      playbooks: z.array(playbookSummarySchema),
      /** Actions journaled as started with no result (a crash mid-action): "started, result unknown". */
      unfinished: z.array(unfinishedActionSchema).default([]),
    }),
  },
  /** Runs every read-only step of a playbook in parallel; each result is also pushed on playbooks.changed. */
  'playbooks.diagnose': {
    req: z
      .object({
        playbookId: z.string(),
        /** Values for steps' open parameters (the runbook's <pod-name>). */
        params: z.record(z.string(), z.string().min(1).max(253)).default({}),
      })
      .strict(),
    res: diagnosisRunSchema,
  },
  /** What an action would touch, whether RBAC allows it, the server dry run and its diff; changes nothing. */
  'playbooks.preview': {
    req: z
      .object({
        playbookId: z.string(),
        actionId: z.string(),
        params: z.record(z.string(), z.string().min(1).max(253)).default({}),
      })
      .strict(),
    res: actionPreviewSchema,
  },
  'playbooks.act': {
    req: z
      .object({
        playbookId: z.string(),
        actionId: z.string(),
        /** The user typed the target's name; core refuses when it does not match. */
        confirm: z.string(),
        dryRun: z.boolean().default(false),
        /** Values for the action's user-chosen parameters only (e.g. which pod); others are fixed by the pack. */
        params: z.record(z.string(), z.string().min(1).max(253)).default({}),
        /**
         * The object the confirmation showed (`where.object` of the preview, e.g. "pod/tiendi-api-7d…").
         * When the action would now act on another one (a rollout replaced the pod), core refuses.
         */
        expectObject: z.string().max(300).optional(),
      })
      .strict(),
    res: z.object({ journalId: z.string(), outcome: z.enum(['done', 'dry-run']), message: z.string() }),
  },
  'journal.list': {
    req: z.object({ limit: z.number().int().positive().max(10_000).default(200) }).strict(),
    /** `damage`: lines that could not be read back (e.g. torn by a crash); the UI says so. */
    res: z.object({ entries: z.array(journalEntrySchema), damage: z.array(journalDamageSchema).optional() }),
  },
  'journal.addNote': {
    req: z.object({ text: z.string().min(1).max(20_000) }).strict(),
    res: journalEntrySchema,
  },
  /** Pins any result (a diagnosis output, a chart value, an alert) into the journal as it was seen. */
  'journal.pinResult': {
    req: z
      .object({
        title: z.string().min(1).max(500),
        text: z.string().max(20_000).default(''),
        source: z.string().min(1).max(100),
        data: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
    res: journalEntrySchema,
  },
  /** The handoff summary of the current shift (or any range), rendered in one format. */
  'handoff.getSummary': {
    req: z
      .object({
        from: epochMsSchema.optional(),
        to: epochMsSchema.optional(),
        format: z.enum(['md', 'html', 'json']).default('md'),
        lang: z.enum(['es', 'en']).default('es'),
      })
      .strict(),
    res: z.object({ from: epochMsSchema, to: epochMsSchema, format: z.enum(['md', 'html', 'json']), content: z.string() }),
  },
  /** The pack's incident process (runbook 6): classification, phases, war room, status page, escalation. */
  'incidents.getProcess': {
    req: none,
    res: incidentsSchema,
  },
  'incidents.list': {
    req: none,
    res: z.object({ incidents: z.array(incidentSchema) }),
  },
  'incidents.declare': {
    req: z
      .object({
        title: z.string().min(1).max(200),
        severity: severityIdSchema,
        alertFingerprint: z.string().max(200).optional(),
        /** Declared from a PagerDuty incident (as listed by paging.listIncidents): its creation is the detection. */
        pagingIncident: z.object({ id: z.string().max(100), createdAt: epochMsSchema }).strict().optional(),
        /** Short words for the war-room channel (runbook: #incident-YYYY-MM-DD-description). */
        slug: z.string().max(60).optional(),
      })
      .strict(),
    res: incidentSchema,
  },
  'incidents.setPhase': {
    req: z.object({ incidentId: z.string(), phase: incidentPhaseIdSchema }).strict(),
    res: incidentSchema,
  },
  'incidents.assignRole': {
    req: z.object({ incidentId: z.string(), role: warRoomRoleIdSchema, person: z.string().min(1).max(100) }).strict(),
    res: incidentSchema,
  },
  'incidents.resolve': {
    req: z.object({ incidentId: z.string() }).strict(),
    res: incidentSchema,
  },
  /** A post-mortem draft in the pack's template, from the incident's journal, with blameless-language findings. */
  'incidents.draftPostmortem': {
    req: z.object({ incidentId: z.string(), lang: z.enum(['es', 'en']).default('es') }).strict(),
    res: z.object({
      markdown: z.string(),
      findings: z.array(z.object({ line: z.number().int().positive(), phrase: z.string(), suggestion: z.string() })),
    }),
  },
  /** Checks any text (an edited post-mortem) against the pack's blameless-language rules. */
  'incidents.checkBlameless': {
    req: z.object({ text: z.string().max(200_000) }).strict(),
    res: z.object({ findings: z.array(z.object({ line: z.number().int().positive(), phrase: z.string(), suggestion: z.string() })) }),
  },
  /** Posts through the configured status-page connector; without one, journals it and says to copy it. */
  'statuspage.postUpdate': {
    req: z
      .object({
        incidentId: z.string().optional(),
        component: z.string().min(1).max(100),
        status: statusUpdateSchema.shape.status,
        message: z.string().min(1).max(5000),
      })
      .strict(),
    res: z.object({ update: statusUpdateSchema, delivered: z.boolean(), via: z.string(), journalId: z.string() }),
  },
  'maintenance.get': {
    req: none,
    res: z.object({
      next: z.object({ start: epochMsSchema, end: epochMsSchema }),
      active: z.object({ start: epochMsSchema, end: epochMsSchema, silenceIds: z.array(z.string()) }).nullable(),
      /** Whether the alert sources can silence (the Alertmanager API v2 can; a plain Prometheus cannot). */
      canSilence: z.boolean(),
      checklist: z.array(
        z.object({
          id: z.string(),
          when: localizedSchema,
          dueAt: epochMsSchema.nullable(),
          items: z.array(z.object({ index: z.number().int(), text: localizedSchema, done: z.boolean(), by: z.string().nullable() })),
        }),
      ),
    }),
  },
  'maintenance.checkItem': {
    req: z.object({ stageId: z.string(), index: z.number().int().nonnegative(), done: z.boolean() }).strict(),
    res: journalEntrySchema,
  },
  /** Starts the next window now: silences its scope until the window's end (typed confirmation "maintenance"). */
  'maintenance.startWindow': {
    req: z.object({ confirm: z.string() }).strict(),
    res: z.object({ silenceIds: z.array(z.string()), until: epochMsSchema }),
  },
  'maintenance.endWindow': {
    req: z.object({ confirm: z.string() }).strict(),
    res: z.object({ expired: z.array(z.string()) }),
  },
  /** Snooze state, the on-call filter and what still waits for an acknowledgement. */
  'notifications.getState': { req: none, res: notificationStateSchema },
  /** Snoozes notifications for `minutes` (default: the configured 15); 0 ends the snooze. */
  'notifications.snooze': {
    req: z.object({ minutes: z.number().int().min(0).max(24 * 60).optional() }).strict(),
    res: notificationStateSchema,
  },
  /**
   * The Acknowledge action of a notification (or of the tray's "ack all mine"): acks the incident in
   * PagerDuty, else silences the alert in Alertmanager, else stops Guardia's reminders. The click on the
   * action that names what it does is the confirmation; journaled before and after, never retried.
   */
  'notifications.acknowledge': {
    req: z
      .object({
        notificationId: z.string().optional(),
        alertFingerprint: z.string().optional(),
        incidentId: z.string().optional(),
        /** Every notified, unacknowledged item of mine. */
        allMine: z.boolean().optional(),
      })
      .strict(),
    res: z.object({
      outcomes: z.array(z.object({ key: z.string(), target: ackTargetSchema, ok: z.boolean(), message: z.string() })),
      journalId: z.string().nullable(),
    }),
  },
  /** Who is on call now and next, from the pack's rotation or PagerDuty, and my own shift. */
  'shift.get': { req: none, res: shiftInfoSchema },
  /** The environment's connections with whether each secret is set (names only, never values). */
  'connections.list': {
    req: none,
    res: z.object({ connections: z.array(connectionInfoSchema), keychainError: z.string().nullable() }),
  },
  /** Really calls the service (Prometheus buildinfo, Alertmanager status, PagerDuty /users/me, SELECT 1, PING). */
  'connections.test': { req: z.object({ id: z.string() }).strict(), res: connectionTestSchema },
  /** Write-only: the secret goes to the keychain once and is never sent back. */
  'connections.setSecret': {
    req: z.object({ id: z.string(), secret: z.string().min(1).max(16_384) }).strict(),
    res: connectionInfoSchema,
  },
  'connections.deleteSecret': { req: z.object({ id: z.string() }).strict(), res: connectionInfoSchema },
  /** PagerDuty incidents (mine or all, filtered), with who I am there; paginated by core. */
  'paging.listIncidents': {
    req: pagingListRequestSchema,
    res: z.object({
      incidents: z.array(pagingIncidentSchema),
      /** More incidents matched than core fetched (it stops at 500). */
      more: z.boolean(),
      me: pagingUserSchema.nullable(),
      updatedAt: epochMsSchema.nullable(),
      stale: staleSchema,
    }),
  },
  /** Incident changes: confirmed in the UI, journaled before and after, never auto-retried. */
  'paging.acknowledge': { req: acknowledgeRequestSchema, res: pagingWriteResultSchema },
  'paging.resolve': { req: resolveRequestSchema, res: pagingWriteResultSchema },
  'paging.reassign': { req: reassignRequestSchema, res: pagingWriteResultSchema },
  'paging.snooze': { req: snoozeRequestSchema, res: pagingWriteResultSchema },
  'paging.addNote': { req: addNoteRequestSchema, res: pagingWriteResultSchema },
  /** One incident with its log entries and notes, oldest first. */
  'paging.getTimeline': {
    req: z.object({ id: z.string().min(1).max(64) }).strict(),
    res: z.object({ incident: pagingIncidentSchema, entries: z.array(timelineEntrySchema) }),
  },
  /** Who is on call now and next per escalation level, my own next shift, and reassignment targets. */
  'paging.getOnCall': {
    req: none,
    res: z.object({
      me: pagingUserSchema.nullable(),
      now: z.array(onCallSchema),
      next: z.array(onCallSchema),
      myShift: z.object({ start: epochMsSchema.nullable(), end: epochMsSchema.nullable() }).nullable(),
      escalationPolicies: z.array(pagingRefSchema),
      users: z.array(pagingRefSchema),
    }),
  },
  /** Who is signed in to Azure in this environment (claims only, never a token). */
  'azure.getStatus': { req: none, res: azureStatusSchema },
  /** Starts the configured sign-in; device-code and browser flows report progress on azure.changed. */
  'azure.signIn': { req: none, res: azureStatusSchema },
  /** Forgets the credential and its in-memory tokens. */
  'azure.signOut': { req: none, res: azureStatusSchema },
  /** The pack's KQL and Azure Monitor metric steps, for the Azure view. */
  'azure.listQueries': { req: none, res: z.object({ queries: z.array(azureQuerySummarySchema) }) },
  /** Runs one KQL or metrics step of the pack (read-only); partial results come back marked partial. */
  'azure.runQuery': {
    req: z.object({ playbookId: z.string(), stepId: z.string() }).strict(),
    res: azureQueryResultSchema,
  },
  /** The AKS node-pool upgrade of runbook section 8.2 as a procedure: its steps and where it stands. */
  'azure.getUpgrade': { req: none, res: aksUpgradeSchema.nullable() },
  /**
   * Starts, resumes or pauses the guided upgrade. Start and resume require typing the node pool's name;
   * pausing stops after the step in progress. Every step is journaled before and after.
   */
  'azure.controlUpgrade': {
    req: z.object({ command: z.enum(['start', 'resume', 'pause']), confirm: z.string().default('') }).strict(),
    res: aksUpgradeSchema,
  },
  /** Importing kubeconfig contexts into the OS keychain (shared/kube-import.ts). */
  ...kubeImportChannels,
  /** The environment's Kubernetes context: list, switch, allow an exec plugin (shared/kubernetes.ts). */
  ...kubernetesChannels,
} as const;

/** Live pushes from core. Names are `domain.changed`; payloads are deltas, not whole states. */
export const eventChannels = {
  /** New samples for dashboard and SLO queries, one tick of the poller. */
  'metrics.changed': z.object({
    time: epochMsSchema,
    /** series key → value at `time` */
    values: z.record(z.string(), z.number().nullable()),
    health: z.array(healthItemSchema),
  }),
  'slos.changed': z.object({ slos: z.array(sloStatusSchema), updatedAt: epochMsSchema }),
  'alerts.changed': z.object({
    firing: z.array(alertSchema),
    resolved: z.array(alertSchema),
    /** Still active, but silenced, inhibited or otherwise changed since the last poll (not new: no notification). */
    updated: z.array(alertSchema).optional(),
    active: z.number().int().nonnegative(),
    updatedAt: epochMsSchema,
  }),
  'sources.changed': z.object({
    source: z.string(),
    status: z.enum(['ok', 'stale']),
    since: epochMsSchema.nullable(),
    reason: z.string().nullable(),
  }),
  'notifications.changed': notificationSchema,
  'journal.changed': journalEntrySchema,
  /** The shell asks the window to show something (a notification's Open action focuses its alert). */
  'navigation.changed': z.object({ view: z.enum(['alerts', 'shift', 'settings']), alertFingerprint: z.string().nullable() }),
  /** A diagnosis step's result as it arrives (step), then the run's end (done). */
  'playbooks.changed': playbooksChangedSchema,
  /** PagerDuty incidents that appeared or changed (status, assignees) since the last poll, and those gone from the active list. */
  'paging.changed': z.object({
    /** Every open incident after this poll: the notification policy re-notifies unacknowledged ones from it. */
    incidents: z.array(pagingIncidentSchema),
    added: z.array(pagingIncidentSchema),
    updated: z.array(pagingIncidentSchema),
    removed: z.array(z.string()),
    updatedAt: epochMsSchema,
  }),
  /** Azure sign-in changed (signed in/out, a device code to show) or the guided AKS upgrade moved. */
  'azure.changed': z.object({ status: azureStatusSchema, upgrade: aksUpgradeSchema.nullable() }),
  ...kubernetesEventChannels,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['req']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['res']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof eventChannels)[E]>;

export const invokeChannelNames = Object.keys(invokeChannels) as InvokeChannel[];
export const eventChannelNames = Object.keys(eventChannels) as EventChannel[];

export function isInvokeChannel(name: string): name is InvokeChannel {
  return Object.hasOwn(invokeChannels, name);
}

/** IPC channel names are prefixed so no other Electron message can collide with the contract. */
export const ipcPrefix = 'guardia:';
