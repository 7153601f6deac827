/**
 * Whether a playbook step may run on this cluster, before anyone clicks: the environment's read-only
 * flag (k9s's read-only contexts) disables every mutation, and a SelfSubjectAccessReview per RBAC
 * permission the kubectl command needs (Headlamp's AuthVisible) disables what the user's credentials
 * may not do — with the reason shown beside the disabled button. The playbook engine calls
 * `actionPermissions` for each action when it lists playbooks and again right before running one.
 */
import type { ClusterPort } from '../ports.js';

/** One RBAC permission a kubectl command needs. */
export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

/** The pack operations of system `kubernetes`: what each one needs, and whether it changes the cluster. */
export const kubernetesOperations: Record<string, { mutation: boolean; needs: AccessAttributes[]; nameParam?: string }> = {
  'pods.list': { mutation: false, needs: [{ verb: 'list', group: '', resource: 'pods' }] },
  'logs.tail': { mutation: false, needs: [{ verb: 'get', group: '', resource: 'pods', subresource: 'log' }] },
  'top.pods': { mutation: false, needs: [{ verb: 'list', group: 'metrics.k8s.io', resource: 'pods' }] },
  'top.nodes': { mutation: false, needs: [{ verb: 'list', group: 'metrics.k8s.io', resource: 'nodes' }] },
  'rollout.history': { mutation: false, needs: [{ verb: 'list', group: 'apps', resource: 'replicasets' }] },
  'events.list': { mutation: false, needs: [{ verb: 'list', group: '', resource: 'events' }] },
  'hpa.list': { mutation: false, needs: [{ verb: 'list', group: 'autoscaling', resource: 'horizontalpodautoscalers' }] },
  'certificate.get': { mutation: false, needs: [{ verb: 'list', group: 'cert-manager.io', resource: 'certificates' }] },
  'rollout.undo': {
    mutation: true,
    nameParam: 'deployment',
    needs: [
      { verb: 'list', group: 'apps', resource: 'replicasets' },
      { verb: 'patch', group: 'apps', resource: 'deployments' },
    ],
  },
  'rollout.restart': { mutation: true, nameParam: 'deployment', needs: [{ verb: 'patch', group: 'apps', resource: 'deployments' }] },
  scale: { mutation: true, nameParam: 'deployment', needs: [{ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale' }] },
  'set.env': { mutation: true, nameParam: 'deployment', needs: [{ verb: 'patch', group: 'apps', resource: 'deployments' }] },
  'set.resources': { mutation: true, nameParam: 'deployment', needs: [{ verb: 'patch', group: 'apps', resource: 'deployments' }] },
  'pod.delete': { mutation: true, nameParam: 'pod', needs: [{ verb: 'delete', group: '', resource: 'pods' }] },
  'certificate.delete': { mutation: true, nameParam: 'name', needs: [{ verb: 'delete', group: 'cert-manager.io', resource: 'certificates' }] },
  'exec.script': { mutation: true, nameParam: 'pod', needs: [{ verb: 'create', group: '', resource: 'pods', subresource: 'exec' }] },
};

/** The verdict for one action: allowed, or why not. */
export interface ActionPermission {
  allowed: boolean;
  /** Why it is disabled (read-only, RBAC, no context); null when allowed. */
  reason: string | null;
}

/** The step as the pack states it (operation and params of a `kubernetes` target). */
export interface KubernetesStep {
  operation: string;
  params: Record<string, string | number | boolean>;
}

/** Environment facts the verdict depends on. */
export interface PermissionContext {
  /** The environment's `readOnly` (Guardia's configuration). */
  readOnly: boolean;
  environmentId: string;
}

const placeholder = /^<[a-z][a-z0-9-]*>$/;
const ttlMs = 60_000;
const cache = new WeakMap<ClusterPort, Map<string, { at: number; decision: Promise<ActionPermission> }>>();

function describe(a: AccessAttributes): string {
  return `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}`;
}

/**
 * The permission verdict for one Kubernetes step. Read-only disables mutations (reads stay allowed);
 * otherwise each RBAC permission the command needs is checked with a SelfSubjectAccessReview (cached
 * per cluster for a minute; `fresh` skips the cache, as before running an action). A connector
 * without `accessReview` is trusted (the API server still enforces RBAC on the call itself).
 */
export async function actionPermissions(
  cluster: ClusterPort | null,
  step: KubernetesStep,
  ctx: PermissionContext,
  opts: { fresh?: boolean; now?: () => number } = {},
): Promise<ActionPermission> {
  const op = kubernetesOperations[step.operation];
  if (!op) return { allowed: false, reason: `Kubernetes operation "${step.operation}" is not supported` };
  if (op.mutation && ctx.readOnly) {
    return {
      allowed: false,
      reason: `Environment "${ctx.environmentId}"${cluster ? ` (context ${cluster.context})` : ''} is read-only: actions are disabled`,
    };
  }
  if (!cluster) return { allowed: false, reason: `Environment "${ctx.environmentId}" has no Kubernetes context` };
  if (!cluster.accessReview) return { allowed: true, reason: null };
  const namespace = String(step.params.namespace ?? '');
  if (!namespace) return { allowed: false, reason: `The step has no namespace parameter` };
  const rawName = op.nameParam ? step.params[op.nameParam] : undefined;
  const name = typeof rawName === 'string' && !placeholder.test(rawName) ? rawName : undefined;

  const now = opts.now ?? Date.now;
  let perCluster = cache.get(cluster);
  if (!perCluster) cache.set(cluster, (perCluster = new Map()));
  const key = JSON.stringify([cluster.context, step.operation, namespace, name ?? null]);
  const hit = perCluster.get(key);
  if (!opts.fresh && hit && now() - hit.at < ttlMs) return hit.decision;

  const review = cluster.accessReview.bind(cluster);
  const decision = (async (): Promise<ActionPermission> => {
    try {
      const results = await Promise.all(op.needs.map((a) => review({ ...a, namespace, ...(name ? { name } : {}) })));
      const denied = results.findIndex((r) => !r.allowed);
      if (denied < 0) return { allowed: true, reason: null };
      return { allowed: false, reason: results[denied]!.reason || `Not allowed to ${describe(op.needs[denied]!)} in namespace ${namespace}` };
    } catch (error) {
      perCluster.delete(key);
      return { allowed: false, reason: `Could not check Kubernetes permissions: ${error instanceof Error ? error.message : String(error)}` };
    }
  })();
  perCluster.set(key, { at: now(), decision });
  return decision;
}

/** Whether a Kubernetes operation changes the cluster (read-only environments refuse it). */
export function isKubernetesMutation(operation: string): boolean {
  return kubernetesOperations[operation]?.mutation ?? true;
}
