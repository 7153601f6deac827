import { describe, expect, it } from 'vitest';
import { actionPermissions } from '../../../../electron/core/kubernetes/action-permissions.js';
import type { AccessDecision, ClusterPort } from '../../../../electron/core/ports.js';

type Review = Parameters<NonNullable<ClusterPort['accessReview']>>[0];

function stubCluster(decide: (r: Review) => AccessDecision | Promise<AccessDecision>): ClusterPort & { reviews: Review[] } {
  const reviews: Review[] = [];
  const fail = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    context: 'tiendi-prod',
    reviews,
    listPods: fail,
    listDeployments: fail,
    rolloutUndo: fail,
    rolloutRestart: fail,
    scale: fail,
    setEnv: fail,
    deletePod: fail,
    accessReview: async (r) => {
      reviews.push(r);
      return decide(r);
    },
  };
}

const prod = { readOnly: false, environmentId: 'production' };
const scale = { operation: 'scale', params: { namespace: 'production', deployment: 'tiendi-api', replicas: 5 } };

describe('actionPermissions: what playbooks.list shows as available or disabled', () => {
  it('read-only disables every mutation without asking the cluster, and keeps reads', async () => {
    const cluster = stubCluster(() => ({ allowed: true, reason: '' }));
    expect(await actionPermissions(cluster, scale, { readOnly: true, environmentId: 'production' })).toEqual({
      allowed: false,
      reason: 'Environment "production" (context tiendi-prod) is read-only: actions are disabled',
    });
    expect(cluster.reviews).toEqual([]);
    expect(await actionPermissions(cluster, { operation: 'pods.list', params: { namespace: 'production' } }, { readOnly: true, environmentId: 'production' })).toEqual({ allowed: true, reason: null });
    expect(cluster.reviews).toEqual([{ verb: 'list', group: '', resource: 'pods', namespace: 'production' }]);
  });

  it('asks RBAC for each permission the kubectl command needs, and shows the denial', async () => {
    const cluster = stubCluster((r) =>
      r.verb === 'patch' ? { allowed: false, reason: 'Kubernetes RBAC does not allow context "tiendi-prod" to patch deployments/scale' } : { allowed: true, reason: '' },
    );
    expect(await actionPermissions(cluster, scale, prod)).toEqual({
      allowed: false,
      reason: 'Kubernetes RBAC does not allow context "tiendi-prod" to patch deployments/scale',
    });
    expect(cluster.reviews).toEqual([{ verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'production', name: 'tiendi-api' }]);
    const undo = await actionPermissions(cluster, { operation: 'rollout.undo', params: { namespace: 'production', deployment: 'tiendi-api' } }, prod);
    expect(undo.allowed).toBe(false);
    expect(cluster.reviews.slice(1).map((r) => `${r.verb} ${r.resource}`)).toEqual(['list replicasets', 'patch deployments']);
  });

  it('a placeholder target is checked for any name; answers are cached a minute unless fresh', async () => {
    let now = 0;
    const cluster = stubCluster(() => ({ allowed: true, reason: '' }));
    const del = { operation: 'pod.delete', params: { namespace: 'production', pod: '<pod-name>' } };
    expect(await actionPermissions(cluster, del, prod, { now: () => now })).toEqual({ allowed: true, reason: null });
    expect(cluster.reviews).toEqual([{ verb: 'delete', group: '', resource: 'pods', namespace: 'production' }]);
    await actionPermissions(cluster, del, prod, { now: () => now });
    expect(cluster.reviews).toHaveLength(1);
    await actionPermissions(cluster, del, prod, { now: () => now, fresh: true });
    expect(cluster.reviews).toHaveLength(2);
    now = 61_000;
    await actionPermissions(cluster, del, prod, { now: () => now });
    expect(cluster.reviews).toHaveLength(3);
  });

  it('no context, an unknown operation, and a failing review disable with the reason', async () => {
    expect(await actionPermissions(null, scale, prod)).toEqual({ allowed: false, reason: 'Environment "production" has no Kubernetes context' });
    const cluster = stubCluster(() => {
      throw new Error('HTTP 500 from the API');
    });
    expect(await actionPermissions(cluster, { operation: 'node.drain', params: { namespace: 'x' } }, prod)).toEqual({
      allowed: false,
      reason: 'Kubernetes operation "node.drain" is not supported',
    });
    expect(await actionPermissions(cluster, scale, prod)).toEqual({ allowed: false, reason: 'Could not check Kubernetes permissions: HTTP 500 from the API' });
  });
});
