import { GuardiaError } from '../../../shared/result.js';
import type { MetricsQuery, MetricsSource, QueryResult, RangeSeries, RuleAlert, RuleGroup, Sample } from '../ports.js';
import { apiUrl, requestJson, truncate, type HttpOptions } from '../http/http-json.js';

/** Prometheus refuses range queries over 11,000 points per series. */
export const maxPointsPerSeries = 11_000;

/** Smallest step (whole seconds) that keeps a range within Prometheus's points limit. */
export function stepFor(startMs: number, endMs: number, wantedStepSeconds: number): number {
  const spanSeconds = Math.max(1, (endMs - startMs) / 1000);
  return Math.max(wantedStepSeconds, Math.ceil(spanSeconds / (maxPointsPerSeries - 1)));
}

type PromValue = [number, string];
interface PromEnvelope {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/**
 * The Prometheus HTTP query API (also Thanos Querier and Mimir/Cortex: path prefix and tenant header).
 * Queries are form-encoded POSTs so long PromQL never hits URL limits.
 */
export class PrometheusClient implements MetricsSource {
  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    private readonly http: HttpOptions & { pathPrefix?: string; tenant?: string },
  ) {}

  async instant(query: MetricsQuery, at: number, signal?: AbortSignal): Promise<QueryResult<Sample[]>> {
    const body = new URLSearchParams({ query: query.expr, time: String(at / 1000) });
    const env = await this.post('/api/v1/query', body, query, signal);
    const data = env.data!;
    if (data.resultType === 'scalar') {
      return { data: [{ labels: {}, value: parseValue((data.result as PromValue)[1]) }], warnings: env.warnings ?? [] };
    }
    if (data.resultType !== 'vector') {
      throw new GuardiaError('prometheus.unexpected', `Query "${query.id}" returned a ${data.resultType}, expected a vector`);
    }
    const result = data.result as Array<{ metric: Record<string, string>; value: PromValue }>;
    return {
      data: result.map((r) => ({ labels: r.metric, value: parseValue(r.value[1]) })),
      warnings: env.warnings ?? [],
    };
  }

  async range(
    query: MetricsQuery,
    range: { start: number; end: number; stepSeconds: number },
    signal?: AbortSignal,
  ): Promise<QueryResult<RangeSeries[]>> {
    const step = stepFor(range.start, range.end, range.stepSeconds);
    const body = new URLSearchParams({
      query: query.expr,
      start: String(range.start / 1000),
      end: String(range.end / 1000),
      step: String(step),
    });
    const env = await this.post('/api/v1/query_range', body, query, signal);
    const result = env.data!.result as Array<{ metric: Record<string, string>; values: PromValue[] }>;
    return {
      data: result.map((r) => ({
        labels: r.metric,
        points: r.values.map(([t, v]) => [Math.round(t * 1000), parseValue(v)] as [number, number | null]),
      })),
      warnings: env.warnings ?? [],
    };
  }

  /** `/api/v1/alerts`: Prometheus' own view, the only place pending alerts (waiting out `for:`) show. */
  async listRuleAlerts(signal?: AbortSignal): Promise<RuleAlert[]> {
    const env = await this.get('/api/v1/alerts', signal);
    const alerts = (env.data as unknown as { alerts?: unknown }).alerts;
    if (!Array.isArray(alerts)) throw new GuardiaError('prometheus.bad-response', `${this.name} answered /api/v1/alerts without an alerts list`);
    return alerts as RuleAlert[];
  }

  /** `/api/v1/rules`: every rule group with each rule's health, last error and state. */
  async listRules(signal?: AbortSignal): Promise<RuleGroup[]> {
    const env = await this.get('/api/v1/rules', signal);
    const groups = (env.data as unknown as { groups?: unknown }).groups;
    if (!Array.isArray(groups)) throw new GuardiaError('prometheus.bad-response', `${this.name} answered /api/v1/rules without rule groups`);
    return groups as RuleGroup[];
  }

  private async get(path: string, signal?: AbortSignal): Promise<PromEnvelope> {
    const headers = { ...this.http.headers };
    if (this.http.tenant) headers['X-Scope-OrgID'] = this.http.tenant;
    const { status, body } = await requestJson(apiUrl(this.baseUrl, this.http.pathPrefix, path), { method: 'GET', signal }, { ...this.http, headers });
    const env = body as PromEnvelope | undefined;
    if (!env || typeof env !== 'object' || env.status !== 'success' || !env.data) {
      throw new GuardiaError('prometheus.bad-response', `${this.name} answered HTTP ${status} to GET ${path}: ${env?.error ?? 'no Prometheus envelope'}`);
    }
    return env;
  }

  private async post(path: string, body: URLSearchParams, query: MetricsQuery, signal?: AbortSignal) {
    const headers = { ...this.http.headers };
    if (this.http.tenant) headers['X-Scope-OrgID'] = this.http.tenant;
    const { status, body: json } = await requestJson(
      apiUrl(this.baseUrl, this.http.pathPrefix, path),
      { method: 'POST', body: body.toString(), contentType: 'application/x-www-form-urlencoded', signal },
      { ...this.http, headers },
    );
    const env = json as PromEnvelope | undefined;
    if (!env || typeof env !== 'object' || !('status' in env)) {
      throw new GuardiaError('prometheus.bad-response', `${this.name} answered HTTP ${status} without a Prometheus envelope`);
    }
    if (env.status === 'error') {
      const kind = env.errorType === 'bad_data' ? 'rejected' : `failed (${env.errorType ?? status})`;
      throw new GuardiaError(
        'prometheus.query',
        `${this.name} ${kind} query "${query.id}": ${env.error ?? 'no reason given'} — PromQL: ${truncate(query.expr, 300)}`,
      );
    }
    if (!env.data) throw new GuardiaError('prometheus.bad-response', `${this.name} answered without data`);
    return env;
  }
}

function parseValue(raw: string): number | null {
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}
