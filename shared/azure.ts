import { z } from 'zod';

/**
 * What crosses the contract about Azure: sign-in state (who, never a token), the results of KQL and
 * Azure Monitor metric steps, and the current/target values an Azure action shows before it runs.
 */

export const azureSignInMethodSchema = z.enum(['interactive-browser', 'device-code', 'azure-cli', 'service-principal']);
export type AzureSignInMethod = z.infer<typeof azureSignInMethodSchema>;

/** Who is signed in, from the access token's claims (upn / unique_name for people, appid for apps). */
export const azureAccountSchema = z.object({
  name: z.string(),
  kind: z.enum(['user', 'service-principal']),
  tenantId: z.string().nullable(),
  /** When the current access token expires (the credential renews it). */
  expiresAt: z.number().int().nonnegative().nullable(),
});

export const azureStatusSchema = z.object({
  /** False when this environment has no Azure connection. */
  configured: z.boolean(),
  /** The embedded demo answers through a stand-in; no sign-in happens. */
  demo: z.boolean(),
  method: azureSignInMethodSchema.nullable(),
  subscriptionId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  state: z.enum(['signed-out', 'signing-in', 'signed-in', 'error']),
  account: azureAccountSchema.nullable(),
  /** While a device-code sign-in waits: the code to type at the verification page. */
  deviceCode: z.object({ userCode: z.string(), verificationUri: z.string(), message: z.string() }).nullable(),
  error: z.string().nullable(),
  /** Where tokens live: only in memory (no persistence plugin installed), never on disk in plain text. */
  tokenCache: z.literal('memory'),
});
export type AzureStatus = z.infer<typeof azureStatusSchema>;

export const azureCellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const azureTableSchema = z.object({
  name: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(azureCellSchema)),
});
export type AzureTable = z.infer<typeof azureTableSchema>;

/** One line of a chart: [epoch ms, value] oldest first. */
export const azureSeriesSchema = z.object({
  name: z.string(),
  unit: z.string().nullable(),
  points: z.array(z.tuple([z.number().int(), z.number().nullable()])),
});
export type AzureSeries = z.infer<typeof azureSeriesSchema>;

/** A KQL or metrics step's result: tables, and series when the data is a time series. */
export const azureQueryResultSchema = z.object({
  kind: z.enum(['logs', 'metrics']),
  /** 'partial': Log Analytics returned some rows and an error (PartialFailure); both are shown. */
  status: z.enum(['success', 'partial']),
  partialError: z.string().nullable(),
  tables: z.array(azureTableSchema),
  series: z.array(azureSeriesSchema),
  /** ISO 8601 duration the query covered (e.g. PT1H). */
  timespan: z.string(),
  /** Rows beyond what the UI shows were dropped (the table says so). */
  truncated: z.boolean(),
  ranAt: z.number().int().nonnegative(),
});
export type AzureQueryResult = z.infer<typeof azureQueryResultSchema>;

/** A pack step that Azure answers (KQL or metrics), as the Azure view lists it. */
export const azureQuerySummarySchema = z.object({
  playbookId: z.string(),
  stepId: z.string(),
  kind: z.enum(['logs', 'metrics']),
  title: z.object({ es: z.string(), en: z.string() }),
  command: z.string(),
});

/** What an Azure action will change, read live before the confirmation: shown as "current → target". */
export const azureActionPreviewSchema = z.object({
  resource: z.string(),
  setting: z.string(),
  current: z.string().nullable(),
  target: z.string(),
  /** Already at the target: running it would change nothing. */
  unchanged: z.boolean(),
  /** e.g. "max_connections needs a server restart to take effect". */
  notes: z.array(z.string()),
});
export type AzureActionPreview = z.infer<typeof azureActionPreviewSchema>;

/** The AKS node-pool upgrade of runbook §8.2 as a procedure: one entry per step, each journaled. */
export const aksUpgradeStepSchema = z.object({
  id: z.string(),
  kind: z.enum(['cordon', 'drain', 'upgrade', 'uncordon', 'wait-ready']),
  node: z.string().nullable(),
  title: z.string(),
  state: z.enum(['pending', 'running', 'done', 'failed']),
  message: z.string().nullable(),
});

export const aksUpgradeSchema = z.object({
  cluster: z.string(),
  nodePool: z.string(),
  fromVersion: z.string().nullable(),
  toVersion: z.string(),
  state: z.enum(['ready', 'running', 'paused', 'done', 'failed']),
  steps: z.array(aksUpgradeStepSchema),
});
export type AksUpgrade = z.infer<typeof aksUpgradeSchema>;
