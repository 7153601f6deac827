import type { AzureActionPreview, AzureQueryResult } from '../../../shared/azure.js';
import type { TableOutput } from '../../../shared/diagnosis.js';
import { GuardiaError } from '../../../shared/result.js';
import { param, plural, UnsupportedStepError, type PreviewParts, type StepParams, type StepReading, type StepRunner } from '../playbooks/step-runner.js';
import type { AzurePort, LogsQuery, MetricsQuery } from './azure-port.js';
import { durationMs } from './query-results.js';

/**
 * The pack's Azure steps (`system: azure`) bound to the Azure port: KQL and metrics reads for
 * diagnosis, and the runbook's `az` actions (9.3 / 7.2) for the playbook engine's safety gate.
 */

/** Read operations a pack step may name. */
export const azureReadOperations = ['logs.query', 'metrics.query'] as const;
/** Actions a pack step may name (each changes production: confirmed, journaled, never retried). */
export const azureWriteOperations = ['postgres.updateSku', 'postgres.setParameter', 'aks.upgradeNodePool'] as const;

const defaultTimespan = 'PT1H';
const maxServerTimeoutSeconds = 600;

function str(params: StepParams, key: string): string | undefined {
  const v = params[key];
  return v === undefined || v === '' ? undefined : String(v);
}

/** A pack step's params as a Log Analytics query (timespan and server timeout checked). */
export function logsQueryOf(params: StepParams, where: string): LogsQuery {
  const timespan = str(params, 'timespan') ?? defaultTimespan;
  try {
    durationMs(timespan);
  } catch (e) {
    throw new GuardiaError('playbooks.bad-action', `${where}: ${(e as Error).message}`);
  }
  const timeout = params.serverTimeout === undefined ? undefined : Number(params.serverTimeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0 && timeout <= maxServerTimeoutSeconds)) {
    throw new GuardiaError('playbooks.bad-action', `${where}: serverTimeout must be 1–${maxServerTimeoutSeconds} seconds, got ${params.serverTimeout}`);
  }
  return { query: param(params, 'query', where), timespan, serverTimeoutSeconds: timeout };
}

/** A pack step's params as a metrics batch query over one or more resources of one type. */
export function metricsQueryOf(params: StepParams, port: Pick<AzurePort, 'subscriptionId' | 'defaultResourceGroup'>, where: string): MetricsQuery {
  const resourceGroup = str(params, 'resourceGroup') ?? port.defaultResourceGroup;
  if (!resourceGroup) throw new GuardiaError('playbooks.bad-action', `${where}: no resourceGroup in the step or the azure connection`);
  const namespace = param(params, 'resourceType', where);
  const resources = param(params, 'resource', where).split(',').map((s) => s.trim()).filter(Boolean);
  return {
    resourceIds: resources.map((r) => `/subscriptions/${port.subscriptionId}/resourceGroups/${resourceGroup}/providers/${namespace}/${r}`),
    namespace,
    metricNames: param(params, 'metrics', where).split(',').map((s) => s.trim()).filter(Boolean),
    aggregation: str(params, 'aggregation') ?? 'Average',
    interval: str(params, 'interval') ?? 'PT1M',
    timespan: str(params, 'timespan') ?? defaultTimespan,
  };
}

/** A query result as a playbook step's table (first table), with partial failures stated in the note. */
export function readingOf(result: AzureQueryResult): StepReading {
  const first = result.tables[0] ?? { name: 'result', columns: [], rows: [] };
  const notes: string[] = [];
  if (result.status === 'partial') notes.push(`PARTIAL results — ${result.partialError ?? 'Azure returned part of the data'}`);
  if (result.truncated) notes.push('more rows than shown: narrow the query');
  const output: TableOutput = { kind: 'table', columns: first.columns.map((c) => c.name), rows: first.rows, note: notes.join(' · ') || null };
  const rows = plural(first.rows.length, 'row');
  return { output, summary: result.status === 'partial' ? `${rows} (partial: ${result.partialError ?? 'incomplete'})` : rows };
}

/** Runs one read step against the port: what the Azure view and the playbook engine both call. */
export async function runAzureQuery(port: AzurePort, operation: string, params: StepParams, where: string, signal?: AbortSignal): Promise<AzureQueryResult> {
  switch (operation) {
    case 'logs.query':
      return port.queryLogs(logsQueryOf(params, where), signal);
    case 'metrics.query':
      return port.queryMetrics(metricsQueryOf(params, port, where), signal);
    default:
      throw new UnsupportedStepError(`Azure operation "${operation}"`);
  }
}

function rgOf(port: AzurePort, params: StepParams, where: string): string {
  const rg = str(params, 'resourceGroup') ?? port.defaultResourceGroup;
  if (!rg) throw new GuardiaError('playbooks.bad-action', `${where}: no resourceGroup in the action or the azure connection`);
  return rg;
}

/**
 * Reads the live value an action would change, so the confirmation shows "current → target"
 * (e.g. SKU Standard_D2ds_v4 → Standard_D4ds_v4). Changes nothing.
 */
export async function previewAzureAction(port: AzurePort, operation: string, params: StepParams, where: string): Promise<AzureActionPreview> {
  const rg = rgOf(port, params, where);
  switch (operation) {
    case 'postgres.updateSku': {
      const server = param(params, 'server', where);
      const target = param(params, 'sku', where);
      const current = await port.getPostgresServer(rg, server);
      return {
        resource: `PostgreSQL flexible server ${rg}/${server}`,
        setting: 'sku.name',
        current: current.sku,
        target,
        unchanged: current.sku === target,
        notes: ['Scaling compute restarts the server: connections drop for a few minutes.'],
      };
    }
    case 'postgres.setParameter': {
      const server = param(params, 'server', where);
      // `parameter` (not `name`), so the typed confirmation names the server, the object that changes.
      const name = params.parameter !== undefined ? param(params, 'parameter', where) : param(params, 'name', where);
      const target = param(params, 'value', where);
      const current = await port.getPostgresParameter(rg, server, name);
      return {
        resource: `PostgreSQL flexible server ${rg}/${server}`,
        setting: name,
        current: current.value,
        target,
        unchanged: current.value === target,
        notes: name === 'max_connections' ? ['max_connections is static: it takes effect after a server restart.'] : [],
      };
    }
    case 'aks.upgradeNodePool': {
      const cluster = param(params, 'cluster', where);
      const pool = param(params, 'nodePool', where);
      const target = param(params, 'version', where);
      const current = await port.getAgentPool(rg, cluster, pool);
      return {
        resource: `AKS node pool ${rg}/${cluster}/${pool}`,
        setting: 'orchestratorVersion',
        current: current.orchestratorVersion,
        target,
        unchanged: current.orchestratorVersion === target,
        notes: ['Use the guided upgrade (cordon, drain, upgrade, uncordon, wait Ready per node).'],
      };
    }
    default:
      throw new UnsupportedStepError(`Azure action "${operation}"`);
  }
}

/** Sends an Azure action once (the port's mutation clients never retry) and says what happened. */
export async function runAzureAction(port: AzurePort, operation: string, params: StepParams, where: string, dryRun: boolean): Promise<string> {
  const preview = await previewAzureAction(port, operation, params, where);
  const change = `${preview.setting} of ${preview.resource}: ${preview.current ?? '(unset)'} → ${preview.target}`;
  if (dryRun) return `Dry run: would change ${change}${preview.unchanged ? ' (already at the target: nothing would change)' : ''}`;
  if (preview.unchanged) return `Nothing to do: ${preview.setting} of ${preview.resource} is already ${preview.target}`;
  const rg = rgOf(port, params, where);
  switch (operation) {
    case 'postgres.updateSku': {
      const after = await port.updatePostgresSku(rg, param(params, 'server', where), preview.target);
      return `Scaled ${preview.resource}: ${preview.current} → ${after.sku}${after.state ? ` (state ${after.state})` : ''}`;
    }
    case 'postgres.setParameter': {
      const after = await port.setPostgresParameter(rg, param(params, 'server', where), preview.setting, preview.target);
      return `Set ${preview.setting} on ${preview.resource}: ${preview.current ?? '(unset)'} → ${after.value}${after.restartRequired ? ' (applies after a server restart)' : ''}`;
    }
    case 'aks.upgradeNodePool': {
      const after = await port.upgradeAgentPool(rg, param(params, 'cluster', where), param(params, 'nodePool', where), preview.target);
      return `Upgraded ${preview.resource}: ${preview.current ?? '?'} → ${after.orchestratorVersion ?? preview.target}`;
    }
    default:
      throw new UnsupportedStepError(`Azure action "${operation}"`);
  }
}

/**
 * The playbook engine's runner for `system: azure` (see playbooks/step-runner.ts). Without an Azure
 * connection every step is unavailable with the reason; reads are retried with backoff by the SDK
 * clients, writes are sent once.
 */
export function createAzureStepRunner(port: AzurePort | null): StepRunner {
  const where = (operation: string) => `Azure step ${operation}`;
  const known = new Set<string>([...azureReadOperations, ...azureWriteOperations]);
  return {
    system: 'azure',
    unavailable(operation) {
      if (!port) return 'No Azure connection is configured for this environment';
      if (!known.has(operation)) return `Azure operation "${operation}" is not supported`;
      // One ARM call would upgrade every node at once; §8.2 drains node by node, so it runs guided.
      if (operation === 'aks.upgradeNodePool') return 'Runs as a guided procedure in the Azure view (cordon, drain, upgrade, uncordon, Ready per node)';
      return null;
    },
    async read(operation, params, signal) {
      if (!port) throw new GuardiaError('playbooks.unavailable', 'No Azure connection is configured for this environment');
      return readingOf(await runAzureQuery(port, operation, params, where(operation), signal));
    },
    async write(operation, params, opts) {
      if (!port) throw new GuardiaError('playbooks.unavailable', 'No Azure connection is configured for this environment');
      return runAzureAction(port, operation, params, where(operation), opts.dryRun);
    },
    async preview(operation, params): Promise<PreviewParts> {
      if (!port) throw new GuardiaError('playbooks.unavailable', 'No Azure connection is configured for this environment');
      const p = await previewAzureAction(port, operation, params, where(operation));
      return {
        context: `subscription ${port.subscriptionId}`,
        namespace: null,
        object: p.resource,
        diff: [{ path: p.setting, before: p.current, after: p.target }],
        dryRun: { ok: true, message: [p.unchanged ? 'Already at the target: nothing would change.' : `Will change ${p.setting}: ${p.current ?? '(unset)'} → ${p.target}.`, ...p.notes].join(' ') },
        blocked: null,
      };
    },
  };
}

