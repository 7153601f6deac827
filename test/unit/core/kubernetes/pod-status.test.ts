import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { summarizePod } from '../../../../electron/core/kubernetes/pod-status.js';

const running = (name: string, restartCount = 0): V1ContainerStatus => ({
  name,
  ready: true,
  restartCount,
  image: `${name}:1`,
  imageID: '',
  state: { running: { startedAt: new Date('2026-11-30T10:00:00Z') } },
});

function pod(over: Partial<V1Pod['status']> & { containers?: string[]; init?: Array<{ name: string; restartPolicy?: string }> } = {}): V1Pod {
  const { containers = ['api'], init, ...status } = over;
  return {
    metadata: { name: 'p', namespace: 'production' },
    spec: { containers: containers.map((name) => ({ name })), initContainers: init },
    status: { phase: 'Running', containerStatuses: containers.map((c) => running(c)), ...status },
  };
}

describe('summarizePod (kubectl get pods columns)', () => {
  it('a healthy pod is Running, 1/1, no restarts', () => {
    expect(summarizePod(pod())).toEqual({ ready: '1/1', status: 'Running', restarts: 0 });
  });

  it('a waiting reason wins over the phase (CrashLoopBackOff) and restarts are summed', () => {
    const p = pod({ containers: ['api', 'envoy'] });
    p.status!.containerStatuses = [
      {
        ...running('api', 7),
        ready: false,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-11-30T10:05:00Z') } },
      },
      running('envoy', 2),
    ];
    expect(summarizePod(p)).toEqual({
      ready: '1/2',
      status: 'CrashLoopBackOff',
      restarts: 9,
      lastRestartAt: Date.parse('2026-11-30T10:05:00Z'),
    });
  });

  it('the first container decides when several have reasons', () => {
    const p = pod({ containers: ['a', 'b'] });
    p.status!.containerStatuses = [
      { ...running('a'), ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } },
      { ...running('b'), ready: false, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
    ];
    expect(summarizePod(p).status).toBe('ImagePullBackOff');
  });

  it('terminated without a reason reads ExitCode or Signal', () => {
    const p = pod();
    p.status!.containerStatuses = [{ ...running('api'), ready: false, state: { terminated: { exitCode: 2 } } }];
    expect(summarizePod(p).status).toBe('ExitCode:2');
    p.status!.containerStatuses = [{ ...running('api'), ready: false, state: { terminated: { exitCode: 0, signal: 9 } } }];
    expect(summarizePod(p).status).toBe('Signal:9');
  });

  it('Completed with a container still running reads Running or NotReady', () => {
    const p = pod({ containers: ['job', 'sidecar'] });
    p.status!.containerStatuses = [
      { ...running('job'), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      running('sidecar'),
    ];
    p.status!.conditions = [{ type: 'Ready', status: 'False' }];
    expect(summarizePod(p).status).toBe('NotReady');
    p.status!.conditions = [{ type: 'Ready', status: 'True' }];
    expect(summarizePod(p).status).toBe('Running');
  });

  it('init containers: Init:N/M, Init:reason, and sidecars counted in READY', () => {
    const p = pod({ init: [{ name: 'migrate' }, { name: 'wait' }], phase: 'Pending' });
    p.status!.containerStatuses = [{ ...running('api'), ready: false, state: { waiting: { reason: 'PodInitializing' } } }];
    p.status!.initContainerStatuses = [
      { ...running('migrate'), state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { ...running('wait'), ready: false, state: { running: {} } },
    ];
    expect(summarizePod(p).status).toBe('Init:1/2');
    p.status!.initContainerStatuses[1] = { ...running('wait', 3), ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    expect(summarizePod(p)).toMatchObject({ status: 'Init:CrashLoopBackOff', restarts: 3 });

    const withSidecar = pod({ init: [{ name: 'proxy', restartPolicy: 'Always' }] });
    withSidecar.status!.initContainerStatuses = [{ ...running('proxy', 1), started: true }];
    expect(summarizePod(withSidecar)).toEqual({ ready: '2/2', status: 'Running', restarts: 1 });
  });

  it('a deletion timestamp reads Terminating (Unknown for a lost node)', () => {
    const p = pod();
    p.metadata!.deletionTimestamp = new Date();
    expect(summarizePod(p).status).toBe('Terminating');
    p.status!.reason = 'NodeLost';
    expect(summarizePod(p).status).toBe('Unknown');
  });

  it('the pod reason and scheduling gates replace the phase', () => {
    expect(summarizePod(pod({ phase: 'Failed', reason: 'Evicted', containerStatuses: [] })).status).toBe('Evicted');
    const gated = pod({ phase: 'Pending', containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(summarizePod(gated)).toEqual({ ready: '0/1', status: 'SchedulingGated', restarts: 0 });
  });
});
