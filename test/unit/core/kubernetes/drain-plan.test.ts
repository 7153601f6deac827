import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { decidePod, drainRefusal, nodeInfo, type DrainFlags } from '../../../../electron/core/kubernetes/drain-plan.js';

const runbook: DrainFlags = { ignoreDaemonSets: true, deleteEmptyDirData: true, force: false };

function pod(o: { owner?: string; emptyDir?: boolean; mirror?: boolean; phase?: string } = {}): V1Pod {
  return {
    metadata: {
      name: 'p',
      namespace: 'production',
      ...(o.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner, name: 'owner', uid: 'u', controller: true }] } : {}),
    },
    spec: { containers: [], ...(o.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}) },
    status: { phase: o.phase ?? 'Running' },
  };
}

describe('kubectl drain filters', () => {
  it('evicts pods with a controller, emptyDir included when --delete-emptydir-data is given', () => {
    expect(decidePod(pod({ owner: 'ReplicaSet' }), runbook)).toEqual({ kind: 'evict' });
    expect(decidePod(pod({ owner: 'StatefulSet', emptyDir: true }), runbook)).toEqual({ kind: 'evict' });
    expect(decidePod(pod({ owner: 'StatefulSet', emptyDir: true }), { ...runbook, deleteEmptyDirData: false })).toEqual({
      kind: 'error',
      message: 'Pods with local storage (use --delete-emptydir-data to override)',
    });
  });

  it('leaves DaemonSet pods to the DaemonSet check and skips mirror pods', () => {
    expect(decidePod(pod({ owner: 'DaemonSet' }), runbook)).toEqual({ kind: 'daemonset', name: 'owner' });
    // A finished DaemonSet pod is just removed, as kubectl does.
    expect(decidePod(pod({ owner: 'DaemonSet', phase: 'Succeeded' }), runbook)).toEqual({ kind: 'evict' });
    expect(decidePod(pod({ owner: 'Node', mirror: true }), runbook)).toEqual({ kind: 'skip' });
  });

  it('refuses pods without a controller unless forced; finished ones go', () => {
    expect(decidePod(pod(), runbook)).toMatchObject({ kind: 'error', message: 'Pods that declare no controller (use --force to override)' });
    expect(decidePod(pod(), { ...runbook, force: true })).toEqual({ kind: 'evict', warning: 'deleting Pods that declare no controller' });
    expect(decidePod(pod({ phase: 'Failed' }), runbook)).toEqual({ kind: 'evict' });
  });

  it('groups refusals by reason as kubectl prints them', () => {
    expect(
      drainRefusal([
        { pod: 'production/a', message: 'Pods with local storage (use --delete-emptydir-data to override)' },
        { pod: 'production/b', message: 'Pods with local storage (use --delete-emptydir-data to override)' },
        { pod: 'production/c', message: 'Pods that declare no controller (use --force to override)' },
      ]),
    ).toBe(
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): production/a, production/b, ' +
        'cannot delete Pods that declare no controller (use --force to override): production/c',
    );
  });
});

describe('nodeInfo', () => {
  it('is Ready only with condition Ready=True, and reads cordon and kubelet version', () => {
    const node = (status: string, unschedulable?: boolean): V1Node => ({
      metadata: { name: 'n' },
      spec: unschedulable === undefined ? {} : { unschedulable },
      status: { conditions: [{ type: 'Ready', status }], nodeInfo: { kubeletVersion: 'v1.28.3' } as NonNullable<V1Node['status']>['nodeInfo'] },
    });
    expect(nodeInfo(node('True'))).toEqual({ name: 'n', ready: true, unschedulable: false, kubeletVersion: 'v1.28.3' });
    expect(nodeInfo(node('Unknown', true))).toEqual({ name: 'n', ready: false, unschedulable: true, kubeletVersion: 'v1.28.3' });
  });
});
