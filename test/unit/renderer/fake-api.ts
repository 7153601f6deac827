import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from '../../../shared/contract';
import type { Alert, DashboardData, JournalEntry, PlaybookSummary, SloStatus } from '../../../shared/domain';
import type { Result } from '../../../shared/result';
import type { GuardiaApi } from '../../../renderer/src/api/client';

/** Fixed "now" of the fixtures: 2025-03-14 15:00:00 UTC. */
export const fixtureNow = Date.UTC(2025, 2, 14, 15, 0, 0);
const step = 15_000;

function points(count: number, value: (i: number) => number | null): [number, number | null][] {
  return Array.from({ length: count }, (_, i) => [fixtureNow - (count - 1 - i) * step, value(i)]);
}

/** The Overview dashboard a pack like Tiendi's would produce (runbook §2.1). */
export function overviewDashboard(): DashboardData {
  const endpoints = ['/api/orders', '/api/cart', '/api/search'];
  return {
    id: 'overview',
    title: { es: 'Tiendi - Resumen', en: 'Tiendi - Overview' },
    updatedAt: fixtureNow,
    stale: null,
    panels: [
      { id: 'health', title: { es: 'Estado de salud', en: 'Health status' }, kind: 'health', series: [], error: null, warnings: [] },
      {
        id: 'request-rate',
        title: { es: 'Tasa de requests', en: 'Request rate' },
        kind: 'timeseries',
        series: [
          { key: 'http.rps|total', queryId: 'http.rps', legend: 'total', labels: {}, unit: 'rps', points: points(60, (i) => 1200 + i) },
        ],
        error: null,
        warnings: [],
      },
      {
        id: 'success-error',
        title: { es: 'Éxito y error', en: 'Success and error rate' },
        kind: 'timeseries',
        thresholds: { warning: 0.01, critical: 0.05 },
        series: [
          { key: 'http.success-rate|success', queryId: 'http.success-rate', legend: 'success', labels: {}, unit: 'ratio', points: points(60, () => 0.9988) },
          { key: 'http.error-rate|errors', queryId: 'http.error-rate', legend: 'errors', labels: {}, unit: 'ratio', points: points(60, () => 0.0012) },
        ],
        error: null,
        warnings: ['2 samples missing'],
      },
      {
        id: 'latency',
        title: { es: 'Latencia', en: 'Latency' },
        kind: 'timeseries',
        series: [
          { key: 'http.latency.p50|p50', queryId: 'http.latency.p50', legend: 'p50', labels: {}, unit: 'seconds', points: points(60, () => 0.12) },
          { key: 'http.latency.p95|p95', queryId: 'http.latency.p95', legend: 'p95', labels: {}, unit: 'seconds', points: points(60, () => 0.32) },
          { key: 'http.latency.p99|p99', queryId: 'http.latency.p99', legend: 'p99', labels: {}, unit: 'seconds', points: points(60, () => 0.81) },
        ],
        error: null,
        warnings: [],
      },
      {
        id: 'errors-by-endpoint',
        title: { es: 'Tasa de error por endpoint', en: 'Error rate by endpoint' },
        kind: 'timeseries',
        series: endpoints.map((endpoint, n) => ({
          key: `http.error-rate.endpoint|${endpoint}`,
          queryId: 'http.error-rate.endpoint',
          legend: endpoint,
          labels: { endpoint },
          unit: 'ratio' as const,
          points: points(60, () => 0.001 * (n + 1)),
        })),
        error: null,
        warnings: [],
      },
      {
        id: 'p95-by-endpoint',
        title: { es: 'p95 por endpoint', en: 'p95 by endpoint' },
        kind: 'timeseries',
        series: [],
        error: 'Prometheus: query timed out after 30s',
        warnings: [],
      },
    ],
  };
}

const sloBase = { window: '30d', error: null } as const;

/** The runbook's seven SLOs (§4.1); API availability is over budget as in §4.2's example. */
export function sevenSlos(): SloStatus[] {
  return [
    {
      ...sloBase,
      id: 'api-availability',
      service: { es: 'API', en: 'API' },
      sli: { es: 'Disponibilidad', en: 'Availability' },
      objective: { kind: 'ratio', target: 99.9 },
      current: 99.85,
      unit: 'percent',
      met: false,
      errorBudget: { allowedMinutes: 43.2, consumedMinutes: 64.8, remainingPercent: -50 },
    },
    {
      ...sloBase,
      id: 'api-latency-p95',
      window: '7d',
      service: { es: 'API', en: 'API' },
      sli: { es: 'Latencia P95', en: 'P95 latency' },
      objective: { kind: 'threshold', comparator: 'lt', threshold: 0.5, unit: 'seconds' },
      current: 0.32,
      unit: 'seconds',
      met: true,
      errorBudget: null,
    },
    {
      ...sloBase,
      id: 'api-error-rate',
      window: '24h',
      service: { es: 'API', en: 'API' },
      sli: { es: 'Tasa de error', en: 'Error rate' },
      objective: { kind: 'threshold', comparator: 'lt', threshold: 0.1, unit: 'percent' },
      current: 0.12,
      unit: 'percent',
      met: false,
      errorBudget: null,
    },
    {
      ...sloBase,
      id: 'web-page-load',
      window: '7d',
      service: { es: 'Web', en: 'Web' },
      sli: { es: 'Carga de página', en: 'Page load' },
      objective: { kind: 'threshold', comparator: 'lt', threshold: 2, unit: 'seconds' },
      current: 1.4,
      unit: 'seconds',
      met: true,
      errorBudget: null,
    },
    {
      ...sloBase,
      id: 'payments-availability',
      service: { es: 'Pagos', en: 'Payments' },
      sli: { es: 'Disponibilidad', en: 'Availability' },
      objective: { kind: 'ratio', target: 99.95 },
      current: 99.98,
      unit: 'percent',
      met: true,
      errorBudget: { allowedMinutes: 21.6, consumedMinutes: 8.64, remainingPercent: 60 },
    },
    {
      ...sloBase,
      id: 'search-latency-p95',
      window: '7d',
      service: { es: 'Búsqueda', en: 'Search' },
      sli: { es: 'Latencia P95', en: 'P95 latency' },
      objective: { kind: 'threshold', comparator: 'lt', threshold: 1, unit: 'seconds' },
      current: null,
      unit: 'seconds',
      met: null,
      errorBudget: null,
      error: null,
    },
    {
      ...sloBase,
      id: 'db-query-latency',
      window: '24h',
      service: { es: 'DB', en: 'DB' },
      sli: { es: 'Latencia de consultas', en: 'Query latency' },
      objective: { kind: 'threshold', comparator: 'lt', threshold: 0.1, unit: 'seconds' },
      current: 0.045,
      unit: 'seconds',
      met: true,
      errorBudget: null,
    },
  ];
}

/** Untrusted text an alert rule could carry: must render as these exact characters. */
export const hostileText = '<img src=x onerror=alert(1)>';

export function alert(overrides: Partial<Alert> & Pick<Alert, 'fingerprint' | 'name'>): Alert {
  return {
    state: 'firing',
    severity: 'P3',
    labels: { alertname: overrides.name },
    annotations: {},
    summary: `${overrides.name} summary`,
    startsAt: fixtureNow - 12 * 60_000,
    endsAt: null,
    silenced: false,
    inhibited: false,
    runbookUrl: null,
    playbookId: null,
    sources: ['alertmanager'],
    ...overrides,
  };
}

export function fixtureAlerts(): Alert[] {
  return [
    alert({
      fingerprint: 'a1',
      name: 'HighErrorRate',
      severity: 'P2',
      summary: 'Error rate above 5% on api',
      labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
      annotations: { summary: 'Error rate above 5% on api', description: hostileText },
      runbookUrl: 'https://wiki.tiendi.pe/runbooks/high-error-rate',
      playbookId: 'high-error-rate',
    }),
    alert({
      fingerprint: 'a2',
      name: 'DatabaseDown',
      severity: 'P1',
      startsAt: fixtureNow - 3 * 60_000,
      summary: 'PostgreSQL primary is not answering',
      labels: { alertname: 'DatabaseDown', service: 'db' },
      runbookUrl: 'javascript:alert(1)',
    }),
    alert({ fingerprint: 'a3', name: 'CertificateExpiringSoon', severity: 'P4', state: 'pending' }),
  ];
}

export function fixturePlaybooks(): PlaybookSummary[] {
  return [
    {
      id: 'high-error-rate',
      title: { es: 'Alta tasa de errores', en: 'High error rate' },
      section: '7.1',
      alerts: ['HighErrorRate'],
      diagnosis: [
        { id: 'pods', title: { es: 'Ver pods', en: 'List pods' }, command: 'kubectl get pods -n production' },
      ],
      actions: [
        {
          id: 'rollback',
          title: { es: 'Revertir deployment', en: 'Roll back deployment' },
          command: 'kubectl rollout undo deployment/api -n production',
          destructive: true,
          confirmTarget: 'deployment/api',
          choose: [],
          available: true,
          unavailableReason: null,
        },
        {
          id: 'delete-pod',
          title: { es: 'Borrar pod', en: 'Delete pod' },
          command: 'kubectl delete pod <pod-name> -n production',
          destructive: true,
          confirmTarget: null,
          choose: [{ name: 'pod', placeholder: '<pod-name>' }],
          available: true,
          unavailableReason: null,
        },
        {
          id: 'flush-cache',
          title: { es: 'Vaciar caché', en: 'Flush cache' },
          command: 'redis-cli FLUSHDB',
          destructive: true,
          confirmTarget: 'redis',
          choose: [],
          available: false,
          unavailableReason: 'Needs a redis connection, which this environment does not have',
          unavailableSaid: { key: 'gate.noConnection', params: { system: 'redis' } },
        },
      ],
    },
  ];
}

export function fixtureJournal(): JournalEntry[] {
  return [
    {
      id: 'j1',
      time: fixtureNow - 60_000,
      actor: 'ana',
      environment: 'production',
      source: 'guardia',
      kind: 'alert.firing',
      summary: 'HighErrorRate firing',
      data: {},
    },
  ];
}

type Handlers = { [C in InvokeChannel]?: (req: InvokeRequest<C>) => Result<InvokeResponse<C>> | Promise<Result<InvokeResponse<C>>> };

/** A GuardiaApi in memory: canned answers per channel, a call log, and `emit` to push live events. */
export type FakeApi = GuardiaApi & {
  calls: { channel: InvokeChannel; req: unknown }[];
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  listenerCount(event: EventChannel): number;
};

export function defaultHandlers(options: { production?: boolean; refreshSeconds?: number } = {}): Handlers {
  return {
    'app.getInfo': () => ({
      ok: true,
      value: {
        name: 'Guardia',
        version: '0.1.0',
        pack: { id: 'tiendi', name: 'Tiendi', defaultLocale: 'es' },
        environments: [
          { id: 'production', name: 'Producción AKS', production: options.production ?? true, readOnly: false },
          { id: 'staging', name: 'Staging', production: false, readOnly: false },
        ],
        activeEnvironment: 'production',
        refreshSeconds: options.refreshSeconds ?? 15,
        dashboards: [{ id: 'overview', title: { es: 'Resumen', en: 'Overview' } }],
      },
    }),
    'status.get': () => ({
      ok: true,
      value: {
        environment: 'production',
        updatedAt: fixtureNow,
        health: [
          { id: 'api', label: { es: 'API', en: 'API' }, status: 'up' },
          { id: 'db', label: { es: 'Base de datos', en: 'Database' }, status: 'down' },
          { id: 'cache', label: { es: 'Caché', en: 'Cache' }, status: 'up' },
          { id: 'queue', label: { es: 'Cola', en: 'Queue' }, status: 'unknown' },
        ],
        slos: sevenSlos(),
        alerts: fixtureAlerts(),
        worstSeverity: 'P1',
        stale: [],
      },
    }),
    'dashboards.get': (req) => ({ ok: true, value: { ...overviewDashboard(), id: req.id } }),
    'playbooks.list': () => ({ ok: true, value: { playbooks: fixturePlaybooks(), unfinished: [] } }),
    'playbooks.preview': (req) => ({
      ok: true,
      value: {
        playbookId: req.playbookId,
        actionId: req.actionId,
        system: 'kubernetes',
        environment: 'production',
        production: true,
        where: { context: 'aks-prod', namespace: 'production', object: 'deployment/api' },
        access: { allowed: true, reason: '' },
        dryRun: { ok: true, message: 'deployment.apps/api rolled back (server dry run)' },
        diff: [{ path: 'spec.template.spec.containers[*].image', before: 'api:1.4.2', after: 'api:1.4.1' }],
        affected: null,
        blocked: null,
        cancelWindowSeconds: 5,
      },
    }),
    'journal.list': () => ({ ok: true, value: { entries: fixtureJournal() } }),
    'journal.addNote': (req) => ({
      ok: true,
      value: { id: `n-${req.text.length}`, time: fixtureNow, actor: 'me', environment: 'production', source: 'ui', kind: 'note', summary: req.text, data: {} },
    }),
    'playbooks.act': (req) =>
      req.confirm === 'deployment/api' || (req.actionId === 'delete-pod' && req.confirm === req.params?.pod)
        ? { ok: true, value: { journalId: 'j-42', outcome: req.dryRun ? 'dry-run' : 'done', message: 'deployment "api" rolled back' } }
        : { ok: false, error: { code: 'confirm-mismatch', message: 'confirmation does not match' } },
  };
}

export function createFakeApi(handlers: Handlers = defaultHandlers()): FakeApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeApi['calls'] = [];
  return {
    calls,
    async invoke(channel, req) {
      calls.push({ channel, req });
      const handler = handlers[channel] as ((r: unknown) => Result<never> | Promise<Result<never>>) | undefined;
      if (!handler) return { ok: false, error: { code: 'not-implemented', message: `${channel} has no fake` } };
      return handler(req);
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const fn = cb as (payload: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
    emit(event, payload) {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  } as FakeApi;
}
