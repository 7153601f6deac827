import type { AzureQueryResult, AzureStatus } from '../../../shared/azure.js';
import { GuardiaError } from '../../../shared/result.js';
import { ENDPOINTS } from '../demo/simulation.js';
import type { Clock, MetricsSource, RangeSeries } from '../ports.js';
import type { AgentPoolInfo, AzurePort, LogsQuery, MetricsQuery, PostgresParameterInfo, PostgresServerInfo } from './azure-port.js';
import { durationMs, seriesFromTable, toTable } from './query-results.js';

/** Bin of the demo's KQL answers (the pack's queries summarise by bin(TimeGenerated, 5m)). */
const binMs = 5 * 60_000;

/** Operation names as Application Insights records them for tiendi-api's endpoints. */
const operationOf = (endpoint: string) => `${endpoint.includes('checkout') || endpoint.includes('payments') || endpoint.includes('orders') ? 'POST' : 'GET'} ${endpoint}`;

/**
 * Azure for the embedded demo: answers the pack's KQL and metric steps with rows derived from the
 * simulated incident (read through the same MetricsSource port the dashboards use), and keeps a
 * PostgreSQL flexible server and an AKS node pool in memory so the actions can run. KQL is not
 * interpreted: the table a query reads (AppExceptions, AppRequests, AppDependencies) picks the answer.
 */
export class DemoAzure implements AzurePort {
  readonly subscriptionId = '00000000-0000-0000-0000-00000000d3e0';
  readonly defaultResourceGroup = 'tiendi-prod';
  private server: PostgresServerInfo = { name: 'tiendi-db', sku: 'Standard_D2ds_v4', tier: 'GeneralPurpose', state: 'Ready' };
  private readonly parameters = new Map<string, string>([['max_connections', '100']]);
  private pool: AgentPoolInfo = { name: 'nodepool1', orchestratorVersion: '1.27.9', count: 3, provisioningState: 'Succeeded' };
  private readonly current: AzureStatus = {
    configured: true,
    demo: true,
    method: null,
    subscriptionId: this.subscriptionId,
    workspaceId: 'demo-workspace',
    state: 'signed-in',
    account: { name: 'oncall@tiendi.pe (demo)', kind: 'user', tenantId: 'tiendi.onmicrosoft.com', expiresAt: null },
    deviceCode: null,
    error: null,
    tokenCache: 'memory',
  };

  constructor(
    private readonly metrics: MetricsSource,
    private readonly clock: Pick<Clock, 'now'>,
    /** Simulated duration of a long-running ARM operation (ms of real time). */
    private readonly operationMs = 1_500,
  ) {}

  status(): AzureStatus {
    return this.current;
  }

  onStatus(): () => void {
    return () => undefined;
  }

  async signIn(): Promise<AzureStatus> {
    return this.current;
  }

  async signOut(): Promise<AzureStatus> {
    return this.current;
  }

  private async range(id: string, timespan: string, signal?: AbortSignal): Promise<RangeSeries[]> {
    const end = Math.floor(this.clock.now() / binMs) * binMs;
    const start = end - durationMs(timespan);
    const { data } = await this.metrics.range({ id, expr: id }, { start: start + binMs, end, stepSeconds: binMs / 1000 }, signal);
    return data;
  }

  async queryLogs(q: LogsQuery, signal?: AbortSignal): Promise<AzureQueryResult> {
    const text = q.query;
    const [rps] = await this.range('overview.rps', q.timespan, signal);
    const errByEndpoint = await this.range('overview.error-rate-by-endpoint', q.timespan, signal);
    const p95ByEndpoint = await this.range('overview.latency-p95-by-endpoint', q.timespan, signal);
    const total = new Map((rps?.points ?? []).map(([t, v]) => [t, v ?? 0]));
    const perEndpoint = ENDPOINTS.map((e) => {
      const err = errByEndpoint.find((s) => s.labels.endpoint === e.endpoint)?.points ?? [];
      const p95 = p95ByEndpoint.find((s) => s.labels.endpoint === e.endpoint)?.points ?? [];
      return { ...e, bins: err.map(([t, pct], i) => ({ t, requests: Math.round((total.get(t) ?? 0) * e.share * (binMs / 1000)), errPct: pct ?? 0, p95: p95[i]?.[1] ?? e.p95 })) };
    });
    let built: ReturnType<typeof toTable>;
    if (/\bAppExceptions\b/.test(text)) built = this.exceptions(perEndpoint);
    else if (/\bAppDependencies\b/.test(text)) built = this.dependencies(perEndpoint);
    else if (/\bAppRequests\b/.test(text) && /percentile/.test(text)) built = this.requestStats(perEndpoint);
    else if (/\bAppRequests\b/.test(text)) built = this.failedByOperation(perEndpoint);
    else built = toTable('PrimaryResult', [{ name: 'Message', type: 'string' }], [['The demo workspace only has AppRequests, AppExceptions and AppDependencies']]);
    return {
      kind: 'logs',
      status: 'success',
      partialError: null,
      tables: [built.table],
      series: seriesFromTable(built.table),
      timespan: q.timespan,
      truncated: built.truncated,
      ranAt: this.clock.now(),
    };
  }

  private exceptions(eps: Endpoints) {
    const counts = new Map<string, { type: string; message: string; count: number; last: number }>();
    const add = (type: string, message: string, n: number, t: number) => {
      if (n <= 0) return;
      const k = `${type}|${message}`;
      const c = counts.get(k) ?? { type, message, count: 0, last: 0 };
      c.count += n;
      c.last = Math.max(c.last, t);
      counts.set(k, c);
    };
    for (const e of eps) {
      for (const b of e.bins) {
        const errors = Math.round((b.requests * b.errPct) / 100);
        if (errors < 1) continue;
        add('SequelizeConnectionAcquireTimeoutError', 'Operation timeout: no free connection in the pool (DB_POOL_SIZE=20)', Math.round(errors * 0.82), b.t);
        add('SequelizeConnectionError', 'remaining connection slots are reserved for non-replication superuser connections', Math.round(errors * 0.11), b.t);
        if (e.endpoint === '/api/payments' || e.endpoint === '/api/checkout') {
          add('GatewayTimeoutError', 'payment gateway did not answer within 10000 ms', Math.round(errors * 0.07), b.t);
        }
      }
    }
    const rows = [...counts.values()].sort((a, b) => b.count - a.count).map((c) => ['tiendi-api', c.type, c.message, c.count, new Date(c.last)]);
    return toTable(
      'PrimaryResult',
      [
        { name: 'AppRoleName', type: 'string' },
        { name: 'ExceptionType', type: 'string' },
        { name: 'OuterMessage', type: 'string' },
        { name: 'Count', type: 'long' },
        { name: 'LastSeen', type: 'datetime' },
      ],
      rows,
    );
  }

  private failedByOperation(eps: Endpoints) {
    const rows: unknown[][] = [];
    for (const e of eps) for (const b of e.bins) rows.push([new Date(b.t), operationOf(e.endpoint), Math.round((b.requests * b.errPct) / 100)]);
    rows.sort((a, b) => (a[0] as Date).getTime() - (b[0] as Date).getTime());
    return toTable('PrimaryResult', [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'OperationName', type: 'string' }, { name: 'Failed', type: 'long' }], rows);
  }

  private requestStats(eps: Endpoints) {
    const rows = eps.map((e) => {
      const requests = e.bins.reduce((s, b) => s + b.requests, 0);
      const failed = e.bins.reduce((s, b) => s + Math.round((b.requests * b.errPct) / 100), 0);
      const minutes = Math.max(1, (e.bins.length * binMs) / 60_000);
      const p95 = Math.max(...e.bins.map((b) => b.p95), 0);
      return [operationOf(e.endpoint), requests, round(requests / minutes, 1), failed, requests ? round((100 * failed) / requests, 2) : 0, Math.round(p95 * 1000)];
    });
    rows.sort((a, b) => (b[4] as number) - (a[4] as number));
    return toTable(
      'PrimaryResult',
      [
        { name: 'OperationName', type: 'string' },
        { name: 'Requests', type: 'long' },
        { name: 'RequestsPerMin', type: 'real' },
        { name: 'Failed', type: 'long' },
        { name: 'FailureRatePct', type: 'real' },
        { name: 'P95Ms', type: 'real' },
      ],
      rows,
    );
  }

  private dependencies(eps: Endpoints) {
    const pay = eps.find((e) => e.endpoint === '/api/payments');
    const rows = (pay?.bins ?? []).map((b) => {
      const calls = Math.max(1, Math.round(b.requests * 0.9));
      const failed = Math.round((calls * Math.max(0, b.errPct - 0.5) * 0.25) / 100);
      return [new Date(b.t), 'api.niubiz.com.pe', calls, failed, Math.round(380 + 40 * b.p95)];
    });
    return toTable(
      'PrimaryResult',
      [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Target', type: 'string' },
        { name: 'Calls', type: 'long' },
        { name: 'Failed', type: 'long' },
        { name: 'P95Ms', type: 'real' },
      ],
      rows,
    );
  }

  async queryMetrics(q: MetricsQuery, signal?: AbortSignal): Promise<AzureQueryResult> {
    const pg = q.namespace.toLowerCase() === 'microsoft.dbforpostgresql/flexibleservers';
    const [conn] = pg ? await this.range('infra.db-connections', q.timespan, signal) : [undefined];
    const [poolUse] = pg ? await this.range('infra.db-pool-usage', q.timespan, signal) : [undefined];
    const nodes = pg ? [] : await this.range('infra.node-cpu', q.timespan, signal);
    const times = (conn ?? poolUse ?? nodes[0])?.points.map(([t]) => t) ?? [];
    const big = this.server.sku.includes('D4') ? 0.55 : 1;
    const valueOf = (metric: string, i: number, node = 0): { v: number | null; unit: string } => {
      const u = (poolUse?.points[i]?.[1] ?? 0) / 100;
      switch (metric) {
        case 'cpu_percent': return { v: round((18 + 62 * u) * big, 1), unit: 'Percent' };
        case 'memory_percent': return { v: round(58 + 14 * u, 1), unit: 'Percent' };
        case 'active_connections': return { v: conn?.points[i]?.[1] ?? null, unit: 'Count' };
        case 'storage_percent': return { v: round(41.2 + i * 0.002, 2), unit: 'Percent' };
        case 'node_cpu_usage_percentage': { const v = nodes[node]?.points[i]?.[1]; return { v: v == null ? null : round(v, 1), unit: 'Percent' }; }
        case 'node_memory_working_set_percentage': return { v: round(54 + 6 * node + 8 * ((nodes[node]?.points[i]?.[1] ?? 40) / 100), 1), unit: 'Percent' };
        default: return { v: null, unit: 'Unspecified' };
      }
    };
    const series: AzureQueryResult['series'] = [];
    const rows: unknown[][] = [];
    const instances = pg ? [null] : nodes.map((_, i) => i);
    for (const id of q.resourceIds) {
      for (const metric of q.metricNames) {
        for (const node of instances) {
          const points = times.map((t, i): [number, number | null] => [t, valueOf(metric, i, node ?? 0).v]);
          const unit = valueOf(metric, 0).unit;
          const name = node === null ? metric : `aks-nodepool1-${node} · ${metric}`;
          series.push({ name, unit, points });
          const last = [...points].reverse().find((p) => p[1] !== null);
          rows.push([id.split('/').pop(), name, last?.[1] ?? null, unit, last ? new Date(last[0]) : null]);
        }
      }
    }
    const { table, truncated } = toTable(
      'latest',
      [{ name: 'resource' }, { name: 'metric' }, { name: `latest ${q.aggregation.toLowerCase()}`, type: 'real' }, { name: 'unit' }, { name: 'at', type: 'datetime' }],
      rows,
    );
    return { kind: 'metrics', status: 'success', partialError: null, tables: [table], series, timespan: q.timespan, truncated, ranAt: this.clock.now() };
  }

  private check(rg: string, kind: string, name: string, expected: string): void {
    if (rg !== this.defaultResourceGroup || name !== expected) {
      throw new GuardiaError('azure.not-found', `${kind} ${rg}/${name}: not found (404 ResourceNotFound) in the demo subscription`);
    }
  }

  async getPostgresServer(rg: string, server: string): Promise<PostgresServerInfo> {
    this.check(rg, 'PostgreSQL flexible server', server, this.server.name);
    return { ...this.server };
  }

  async getPostgresParameter(rg: string, server: string, name: string): Promise<PostgresParameterInfo> {
    this.check(rg, 'PostgreSQL flexible server', server, this.server.name);
    return { name, value: this.parameters.get(name) ?? null, defaultValue: name === 'max_connections' ? '100' : null, restartRequired: name === 'max_connections' };
  }

  private wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, this.operationMs);
      signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
  }

  async updatePostgresSku(rg: string, server: string, sku: string, signal?: AbortSignal): Promise<PostgresServerInfo> {
    this.check(rg, 'PostgreSQL flexible server', server, this.server.name);
    this.server = { ...this.server, state: 'Updating' };
    await this.wait(signal);
    this.server = { ...this.server, sku, state: 'Ready' };
    return { ...this.server };
  }

  async setPostgresParameter(rg: string, server: string, name: string, value: string, signal?: AbortSignal): Promise<PostgresParameterInfo> {
    this.check(rg, 'PostgreSQL flexible server', server, this.server.name);
    await this.wait(signal);
    this.parameters.set(name, value);
    return this.getPostgresParameter(rg, server, name);
  }

  async getAgentPool(rg: string, cluster: string, pool: string): Promise<AgentPoolInfo> {
    this.check(rg, 'AKS cluster', cluster, 'tiendi-cluster');
    if (pool !== this.pool.name) throw new GuardiaError('azure.not-found', `AKS node pool ${rg}/${cluster}/${pool}: not found in the demo`);
    return { ...this.pool };
  }

  async upgradeAgentPool(rg: string, cluster: string, pool: string, version: string, signal?: AbortSignal): Promise<AgentPoolInfo> {
    await this.getAgentPool(rg, cluster, pool);
    this.pool = { ...this.pool, provisioningState: 'Upgrading' };
    await this.wait(signal);
    this.pool = { ...this.pool, orchestratorVersion: version, provisioningState: 'Succeeded' };
    return { ...this.pool };
  }
}

type Endpoints = Array<(typeof ENDPOINTS)[number] & { bins: Array<{ t: number; requests: number; errPct: number; p95: number }> }>;

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
