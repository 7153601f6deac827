import type { V1Deployment, V1Pod, V1ReplicaSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  certificateInfo,
  eventInfo,
  hpaTargets,
  logContainer,
  pickLogPod,
  planResourcesPatch,
  rolloutHistoryOf,
} from '../../../../electron/core/kubernetes/cluster-reads.js';

const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; readyAt?: string; restarts?: number; created?: string }): V1Pod => ({
  metadata: { name, creationTimestamp: new Date(o.created ?? '2026-01-01T00:00:00Z') },
  spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'api', image: 'x' }] },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: new Date(o.readyAt ?? '2026-01-01T00:01:00Z') }],
    containerStatuses: [{ name: 'api', ready: o.ready !== false, restartCount: o.restarts ?? 0, image: 'x', imageID: 'x' }],
  },
});

describe('kubectl logs deployment/NAME picks the pod ByLogging does', () => {
  it('assigned, running, ready, longest ready, most restarts, oldest — in that order', () => {
    expect(pickLogPod([pod('unassigned', { node: '' }), pod('assigned', {})])?.metadata?.name).toBe('assigned');
    expect(pickLogPod([pod('pending', { phase: 'Pending' }), pod('running', {})])?.metadata?.name).toBe('running');
    expect(pickLogPod([pod('not-ready', { ready: false }), pod('ready', {})])?.metadata?.name).toBe('ready');
    expect(pickLogPod([pod('recent', { readyAt: '2026-01-02T00:00:00Z' }), pod('long', { readyAt: '2026-01-01T00:00:00Z' })])?.metadata?.name).toBe('long');
    expect(pickLogPod([pod('calm', {}), pod('restarted', { restarts: 2 })])?.metadata?.name).toBe('restarted');
    expect(pickLogPod([pod('young', { created: '2026-01-03T00:00:00Z' }), pod('old', { created: '2026-01-02T00:00:00Z' })])?.metadata?.name).toBe('old');
    expect(pickLogPod([])).toBeUndefined();
  });

  it('the container: the one asked for, else the default-container annotation, else the first', () => {
    const p: V1Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'payment' }, { name: 'envoy' }] } };
    expect(logContainer(p)).toBe('payment');
    expect(logContainer(p, 'envoy')).toBe('envoy');
    expect(logContainer({ ...p, metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'envoy' } } })).toBe('envoy');
    expect(() => logContainer(p, 'nope')).toThrow('container nope is not valid for pod p (containers: payment, envoy)');
  });
});

describe('rollout history', () => {
  const d: V1Deployment = { metadata: { name: 'api', uid: 'd' } };
  const rs = (name: string, revision: string | undefined, cause?: string, owner = 'd'): V1ReplicaSet => ({
    metadata: {
      name,
      creationTimestamp: new Date('2026-01-01T00:00:00Z'),
      annotations: { ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}), ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: owner, controller: true }],
    },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'api', image: `img:${name}` }] } } },
  });
  it('lists controlled ReplicaSets by revision, <none> as null, skipping unparsable and foreign ones', () => {
    const history = rolloutHistoryOf(d, [rs('c', '3', 'deploy 3'), rs('a', '1'), rs('x', '2', 'other', 'someone-else'), rs('bad', 'two'), rs('b', '2', 'deploy 2')]);
    expect(history.map((h) => [h.revision, h.changeCause, h.image])).toEqual([
      [1, null, 'img:a'],
      [2, 'deploy 2', 'img:b'],
      [3, 'deploy 3', 'img:c'],
    ]);
  });
});

describe('kubectl get hpa TARGETS (formatHPAMetrics)', () => {
  const hpa = (metrics: unknown[], current: unknown[] = []): V2HorizontalPodAutoscaler =>
    ({ spec: { maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'api' }, metrics }, status: { currentMetrics: current, desiredReplicas: 3 } }) as V2HorizontalPodAutoscaler;
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
  it('utilization, average values, unknown current, more than two metrics, none', () => {
    expect(hpaTargets(hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85 } } }]))).toBe('cpu: 85%/70%');
    expect(hpaTargets(hpa([cpu]))).toBe('cpu: <unknown>/70%');
    expect(hpaTargets(hpa([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '900Mi' } } }]))).toBe('memory: <unknown>/900Mi');
    expect(hpaTargets(hpa([{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }], [{ type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '42' } } }]))).toBe('42/100');
    expect(hpaTargets(hpa([{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }]))).toBe('<unknown>/30');
    expect(hpaTargets(hpa([cpu, cpu, cpu]))).toBe('cpu: <unknown>/70%, cpu: <unknown>/70% + 1 more...');
    expect(hpaTargets(hpa([]))).toBe('<none>');
  });
});

describe('events and certificates', () => {
  it('an event names its object as kubectl does and falls back for LAST SEEN', () => {
    expect(
      eventInfo({ metadata: {}, involvedObject: { kind: 'Pod', name: 'api-1' }, reason: 'BackOff', message: ' Back-off ', type: 'Warning', eventTime: new Date('2026-01-01T00:00:05Z') }),
    ).toEqual({ type: 'Warning', reason: 'BackOff', object: 'pod/api-1', message: 'Back-off', count: 1, lastSeen: Date.parse('2026-01-01T00:00:05Z') });
  });
  it('a Certificate without status reads not ready, with a message saying so', () => {
    expect(certificateInfo({ metadata: { name: 'tls' } })).toEqual({
      name: 'tls',
      ready: false,
      notAfter: null,
      renewalTime: null,
      message: 'cert-manager has not reported a Ready condition yet',
    });
  });
});

describe('kubectl set resources on one container', () => {
  const d: V1Deployment = {
    metadata: { name: 'payment' },
    spec: {
      selector: {},
      template: {
        spec: {
          containers: [
            { name: 'payment', image: 'p', resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m' } } },
            { name: 'envoy', image: 'e' },
          ],
        },
      },
    },
  };
  it('patches only the changed keys of the named container, canonical, with the container order', () => {
    expect(planResourcesPatch(d, { limits: { memory: '0.5Gi', cpu: '0.5' }, requests: { cpu: '0.1' } })).toEqual({
      container: 'payment',
      patch: {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'payment' }, { name: 'envoy' }],
              containers: [{ name: 'payment', resources: { limits: { cpu: '500m' } } }],
            },
          },
        },
      },
    });
    expect(planResourcesPatch(d, { limits: { memory: '512Mi' } }).patch).toBeNull();
    expect(planResourcesPatch(d, { requests: { memory: '64Mi' } }, 'envoy').patch).toMatchObject({
      spec: { template: { spec: { containers: [{ name: 'envoy', resources: { requests: { memory: '64Mi' } } }] } } },
    });
  });
  it('refuses an unknown container, an empty change, and a bad resource name', () => {
    expect(() => planResourcesPatch(d, { limits: { memory: '1Gi' } }, 'sidecar')).toThrow('deployment payment has no container "sidecar" (containers: payment, envoy)');
    expect(() => planResourcesPatch(d, {})).toThrow('you must specify an update to requests or limits');
    expect(() => planResourcesPatch(d, { limits: { 'bad name': '1' } })).toThrow('"bad name" is not a resource name');
  });
});
