import { existsSync } from 'node:fs';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
  type V1Deployment,
  type V1EnvVar,
} from '@kubernetes/client-node';
import { GuardiaError } from '../../../shared/result.js';
import type { ClusterPort, DeploymentInfo, PodInfo } from '../ports.js';
import { toKubeError, type KubeOperation } from './kube-errors.js';
import { summarizePod } from './pod-status.js';
import { planEnvPatch, planRollback, restartPatch, revisionAnnotation, selectorString } from './rollout-plans.js';

/** Options of KubernetesCluster. */
export interface KubernetesClusterOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** fieldManager recorded in managedFields for Guardia's writes (default "guardia"). */
  fieldManager?: string;
  /** Clock for restartedAt (tests). */
  now?: () => Date;
  /** Where the kubeconfig came from, for error messages. */
  source?: string;
}

type Op = Omit<KubeOperation, 'namespace'>;

const dryRunSuffix = ' (server dry run)';

/** A middleware that attaches an AbortSignal to the request (client-node has no per-call signal parameter). */
function withSignal(signal: AbortSignal, base?: ConfigurationOptions): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
  return { ...base, middleware: [...(base?.middleware ?? []), middleware], middlewareMergeStrategy: 'append' };
}

function envValue(e: V1EnvVar): string {
  if (e.value !== undefined) return e.value;
  const from = e.valueFrom;
  if (from?.secretKeyRef) return `<from secret ${from.secretKeyRef.name ?? ''}, key ${from.secretKeyRef.key}>`;
  if (from?.configMapKeyRef) return `<from configmap ${from.configMapKeyRef.name ?? ''}, key ${from.configMapKeyRef.key}>`;
  if (from?.fieldRef) return `<from field ${from.fieldRef.fieldPath}>`;
  if (from?.resourceFieldRef) return `<from resource ${from.resourceFieldRef.resource}>`;
  return '';
}

/**
 * The ClusterPort on a real cluster through @kubernetes/client-node, for one kubeconfig context.
 * Every operation does what the kubectl command in the runbook does, client side included, and
 * talks to the API with the same requests (never a read-modify-replace of a whole object):
 * `rollout undo` is kubectl's JSON patch from the previous ReplicaSet, `rollout restart` and
 * `set env` are kubectl's strategic merge patches, `scale` patches the scale subresource.
 * Writes honour `dryRun` with server-side dry run (`dryRun=All`).
 */
export class KubernetesCluster implements ClusterPort {
  readonly context: string;
  /** The API server URL of the context. */
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly timeoutMs: number;
  private readonly fieldManager: string;
  private readonly now: () => Date;

  /** Uses `context` of the kubeconfig (its current-context when omitted); the KubeConfig is not modified. */
  constructor(kubeConfig: KubeConfig, context?: string, opts: KubernetesClusterOptions = {}) {
    const source = opts.source ?? 'the kubeconfig';
    const name = context ?? kubeConfig.getCurrentContext();
    const known = kubeConfig.getContexts().map((c) => c.name);
    if (!name) {
      throw new GuardiaError(
        'kubernetes.config',
        `${source} has no current-context; choose a context (${known.join(', ') || 'it defines none'})`,
      );
    }
    const ctx = kubeConfig.getContextObject(name);
    if (!ctx) {
      throw new GuardiaError(
        'kubernetes.config',
        `Context "${name}" is not in ${source} (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: kubeConfig.getClusters(),
      users: kubeConfig.getUsers(),
      contexts: kubeConfig.getContexts(),
      currentContext: name,
    });
    const cluster = kc.getCurrentCluster();
    if (!cluster) {
      throw new GuardiaError('kubernetes.config', `Context "${name}" in ${source} names cluster "${ctx.cluster}", which ${source} does not define`);
    }
    if (ctx.user && !kc.getUser(ctx.user)) {
      throw new GuardiaError('kubernetes.config', `Context "${name}" in ${source} names user "${ctx.user}", which ${source} does not define`);
    }
    this.context = name;
    this.server = cluster.server;
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.fieldManager = opts.fieldManager ?? 'guardia';
    this.now = opts.now ?? (() => new Date());
  }

  /** Loads a kubeconfig file and selects `context` (or its current-context). */
  static fromFile(file: string, context?: string, opts: Omit<KubernetesClusterOptions, 'source'> = {}): KubernetesCluster {
    if (!existsSync(file)) {
      throw new GuardiaError(
        'kubernetes.config',
        `Kubeconfig ${file} does not exist${context ? ` (wanted context "${context}")` : ''}`,
      );
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (error) {
      throw new GuardiaError('kubernetes.config', `Cannot read kubeconfig ${file}: ${(error as Error).message}`);
    }
    return new KubernetesCluster(kc, context, { ...opts, source: `kubeconfig ${file}` });
  }

  async listPods(namespace: string, signal?: AbortSignal): Promise<PodInfo[]> {
    const list = await this.call({ verb: 'list', resource: 'pods', group: '' }, namespace, signal, (options) =>
      this.core.listNamespacedPod({ namespace }, options),
    );
    return list.items.map((pod) => {
      const s = summarizePod(pod);
      const created = pod.metadata?.creationTimestamp;
      return {
        namespace: pod.metadata?.namespace ?? namespace,
        name: pod.metadata?.name ?? '',
        phase: s.status,
        ready: s.ready,
        restarts: s.restarts,
        createdAt: created ? new Date(created).getTime() : 0,
        labels: pod.metadata?.labels ?? {},
      };
    });
  }

  /**
   * Deployments with their first container's image and env. Variables set from a secret, config map
   * or field read `<from secret NAME, key KEY>` and the like: their values are never fetched.
   */
  async listDeployments(namespace: string, signal?: AbortSignal): Promise<DeploymentInfo[]> {
    const list = await this.call({ verb: 'list', resource: 'deployments', group: 'apps' }, namespace, signal, (options) =>
      this.apps.listNamespacedDeployment({ namespace }, options),
    );
    return list.items.map((d) => {
      const first = d.spec?.template?.spec?.containers?.[0];
      const revision = Number(d.metadata?.annotations?.[revisionAnnotation] ?? '0');
      return {
        namespace: d.metadata?.namespace ?? namespace,
        name: d.metadata?.name ?? '',
        replicas: d.spec?.replicas ?? 1,
        readyReplicas: d.status?.readyReplicas ?? 0,
        revision: Number.isFinite(revision) ? revision : 0,
        image: first?.image ?? '',
        env: Object.fromEntries((first?.env ?? []).map((e) => [e.name, envValue(e)])),
      };
    });
  }

  /** `kubectl rollout undo deployment/NAME` (to the previous revision). */
  async rolloutUndo(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    const d = await this.readDeployment(namespace, deployment);
    const replicaSets = await this.call(
      { verb: 'list', resource: 'replicasets', group: 'apps' },
      namespace,
      undefined,
      (options) => this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorString(d.spec?.selector) }, options),
    );
    const plan = planRollback(d, replicaSets.items);
    if (plan.action === 'skip') {
      return this.done(`deployment.apps/${deployment} skipped rollback (current template already matches revision ${plan.toRevision})`, opts);
    }
    await this.call({ verb: 'patch', resource: 'deployments', group: 'apps', name: deployment }, namespace, undefined, (options) =>
      this.apps.patchNamespacedDeployment(
        { name: deployment, namespace, body: plan.patch, dryRun: this.dryRun(opts), fieldManager: this.fieldManager },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch, options),
      ),
    );
    return this.done(`deployment.apps/${deployment} rolled back`, opts);
  }

  /** `kubectl rollout restart deployment/NAME`. */
  async rolloutRestart(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    const d = await this.readDeployment(namespace, deployment);
    const body = restartPatch(d, this.now());
    await this.strategicPatch(namespace, deployment, body, opts);
    return this.done(`deployment.apps/${deployment} restarted`, opts);
  }

  /** `kubectl scale deployment/NAME --replicas=N`, through the scale subresource. */
  async scale(namespace: string, deployment: string, replicas: number, opts: { dryRun: boolean }): Promise<string> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new GuardiaError('kubernetes.bad-replicas', `replicas must be a whole number >= 0, got ${replicas}`);
    }
    await this.call(
      { verb: 'patch', resource: 'deployments', group: 'apps', subresource: 'scale', name: deployment },
      namespace,
      undefined,
      (options) =>
        this.apps.patchNamespacedDeploymentScale(
          { name: deployment, namespace, body: { spec: { replicas } }, dryRun: this.dryRun(opts), fieldManager: this.fieldManager },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch, options),
        ),
    );
    return this.done(`deployment.apps/${deployment} scaled`, opts);
  }

  /**
   * `kubectl set env deployment/NAME -c CONTAINER K=V...` on one container: the first unless
   * `opts.container` names another (kubectl's default would be every container).
   */
  async setEnv(
    namespace: string,
    deployment: string,
    env: Record<string, string>,
    opts: { dryRun: boolean; container?: string },
  ): Promise<string> {
    const d = await this.readDeployment(namespace, deployment);
    const plan = planEnvPatch(d, env, opts.container);
    if (!plan.patch) return this.done(`deployment.apps/${deployment} env unchanged`, opts);
    await this.strategicPatch(namespace, deployment, plan.patch, opts);
    return this.done(`deployment.apps/${deployment} env updated`, opts);
  }

  /** `kubectl delete pod NAME` (background propagation, the pod's own grace period). */
  async deletePod(namespace: string, pod: string, opts: { dryRun: boolean }): Promise<string> {
    await this.call({ verb: 'delete', resource: 'pods', group: '', name: pod }, namespace, undefined, (options) =>
      this.core.deleteNamespacedPod(
        { name: pod, namespace, dryRun: this.dryRun(opts), propagationPolicy: 'Background' },
        options,
      ),
    );
    return this.done(`pod "${pod}" deleted`, opts);
  }

  private dryRun(opts: { dryRun: boolean }): string | undefined {
    return opts.dryRun ? 'All' : undefined;
  }

  private done(message: string, opts: { dryRun: boolean }): string {
    return opts.dryRun ? `${message}${dryRunSuffix}` : message;
  }

  private readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.call({ verb: 'get', resource: 'deployments', group: 'apps', name }, namespace, undefined, (options) =>
      this.apps.readNamespacedDeployment({ name, namespace }, options),
    );
  }

  private async strategicPatch(namespace: string, name: string, body: object, opts: { dryRun: boolean }): Promise<void> {
    await this.call({ verb: 'patch', resource: 'deployments', group: 'apps', name }, namespace, undefined, (options) =>
      this.apps.patchNamespacedDeployment(
        { name, namespace, body, dryRun: this.dryRun(opts), fieldManager: this.fieldManager },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, options),
      ),
    );
  }

  /** Runs one API call with a timeout and the caller's signal; failures become clear GuardiaErrors. */
  private async call<T>(
    op: Op,
    namespace: string,
    signal: AbortSignal | undefined,
    fn: (options: ConfigurationOptions) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const operation: KubeOperation = { ...op, namespace };
    try {
      return await fn(withSignal(combined));
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new GuardiaError(
          'request.timeout',
          `The Kubernetes API of context "${this.context}" (${this.server}) did not answer within ${this.timeoutMs} ms ` +
            `(${op.verb} ${op.resource} in namespace ${namespace})`,
        );
      }
      throw toKubeError(error, operation, { context: this.context, server: this.server }, signal);
    }
  }
}
