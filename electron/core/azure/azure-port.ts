import type { AzureQueryResult, AzureStatus } from '../../../shared/azure.js';

/**
 * The Azure operations Guardia uses. The real connector (Microsoft's SDKs) and the demo stand-in
 * implement it, so the step runner, the actions and the UI never know which they talk to.
 */

/** A KQL query against the environment's Log Analytics workspace. */
export interface LogsQuery {
  query: string;
  /** ISO 8601 duration, e.g. PT1H. */
  timespan: string;
  /** Log Analytics' own time limit (Prefer: wait=N). */
  serverTimeoutSeconds?: number;
}

/** An Azure Monitor metrics batch query over resources of one namespace. */
export interface MetricsQuery {
  /** Full ARM resource ids, all in the same subscription and region. */
  resourceIds: string[];
  namespace: string;
  metricNames: string[];
  /** Average, Maximum, Minimum, Total or Count. */
  aggregation: string;
  /** ISO 8601 grain, e.g. PT1M. */
  interval: string;
  /** ISO 8601 duration back from now, e.g. PT1H. */
  timespan: string;
}

export interface PostgresServerInfo {
  name: string;
  sku: string;
  tier: string | null;
  state: string | null;
}

export interface PostgresParameterInfo {
  name: string;
  value: string | null;
  defaultValue: string | null;
  /** Azure's isConfigPendingRestart / static parameters: the new value applies after a restart. */
  restartRequired: boolean;
}

export interface AgentPoolInfo {
  name: string;
  orchestratorVersion: string | null;
  count: number | null;
  provisioningState: string | null;
}

export interface AzurePort {
  /** Who is signed in (never a token). */
  status(): AzureStatus;
  /** Sign-in changes (and the device code while one waits). Returns an unsubscribe function. */
  onStatus(listener: (status: AzureStatus) => void): () => void;
  signIn(): Promise<AzureStatus>;
  signOut(): Promise<AzureStatus>;
  queryLogs(query: LogsQuery, signal?: AbortSignal): Promise<AzureQueryResult>;
  queryMetrics(query: MetricsQuery, signal?: AbortSignal): Promise<AzureQueryResult>;
  getPostgresServer(resourceGroup: string, server: string, signal?: AbortSignal): Promise<PostgresServerInfo>;
  getPostgresParameter(resourceGroup: string, server: string, name: string, signal?: AbortSignal): Promise<PostgresParameterInfo>;
  /** A mutation: sent once, never retried; waits for the long-running operation to finish. */
  updatePostgresSku(resourceGroup: string, server: string, sku: string, signal?: AbortSignal): Promise<PostgresServerInfo>;
  /** A mutation: sent once, never retried; waits for the long-running operation to finish. */
  setPostgresParameter(resourceGroup: string, server: string, name: string, value: string, signal?: AbortSignal): Promise<PostgresParameterInfo>;
  getAgentPool(resourceGroup: string, cluster: string, pool: string, signal?: AbortSignal): Promise<AgentPoolInfo>;
  /** A mutation (`az aks nodepool upgrade`): sent once, never retried. */
  upgradeAgentPool(resourceGroup: string, cluster: string, pool: string, version: string, signal?: AbortSignal): Promise<AgentPoolInfo>;
  /** Subscription and defaults the pack's steps resolve ARM ids against. */
  readonly subscriptionId: string;
  readonly defaultResourceGroup: string | null;
}
