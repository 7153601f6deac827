import { z } from 'zod';

/**
 * Schemas of the paging side of the contract that the notifications, shift and connections modules
 * share: the `notifications:` section of the configuration, the notification state the renderer shows
 * (snooze, pending acknowledgements), the on-call shift and the connections list. Kept apart from
 * domain.ts so config.ts can import the settings without pulling in the rest of the domain.
 */

const severity = z.enum(['P1', 'P2', 'P3', 'P4']);

/** `notifications:` in the configuration file: what wakes you, and how often. */
export const notificationSettingsSchema = z
  .strictObject({
    /** New alerts of these severities notify (runbook: P1 and P2 page). */
    severities: z.array(severity).default(['P1', 'P2']),
    /** More than `stormThreshold` notifications within `stormWindowSeconds` become one summary. */
    stormThreshold: z.number().int().min(1).max(1000).default(3),
    stormWindowSeconds: z.number().int().min(1).max(3600).default(20),
    /** Severities notified again while unacknowledged, every rotation.ackWithinMinutes (runbook: 5). */
    renotifySeverities: z.array(severity).default(['P1']),
    /** Off call: `assigned` = only incidents assigned to me; `all` = everything; `none` = nothing. */
    offCall: z.enum(['assigned', 'all', 'none']).default('assigned'),
    /** How long "snooze" lasts by default. */
    snoozeMinutes: z.number().int().min(1).max(24 * 60).default(15),
    /** Severities that still notify while snoozed. */
    pierceSnooze: z.array(severity).default(['P1']),
    /** Minutes before my shift starts, and before my handoff, to remind me; 0 turns reminders off. */
    shiftReminderMinutes: z.number().int().min(0).max(24 * 60).default(30),
    /** My name as the pack's rotation writes it; decides whether I am on call (PagerDuty's /users/me wins when connected). */
    me: z.string().min(1).optional(),
    /** How long an Alertmanager silence made by "Acknowledge" lasts. */
    ackSilenceMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  })
  .prefault({});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** What the Acknowledge action of a notification will do, so the UI can say it before the click. */
export const ackTargetSchema = z.enum(['pagerduty', 'silence', 'local']);

/** A notification that still waits for an acknowledgement (re-notified until then). */
export const pendingAckSchema = z.object({
  key: z.string(),
  severity,
  title: z.string(),
  firstNotifiedAt: z.number().int().nonnegative(),
  lastNotifiedAt: z.number().int().nonnegative(),
  times: z.number().int().positive(),
  alertFingerprint: z.string().nullable(),
  incidentId: z.string().nullable(),
  ackTarget: ackTargetSchema,
});

/** The notification state every face shows: snooze, on-call filter and what waits for an ack. */
export const notificationStateSchema = z.object({
  snoozedUntil: z.number().int().nonnegative().nullable(),
  snoozeMinutes: z.number().int().positive(),
  pierceSnooze: z.array(severity),
  onCall: z.boolean().nullable(),
  offCall: z.enum(['assigned', 'all', 'none']),
  me: z.string().nullable(),
  pending: z.array(pendingAckSchema),
  ackWithinMinutes: z.number().int().positive(),
});
export type NotificationState = z.infer<typeof notificationStateSchema>;

/** One week (or PagerDuty on-call span) of the rotation. */
export const shiftSpanSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  primary: z.string(),
  secondary: z.string().nullable(),
  backup: z.string().nullable(),
});
export type ShiftSpan = z.infer<typeof shiftSpanSchema>;

/** Who is on call now and next, and where my own shift stands. */
export const shiftInfoSchema = z.object({
  source: z.enum(['pack', 'pagerduty']),
  timezone: z.string(),
  handoff: z.object({ weekday: z.string(), time: z.string(), meetingMinutes: z.number().int() }),
  current: shiftSpanSchema.nullable(),
  next: shiftSpanSchema.nullable(),
  me: z.string().nullable(),
  myRole: z.enum(['primary', 'secondary', 'backup']).nullable(),
  /** When my next shift (any role) starts, if I am in the rotation. */
  myNextStart: z.number().int().nullable(),
  /** The pack's dates are historical: the rotation is extended cyclically from them to today. */
  extendedFrom: z.string().nullable(),
});
export type ShiftInfo = z.infer<typeof shiftInfoSchema>;

/** Kinds of connection Settings → Connections can test. */
export const connectionKindSchema = z.enum(['prometheus', 'alertmanager', 'pagerduty', 'postgres', 'redis', 'kubernetes', 'azure']);
export type ConnectionKind = z.infer<typeof connectionKindSchema>;

/** A connection as the renderer sees it: its name and whether its secret is set, never the secret. */
export const connectionInfoSchema = z.object({
  id: z.string(),
  kind: connectionKindSchema,
  name: z.string(),
  /** Where it points (URL or host:port/db), without credentials. */
  target: z.string(),
  /** The demo's simulated systems: listed, testable, with no secret to set. */
  builtIn: z.boolean(),
  /** Keychain entry name, or null when this connection takes no secret. */
  secretName: z.string().nullable(),
  /** Whether the keychain holds that entry; null when unknown (keychain unavailable) or no secret. */
  secretSet: z.boolean().nullable(),
  /** Why `secretSet` is unknown (e.g. "no Secret Service"). */
  keychainError: z.string().nullable(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

/** Result of "Test connection": what the service said, how long it took. */
export const connectionTestSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  latencyMs: z.number().nonnegative(),
});
