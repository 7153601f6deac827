import type { ClusterPort, DeploymentInfo, PodInfo } from '../ports.js';
import { DEMO_NAMESPACE, type TiendiSimulation } from './simulation.js';

/**
 * The demo's Kubernetes: namespace `production` of the simulation. Reads reflect the incident
 * (crash-looping pod, rollouts in progress); writes are recorded as actions at the current sim time
 * and change the simulation from then on. Dry runs validate and describe, and change nothing.
 */
export class DemoCluster implements ClusterPort {
  readonly context = 'demo-tiendi-prod';

  constructor(
    private readonly sim: TiendiSimulation,
    private readonly now: () => number,
  ) {}

  async listPods(namespace: string, signal?: AbortSignal): Promise<PodInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    return this.sim.podsAt(this.now()).map((p) => p.info);
  }

  async listDeployments(namespace: string, signal?: AbortSignal): Promise<DeploymentInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    return this.sim.deploymentsAt(this.now());
  }

  async rolloutUndo(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'rolloutUndo', namespace, target: deployment }, opts.dryRun);
  }

  async rolloutRestart(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'rolloutRestart', namespace, target: deployment }, opts.dryRun);
  }

  async scale(namespace: string, deployment: string, replicas: number, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'scale', namespace, target: deployment, replicas }, opts.dryRun);
  }

  async setEnv(
    namespace: string,
    deployment: string,
    env: Record<string, string>,
    opts: { dryRun: boolean },
  ): Promise<string> {
    return this.sim.apply({ kind: 'setEnv', namespace, target: deployment, env: { ...env } }, opts.dryRun);
  }

  async deletePod(namespace: string, pod: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'deletePod', namespace, target: pod }, opts.dryRun);
  }
}
