/**
 * The environment's Kubernetes contexts through the kubernetes.* channels, against the fake API:
 * listing the kubeconfig's contexts (with the exec plugin each needs and whether it is allowed),
 * switching the active one (the playbook engine's ClusterPort then talks as the other user), the
 * choice remembered for the next start, and allowing a plugin from the UI channel.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { CoreContext, CoreModule } from '../../electron/core/core-module.js';
import type { CoreEvent } from '../../electron/core/events/event-bus.js';
import { ExecAllowlist, execAllowlistPath, type ExecPolicy } from '../../electron/core/kubernetes/exec-credentials.js';
import { KubernetesCluster } from '../../electron/core/kubernetes/kubernetes-cluster.js';
import { contextChoicePath, kubernetesModule } from '../../electron/core/kubernetes/kubernetes-module.js';
import { SwitchableCluster } from '../../electron/core/kubernetes/switchable-cluster.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube-api/index.js';

let work: string;
let api: FakeKubeApi;
let kubeconfig: string;
let bin: string;
const ns = 'production';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'guardia-k8s-contexts-'));
  bin = join(work, 'bin');
  mkdirSync(bin);
  api = await startFakeKubeApi({ seed: 'kubernetes-contexts.test', extraTokens: { 'viewer-token': 'viewer@tiendi.pe' } });
  const plugin = join(bin, 'kubelogin');
  writeFileSync(plugin, `#!/bin/sh\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"viewer-token"}}'\n`);
  chmodSync(plugin, 0o755);
  kubeconfig = join(work, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'aks', cluster: { server: api.url, 'certificate-authority': api.caFile } }],
      users: [
        { name: 'oncall', user: { token: api.token } },
        { name: 'aad', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] } } },
      ],
      contexts: [
        { name: 'tiendi-prod', context: { cluster: 'aks', user: 'oncall', namespace: ns } },
        { name: 'tiendi-prod-aad', context: { cluster: 'aks', user: 'aad', namespace: ns } },
      ],
      'current-context': 'tiendi-prod',
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await api.stop();
  rmSync(work, { recursive: true, force: true });
});

function moduleFor(home: string, production = true) {
  const events: CoreEvent[] = [];
  const policy: ExecPolicy = { allowlist: new ExecAllowlist(execAllowlistPath(home)), loginPath: async () => `${bin}:/usr/bin:/bin` };
  const make = async (context?: string) => KubernetesCluster.fromFile(kubeconfig, context, { exec: policy });
  const ctx = {
    environment: { id: 'production', name: 'Producción', production, readOnly: false },
    logger: silentLogger,
    events: { emit: (channel: CoreEvent['channel'], payload: unknown) => events.push({ channel, payload } as CoreEvent) },
  } as unknown as CoreContext;
  return { events, policy, make, build: async (cluster: SwitchableCluster): Promise<CoreModule> => kubernetesModule({ cluster, kubeconfigs: [kubeconfig], makeCluster: make, home, execPolicy: policy })(ctx) };
}

describe('kubernetes.* channels', () => {
  it('lists contexts with server, namespace, the exec plugin and whether it is allowed; switching changes who acts', async () => {
    const home = join(work, 'home-1');
    const m = moduleFor(home);
    const cluster = new SwitchableCluster(await m.make('tiendi-prod'));
    const mod = await m.build(cluster);
    const listed = await mod.handlers['kubernetes.listContexts']!({});
    expect(listed).toEqual({
      environment: { id: 'production', name: 'Producción', production: true, readOnly: false },
      active: 'tiendi-prod',
      sources: [kubeconfig],
      contexts: [
        { name: 'tiendi-prod', server: api.url, namespace: ns, user: 'oncall', exec: null, active: true },
        { name: 'tiendi-prod-aad', server: api.url, namespace: ns, user: 'aad', exec: { command: 'kubelogin', path: join(bin, 'kubelogin'), allowed: false }, active: false },
      ],
      problem: null,
    });

    // Switching to the exec context works; its requests fail until the plugin is allowed.
    await mod.handlers['kubernetes.useContext']!({ context: 'tiendi-prod-aad' });
    expect(cluster.context).toBe('tiendi-prod-aad');
    expect(m.events).toEqual([{ channel: 'kubernetes.changed', payload: { environment: 'production', context: 'tiendi-prod-aad' } }]);
    await expect(cluster.listPods(ns)).rejects.toMatchObject({ code: 'kubernetes.exec-not-allowed' });
    const allowed = await mod.handlers['kubernetes.allowExec']!({ command: 'kubelogin' });
    expect(allowed.path).toBe(join(bin, 'kubelogin'));
    expect((await mod.handlers['kubernetes.listContexts']!({})).contexts[1]!.exec).toEqual({ command: 'kubelogin', path: join(bin, 'kubelogin'), allowed: true });
    api.requests.length = 0;
    await cluster.listPods(ns);
    expect(api.requests.find((r) => r.path === `/api/v1/namespaces/${ns}/pods`)?.user).toBe('viewer@tiendi.pe');

    // Remembered for this environment; the next start applies it.
    expect(JSON.parse(readFileSync(contextChoicePath(home), 'utf8'))).toEqual({ production: 'tiendi-prod-aad' });
    const again = new SwitchableCluster(await m.make('tiendi-prod'));
    await (await m.build(again)).init!();
    expect(again.context).toBe('tiendi-prod-aad');
  });

  it('refuses a context the kubeconfig does not have, and keeps the current one', async () => {
    const m = moduleFor(join(work, 'home-2'));
    const cluster = new SwitchableCluster(await m.make('tiendi-prod'));
    const mod = await m.build(cluster);
    await expect(mod.handlers['kubernetes.useContext']!({ context: 'staging' })).rejects.toMatchObject({
      code: 'kubernetes.unknown-context',
      message: `Context "staging" is not in ${kubeconfig} (contexts: tiendi-prod, tiendi-prod-aad)`,
    });
    expect(cluster.context).toBe('tiendi-prod');
    expect(m.events).toEqual([]);
  });
});
