import type { AksUpgrade, AzureStatus } from '../../../shared/azure.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule, ModuleFactory } from '../core-module.js';
import { AksUpgradeProcedure, type NodeOperations } from './aks-upgrade.js';
import type { AzurePort } from './azure-port.js';
import { azureReadOperations, runAzureQuery } from './azure-steps.js';

/** What the composition root hands the Azure module. */
export interface AzureModuleDeps {
  /** null: this environment has no Azure connection (every channel still answers, saying so). */
  port: AzurePort | null;
  /** Node cordon/drain for the guided AKS upgrade; null when the cluster connector lacks them. */
  nodes: NodeOperations | null;
}

const notConfigured: AzureStatus = {
  configured: false,
  demo: false,
  method: null,
  subscriptionId: null,
  workspaceId: null,
  state: 'signed-out',
  account: null,
  deviceCode: null,
  error: null,
  tokenCache: 'memory',
};

const reads = new Set<string>(azureReadOperations);

/**
 * Azure's channels: sign-in state, the pack's KQL / metric steps for the Azure view, and the guided
 * AKS upgrade. Azure actions themselves run through the playbook engine (its `azure` step runner).
 */
export function azureModule(deps: AzureModuleDeps): ModuleFactory {
  return (ctx: CoreContext): CoreModule => {
    const { port } = deps;
    let procedure: AksUpgradeProcedure | null = null;
    let unsubscribe: (() => void) | null = null;
    const upgrade = () => procedure?.snapshot() ?? null;
    const emit = (status: AzureStatus) => ctx.events.emit('azure.changed', { status, upgrade: upgrade() });

    const requirePort = (): AzurePort => {
      if (!port) throw new GuardiaError('azure.not-configured', `Environment "${ctx.environment.id}" has no Azure connection (connections.azure in the configuration)`);
      return port;
    };

    const azureSteps = () =>
      ctx.pack.playbooks.flatMap((p) =>
        p.diagnosis
          .filter((s) => s.target.system === 'azure' && reads.has(s.target.operation))
          .map((s) => ({ playbook: p, step: s })),
      );

    const procedureFor = (): AksUpgradeProcedure | null => {
      if (procedure) return procedure;
      if (!port || !deps.nodes) return null;
      const action = ctx.pack.playbooks.flatMap((p) => p.actions).find((a) => a.target.system === 'azure' && a.target.operation === 'aks.upgradeNodePool');
      if (!action) return null;
      const p = action.target.params;
      const need = (k: string) => {
        const v = p[k];
        if (v === undefined || v === '') throw new GuardiaError('playbooks.bad-action', `Action "${action.id}" has no "${k}" parameter in the pack`);
        return String(v);
      };
      procedure = new AksUpgradeProcedure(
        {
          resourceGroup: p.resourceGroup ? String(p.resourceGroup) : (port.defaultResourceGroup ?? need('resourceGroup')),
          cluster: need('cluster'),
          nodePool: need('nodePool'),
          version: need('version'),
        },
        port,
        deps.nodes,
        ctx.journal,
        { actor: ctx.actor, environment: ctx.environment.id },
        () => emit(port.status()),
        (ms, signal) => ctx.clock.sleep(ms, signal),
        () => ctx.clock.now(),
      );
      return procedure;
    };

    return {
      name: 'azure',
      init: async () => {
        if (port) unsubscribe = port.onStatus(emit);
      },
      stop: async () => {
        unsubscribe?.();
      },
      handlers: {
        'azure.getStatus': async () => port?.status() ?? notConfigured,
        'azure.signIn': async () => requirePort().signIn(),
        'azure.signOut': async () => requirePort().signOut(),
        'azure.listQueries': async () => ({
          queries: azureSteps().map(({ playbook, step }) => ({
            playbookId: playbook.id,
            stepId: step.id,
            kind: step.target.operation === 'metrics.query' ? ('metrics' as const) : ('logs' as const),
            title: step.title,
            command: step.command,
          })),
        }),
        'azure.runQuery': async (req) => {
          const found = azureSteps().find(({ playbook, step }) => playbook.id === req.playbookId && step.id === req.stepId);
          if (!found) throw new GuardiaError('azure.unknown-query', `No Azure step "${req.stepId}" in playbook "${req.playbookId}"`);
          const where = `step "${found.step.id}" of playbook "${found.playbook.id}"`;
          return runAzureQuery(requirePort(), found.step.target.operation, found.step.target.params, where);
        },
        'azure.getUpgrade': async () => {
          const proc = procedureFor();
          if (!proc) return null;
          return proc.snapshot().steps.length ? proc.snapshot() : proc.plan();
        },
        'azure.controlUpgrade': async (req): Promise<AksUpgrade> => {
          if (ctx.environment.readOnly) throw new GuardiaError('playbooks.read-only', `Environment "${ctx.environment.id}" is read-only`);
          const proc = procedureFor();
          if (!proc) {
            throw new GuardiaError(
              'playbooks.unavailable',
              !port ? 'No Azure connection is configured for this environment' : 'The guided AKS upgrade needs a Kubernetes connection with node cordon/drain',
            );
          }
          if (req.command === 'pause') return proc.pause();
          return proc.start(req.confirm);
        },
      },
    };
  };
}
