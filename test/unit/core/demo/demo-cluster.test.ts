import { describe, expect, it } from 'vitest';
import type { DemoCluster } from '../../../../electron/core/demo/demo-cluster.js';
import { manualDemo } from './demo-harness.js';

const ns = 'production';

describe('the demo cluster answers the diagnosis reads and the new actions', () => {
  it('logs of tiendi-api show the pool timeouts once the incident is on, and a crash-looping pod has previous logs', async () => {
    const demo = manualDemo();
    const cluster = demo.env.cluster;
    demo.goTo(0.5);
    const quiet = await cluster.podLogs!(ns, { deployment: 'tiendi-api', tailLines: 100 });
    expect(quiet.trim().split('\n')).toHaveLength(100);
    expect(quiet).not.toContain('acquiring a connection from the pool');
    demo.goTo(12);
    const incident = await cluster.podLogs!(ns, { deployment: 'tiendi-api', tailLines: 200 });
    expect(incident).toContain('TimeoutError: ResourceRequest timed out acquiring a connection from the pool');
    const crashing = (await cluster.listPods(ns)).find((p) => p.restarts > 0)!;
    expect(crashing).toBeDefined();
    const previous = await cluster.podLogs!(ns, { pod: crashing.name, previous: true, tailLines: 2 });
    expect(previous.trim().split('\n')).toHaveLength(2);
    expect(previous).toMatch(/process exited with code 1/);
    await expect(cluster.podLogs!(ns, { pod: crashing.name, container: 'envoy', tailLines: 5 })).rejects.toThrow('container envoy is not valid');
    expect(await cluster.podLogs!('cert-manager', { deployment: 'cert-manager', tailLines: 3 })).toMatch(/certificates-trigger/);
  });

  it('top pods follow the incident; top nodes add up to percentages of allocatable', async () => {
    const demo = manualDemo();
    demo.goTo(0.5);
    const before = (await demo.env.cluster.topPods!(ns)).filter((p) => p.name.startsWith('tiendi-api-'));
    demo.goTo(12);
    const during = (await demo.env.cluster.topPods!(ns)).filter((p) => p.name.startsWith('tiendi-api-'));
    const mem = (list: typeof before) => Math.max(...list.map((p) => p.memoryBytes));
    expect(mem(during)).toBeGreaterThan(mem(before));
    const nodes = await demo.env.cluster.topNodes!();
    expect(nodes).toHaveLength(2);
    for (const n of nodes) expect(n.cpuPercent).toBe(Math.trunc((n.cpuMillis / 3860) * 100));
  });

  it('rollout history grows with a rollback, and the HPA reports the replicas', async () => {
    const demo = manualDemo();
    demo.goTo(3);
    const before = await demo.env.cluster.rolloutHistory!(ns, 'tiendi-api');
    expect(before.at(-1)!.changeCause).toMatch(/^CI: deploy tiendi-api:v2\.14\.0$/);
    await demo.env.cluster.rolloutUndo(ns, 'tiendi-api', { dryRun: false });
    const after = await demo.env.cluster.rolloutHistory!(ns, 'tiendi-api');
    expect(after.at(-1)!.revision).toBe(before.at(-1)!.revision + 1);
    expect(after.at(-1)!.image).toBe(before.at(-2)!.image);
    await expect(demo.env.cluster.rolloutHistory!(ns, 'nope')).rejects.toMatchObject({ code: 'kubernetes.not-found' });
    const [hpa] = await demo.env.cluster.listHpas!(ns);
    expect(hpa).toMatchObject({ name: 'tiendi-api', target: 'Deployment/tiendi-api', currentReplicas: 3, minReplicas: 3, maxReplicas: 10 });
    expect(hpa!.metrics).toMatch(/^cpu: \d+%\/70%$/);
  });

  it('events show the crash loop; access reviews allow', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    const events = await demo.env.cluster.listEvents!(ns);
    expect(events.some((e) => e.reason === 'BackOff' && e.type === 'Warning')).toBe(true);
    expect(events.map((e) => e.lastSeen)).toEqual([...events.map((e) => e.lastSeen)].sort((a, b) => a - b));
    expect((await demo.env.cluster.accessReview!({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: ns })).allowed).toBe(true);
  });

  it('deleting tiendi-tls: a dry run changes nothing; then cert-manager re-issues it 45 s later', async () => {
    const demo = manualDemo();
    demo.goTo(1);
    const [cert] = await demo.env.cluster.listCertificates!(ns);
    expect(cert).toMatchObject({ name: 'tiendi-tls', ready: true });
    expect(await demo.env.cluster.deleteCertificate!(ns, 'tiendi-tls', { dryRun: true })).toMatch(/^certificate\.cert-manager\.io "tiendi-tls" deleted \(server dry run\)/);
    expect((await demo.env.cluster.listCertificates!(ns))[0]).toEqual(cert);
    expect(await demo.env.cluster.deleteCertificate!(ns, 'tiendi-tls', { dryRun: false })).toBe('certificate.cert-manager.io "tiendi-tls" deleted');
    expect((await demo.env.cluster.listCertificates!(ns))[0]).toMatchObject({ ready: false, message: 'Issuing certificate as Secret does not exist' });
    const t = demo.goTo(2);
    const renewed = (await demo.env.cluster.listCertificates!(ns))[0]!;
    expect(renewed.ready).toBe(true);
    expect(renewed.notAfter! - t).toBeGreaterThan(89 * 24 * 3600_000);
  });

  it('set resources: dry run describes, the real one records the limit and rolls out new pods', async () => {
    const demo = manualDemo();
    demo.goTo(1);
    const cluster = demo.env.cluster as DemoCluster;
    expect(await cluster.setResources(ns, 'tiendi-api', { limits: { memory: '2Gi' } }, { dryRun: true })).toBe(
      'deployment.apps/tiendi-api resource requirements updated (server dry run): would set limits memory=2Gi (was 1536Mi) on container api and roll out 3 new pods',
    );
    expect(cluster.resourcesOf('tiendi-api')!.limits.memory).toBe('1536Mi');
    const podsBefore = (await cluster.listPods(ns)).map((p) => p.name);
    expect(await cluster.setResources(ns, 'tiendi-api', { limits: { memory: '2048Mi' } }, { dryRun: false })).toBe('deployment.apps/tiendi-api resource requirements updated');
    expect(cluster.resourcesOf('tiendi-api')!.limits.memory).toBe('2Gi');
    expect((await cluster.listDeployments(ns)).find((d) => d.name === 'tiendi-api')!.resources).toEqual({
      api: { limits: { memory: '2Gi' }, requests: { cpu: '250m', memory: '512Mi' } },
    });
    demo.goTo(3);
    const podsAfter = (await cluster.listPods(ns)).map((p) => p.name);
    expect(podsAfter.filter((p) => p.startsWith('tiendi-api-') && !podsBefore.includes(p)).length).toBeGreaterThan(0);
    expect(await cluster.setResources(ns, 'tiendi-api', { limits: { memory: '2Gi' } }, { dryRun: false })).toBe('deployment.apps/tiendi-api resource requirements unchanged');
    await expect(cluster.setResources(ns, 'tiendi-api', { limits: { memory: 'lots' } }, { dryRun: false })).rejects.toMatchObject({ code: 'kubernetes.bad-quantity' });
  });
});
