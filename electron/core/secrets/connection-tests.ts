import type { ConnectionsConfig } from '../../../shared/config.js';
import type { ConnectionKind } from '../../../shared/notifications.js';
import { GuardiaError } from '../../../shared/result.js';
import { apiUrl, requestJson, type AuthProvider } from '../http/http-json.js';
import type { AlertSource, MetricsSource, SecretStore } from '../ports.js';

/** One connection of the environment as Settings → Connections lists and tests it. */
export interface ConnectionSpec {
  id: string;
  kind: ConnectionKind;
  name: string;
  /** URL or host:port/db, never with credentials. */
  target: string;
  builtIn: boolean;
  /** Keychain entry holding its secret, or null when it takes none. */
  secretName: string | null;
  /** Really calls the service; resolves with what it said, throws a GuardiaError naming the connection. */
  test(): Promise<string>;
}

const timeoutMs = 8_000;

/** Prometheus: GET /api/v1/status/buildinfo (answers with the version; needs the same auth as queries). */
export async function testPrometheus(url: string, opts: { pathPrefix?: string; tenant?: string; auth?: AuthProvider }): Promise<string> {
  const { body } = await requestJson(apiUrl(url, opts.pathPrefix, '/api/v1/status/buildinfo'), { method: 'GET' }, {
    connection: 'Prometheus',
    timeoutMs,
    auth: opts.auth,
    headers: opts.tenant ? { 'X-Scope-OrgID': opts.tenant } : undefined,
  });
  const version = (body as { data?: { version?: string } }).data?.version;
  return `Prometheus ${version ?? '(version not reported)'} answered`;
}

/** Alertmanager: GET /api/v2/status (version and cluster state). */
export async function testAlertmanager(url: string, opts: { auth?: AuthProvider }): Promise<string> {
  const { body } = await requestJson(apiUrl(url, undefined, '/api/v2/status'), { method: 'GET' }, { connection: 'Alertmanager', timeoutMs, auth: opts.auth });
  const b = body as { versionInfo?: { version?: string }; cluster?: { status?: string } };
  return `Alertmanager ${b.versionInfo?.version ?? '(version not reported)'} answered (cluster ${b.cluster?.status ?? 'unknown'})`;
}

/** PostgreSQL: connect and SELECT 1, with the keychain password when one is configured. */
export async function testPostgres(c: NonNullable<ConnectionsConfig['postgres']>[number], password: string | undefined): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    password,
    ssl: c.sslmode && c.sslmode !== 'disable' ? { rejectUnauthorized: c.sslmode === 'verify-full' || c.sslmode === 'verify-ca' } : undefined,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
  });
  try {
    await client.connect();
    const r = await client.query<{ one: number; version: string }>('SELECT 1 AS one, current_setting(\'server_version\') AS version');
    return `SELECT 1 answered ${r.rows[0]?.one} (PostgreSQL ${r.rows[0]?.version})`;
  } catch (error) {
    throw new GuardiaError('connections.test-failed', `PostgreSQL ${c.name} (${c.host}:${c.port}/${c.database}): ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Redis: PING, with AUTH from the keychain when one is configured. */
export async function testRedis(c: NonNullable<ConnectionsConfig['redis']>[number], password: string | undefined): Promise<string> {
  const { createClient } = await import('redis');
  const client = createClient({ url: c.url, password, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => {});
  const where = `Redis ${c.name} (${safeUrl(c.url)})`;
  try {
    await client.connect();
    const pong = await client.ping();
    return `PING answered ${pong}`;
  } catch (error) {
    throw new GuardiaError('connections.test-failed', `${where}: ${(error as Error).message}`);
  } finally {
    await client.close().catch(() => {});
  }
}

/** A URL without user info, for display. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Reads an optional secret: a missing or unavailable keychain entry fails the test with the keychain's message. */
async function optionalSecret(secrets: SecretStore, name: string | undefined): Promise<string | undefined> {
  return name ? secrets.get(name) : undefined;
}

function authFor(secrets: SecretStore, auth: { kind: 'basic' | 'bearer'; username?: string; secret: string } | undefined): AuthProvider | undefined {
  if (!auth) return undefined;
  return async () => {
    const secret = await secrets.get(auth.secret);
    if (auth.kind === 'bearer') return { header: `Bearer ${secret}` };
    return { header: `Basic ${Buffer.from(`${auth.username ?? ''}:${secret}`).toString('base64')}` };
  };
}

/**
 * The connections of a configured environment, each with its `test` hook. PagerDuty is tested
 * through the paging port (`pagingTest`), since only it knows the API's headers and rate limits.
 */
export function connectionsFromConfig(
  c: ConnectionsConfig,
  secrets: SecretStore,
  pagingTest: (() => Promise<string>) | null,
): ConnectionSpec[] {
  const out: ConnectionSpec[] = [];
  if (c.prometheus) {
    const p = c.prometheus;
    out.push({ id: 'prometheus', kind: 'prometheus', name: 'Prometheus', target: safeUrl(p.url), builtIn: false, secretName: p.auth?.secret ?? null, test: () => testPrometheus(p.url, { pathPrefix: p.pathPrefix, tenant: p.tenant, auth: authFor(secrets, p.auth) }) });
  }
  for (const am of c.alertmanagers ?? []) {
    out.push({ id: `alertmanager:${am.name}`, kind: 'alertmanager', name: am.name, target: safeUrl(am.url), builtIn: false, secretName: am.auth?.secret ?? null, test: () => testAlertmanager(am.url, { auth: authFor(secrets, am.auth) }) });
  }
  if (c.pagerduty) {
    const pd = c.pagerduty;
    out.push({
      id: 'pagerduty',
      kind: 'pagerduty',
      name: 'PagerDuty',
      target: `api.pagerduty.com (as ${pd.from})`,
      builtIn: false,
      secretName: pd.secret,
      test: async () => {
        if (!pagingTest) throw new GuardiaError('connections.no-paging', 'PagerDuty is configured but Guardia has no PagerDuty connector wired in this build');
        return pagingTest();
      },
    });
  }
  for (const db of c.postgres ?? []) {
    out.push({ id: `postgres:${db.name}`, kind: 'postgres', name: db.name, target: `${db.host}:${db.port}/${db.database} as ${db.user}`, builtIn: false, secretName: db.secret ?? null, test: async () => testPostgres(db, await optionalSecret(secrets, db.secret)) });
  }
  for (const r of c.redis ?? []) {
    out.push({ id: `redis:${r.name}`, kind: 'redis', name: r.name, target: safeUrl(r.url), builtIn: false, secretName: r.secret ?? null, test: async () => testRedis(r, await optionalSecret(secrets, r.secret)) });
  }
  if (c.kubernetes) {
    const k = c.kubernetes;
    out.push({ id: 'kubernetes', kind: 'kubernetes', name: `Kubernetes ${k.context}`, target: `context ${k.context}${k.namespace ? `, namespace ${k.namespace}` : ''}`, builtIn: false, secretName: null, test: async () => { throw new GuardiaError('connections.no-test', 'Kubernetes credentials come from the kubeconfig; check them in the Playbooks view'); } });
  }
  return out;
}

/** Quick connect: the URLs given on the command line, without secrets. */
export function connectionsFromQuick(prometheus: string | undefined, alertmanagers: string[]): ConnectionSpec[] {
  const out: ConnectionSpec[] = [];
  if (prometheus) out.push({ id: 'prometheus', kind: 'prometheus', name: 'Prometheus', target: safeUrl(prometheus), builtIn: false, secretName: null, test: () => testPrometheus(prometheus, {}) });
  alertmanagers.forEach((url, i) => out.push({ id: `alertmanager:${i + 1}`, kind: 'alertmanager', name: `alertmanager-${i + 1}`, target: safeUrl(url), builtIn: false, secretName: null, test: () => testAlertmanager(url, {}) }));
  return out;
}

/** The demo's simulated systems: listed as built-in and tested through the same ports core uses. */
export function demoConnections(
  metrics: MetricsSource,
  alerts: AlertSource,
  pagingTest: (() => Promise<string>) | null,
  /** A query the simulation knows (it answers only the pack's query ids): the first SLO's. */
  probe: { id: string; expr: string },
): ConnectionSpec[] {
  const out: ConnectionSpec[] = [
    {
      id: 'prometheus',
      kind: 'prometheus',
      name: 'Prometheus (demo)',
      target: 'built-in simulation',
      builtIn: true,
      secretName: null,
      test: async () => {
        const r = await metrics.instant(probe, Date.now());
        return `The simulated Prometheus answered ${probe.id} (${r.data.length} series)`;
      },
    },
    {
      id: 'alertmanager:demo',
      kind: 'alertmanager',
      name: 'Alertmanager (demo)',
      target: 'built-in simulation',
      builtIn: true,
      secretName: null,
      test: async () => `The simulated Alertmanager answered (${(await alerts.listAlerts()).length} active alerts)`,
    },
  ];
  if (pagingTest) out.push({ id: 'pagerduty', kind: 'pagerduty', name: 'PagerDuty (demo)', target: 'built-in simulation', builtIn: true, secretName: null, test: pagingTest });
  return out;
}
