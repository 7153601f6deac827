import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServingCert } from '../kube-api/tls.js';

/**
 * A faithful stand-in for the Azure endpoints Guardia's SDKs call, over HTTPS (the SDKs refuse to send
 * a bearer token over http): the Microsoft Entra token endpoint (client-credentials grant, with the
 * OpenID metadata MSAL reads first), Log Analytics `POST /v1/workspaces/{id}/query` (tables, and the
 * PartialFailure shape: tables plus an `error`), the Azure Monitor metrics batch endpoint
 * (`POST /subscriptions/{sub}/metrics:getBatch`), and ARM's PostgreSQL flexible server and its
 * configurations and an AKS node pool, with long-running writes (202 + Azure-AsyncOperation + Location, polled until
 * Succeeded). Error bodies follow Azure's `{ error: { code, message } }` envelope.
 */

export interface RecordedAzureRequest {
  method: string;
  path: string;
  /** Bearer token presented, if any. */
  token: string | null;
  prefer: string | null;
  body: unknown;
}

/** A canned failure for the next request(s) whose method and path match. */
export interface InjectedFailure {
  method?: string;
  path: RegExp;
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

interface PgServer {
  sku: { name: string; tier: string };
  state: string;
  config: Map<string, { value: string; defaultValue: string; dynamic: boolean }>;
}

interface Operation {
  polls: number;
  /** Polls answered InProgress before Succeeded. */
  pollsNeeded: number;
  apply: () => void;
  resourcePath: string;
  result: () => unknown;
}

export interface FakeAzureOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionId?: string;
  workspaceId?: string;
  /** Polls of an async operation answered InProgress before it succeeds (default 2). */
  pollsNeeded?: number;
}

export interface FakeAzure {
  url: string;
  /** The CA the SDK clients must trust (the self-signed serving certificate). */
  ca: Buffer;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  workspaceId: string;
  requests: RecordedAzureRequest[];
  /** Rows Log Analytics answers for a query containing `match` (first match wins). */
  setLogs(match: string, table: { columns: Array<{ name: string; type: string }>; rows: unknown[][] }, partial?: { code: string; message: string }): void;
  fail(failure: InjectedFailure): void;
  /** The user typed `userCode` at the verification page and signed in as `upn`. */
  approveDeviceCode(userCode: string, upn: string): void;
  server(name: string): PgServer | undefined;
  /** The AKS node pool's Kubernetes version (cluster tiendi-cluster in tiendi-prod). */
  poolVersion(pool: string): string | undefined;
  close(): Promise<void>;
}

const apiAks = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/agentPools\/([^/]+)$/i;
const apiPg = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DBforPostgreSQL\/flexibleServers\/([^/]+)(?:\/configurations\/([^/]+))?$/i;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': randomUUID(), ...headers });
  res.end(text);
}

function envelope(code: string, message: string) {
  return { error: { code, message } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

/** Starts the fake on 127.0.0.1 with a fresh self-signed certificate. */
export async function startFakeAzure(opts: FakeAzureOptions = {}): Promise<FakeAzure> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-azure-'));
  const cert = await generateServingCert(dir);
  const tenantId = opts.tenantId ?? '72f988bf-0000-4000-8000-00000000a2e1';
  const clientId = opts.clientId ?? 'a1b2c3d4-0000-4000-8000-0000000000c1';
  const clientSecret = opts.clientSecret ?? 'fake-sp-secret-value';
  const subscriptionId = opts.subscriptionId ?? '11111111-2222-3333-4444-555555555555';
  const workspaceId = opts.workspaceId ?? 'b6f1c9e0-0000-4000-8000-00000000f00d';
  const pollsNeeded = opts.pollsNeeded ?? 2;
  const requests: RecordedAzureRequest[] = [];
  const failures: Array<InjectedFailure & { left: number }> = [];
  const issued = new Map<string, { exp: number; aud: string }>();
  /** Device codes handed out, and who approved each (null while the user has not signed in yet). */
  const deviceCodes = new Map<string, { userCode: string; approvedAs: string | null }>();
  const logs: Array<{ match: string; table: { columns: Array<{ name: string; type: string }>; rows: unknown[][] }; partial?: { code: string; message: string } }> = [];
  const servers = new Map<string, PgServer>([
    [
      'tiendi-prod/tiendi-db',
      {
        sku: { name: 'Standard_D2ds_v4', tier: 'GeneralPurpose' },
        state: 'Ready',
        config: new Map([
          ['max_connections', { value: '100', defaultValue: '100', dynamic: false }],
          ['work_mem', { value: '4096', defaultValue: '4096', dynamic: true }],
        ]),
      },
    ],
  ]);
  const operations = new Map<string, Operation>();
  const pools = new Map([['tiendi-prod/tiendi-cluster/nodepool1', { count: 3, vmSize: 'Standard_D4s_v5', version: '1.27.9', state: 'Succeeded' }]]);
  let url = '';

  const serverBody = (sub: string, rg: string, name: string, s: PgServer) => ({
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${name}`,
    name,
    type: 'Microsoft.DBforPostgreSQL/flexibleServers',
    location: 'eastus2',
    sku: s.sku,
    properties: { state: s.state, version: '15', fullyQualifiedDomainName: `${name}.postgres.database.azure.com`, storage: { storageSizeGB: 128 } },
  });
  const configBody = (sub: string, rg: string, server: string, name: string, c: { value: string; defaultValue: string; dynamic: boolean }, pending = false) => ({
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${server}/configurations/${name}`,
    name,
    type: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations',
    properties: {
      value: c.value,
      defaultValue: c.defaultValue,
      dataType: 'Integer',
      allowedValues: '25-5000',
      source: c.value === c.defaultValue ? 'system-default' : 'user-override',
      isDynamicConfig: c.dynamic,
      isReadOnly: false,
      isConfigPendingRestart: pending,
    },
  });

  const startOperation = (res: ServerResponse, op: Omit<Operation, 'polls' | 'pollsNeeded'>) => {
    const id = randomUUID();
    operations.set(id, { ...op, polls: 0, pollsNeeded });
    const base = `${url}/subscriptions/${subscriptionId}/providers/Microsoft.DBforPostgreSQL/locations/eastus2`;
    send(res, 202, undefined, {
      'azure-asyncoperation': `${base}/azureAsyncOperation/${id}?api-version=2025-08-01`,
      location: `${base}/operationResults/${id}?api-version=2025-08-01`,
      'retry-after': '0',
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', url);
    const path = u.pathname;
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* form bodies stay text */
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : null;
    requests.push({ method, path, token, prefer: (req.headers.prefer as string | undefined) ?? null, body });

    // Entra ID (login.microsoftonline.com): OpenID metadata and the token endpoint.
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (oidc && method === 'GET') {
      const t = oidc[1];
      return send(res, 200, {
        token_endpoint: `${url}/${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${url}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${url}/${t}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${url}/${t}/oauth2/v2.0/logout`,
        issuer: `${url}/${t}/v2.0`,
        jwks_uri: `${url}/${t}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }
    const deviceCodePath = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/.exec(path);
    if (deviceCodePath && method === 'POST') {
      const userCode = `GX${deviceCodes.size + 7}Q-PLMN`;
      const deviceCode = `dc-${randomUUID()}`;
      deviceCodes.set(deviceCode, { userCode, approvedAs: null });
      return send(res, 200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: 'https://microsoft.com/devicelogin',
        expires_in: 900,
        interval: 1,
        message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`,
      });
    }
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (tokenPath && method === 'POST') {
      const form = new URLSearchParams(raw);
      if (tokenPath[1] !== tenantId) {
        return send(res, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tokenPath[1]}' not found.`, error_codes: [90002] });
      }
      const scope = form.get('scope') ?? '';
      const exp = Math.floor(Date.now() / 1000) + 3600;
      if (form.get('grant_type') === 'device_code') {
        const dc = deviceCodes.get(form.get('device_code') ?? '');
        if (!dc) return send(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: The provided device code is invalid or expired.' });
        if (!dc.approvedAs) {
          return send(res, 400, { error: 'authorization_pending', error_description: 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.', error_codes: [70016] });
        }
        const aud = scope.split(' ').find((x) => x.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? '';
        const oid = randomUUID();
        const jwt = `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ aud, tid: tenantId, upn: dc.approvedAs, oid, exp })}.sig`;
        issued.set(jwt, { exp, aud });
        const idToken = `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ aud: form.get('client_id'), iss: `${url}/${tenantId}/v2.0`, tid: tenantId, oid, preferred_username: dc.approvedAs, exp, iat: exp - 3600 })}.sig`;
        return send(res, 200, {
          token_type: 'Bearer',
          scope,
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: jwt,
          id_token: idToken,
          client_info: Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url'),
        });
      }
      if (form.get('grant_type') !== 'client_credentials') {
        return send(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: The app requested an unsupported grant type.' });
      }
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return send(res, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.get('client_id')}'.`,
          error_codes: [7000215],
        });
      }
      const aud = scope.replace(/\/\.default$/, '');
      const jwt = `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ aud, iss: `${url}/${tenantId}/`, tid: tenantId, appid: clientId, app_displayname: 'guardia-noc', exp, oid: randomUUID() })}.sig`;
      issued.set(jwt, { exp, aud });
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: jwt });
    }

    // Everything else is an API call: the token must be one we issued and not expired.
    const known = token ? issued.get(token) : undefined;
    if (!known) return send(res, 401, envelope('InvalidAuthenticationToken', 'The access token is invalid.'));
    if (known.exp * 1000 < Date.now()) {
      return send(res, 401, envelope('ExpiredAuthenticationToken', `The access token expiry UTC time '${new Date(known.exp * 1000).toUTCString()}' is earlier than current UTC time.`));
    }

    const failure = failures.find((f) => f.left > 0 && f.path.test(path) && (!f.method || f.method === method));
    if (failure) {
      failure.left--;
      return send(res, failure.status, envelope(failure.code, failure.message), failure.headers);
    }

    // Log Analytics.
    const ws = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(path);
    if (ws && method === 'POST') {
      if (ws[1] !== workspaceId) return send(res, 404, envelope('WorkspaceNotFoundError', `The workspace could not be found: ${ws[1]}`));
      const q = body as { query?: string; timespan?: string };
      if (!q?.query) return send(res, 400, { error: { code: 'BadArgumentError', message: 'The request had some invalid properties', innererror: { code: 'SyntaxError', message: 'Query could not be parsed' } } });
      const hit = logs.find((l) => q.query!.includes(l.match));
      if (!hit) {
        return send(res, 400, {
          error: {
            code: 'BadArgumentError',
            message: 'The request had some invalid properties',
            innererror: { code: 'SemanticError', message: "A semantic error occurred.", innererror: { code: 'SEM0100', message: "'where' operator: Failed to resolve table or column expression named 'Unknown'" } },
          },
        });
      }
      const tables = [{ name: 'PrimaryResult', columns: hit.table.columns, rows: hit.table.rows }];
      if (hit.partial) {
        return send(res, 200, {
          tables,
          error: { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: hit.partial.code, message: hit.partial.message, resources: [] }], innererror: { code: hit.partial.code, message: hit.partial.message } },
        });
      }
      return send(res, 200, { tables });
    }

    // Azure Monitor metrics batch.
    const batch = /^\/subscriptions\/([^/]+)\/metrics:getBatch$/.exec(path);
    if (batch && method === 'POST') {
      const ids = (body as { resourceids?: string[] })?.resourceids ?? [];
      const names = (u.searchParams.get('metricnames') ?? '').split(',').filter(Boolean);
      const start = Date.parse(u.searchParams.get('starttime') ?? '');
      const end = Date.parse(u.searchParams.get('endtime') ?? '');
      const aggregation = (u.searchParams.get('aggregation') ?? 'average').toLowerCase();
      if (!ids.length || !names.length || !Number.isFinite(start) || !Number.isFinite(end)) {
        return send(res, 400, envelope('BadRequest', 'resourceids, metricnames, starttime and endtime are required'));
      }
      const step = 5 * 60_000;
      return send(res, 200, {
        values: ids.map((id) => ({
          starttime: new Date(start).toISOString(),
          endtime: new Date(end).toISOString(),
          interval: u.searchParams.get('interval') ?? 'PT1M',
          namespace: u.searchParams.get('metricnamespace'),
          resourceregion: 'eastus2',
          resourceid: id,
          value: names.map((n, k) => ({
            id: `${id}/providers/Microsoft.Insights/metrics/${n}`,
            type: 'Microsoft.Insights/metrics',
            name: { value: n, localizedValue: n.replace(/_/g, ' ') },
            displayDescription: `${n} of the resource`,
            unit: n.includes('connections') ? 'Count' : 'Percent',
            errorCode: 'Success',
            timeseries: [
              {
                metadatavalues: [],
                data: Array.from({ length: Math.max(1, Math.floor((end - start) / step)) }, (_, i) => ({
                  timeStamp: new Date(start + i * step).toISOString(),
                  [aggregation]: 10 * (k + 1) + i,
                })),
              },
            ],
          })),
        })),
      });
    }

    // Long-running operations.
    const asyncOp = /\/azureAsyncOperation\/([^/]+)$/.exec(path);
    const resultOp = /\/operationResults\/([^/]+)$/.exec(path);
    if ((asyncOp || resultOp) && method === 'GET') {
      const op = operations.get((asyncOp ?? resultOp)![1]!);
      if (!op) return send(res, 404, envelope('OperationNotFound', 'No such operation'));
      if (asyncOp) {
        op.polls++;
        if (op.polls <= op.pollsNeeded) return send(res, 200, { name: asyncOp[1], status: 'InProgress', startTime: new Date().toISOString() }, { 'retry-after': '0' });
        op.apply();
        return send(res, 200, { name: asyncOp[1], status: 'Succeeded', startTime: new Date().toISOString(), endTime: new Date().toISOString() });
      }
      return op.polls > op.pollsNeeded ? send(res, 200, op.result()) : send(res, 202, undefined, { location: `${url}${path}${u.search}`, 'retry-after': '0' });
    }

    // ARM: an AKS node pool (`az aks nodepool upgrade` PUTs it with a new orchestratorVersion).
    const aks = apiAks.exec(path);
    if (aks) {
      const [, sub, rg, cluster, poolName] = aks as unknown as [string, string, string, string, string];
      const p = sub === subscriptionId ? pools.get(`${rg}/${cluster}/${poolName}`) : undefined;
      if (!p) return send(res, 404, envelope('ResourceNotFound', `The Resource 'Microsoft.ContainerService/managedClusters/${cluster}' under resource group '${rg}' was not found.`));
      const poolBody = () => ({
        id: path,
        name: poolName,
        type: 'Microsoft.ContainerService/managedClusters/agentPools',
        properties: { count: p.count, vmSize: p.vmSize, mode: 'System', orchestratorVersion: p.version, currentOrchestratorVersion: p.version, provisioningState: p.state },
      });
      if (method === 'GET') return send(res, 200, poolBody());
      if (method === 'PUT') {
        const version = (body as { properties?: { orchestratorVersion?: string } })?.properties?.orchestratorVersion;
        if (!version) return send(res, 400, envelope('InvalidParameter', 'properties.orchestratorVersion is required'));
        p.state = 'Upgrading';
        return startOperation(res, {
          resourcePath: path,
          apply: () => {
            p.version = version;
            p.state = 'Succeeded';
          },
          result: poolBody,
        });
      }
      return send(res, 405, envelope('MethodNotAllowed', `${method} is not supported here`));
    }

    // ARM: PostgreSQL flexible server and its configurations.
    const pg = apiPg.exec(path);
    if (pg) {
      const [, sub, rg, name, configName] = pg as unknown as [string, string, string, string, string | undefined];
      if (!u.searchParams.get('api-version')) return send(res, 400, envelope('MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."));
      const s = sub === subscriptionId ? servers.get(`${rg}/${name}`) : undefined;
      if (!s) return send(res, 404, envelope('ResourceNotFound', `The Resource 'Microsoft.DBforPostgreSQL/flexibleServers/${name}' under resource group '${rg}' was not found.`));
      if (!configName) {
        if (method === 'GET') return send(res, 200, serverBody(sub, rg, name, s));
        if (method === 'PATCH') {
          const patch = body as { sku?: { name?: string; tier?: string } };
          if (!patch?.sku?.name) return send(res, 400, envelope('InvalidParameterValue', 'sku.name is required'));
          s.state = 'Updating';
          return startOperation(res, {
            resourcePath: path,
            apply: () => {
              s.sku = { name: patch.sku!.name!, tier: patch.sku!.tier ?? s.sku.tier };
              s.state = 'Ready';
            },
            result: () => serverBody(sub, rg, name, s),
          });
        }
      } else {
        const c = s.config.get(configName);
        if (!c) return send(res, 404, envelope('ConfigurationNotExists', `The configuration '${configName}' does not exist for server '${name}'.`));
        if (method === 'GET') return send(res, 200, configBody(sub, rg, name, configName, c));
        if (method === 'PATCH' || method === 'PUT') {
          const value = (body as { properties?: { value?: string } })?.properties?.value;
          if (value === undefined) return send(res, 400, envelope('InvalidParameterValue', 'properties.value is required'));
          return startOperation(res, {
            resourcePath: path,
            apply: () => {
              c.value = String(value);
            },
            result: () => configBody(sub, rg, name, configName, c, !c.dynamic),
          });
        }
      }
      return send(res, 405, envelope('MethodNotAllowed', `${method} is not supported here`));
    }
    return send(res, 404, envelope('NotFound', `No route for ${method} ${path}`));
  };

  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    handle(req, res).catch((e: Error) => send(res, 500, envelope('InternalServerError', e.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: cert.cert,
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    workspaceId,
    requests,
    setLogs(match, table, partial) {
      logs.unshift({ match, table, partial });
    },
    approveDeviceCode(userCode, upn) {
      for (const dc of deviceCodes.values()) if (dc.userCode === userCode) dc.approvedAs = upn;
    },
    fail(f) {
      failures.push({ ...f, left: f.times ?? 1 });
    },
    server: (name) => servers.get(`tiendi-prod/${name}`),
    poolVersion: (pool) => pools.get(`tiendi-prod/tiendi-cluster/${pool}`)?.version,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
