import { z } from 'zod';
import {
  alertSchema,
  dashboardDataSchema,
  environmentInfoSchema,
  epochMsSchema,
  healthItemSchema,
  journalEntrySchema,
  notificationSchema,
  playbookSummarySchema,
  sloStatusSchema,
  staleSchema,
} from './domain.js';
import { localizedSchema } from './pack.js';

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
  'alerts.list': {
    req: none,
    res: z.object({ alerts: z.array(alertSchema), updatedAt: epochMsSchema.nullable(), stale: staleSchema }),
  },
  'playbooks.list': {
    req: none,
    res: z.object({ playbooks: z.array(playbookSummarySchema) }),
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
      })
      .strict(),
    res: z.object({ journalId: z.string(), outcome: z.enum(['done', 'dry-run']), message: z.string() }),
  },
  'journal.list': {
    req: z.object({ limit: z.number().int().positive().max(10_000).default(200) }).strict(),
    res: z.object({ entries: z.array(journalEntrySchema) }),
  },
  'journal.addNote': {
    req: z.object({ text: z.string().min(1).max(20_000) }).strict(),
    res: journalEntrySchema,
  },
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
