import { GuardiaError } from '../../../shared/result.js';
import type { ModuleFactory } from '../core-module.js';
import type { Redactor } from '../log/logger.js';
import type { ClusterPort, SecretStore } from '../ports.js';
import { defaultKubeconfigPaths, diskKubeFiles, guardiaKubeconfigPath, listKubeContexts, memoryKubeFiles, type KubeFiles } from './kube-contexts.js';
import { applyKubeImport, planKubeImport, previewOf, replaceKubeToken, resolveKubeCluster } from './kube-import.js';

/** What the kube import module works on: real files and the keychain, or the demo's in-memory ones. */
export interface KubeImportDeps {
  files: KubeFiles;
  /** The user's kubeconfig files ($KUBECONFIG or ~/.kube/config). */
  kubeconfigs: string[];
  guardiaKubeconfig: string;
  secrets: SecretStore;
  redactor?: Redactor;
  /** Counts the pods of `namespace` through `context` (imported or not), for "Test". */
  countPods(context: string, namespace: string): Promise<number>;
}

/**
 * The kube.* channels: list contexts with where their credentials live, preview and run an import,
 * replace a token. Removing secrets from the original file only happens when the request carries the
 * very diff the user was shown.
 */
export function kubeImportModule(deps: KubeImportDeps): ModuleFactory {
  const plan = (context: string) =>
    planKubeImport({ files: deps.files, kubeconfigs: deps.kubeconfigs, context, guardiaKubeconfig: deps.guardiaKubeconfig });
  return (ctx) => ({
    name: 'kube-import',
    handlers: {
      'kube.listContexts': async () => ({
        contexts: await listKubeContexts(deps),
        kubeconfigs: deps.kubeconfigs,
        guardiaKubeconfig: deps.guardiaKubeconfig,
      }),
      'kube.previewImport': async ({ context }) => previewOf(await plan(context)),
      'kube.importContext': async ({ context, removeFromOriginal, shownDiff }) => {
        const p = await plan(context);
        if (removeFromOriginal && p.removalDiff !== shownDiff) {
          throw new GuardiaError(
            'kubernetes.changed',
            `${p.file} is not what the preview showed any more: nothing was imported or removed; review the new diff and try again`,
          );
        }
        const outcome = await applyKubeImport(p, { files: deps.files, secrets: deps.secrets, redactor: deps.redactor, removeFromOriginal });
        ctx.logger.info('kubernetes context imported', {
          context,
          entries: outcome.stored.map((s) => s.entry),
          removedFrom: outcome.removedFrom,
        });
        return outcome;
      },
      'kube.checkContext': async ({ context }) => {
        const row = (await listKubeContexts(deps)).find((c) => c.name === context);
        if (!row) throw new GuardiaError('kubernetes.unknown-context', `No context "${context}" in ${[deps.guardiaKubeconfig, ...deps.kubeconfigs].join(', ')}`);
        const namespace = row.namespace ?? 'default';
        return { context, namespace, pods: await deps.countPods(context, namespace) };
      },
      'kube.setToken': async ({ context, token }) => {
        deps.redactor?.add(token);
        const r = await replaceKubeToken({ ...deps, context, token });
        ctx.logger.info('kubernetes token replaced', { context, entry: r.entry });
        return r;
      },
    },
  });
}

/** The real side: the user's kubeconfig files, Guardia's kubeconfig in GUARDIA_HOME and the OS keychain. */
export function diskKubeImportDeps(opts: {
  home: string;
  env: NodeJS.ProcessEnv;
  /** --kubeconfig of quick connect, when given. */
  kubeconfig?: string;
  secrets: SecretStore;
  redactor?: Redactor;
}): KubeImportDeps {
  const kubeconfigs = opts.kubeconfig ? [opts.kubeconfig] : defaultKubeconfigPaths(opts.env);
  const guardiaKubeconfig = guardiaKubeconfigPath(opts.home);
  return {
    files: diskKubeFiles,
    kubeconfigs,
    guardiaKubeconfig,
    secrets: opts.secrets,
    redactor: opts.redactor,
    countPods: async (context, namespace) => {
      const cluster = await resolveKubeCluster({ context, kubeconfig: opts.kubeconfig, defaultKubeconfig: kubeconfigs[0]!, guardiaKubeconfig, secrets: opts.secrets, redactor: opts.redactor });
      return (await cluster.listPods(namespace)).length;
    },
  };
}

/** A SecretStore in memory: the demo's keychain, so importing can be tried with nothing configured. */
export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (name) => {
      const v = values.get(name);
      if (v === undefined) throw new GuardiaError('secrets.missing', `No secret "${name}" in the demo keychain`);
      return v;
    },
    set: async (name, secret) => void values.set(name, secret),
    delete: async (name) => {
      if (!values.delete(name)) throw new GuardiaError('secrets.missing', `No secret "${name}" in the demo keychain`);
    },
    list: async () => [...values.keys()].sort(),
  };
}

const demoKubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: tiendi-prod-aks
  cluster:
    server: https://tiendi-prod-aks.hcp.eastus.azmk8s.io:443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmRlbW8KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
- name: tiendi-staging
  cluster:
    server: https://k8s.staging.tiendi.internal:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmRlbW8KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
contexts:
- name: tiendi-prod
  context:
    cluster: tiendi-prod-aks
    user: clusterUser_tiendi-prod
    namespace: production
- name: tiendi-prod-aad
  context:
    cluster: tiendi-prod-aks
    user: aad-oncall
    namespace: production
- name: tiendi-staging
  context:
    cluster: tiendi-staging
    user: staging-admin
    namespace: staging
current-context: tiendi-prod
users:
- name: clusterUser_tiendi-prod
  user:
    token: demo-0f4c2a9e7b1d4c3f8e6a5b2c1d0e9f8a
- name: aad-oncall
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, azurecli, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
- name: staging-admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmRlbW8tY2xpZW50LWNlcnQKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCmRlbW8tY2xpZW50LWtleQotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==
`;

/**
 * The demo's side: a simulated ~/.kube/config (a token, an exec plugin and a client certificate) and
 * an in-memory keychain and Guardia kubeconfig. Importing on the demo shows the real flow and writes
 * nothing to disk.
 */
export function demoKubeImportDeps(cluster: ClusterPort | null = null): KubeImportDeps {
  const kubeconfig = '~/.kube/config (demo)';
  return {
    files: memoryKubeFiles({ [kubeconfig]: demoKubeconfig }),
    kubeconfigs: [kubeconfig],
    guardiaKubeconfig: '$GUARDIA_HOME/kubeconfig (demo)',
    secrets: memorySecretStore(),
    // Every demo context reaches the one simulated cluster.
    countPods: async (_context, namespace) => (cluster ? (await cluster.listPods(namespace)).length : 0),
  };
}
