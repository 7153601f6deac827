import { ContainerServiceClient, type AgentPool } from '@azure/arm-containerservice';
import { PostgreSQLManagementFlexibleServerClient, type Configuration, type Server } from '@azure/arm-postgresql-flexible';
import { LogsQueryClient, LogsQueryResultStatus, type LogsTable } from '@azure/monitor-query-logs';
import { MetricsClient } from '@azure/monitor-query-metrics';
import type { AzureQueryResult, AzureStatus, AzureTable } from '../../../shared/azure.js';
import type { AzureConnection } from '../../../shared/config.js';
import type { Clock, SecretStore } from '../ports.js';
import { azureError } from './azure-errors.js';
import type { AgentPoolInfo, AzurePort, LogsQuery, MetricsQuery, PostgresParameterInfo, PostgresServerInfo } from './azure-port.js';
import { AzureSignIn, armScope, type AzureClientOptions } from './azure-sign-in.js';
import { durationMs, seriesFromTable, toTable } from './query-results.js';

/** Public-cloud endpoints; a configuration overrides them for sovereign clouds or a test double. */
const publicCloud = {
  resourceManager: 'https://management.azure.com',
  logAnalytics: 'https://api.loganalytics.io',
} as const;

/** What the connector needs besides the configuration: the keychain, a clock, SDK options for tests. */
export interface AzureConnectorDeps {
  secrets: SecretStore;
  clock: Pick<Clock, 'now'>;
  /** TLS trust and read-retry timing (tests point the SDKs at a local HTTPS fake). */
  clientOptions?: AzureClientOptions;
  /** LRO polling interval (Azure suggests one through Retry-After; tests shorten it). */
  pollIntervalMs?: number;
  /** Called with the service principal's secret when read from the keychain (the log redactor). */
  onSecret?: (secret: string) => void;
}

/**
 * The real Azure: @azure/identity for sign-in, @azure/monitor-query-logs and -metrics for diagnosis,
 * the ARM SDKs for PostgreSQL Flexible Server and AKS — never hand-written REST. Reads go through
 * clients with the SDKs' default retry (exponential backoff, Retry-After honoured); mutations go
 * through separate clients with retries off, so a change is sent exactly once.
 */
export class AzureConnector implements AzurePort {
  /** The sign-in every SDK client shares (a TokenCredential that also reports who is signed in). */
  readonly session: AzureSignIn;
  readonly subscriptionId: string;
  readonly defaultResourceGroup: string | null;
  private readonly logs: LogsQueryClient;
  private readonly metricsByEndpoint = new Map<string, MetricsClient>();
  private readonly pgRead: PostgreSQLManagementFlexibleServerClient;
  private readonly pgWrite: PostgreSQLManagementFlexibleServerClient;
  private readonly aksRead: ContainerServiceClient;
  private readonly aksWrite: ContainerServiceClient;

  constructor(
    private readonly connection: AzureConnection,
    private readonly deps: AzureConnectorDeps,
  ) {
    const opts = deps.clientOptions ?? {};
    this.session = new AzureSignIn(connection, deps.secrets, opts, deps.onSecret);
    this.subscriptionId = connection.subscriptionId;
    this.defaultResourceGroup = connection.resourceGroup ?? null;
    const arm = this.armEndpoint;
    const la = (connection.endpoints?.logAnalytics ?? publicCloud.logAnalytics).replace(/\/$/, '');
    const credential = this.session;
    this.logs = new LogsQueryClient(credential, {
      ...opts,
      endpoint: `${la}/v1`,
      credentials: { scopes: [`${la}/.default`] },
    });
    const armScopes = [armScope(arm)];
    const noRetry = { ...opts, retryOptions: { maxRetries: 0 } };
    this.pgRead = new PostgreSQLManagementFlexibleServerClient(credential, this.subscriptionId, {
      ...opts, endpoint: arm, $host: arm, credentialScopes: armScopes,
    });
    this.pgWrite = new PostgreSQLManagementFlexibleServerClient(credential, this.subscriptionId, {
      ...noRetry, endpoint: arm, $host: arm, credentialScopes: armScopes,
    });
    this.aksRead = new ContainerServiceClient(credential, this.subscriptionId, { ...opts, endpoint: arm, credentials: { scopes: armScopes } });
    this.aksWrite = new ContainerServiceClient(credential, this.subscriptionId, { ...noRetry, endpoint: arm, credentials: { scopes: armScopes } });
  }

  private get armEndpoint(): string {
    return (this.connection.endpoints?.resourceManager ?? publicCloud.resourceManager).replace(/\/$/, '');
  }

  status(): AzureStatus {
    return this.session.status();
  }

  onStatus(listener: (s: AzureStatus) => void): () => void {
    return this.session.onStatus(listener);
  }

  async signIn(): Promise<AzureStatus> {
    // Device-code and browser sign-ins wait for the user: report progress through onStatus.
    void this.session.signIn().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    return this.status();
  }

  /** Waits for a sign-in to finish (CLI and tests). */
  signInAndWait(): Promise<void> {
    return this.session.signIn();
  }

  async signOut(): Promise<AzureStatus> {
    this.session.signOut();
    return this.status();
  }

  private get workspaceId(): string {
    const id = this.connection.workspaceId;
    if (!id) throw azureError(new Error('no workspaceId in the azure connection'), 'Log Analytics', 'logs');
    return id;
  }

  async queryLogs(q: LogsQuery, signal?: AbortSignal): Promise<AzureQueryResult> {
    const where = `Log Analytics workspace ${this.connection.workspaceId ?? '(none configured)'}`;
    try {
      const result = await this.logs.queryWorkspace(this.workspaceId, q.query, { duration: q.timespan }, {
        serverTimeoutInSeconds: q.serverTimeoutSeconds,
        abortSignal: signal,
      });
      const partial = result.status === LogsQueryResultStatus.PartialFailure;
      const tables = partial ? result.partialTables : result.tables;
      const converted = tables.map((t: LogsTable) => toTable(t.name, t.columnDescriptors, t.rows));
      const contractTables: AzureTable[] = converted.map((c) => c.table);
      return {
        kind: 'logs',
        status: partial ? 'partial' : 'success',
        partialError: partial ? partialMessage(result.partialError) : null,
        tables: contractTables,
        series: contractTables[0] ? seriesFromTable(contractTables[0]) : [],
        timespan: q.timespan,
        truncated: converted.some((c) => c.truncated),
        ranAt: this.deps.clock.now(),
      };
    } catch (error) {
      throw azureError(error, where, 'logs');
    }
  }

  private metricsClient(): MetricsClient {
    const configured = this.connection.endpoints?.metrics;
    const region = this.connection.region;
    if (!configured && !region) {
      throw azureError(new Error('set azure.region (or endpoints.metrics) to query Azure Monitor metrics'), 'Azure Monitor metrics', 'metrics');
    }
    const endpoint = (configured ?? `https://${region}.metrics.monitor.azure.com`).replace(/\/$/, '');
    let client = this.metricsByEndpoint.get(endpoint);
    if (!client) {
      client = new MetricsClient(endpoint, this.session, { ...this.deps.clientOptions, audience: `${this.armEndpoint}/.default` });
      this.metricsByEndpoint.set(endpoint, client);
    }
    return client;
  }

  async queryMetrics(q: MetricsQuery, _signal?: AbortSignal): Promise<AzureQueryResult> {
    const where = `Azure Monitor metrics of ${q.resourceIds.map(shortId).join(', ')}`;
    try {
      const end = this.deps.clock.now();
      const results = await this.metricsClient().queryResources(q.resourceIds, q.metricNames, q.namespace, {
        startTime: new Date(end - durationMs(q.timespan)),
        endTime: new Date(end),
        interval: q.interval,
        aggregation: q.aggregation,
      });
      const key = q.aggregation.toLowerCase() as 'average' | 'maximum' | 'minimum' | 'total' | 'count';
      const series: AzureQueryResult['series'] = [];
      const rows: unknown[][] = [];
      const errors: string[] = [];
      for (const r of results) {
        for (const m of r.metrics) {
          if (m.errorCode && m.errorCode !== 'Success') errors.push(`${m.name}: ${m.errorMessage ?? m.errorCode}`);
          for (const ts of m.timeseries ?? []) {
            const points = (ts.data ?? []).map((d): [number, number | null] => [d.timeStamp.getTime(), numberOrNull(d[key])]);
            const name = results.length > 1 ? `${shortId(r.resourceId ?? '')} · ${m.name}` : m.name;
            series.push({ name, unit: m.unit ?? null, points });
            const last = [...points].reverse().find((p) => p[1] !== null);
            rows.push([shortId(r.resourceId ?? ''), m.name, last?.[1] ?? null, m.unit ?? '', last ? new Date(last[0]) : null]);
          }
        }
      }
      const { table, truncated } = toTable(
        'latest',
        [{ name: 'resource' }, { name: 'metric' }, { name: `latest ${key}`, type: 'real' }, { name: 'unit' }, { name: 'at', type: 'datetime' }],
        rows,
      );
      return {
        kind: 'metrics',
        status: errors.length ? 'partial' : 'success',
        partialError: errors.length ? errors.join('; ') : null,
        tables: [table],
        series,
        timespan: q.timespan,
        truncated,
        ranAt: end,
      };
    } catch (error) {
      throw azureError(error, where, 'metrics');
    }
  }

  async getPostgresServer(rg: string, server: string, signal?: AbortSignal): Promise<PostgresServerInfo> {
    try {
      return serverInfo(await this.pgRead.servers.get(rg, server, { abortSignal: signal }), server);
    } catch (error) {
      throw azureError(error, `PostgreSQL flexible server ${rg}/${server}`, 'postgresRead');
    }
  }

  async getPostgresParameter(rg: string, server: string, name: string, signal?: AbortSignal): Promise<PostgresParameterInfo> {
    try {
      return parameterInfo(await this.pgRead.configurations.get(rg, server, name, { abortSignal: signal }), name);
    } catch (error) {
      throw azureError(error, `parameter ${name} of PostgreSQL flexible server ${rg}/${server}`, 'postgresRead');
    }
  }

  async updatePostgresSku(rg: string, server: string, sku: string, signal?: AbortSignal): Promise<PostgresServerInfo> {
    try {
      const poller = await this.pgWrite.servers.beginUpdate(
        rg,
        server,
        { sku: { name: sku, tier: tierOfSku(sku) } },
        { abortSignal: signal, updateIntervalInMs: this.deps.pollIntervalMs },
      );
      return serverInfo(await poller.pollUntilDone(), server);
    } catch (error) {
      throw azureError(error, `scaling PostgreSQL flexible server ${rg}/${server} to ${sku}`, 'postgresWrite', true);
    }
  }

  async setPostgresParameter(rg: string, server: string, name: string, value: string, signal?: AbortSignal): Promise<PostgresParameterInfo> {
    try {
      const poller = await this.pgWrite.configurations.beginUpdate(
        rg,
        server,
        name,
        { value, source: 'user-override' },
        { abortSignal: signal, updateIntervalInMs: this.deps.pollIntervalMs },
      );
      return parameterInfo(await poller.pollUntilDone(), name);
    } catch (error) {
      throw azureError(error, `setting ${name}=${value} on PostgreSQL flexible server ${rg}/${server}`, 'postgresWrite', true);
    }
  }

  async getAgentPool(rg: string, cluster: string, pool: string, signal?: AbortSignal): Promise<AgentPoolInfo> {
    try {
      return poolInfo(await this.aksRead.agentPools.get(rg, cluster, pool, { abortSignal: signal }), pool);
    } catch (error) {
      throw azureError(error, `AKS node pool ${rg}/${cluster}/${pool}`, 'aksRead');
    }
  }

  async upgradeAgentPool(rg: string, cluster: string, pool: string, version: string, signal?: AbortSignal): Promise<AgentPoolInfo> {
    try {
      const current = await this.aksRead.agentPools.get(rg, cluster, pool, { abortSignal: signal });
      // `az aks nodepool upgrade` PUTs the pool with the new orchestratorVersion; the rest stays as read.
      const result = await this.aksWrite.agentPools.createOrUpdate(rg, cluster, pool, { ...current, orchestratorVersion: version }, {
        abortSignal: signal,
        updateIntervalInMs: this.deps.pollIntervalMs,
      });
      return poolInfo(result, pool);
    } catch (error) {
      throw azureError(error, `upgrading AKS node pool ${rg}/${cluster}/${pool} to ${version}`, 'aksWrite', true);
    }
  }
}

function partialMessage(e: { code?: string; message?: string; innererror?: unknown } | undefined): string {
  if (!e) return 'Log Analytics returned part of the results';
  const inner = e.innererror as { code?: string; message?: string } | undefined;
  const head = [e.code, e.message].filter(Boolean).join(': ');
  const detail = inner ? [inner.code, inner.message].filter(Boolean).join(': ') : '';
  return detail ? `${head} — ${detail}` : head;
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The last two segments of an ARM id (type/name), readable in a legend. */
function shortId(id: string): string {
  return id.split('/').filter(Boolean).slice(-1)[0] ?? id;
}

/** Azure's SKU naming: B = Burstable, D = GeneralPurpose, E = MemoryOptimized (as `az` infers it). */
export function tierOfSku(sku: string): 'Burstable' | 'GeneralPurpose' | 'MemoryOptimized' | undefined {
  const family = /^Standard_([A-Z])/.exec(sku)?.[1];
  return family === 'B' ? 'Burstable' : family === 'D' ? 'GeneralPurpose' : family === 'E' ? 'MemoryOptimized' : undefined;
}

function serverInfo(s: Server, fallbackName: string): PostgresServerInfo {
  return { name: s.name ?? fallbackName, sku: s.sku?.name ?? 'unknown', tier: s.sku?.tier ?? null, state: s.state ?? null };
}

function parameterInfo(c: Configuration, name: string): PostgresParameterInfo {
  return {
    name: c.name ?? name,
    value: c.value ?? null,
    defaultValue: c.defaultValue ?? null,
    restartRequired: Boolean(c.isConfigPendingRestart || c.isDynamicConfig === false),
  };
}

function poolInfo(p: AgentPool, name: string): AgentPoolInfo {
  return {
    name: p.name ?? name,
    orchestratorVersion: p.currentOrchestratorVersion ?? p.orchestratorVersion ?? null,
    count: p.count ?? null,
    provisioningState: p.provisioningState ?? null,
  };
}
