import { z } from 'zod';
import { epochMsSchema } from './domain.js';

/**
 * Paging (PagerDuty incidents and on-call) as it crosses the contract: neutral shapes core builds
 * from the REST API or from the demo, so the renderer never sees a PagerDuty payload (or a token).
 */

export const pagingStatusSchema = z.enum(['triggered', 'acknowledged', 'resolved']);
export type PagingStatus = z.infer<typeof pagingStatusSchema>;

export const pagingUrgencySchema = z.enum(['high', 'low']);
export type PagingUrgency = z.infer<typeof pagingUrgencySchema>;

/** A PagerDuty object named by id and its human name (user, service, escalation policy, schedule). */
export const pagingRefSchema = z.object({ id: z.string(), name: z.string() });
export type PagingRef = z.infer<typeof pagingRefSchema>;

export const pagingUserSchema = pagingRefSchema.extend({ email: z.string() });
export type PagingUser = z.infer<typeof pagingUserSchema>;

/** An incident as Guardia shows it. */
export const pagingIncidentSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  status: pagingStatusSchema,
  urgency: pagingUrgencySchema,
  service: pagingRefSchema,
  escalationPolicy: pagingRefSchema.nullable(),
  assignees: z.array(pagingRefSchema),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
  /** The dedup key the incident was triggered with (Events API), used to link it to an alert. */
  incidentKey: z.string().nullable(),
  /** Only an https: URL, else null (opened through core after validation). */
  htmlUrl: z.string().nullable(),
  assignedToMe: z.boolean(),
  /** Fingerprints of the Guardia alerts this incident pages for (pack mapping). */
  alertFingerprints: z.array(z.string()),
});
export type PagingIncident = z.infer<typeof pagingIncidentSchema>;

/** One line of an incident's timeline: a PagerDuty log entry or a note. */
export const timelineEntrySchema = z.object({
  id: z.string(),
  time: epochMsSchema,
  kind: z.enum(['trigger', 'acknowledge', 'assign', 'escalate', 'notify', 'snooze', 'unacknowledge', 'resolve', 'note', 'other']),
  summary: z.string(),
  agent: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** Who holds an escalation level, for how long. */
export const onCallSchema = z.object({
  user: pagingRefSchema,
  level: z.number().int().positive(),
  escalationPolicy: pagingRefSchema,
  schedule: pagingRefSchema.nullable(),
  start: epochMsSchema.nullable(),
  end: epochMsSchema.nullable(),
});
export type OnCall = z.infer<typeof onCallSchema>;

/** The outcome of one incident in a (bulk) change: "already" counts as success. */
export const pagingOutcomeSchema = z.object({
  id: z.string(),
  outcome: z.enum(['done', 'already', 'failed']),
  message: z.string(),
});
export type PagingOutcome = z.infer<typeof pagingOutcomeSchema>;

/** What every incident change answers: the journal entry written before the call and each incident's outcome. */
export const pagingWriteResultSchema = z.object({ journalId: z.string().nullable(), results: z.array(pagingOutcomeSchema) });

const incidentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a PagerDuty incident id');
const idsSchema = z.array(incidentIdSchema).max(100).default([]);
/** Incident changes are confirmed in the UI; the caller states it explicitly. */
const confirmedSchema = z.literal(true, { error: 'confirm the change first (confirm: true)' });

export const pagingListRequestSchema = z
  .object({
    scope: z.enum(['mine', 'all']).default('all'),
    statuses: z.array(pagingStatusSchema).max(3).default(['triggered', 'acknowledged']),
    urgencies: z.array(pagingUrgencySchema).max(2).default([]),
    serviceIds: z.array(z.string().min(1)).max(50).default([]),
  })
  .strict();

export const acknowledgeRequestSchema = z
  .object({
    ids: idsSchema,
    /** "Ack all mine": core picks my triggered incidents at call time. */
    allMine: z.boolean().default(false),
    confirm: confirmedSchema,
  })
  .strict()
  .refine((r) => r.allMine || r.ids.length > 0, { message: 'name at least one incident or set allMine' });

export const resolveRequestSchema = z.object({ ids: z.array(incidentIdSchema).min(1).max(100), confirm: confirmedSchema }).strict();

export const reassignRequestSchema = z
  .object({
    ids: z.array(incidentIdSchema).min(1).max(100),
    userId: z.string().min(1).optional(),
    escalationPolicyId: z.string().min(1).optional(),
    confirm: confirmedSchema,
  })
  .strict()
  .refine((r) => (r.userId === undefined) !== (r.escalationPolicyId === undefined), {
    message: 'reassign to exactly one of userId or escalationPolicyId',
  });

export const snoozeRequestSchema = z
  .object({ id: incidentIdSchema, minutes: z.number().int().min(1).max(7 * 24 * 60), confirm: confirmedSchema })
  .strict();

export const addNoteRequestSchema = z.object({ id: incidentIdSchema, text: z.string().trim().min(1).max(25_000), confirm: confirmedSchema }).strict();
