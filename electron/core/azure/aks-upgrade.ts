import type { AksUpgrade } from '../../../shared/azure.js';
import { GuardiaError } from '../../../shared/result.js';
import type { Journal } from '../journal/journal.js';
import type { ClusterPort } from '../ports.js';
import type { AzurePort } from './azure-port.js';

/** The Kubernetes calls the procedure needs (the cluster port's optional node operations, or the demo's). */
export interface NodeOperations {
  listNodes(pool: string, signal?: AbortSignal): Promise<Array<{ name: string; ready: boolean }>>;
  /** `kubectl cordon` (true) / `kubectl uncordon` (false). */
  setUnschedulable(node: string, unschedulable: boolean): Promise<void>;
  /** `kubectl drain --ignore-daemonsets --delete-emptydir-data`: evicts the node's pods (PDBs respected). */
  drain(node: string, signal?: AbortSignal): Promise<string>;
  /** Whether the node reports condition Ready=True. */
  isReady(node: string, signal?: AbortSignal): Promise<boolean>;
}

export interface UpgradeTarget {
  resourceGroup: string;
  cluster: string;
  nodePool: string;
  version: string;
}

type Step = AksUpgrade['steps'][number];

/** How long `kubectl wait --for=condition=Ready --timeout=5m` waits. */
const readyTimeoutMs = 5 * 60_000;

/**
 * Runbook §8.2 (`upgrade-k8s.sh`) as a guided procedure: for each node of the pool, cordon, drain,
 * upgrade the pool through ARM (sent once; skipped when the pool already runs the version), uncordon
 * and wait Ready. One step at a time, each journaled before and after; pausing stops after the step in
 * progress and resuming continues from the next one. A failed step stops the run; resuming retries it
 * only because the user asked (never automatically).
 */
export class AksUpgradeProcedure {
  private state: AksUpgrade;
  private running: Promise<void> | null = null;
  private pauseRequested = false;

  constructor(
    private readonly target: UpgradeTarget,
    private readonly azure: AzurePort,
    private readonly nodes: NodeOperations,
    private readonly journal: Journal,
    private readonly who: { actor: string; environment: string },
    private readonly onChange: (u: AksUpgrade) => void,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    private readonly now: () => number,
  ) {
    this.state = { cluster: target.cluster, nodePool: target.nodePool, fromVersion: null, toVersion: target.version, state: 'ready', steps: [] };
  }

  snapshot(): AksUpgrade {
    return structuredClone(this.state);
  }

  private emit(): void {
    this.onChange(this.snapshot());
  }

  /** Plans the steps from the pool's nodes (only before the first start). */
  async plan(signal?: AbortSignal): Promise<AksUpgrade> {
    if (this.state.steps.length && this.state.state !== 'ready') return this.snapshot();
    const pool = await this.azure.getAgentPool(this.target.resourceGroup, this.target.cluster, this.target.nodePool, signal);
    const nodes = await this.nodes.listNodes(this.target.nodePool, signal);
    const steps: Step[] = [];
    for (const n of nodes) {
      const s = (kind: Step['kind'], title: string): Step => ({ id: `${n.name}:${kind}`, kind, node: n.name, title, state: 'pending', message: null });
      steps.push(
        s('cordon', `kubectl cordon ${n.name}`),
        s('drain', `kubectl drain ${n.name} --ignore-daemonsets --delete-emptydir-data`),
        s('upgrade', `az aks nodepool upgrade --resource-group ${this.target.resourceGroup} --cluster-name ${this.target.cluster} --name ${this.target.nodePool} --kubernetes-version ${this.target.version}`),
        s('uncordon', `kubectl uncordon ${n.name}`),
        s('wait-ready', `kubectl wait --for=condition=Ready node/${n.name} --timeout=5m`),
      );
    }
    this.state = { ...this.state, fromVersion: pool.orchestratorVersion, steps };
    this.emit();
    return this.snapshot();
  }

  /** Starts or resumes; the user typed the node pool's name. Returns at once; progress arrives via onChange. */
  async start(confirm: string): Promise<AksUpgrade> {
    if (confirm.trim() !== this.target.nodePool) {
      throw new GuardiaError('playbooks.not-confirmed', `Type "${this.target.nodePool}" to confirm the node-pool upgrade to ${this.target.version}; got "${confirm}"`);
    }
    if (this.running) return this.snapshot();
    if (this.state.state === 'done') throw new GuardiaError('azure.upgrade-done', `The upgrade of ${this.target.nodePool} to ${this.target.version} is already done`);
    if (!this.state.steps.length) await this.plan();
    this.pauseRequested = false;
    this.state = { ...this.state, state: 'running' };
    this.emit();
    this.running = this.run().finally(() => (this.running = null));
    return this.snapshot();
  }

  /** Stops after the step in progress. */
  pause(): AksUpgrade {
    if (this.running) this.pauseRequested = true;
    return this.snapshot();
  }

  /** Resolves when the current run stops (done, paused or failed): for tests and the CLI. */
  async settled(): Promise<AksUpgrade> {
    await this.running;
    return this.snapshot();
  }

  private async run(): Promise<void> {
    for (let i = 0; i < this.state.steps.length; i++) {
      const step = this.state.steps[i]!;
      if (step.state === 'done') continue;
      if (this.pauseRequested) {
        this.state = { ...this.state, state: 'paused' };
        this.emit();
        return;
      }
      this.setStep(i, { state: 'running', message: null });
      const base = { actor: this.who.actor, environment: this.who.environment, source: 'azure:aks-upgrade' };
      const data = { cluster: this.target.cluster, nodePool: this.target.nodePool, version: this.target.version, step: step.id };
      const started = await this.journal.append({ ...base, kind: 'action.started', summary: `Started: ${step.title}`, data });
      try {
        const message = await this.runStep(step);
        this.setStep(i, { state: 'done', message });
        await this.journal.append({ ...base, kind: 'action.finished', summary: message, data: { ...data, startedId: started.id, outcome: 'ok' } });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.setStep(i, { state: 'failed', message });
        this.state = { ...this.state, state: 'failed' };
        await this.journal.append({ ...base, kind: 'action.finished', summary: `Failed: ${message}`, data: { ...data, startedId: started.id, outcome: 'error' } });
        this.emit();
        return;
      }
    }
    this.state = { ...this.state, state: 'done' };
    this.emit();
  }

  private setStep(i: number, patch: Partial<Step>): void {
    const steps = this.state.steps.map((s, j) => (j === i ? { ...s, ...patch } : s));
    this.state = { ...this.state, steps };
    this.emit();
  }

  private async runStep(step: Step): Promise<string> {
    const node = step.node!;
    const t = this.target;
    switch (step.kind) {
      case 'cordon':
        await this.nodes.setUnschedulable(node, true);
        return `node/${node} cordoned`;
      case 'drain':
        return this.nodes.drain(node);
      case 'upgrade': {
        const pool = await this.azure.getAgentPool(t.resourceGroup, t.cluster, t.nodePool);
        if (pool.orchestratorVersion === t.version) return `Node pool ${t.nodePool} already runs ${t.version}: not sent again`;
        const after = await this.azure.upgradeAgentPool(t.resourceGroup, t.cluster, t.nodePool, t.version);
        return `Node pool ${t.nodePool}: ${pool.orchestratorVersion ?? '?'} → ${after.orchestratorVersion ?? t.version}`;
      }
      case 'uncordon':
        await this.nodes.setUnschedulable(node, false);
        return `node/${node} uncordoned`;
      case 'wait-ready': {
        const deadline = this.now() + readyTimeoutMs;
        while (!(await this.nodes.isReady(node))) {
          if (this.now() > deadline) throw new GuardiaError('azure.node-not-ready', `node/${node} not Ready after 5 minutes`);
          await this.sleep(2_000);
        }
        return `node/${node} condition met (Ready)`;
      }
    }
  }
}

/**
 * The procedure's node operations from a Kubernetes connector that has the optional node calls of the
 * cluster port, or null (the upgrade then says it needs them).
 */
export function nodeOperationsOf(cluster: ClusterPort | null): NodeOperations | null {
  if (!cluster?.listNodes || !cluster.cordonNode || !cluster.drainNode) return null;
  const { listNodes, cordonNode, drainNode } = { listNodes: cluster.listNodes.bind(cluster), cordonNode: cluster.cordonNode.bind(cluster), drainNode: cluster.drainNode.bind(cluster) };
  return {
    listNodes: async (pool, signal) => (await listNodes(pool, signal)).map((n) => ({ name: n.name, ready: n.ready })),
    setUnschedulable: (node, unschedulable) => cordonNode(node, unschedulable),
    drain: (node, signal) => drainNode(node, signal),
    isReady: async (node, signal) => (await listNodes(null, signal)).find((n) => n.name === node)?.ready ?? false,
  };
}

/** Nodes of the demo's AKS pool, kept in memory (the demo cluster has no node objects). */
export function demoNodeOperations(drainMs = 0): NodeOperations {
  const nodes = new Map([0, 1, 2].map((i) => [`aks-nodepool1-${i}`, { unschedulable: false }]));
  return {
    async listNodes() {
      return [...nodes.keys()].map((name) => ({ name, ready: true }));
    },
    async setUnschedulable(node, unschedulable) {
      const n = nodes.get(node);
      if (!n) throw new GuardiaError('kube.not-found', `node/${node} not found`);
      n.unschedulable = unschedulable;
    },
    async drain(node) {
      // Evictions take a while on a real node; the demo waits a little so pausing can be seen.
      if (drainMs > 0) await new Promise((r) => setTimeout(r, drainMs));
      return `node/${node} drained: evicted 7 pods (daemon sets ignored)`;
    },
    async isReady() {
      return true;
    },
  };
}
