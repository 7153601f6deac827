import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureConnectionSchema } from '../../shared/config.js';
import { AzureConnector } from '../../electron/core/azure/azure-connector.js';
import { createAzureStepRunner } from '../../electron/core/azure/azure-steps.js';
import type { SecretStore } from '../../electron/core/ports.js';
import { startFakeAzure, type FakeAzure } from '../fakes/azure/fake-azure.js';

/** The keychain port, in memory: this file tests Azure, the keychain has its own integration test. */
function memorySecrets(entries: Record<string, string>): SecretStore {
  const m = new Map(Object.entries(entries));
  return {
    get: async (n) => {
      const v = m.get(n);
      if (v === undefined) throw new Error(`no keychain entry "${n}"`);
      return v;
    },
    set: async (n, v) => void m.set(n, v),
    delete: async (n) => void m.delete(n),
    list: async () => [...m.keys()],
  };
}

let fake: FakeAzure;

function connector(secret = fake.clientSecret, signIn: Record<string, string> = { method: 'service-principal', clientId: fake.clientId, secret: 'azure-sp-noc' }): AzureConnector {
  const connection = azureConnectionSchema.parse({
    subscriptionId: fake.subscriptionId,
    tenantId: fake.tenantId,
    resourceGroup: 'tiendi-prod',
    workspaceId: fake.workspaceId,
    region: 'eastus2',
    signIn,
    endpoints: { authorityHost: fake.url, resourceManager: fake.url, logAnalytics: fake.url, metrics: fake.url },
  });
  return new AzureConnector(connection, {
    secrets: memorySecrets({ 'azure-sp-noc': secret }),
    clock: { now: () => Date.now() },
    clientOptions: { tlsOptions: { ca: fake.ca }, retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 } },
    pollIntervalMs: 5,
  });
}

const exceptionsTable = {
  columns: [
    { name: 'ExceptionType', type: 'string' },
    { name: 'Count', type: 'long' },
    { name: 'LastSeen', type: 'datetime' },
  ],
  rows: [
    ['SequelizeConnectionAcquireTimeoutError', 1146, '2026-11-30T03:55:00Z'],
    ['GatewayTimeoutError', 12, '2026-11-30T03:50:00Z'],
  ],
};

const failedByOperation = {
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'OperationName', type: 'string' },
    { name: 'Failed', type: 'long' },
  ],
  rows: [
    ['2026-11-30T03:00:00Z', 'GET /api/products', 4],
    ['2026-11-30T03:00:00Z', 'POST /api/checkout', 9],
    ['2026-11-30T03:05:00Z', 'GET /api/products', 40],
    ['2026-11-30T03:05:00Z', 'POST /api/checkout', 90],
    ['2026-11-30T03:10:00Z', 'GET /api/products', 38],
    ['2026-11-30T03:10:00Z', 'POST /api/checkout', 95],
  ],
};

const logsStep = (query: string) => ({ query, timespan: 'PT1H', serverTimeout: 60 });
const patches = () => fake.requests.filter((r) => r.method === 'PATCH');

beforeAll(async () => {
  fake = await startFakeAzure();
  fake.setLogs('AppExceptions', exceptionsTable);
  fake.setLogs('AppRequests', failedByOperation);
  fake.setLogs('AppDependencies', failedByOperation, { code: 'QueryTimeout', message: 'Query exceeded the allowed time: partial results returned' });
});

afterAll(async () => {
  await fake?.close();
});

describe('Azure through the real SDKs against the fake', () => {
  it('signs in as a service principal whose secret comes from the keychain port, and names the app', async () => {
    const az = connector();
    expect(az.status().state).toBe('signed-out');
    await az.signInAndWait();
    const s = az.status();
    expect(s.state).toBe('signed-in');
    expect(s.account).toMatchObject({ name: 'guardia-noc', kind: 'service-principal', tenantId: fake.tenantId });
    expect(JSON.stringify(s)).not.toContain(fake.clientSecret);
    await az.signOut();
    expect(az.status()).toMatchObject({ state: 'signed-out', account: null });
  });

  it('signs in with a device code: the code reaches the UI through the status, then the person is named', async () => {
    const az = connector(undefined, { method: 'device-code', clientId: 'guardia-public-client' });
    const seen: string[] = [];
    az.onStatus((s) => {
      if (s.deviceCode && !seen.includes(s.deviceCode.userCode)) {
        seen.push(s.deviceCode.userCode);
        fake.approveDeviceCode(s.deviceCode.userCode, 'ana@tiendi.pe');
      }
    });
    await az.signInAndWait();
    expect(seen).toEqual([expect.stringMatching(/^GX\d+Q-PLMN$/)]);
    expect(az.status()).toMatchObject({ state: 'signed-in', deviceCode: null, account: { name: 'ana@tiendi.pe', kind: 'user' } });
  });

  it('says the client secret is wrong when the token endpoint refuses it', async () => {
    const az = connector('not-the-secret');
    await expect(az.signInAndWait()).rejects.toThrow(/sign-in failed.*AADSTS7000215/);
    expect(az.status().state).toBe('error');
  });

  it('runs a KQL step: table rows, server timeout sent as Prefer: wait', async () => {
    const runner = createAzureStepRunner(connector());
    const reading = await runner.read('logs.query', logsStep('AppExceptions | where AppRoleName == "tiendi-api"'), new AbortController().signal);
    expect(reading.output).toMatchObject({ kind: 'table', columns: ['ExceptionType', 'Count', 'LastSeen'], note: null });
    expect(reading.output.kind === 'table' && reading.output.rows[0]).toEqual(['SequelizeConnectionAcquireTimeoutError', 1146, '2026-11-30T03:55:00.000Z']);
    const sent = fake.requests.filter((r) => r.path === `/v1/workspaces/${fake.workspaceId}/query`).at(-1)!;
    expect(sent.prefer).toBe('wait=60');
    expect(sent.body).toMatchObject({ query: expect.stringContaining('AppExceptions'), timespan: 'PT1H' });
  });

  it('turns a time-binned KQL result into one chart line per operation', async () => {
    const result = await connector().queryLogs({ query: 'AppRequests | where Success == false', timespan: 'PT1H' });
    expect(result.status).toBe('success');
    expect(result.series.map((s) => s.name).sort()).toEqual(['GET /api/products', 'POST /api/checkout']);
    expect(result.series.find((s) => s.name === 'POST /api/checkout')!.points).toEqual([
      [Date.parse('2026-11-30T03:00:00Z'), 9],
      [Date.parse('2026-11-30T03:05:00Z'), 90],
      [Date.parse('2026-11-30T03:10:00Z'), 95],
    ]);
  });

  it('shows a PartialFailure as partial: the rows and the error both', async () => {
    const az = connector();
    const result = await az.queryLogs({ query: 'AppDependencies | where Target has "niubiz"', timespan: 'PT1H' });
    expect(result.status).toBe('partial');
    expect(result.partialError).toMatch(/some errors when processing your query.*QueryTimeout: Query exceeded the allowed time/);
    expect(result.tables[0]!.rows).toHaveLength(6);
    const reading = await createAzureStepRunner(az).read('logs.query', logsStep('AppDependencies'), new AbortController().signal);
    expect(reading.summary).toMatch(/partial/);
    expect(reading.output.kind === 'table' && reading.output.note).toMatch(/^PARTIAL results/);
  });

  it('names a KQL semantic error from Log Analytics', async () => {
    await expect(connector().queryLogs({ query: 'Unknown | take 1', timespan: 'PT1H' })).rejects.toMatchObject({
      code: 'azure.bad-query',
      message: expect.stringMatching(/rejected the query.*Failed to resolve table or column expression named 'Unknown'/),
    });
  });

  it('reads PostgreSQL metrics through the metrics batch endpoint', async () => {
    const runner = createAzureStepRunner(connector());
    const params = { resourceType: 'Microsoft.DBforPostgreSQL/flexibleServers', resource: 'tiendi-db', metrics: 'cpu_percent,active_connections', aggregation: 'Average', interval: 'PT5M', timespan: 'PT1H' };
    const reading = await runner.read('metrics.query', params, new AbortController().signal);
    expect(reading.output.kind === 'table' && reading.output.rows.map((r) => r.slice(0, 4))).toEqual([
      ['tiendi-db', 'cpu percent', 21, 'Percent'],
      ['tiendi-db', 'active connections', 31, 'Count'],
    ]);
    const sent = fake.requests.filter((r) => r.path.endsWith('/metrics:getBatch')).at(-1)!;
    expect(sent.body).toEqual({ resourceids: [`/subscriptions/${fake.subscriptionId}/resourceGroups/tiendi-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/tiendi-db`] });
    const series = await connector().queryMetrics({ resourceIds: [(sent.body as { resourceids: string[] }).resourceids[0]!], namespace: 'Microsoft.DBforPostgreSQL/flexibleServers', metricNames: ['cpu_percent'], aggregation: 'Average', interval: 'PT5M', timespan: 'PT1H' });
    expect(series.series[0]!.points.length).toBeGreaterThan(10);
  });

  it('scales the database: preview shows current → target, one PATCH, the long-running operation polled to the end', async () => {
    const runner = createAzureStepRunner(connector());
    const params = { resourceGroup: 'tiendi-prod', server: 'tiendi-db', sku: 'Standard_D4ds_v4' };
    const preview = await runner.preview('postgres.updateSku', params);
    expect(preview.diff).toEqual([{ path: 'sku.name', before: 'Standard_D2ds_v4', after: 'Standard_D4ds_v4' }]);
    expect(await runner.write('postgres.updateSku', params, { dryRun: true })).toMatch(/^Dry run: would change sku.name/);
    expect(patches()).toHaveLength(0);
    const message = await runner.write('postgres.updateSku', params, { dryRun: false });
    expect(message).toBe('Scaled PostgreSQL flexible server tiendi-prod/tiendi-db: Standard_D2ds_v4 → Standard_D4ds_v4 (state Ready)');
    expect(patches()).toHaveLength(1);
    expect(patches()[0]!.body).toMatchObject({ sku: { name: 'Standard_D4ds_v4', tier: 'GeneralPurpose' } });
    expect(fake.requests.filter((r) => r.path.includes('/azureAsyncOperation/')).length).toBeGreaterThanOrEqual(3);
    expect(fake.server('tiendi-db')!.sku.name).toBe('Standard_D4ds_v4');
  });

  it('sets max_connections and says it applies after a restart', async () => {
    const runner = createAzureStepRunner(connector());
    const params = { resourceGroup: 'tiendi-prod', server: 'tiendi-db', parameter: 'max_connections', value: '200' };
    expect((await runner.preview('postgres.setParameter', params)).diff).toEqual([{ path: 'max_connections', before: '100', after: '200' }]);
    const before = patches().length;
    const message = await runner.write('postgres.setParameter', params, { dryRun: false });
    expect(message).toBe('Set max_connections on PostgreSQL flexible server tiendi-prod/tiendi-db: 100 → 200 (applies after a server restart)');
    expect(patches().length - before).toBe(1);
    expect(fake.server('tiendi-db')!.config.get('max_connections')!.value).toBe('200');
  });

  it('upgrades the AKS node pool through the container-service SDK: one PUT with the new version, polled to the end', async () => {
    const az = connector();
    const runner = createAzureStepRunner(az);
    const params = { resourceGroup: 'tiendi-prod', cluster: 'tiendi-cluster', nodePool: 'nodepool1', version: '1.28.3' };
    expect((await runner.preview('aks.upgradeNodePool', params)).diff).toEqual([{ path: 'orchestratorVersion', before: '1.27.9', after: '1.28.3' }]);
    // One ARM call would upgrade every node at once: the engine offers it only as the guided procedure.
    expect(runner.unavailable('aks.upgradeNodePool')).toMatch(/guided procedure/);
    const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/agentPools/nodepool1'));
    const after = await az.upgradeAgentPool('tiendi-prod', 'tiendi-cluster', 'nodepool1', '1.28.3');
    expect(after).toMatchObject({ orchestratorVersion: '1.28.3', provisioningState: 'Succeeded', count: 3 });
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.body).toMatchObject({ properties: { orchestratorVersion: '1.28.3', count: 3 } });
    expect(fake.poolVersion('nodepool1')).toBe('1.28.3');
  });

  it('retries a read after 429 with Retry-After, but never a mutation', async () => {
    const az = connector();
    const server = '/subscriptions/.*/flexibleServers/tiendi-db$';
    fake.fail({ method: 'GET', path: new RegExp(server), status: 429, code: 'TooManyRequests', message: 'Too many requests', headers: { 'retry-after': '1' } });
    const count = () => fake.requests.filter((r) => r.method === 'GET' && new RegExp(server).test(r.path)).length;
    const gets = count();
    expect((await az.getPostgresServer('tiendi-prod', 'tiendi-db')).sku).toBe('Standard_D4ds_v4');
    expect(count() - gets).toBe(2);

    fake.fail({ method: 'PATCH', path: new RegExp(server), status: 429, code: 'TooManyRequests', message: 'Too many requests', headers: { 'retry-after': '1' } });
    const before = patches().length;
    await expect(az.updatePostgresSku('tiendi-prod', 'tiendi-db', 'Standard_D8ds_v4')).rejects.toMatchObject({
      code: 'azure.throttled',
      message: expect.stringMatching(/throttling.*wait 1 s.*not retried/),
    });
    expect(patches().length - before).toBe(1);
  });

  it('retries a read on 5xx with backoff and says so; a 5xx mutation is sent once', async () => {
    const az = connector();
    fake.fail({ method: 'POST', path: /\/query$/, status: 503, code: 'ServiceUnavailable', message: 'The service is temporarily unavailable', times: 10 });
    const before = fake.requests.filter((r) => r.path.endsWith('/query')).length;
    await expect(az.queryLogs({ query: 'AppExceptions', timespan: 'PT1H' })).rejects.toMatchObject({ code: 'azure.unavailable', message: expect.stringMatching(/server error.*Retried with backoff/) });
    expect(fake.requests.filter((r) => r.path.endsWith('/query')).length - before).toBe(3);
    fake.fail({ method: 'POST', path: /\/query$/, status: 200, code: '', message: '', times: 0 });

    fake.fail({ method: 'PATCH', path: /configurations\/work_mem$/, status: 500, code: 'InternalServerError', message: 'An unexpected error occured while processing the request.' });
    const p = patches().length;
    await expect(az.setPostgresParameter('tiendi-prod', 'tiendi-db', 'work_mem', '8192')).rejects.toMatchObject({
      code: 'azure.unavailable',
      message: expect.stringMatching(/sent once and not retried/),
    });
    expect(patches().length - p).toBe(1);
    expect(fake.server('tiendi-db')!.config.get('work_mem')!.value).toBe('4096');
  });

  it('names the missing role on 403 AuthorizationFailed', async () => {
    fake.fail({
      method: 'PATCH',
      path: /flexibleServers\/tiendi-db$/,
      status: 403,
      code: 'AuthorizationFailed',
      message: `The client 'guardia-noc' does not have authorization to perform action 'Microsoft.DBforPostgreSQL/flexibleServers/write' over scope '/subscriptions/${'x'}/resourceGroups/tiendi-prod'.`,
    });
    await expect(connector().updatePostgresSku('tiendi-prod', 'tiendi-db', 'Standard_D8ds_v4')).rejects.toMatchObject({
      code: 'azure.forbidden',
      message: expect.stringMatching(/lacks permission \(403 AuthorizationFailed\)\. It needs Contributor on the PostgreSQL flexible server.*flexibleServers\/write/),
    });
  });

  it('says to sign in again when Azure answers 401 for an expired token, without retrying', async () => {
    const az = connector();
    await az.signInAndWait();
    fake.fail({
      method: 'GET',
      path: /flexibleServers\/tiendi-db$/,
      status: 401,
      code: 'ExpiredAuthenticationToken',
      message: "The access token expiry UTC time '11/30/2026 3:00:00 AM' is earlier than current UTC time '11/30/2026 4:00:00 AM'.",
    });
    const before = fake.requests.length;
    await expect(az.getPostgresServer('tiendi-prod', 'tiendi-db')).rejects.toMatchObject({
      code: 'azure.unauthorized',
      message: expect.stringMatching(/401 ExpiredAuthenticationToken.*expired or was revoked\. Sign in to Azure again/),
    });
    expect(fake.requests.slice(before).filter((r) => r.path.endsWith('/tiendi-db'))).toHaveLength(1);
    expect((await az.getPostgresServer('tiendi-prod', 'tiendi-db')).name).toBe('tiendi-db');
  });
});
