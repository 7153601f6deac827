import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  AppsV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
  type V1Deployment,
  type V1EnvVar,
  type V1Pod,
} from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import { kubeTransport } from './kube-transport.js';
import { execInPod } from './pod-exec.js';
import { GuardiaError } from '../../../shared/result.js';
import type {
  AccessDecision,
  CertificateInfo,
  ClusterPort,
  DeploymentInfo,
  ExecResult,
  ExecTarget,
  HpaInfo,
  KubeEvent,
  NodeMetrics,
  PodInfo,
  PodMetrics,
  RolloutRevision,
} from '../ports.js';
import {
  certificateInfo,
  eventInfo,
  hpaInfo,
  logContainer,
  nodeMetricsInfo,
  pickLogPod,
  planResourcesPatch,
  podMetricsInfo,
  rolloutHistoryOf,
  sortEvents,
  type ResourceChange,
} from './cluster-reads.js';
import { decidePod, drainMessages, drainRefusal, nodeInfo, type DrainFlags, type NodeInfo } from './drain-plan.js';
import { defaultExecPolicy, ExecTokenSource, type ExecStanza } from './exec-credentials.js';
import type { ExecPolicy } from './exec-credentials.js';
import { toKubeError, type KubeOperation } from './kube-errors.js';
import { normalizeQuantity } from './quantity.js';
import { summarizePod } from './pod-status.js';
import { planEnvPatch, planRollback, restartPatch, revisionAnnotation, selectorString } from './rollout-plans.js';

/** Where `kubectl logs` reads: a pod, or the pod kubectl would pick for a deployment. */
export interface LogTarget {
  pod?: string;
  deployment?: string;
  container?: string;
  previous?: boolean;
  tailLines: number;
}

/** What a SelfSubjectAccessReview asks (RBAC's vocabulary). */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

const certManager = { group: 'cert-manager.io', version: 'v1', plural: 'certificates' } as const;
const metricsApi = { group: 'metrics.k8s.io', version: 'v1beta1' } as const;

/** Options of KubernetesCluster. */
export interface KubernetesClusterOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** How long a command run in a pod (`exec`) may take unless its step says (default 5 min). */
  execTimeoutMs?: number;
  /** fieldManager recorded in managedFields for Guardia's writes (default "guardia"). */
  fieldManager?: string;
  /** Clock for restartedAt (tests). */
  now?: () => Date;
  /** Where the kubeconfig came from, for error messages. */
  source?: string;
  /** How exec credential plugins run (allowlist, login-shell PATH); default: $GUARDIA_HOME's allowlist. */
  exec?: ExecPolicy;
  /** Folder of the kubeconfig file, for exec commands given as relative paths. */
  kubeconfigDir?: string;
  /** How long a drain may take, evictions and waiting for the pods to go included (default 10 min). */
  drainTimeoutMs?: number;
  /** Wait before asking again for an eviction a PodDisruptionBudget refused (kubectl: 5 s). */
  evictionRetryMs?: number;
  /** Interval of the checks that an evicted pod is gone (kubectl: 1 s). */
  deletePollMs?: number;
}

type Op = Omit<KubeOperation, 'namespace'>;

const dryRunSuffix = ' (server dry run)';

/**
 * A middleware that attaches an AbortSignal to the request (client-node has no per-call signal parameter),
 * on Guardia's transport (kube-transport.ts: a body cut short fails at once, not at the timeout).
 */
function withSignal(signal: AbortSignal, base?: ConfigurationOptions): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
  return { ...base, httpApi: kubeTransport, middleware: [...(base?.middleware ?? []), middleware], middlewareMergeStrategy: 'append' };
}

/** A ResourceList with canonical quantities (the API server stores them so; the fake keeps what was sent). */
function canonicalList(list: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(list ?? {}).map(([k, v]) => [k, normalizeQuantity(String(v))]));
}

/** A middleware that puts the exec plugin's bearer token on the request. */
function withExecToken(source: ExecTokenSource, base: ConfigurationOptions): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) =>
      new Observable(
        source.token().then((token) => {
          ctx.setHeaderParam('Authorization', `Bearer ${token}`);
          return ctx;
        }),
      ),
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
  return { ...base, middleware: [...(base.middleware ?? []), middleware], middlewareMergeStrategy: 'append' };
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
  private readonly autoscaling: AutoscalingV2Api;
  private readonly custom: CustomObjectsApi;
  private readonly authorization: AuthorizationV1Api;
  private readonly timeoutMs: number;
  private readonly fieldManager: string;
  private readonly now: () => Date;
  /** The context's exec plugin, when it authenticates with one. */
  private readonly execToken: ExecTokenSource | null = null;
  private readonly drainTimeoutMs: number;
  private readonly evictionRetryMs: number;
  private readonly deletePollMs: number;
  /** How long a command run in a pod may take when the step does not say (a script, not a request). */
  private readonly execTimeoutMs: number;
  /** The kubeconfig narrowed to this context (exec plugins removed: Guardia runs them). */
  private readonly kc: KubeConfig;

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
    // An exec plugin is run by Guardia (allowlist, login-shell PATH, timeout), never by client-node.
    const execStanza = (ctx.user ? kubeConfig.getUser(ctx.user)?.exec : undefined) as ExecStanza | undefined;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: kubeConfig.getClusters(),
      users: kubeConfig.getUsers().map((u) => (u.name === ctx.user && execStanza ? { ...u, exec: undefined } : u)),
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
    if (execStanza?.command) {
      this.execToken = new ExecTokenSource(
        execStanza,
        {
          context: name,
          server: cluster.server,
          certificateAuthorityData: cluster.caData,
          insecureSkipTlsVerify: cluster.skipTLSVerify,
          kubeconfigDir: opts.kubeconfigDir,
        },
        opts.exec ?? defaultExecPolicy(),
      );
    }
    this.kc = kc;
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.autoscaling = kc.makeApiClient(AutoscalingV2Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.authorization = kc.makeApiClient(AuthorizationV1Api);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.execTimeoutMs = opts.execTimeoutMs ?? 300_000;
    this.fieldManager = opts.fieldManager ?? 'guardia';
    this.now = opts.now ?? (() => new Date());
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 10 * 60_000;
    this.evictionRetryMs = opts.evictionRetryMs ?? 5_000;
    this.deletePollMs = opts.deletePollMs ?? 1_000;
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
    return new KubernetesCluster(kc, context, { kubeconfigDir: dirname(resolve(file)), ...opts, source: `kubeconfig ${file}` });
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
        resources: Object.fromEntries(
          (d.spec?.template?.spec?.containers ?? []).map((c) => [
            c.name,
            { limits: canonicalList(c.resources?.limits), requests: canonicalList(c.resources?.requests) },
          ]),
        ),
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

  /**
   * `kubectl logs POD|deployment/NAME [-c CONTAINER] [--previous] --tail=N`: for a deployment, the pod
   * kubectl picks (ByLogging among the pods its selector matches); the container asked for, else the
   * default-container annotation, else the first.
   */
  async podLogs(namespace: string, target: LogTarget, signal?: AbortSignal): Promise<string> {
    if (!Number.isInteger(target.tailLines) || target.tailLines < 0) {
      throw new GuardiaError('kubernetes.bad-tail', `tailLines must be a whole number >= 0, got ${target.tailLines}`);
    }
    const { pod } = await this.resolvePod(namespace, target, signal);
    const name = pod.metadata?.name ?? '';
    const container = logContainer(pod, target.container);
    const text = await this.call(
      { verb: 'get', resource: 'pods', subresource: 'log', group: '', name },
      namespace,
      signal,
      (options) =>
        this.core.readNamespacedPodLog(
          { name, namespace, container, tailLines: target.tailLines, ...(target.previous ? { previous: true } : {}) },
          options,
        ),
    );
    return typeof text === 'string' ? text : String(text ?? '');
  }

  /**
   * The pod a log read or an exec acts on: `target.pod`, else a pod of `target.deployment` chosen as
   * kubectl chooses for `deploy/NAME`. With both, a missing pod falls back to the deployment (the
   * runbook may name a pod that a rollout has since replaced), and `note` says so.
   */
  private async resolvePod(namespace: string, target: { pod?: string; deployment?: string }, signal?: AbortSignal): Promise<{ pod: V1Pod; note: string | null }> {
    if (target.pod) {
      const name = target.pod;
      try {
        return { pod: await this.call({ verb: 'get', resource: 'pods', group: '', name }, namespace, signal, (options) => this.core.readNamespacedPod({ name, namespace }, options)), note: null };
      } catch (error) {
        if (!target.deployment || (error as GuardiaError).code !== 'kubernetes.not-found') throw error;
      }
    }
    if (!target.deployment) throw new GuardiaError('kubernetes.bad-pod-target', 'name a pod or a deployment');
    const d = await this.readDeployment(namespace, target.deployment, signal);
    const selector = selectorString(d.spec?.selector);
    const pods = await this.call({ verb: 'list', resource: 'pods', group: '' }, namespace, signal, (options) =>
      this.core.listNamespacedPod({ namespace, labelSelector: selector }, options),
    );
    const first = pickLogPod(pods.items);
    if (!first) throw new GuardiaError('kubernetes.no-pods', `deployment ${target.deployment} has no pods in namespace ${namespace} (selector ${selector})`);
    const note = target.pod ? `pod ${target.pod} does not exist; ${first.metadata?.name} is a pod of deployment/${target.deployment}` : null;
    return { pod: first, note };
  }

  async execTarget(namespace: string, target: ExecTarget, signal?: AbortSignal): Promise<{ pod: string; container: string; note: string | null }> {
    const { pod, note } = await this.resolvePod(namespace, target, signal);
    const name = pod.metadata?.name ?? '';
    // The API server refuses to exec into a pod that is not running; say it before anyone confirms.
    if (pod.status?.phase !== 'Running') throw new GuardiaError('kubernetes.pod-not-running', `pod ${name} is ${pod.status?.phase ?? 'in an unknown phase'}, not Running: a command cannot run in it`);
    return { pod: name, container: logContainer(pod, target.container), note };
  }

  async exec(namespace: string, target: ExecTarget, command: string[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ExecResult> {
    const where = await this.execTarget(namespace, target, opts.signal);
    const execToken = this.execToken;
    const result = await execInPod(this.kc, {
      namespace,
      pod: where.pod,
      container: where.container,
      command,
      timeoutMs: opts.timeoutMs ?? this.execTimeoutMs,
      signal: opts.signal,
      where: `context "${this.context}" (${this.server})`,
      ...(execToken ? { token: () => execToken.token() } : {}),
    });
    return { ...result, note: where.note };
  }

  /** `kubectl top pods`: usage from metrics.k8s.io, summed over each pod's containers, by pod name. */
  async topPods(namespace: string, signal?: AbortSignal): Promise<PodMetrics[]> {
    const list = (await this.call({ verb: 'list', resource: 'pods', group: metricsApi.group }, namespace, signal, (options) =>
      this.custom.listNamespacedCustomObject({ ...metricsApi, namespace, plural: 'pods' }, options),
    )) as { items?: unknown[] };
    return (list.items ?? []).map((m) => podMetricsInfo(m, namespace)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `kubectl top nodes`: node usage and its share of each node's allocatable CPU and memory. */
  async topNodes(signal?: AbortSignal): Promise<NodeMetrics[]> {
    const [metrics, nodes] = await Promise.all([
      this.call({ verb: 'list', resource: 'nodes', group: metricsApi.group }, '(cluster)', signal, (options) =>
        this.custom.listClusterCustomObject({ ...metricsApi, plural: 'nodes' }, options),
      ) as Promise<{ items?: unknown[] }>,
      this.call({ verb: 'list', resource: 'nodes', group: '' }, '(cluster)', signal, (options) => this.core.listNode({}, options)),
    ]);
    const allocatable = new Map(nodes.items.map((n) => [n.metadata?.name ?? '', n.status?.allocatable]));
    return (metrics.items ?? [])
      .map((m) => {
        const name = (m as { metadata?: { name?: string } }).metadata?.name ?? '';
        return nodeMetricsInfo(m, allocatable.get(name));
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `kubectl rollout history deployment/NAME`: revisions of the ReplicaSets it controls, with change-cause. */
  async rolloutHistory(namespace: string, deployment: string, signal?: AbortSignal): Promise<RolloutRevision[]> {
    const d = await this.readDeployment(namespace, deployment, signal);
    const replicaSets = await this.call({ verb: 'list', resource: 'replicasets', group: 'apps' }, namespace, signal, (options) =>
      this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorString(d.spec?.selector) }, options),
    );
    return rolloutHistoryOf(d, replicaSets.items);
  }

  /** `kubectl get events --sort-by=.lastTimestamp`: oldest first. */
  async listEvents(namespace: string, signal?: AbortSignal): Promise<KubeEvent[]> {
    const list = await this.call({ verb: 'list', resource: 'events', group: '' }, namespace, signal, (options) =>
      this.core.listNamespacedEvent({ namespace }, options),
    );
    return sortEvents(list.items.map(eventInfo));
  }

  /** `kubectl get hpa` (autoscaling/v2). */
  async listHpas(namespace: string, signal?: AbortSignal): Promise<HpaInfo[]> {
    const list = await this.call({ verb: 'list', resource: 'horizontalpodautoscalers', group: 'autoscaling' }, namespace, signal, (options) =>
      this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, options),
    );
    return list.items.map(hpaInfo);
  }

  /** cert-manager Certificates with their Ready condition, expiry and renewal time. */
  async listCertificates(namespace: string, signal?: AbortSignal): Promise<CertificateInfo[]> {
    const list = (await this.call({ verb: 'list', resource: 'certificates', group: certManager.group }, namespace, signal, (options) =>
      this.custom.listNamespacedCustomObject({ ...certManager, namespace }, options),
    )) as { items?: unknown[] };
    return (list.items ?? []).map(certificateInfo);
  }

  /**
   * `kubectl auth can-i`: a SelfSubjectAccessReview for the context's own credentials. A denial says
   * what was denied and where, with the authorizer's reason when it gives one.
   */
  async accessReview(review: AccessQuestion): Promise<AccessDecision> {
    const res = await this.call({ verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io' }, review.namespace, undefined, (options) =>
      this.authorization.createSelfSubjectAccessReview(
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb: review.verb,
                group: review.group,
                resource: review.resource,
                namespace: review.namespace,
                ...(review.subresource ? { subresource: review.subresource } : {}),
                ...(review.name ? { name: review.name } : {}),
              },
            },
          },
        },
        options,
      ),
    );
    const status = res.status;
    const what = `${review.verb} ${review.resource}${review.subresource ? `/${review.subresource}` : ''}${review.group ? ` (API group ${review.group})` : ''}`;
    if (status?.allowed && !status.denied) return { allowed: true, reason: status.reason ?? '' };
    const because = [status?.reason, status?.evaluationError].filter(Boolean).join('; ');
    return {
      allowed: false,
      reason: `Kubernetes RBAC does not allow context "${this.context}" to ${what} in namespace ${review.namespace}${because ? `: ${because}` : ''}`,
    };
  }

  /**
   * `kubectl set resources deployment/NAME -c CONTAINER --limits=... --requests=...` on one container
   * (the first unless `opts.container` names another).
   */
  async setResources(
    namespace: string,
    deployment: string,
    resources: ResourceChange,
    opts: { dryRun: boolean; container?: string },
  ): Promise<string> {
    const d = await this.readDeployment(namespace, deployment);
    const plan = planResourcesPatch(d, resources, opts.container);
    if (!plan.patch) return this.done(`deployment.apps/${deployment} resource requirements unchanged`, opts);
    await this.strategicPatch(namespace, deployment, plan.patch, opts);
    return this.done(`deployment.apps/${deployment} resource requirements updated`, opts);
  }

  /** `kubectl delete certificate NAME` (cert-manager then issues a new one). */
  async deleteCertificate(namespace: string, name: string, opts: { dryRun: boolean }): Promise<string> {
    await this.call({ verb: 'delete', resource: 'certificates', group: certManager.group, name }, namespace, undefined, (options) =>
      this.custom.deleteNamespacedCustomObject(
        { ...certManager, namespace, name, dryRun: this.dryRun(opts), propagationPolicy: 'Background' },
        options,
      ),
    );
    return this.done(`certificate.cert-manager.io "${name}" deleted`, opts);
  }

  /** `kubectl get nodes [-l agentpool=POOL]`: AKS labels every node with its pool's name. */
  async listNodes(pool: string | null, signal?: AbortSignal): Promise<NodeInfo[]> {
    const list = await this.call({ verb: 'list', resource: 'nodes', group: '' }, '(cluster)', signal, (options) =>
      this.core.listNode(pool ? { labelSelector: `agentpool=${pool}` } : {}, options),
    );
    return list.items.map(nodeInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * `kubectl cordon NODE` (true) / `kubectl uncordon NODE` (false): reads the node and, unless it is
   * already so, sends kubectl's strategic merge patch (`{"spec":{"unschedulable":true}}`, and `null`
   * to uncordon, which removes the field as kubectl does).
   */
  async cordonNode(node: string, unschedulable: boolean, signal?: AbortSignal): Promise<void> {
    await this.setUnschedulable(node, unschedulable, signal);
  }

  /** Returns false when the node already was in the wanted state (kubectl: "already cordoned"). */
  private async setUnschedulable(node: string, unschedulable: boolean, signal?: AbortSignal): Promise<boolean> {
    const current = await this.call({ verb: 'get', resource: 'nodes', group: '', name: node }, '(cluster)', signal, (options) =>
      this.core.readNode({ name: node }, options),
    );
    if ((current.spec?.unschedulable === true) === unschedulable) return false;
    await this.call({ verb: 'patch', resource: 'nodes', group: '', name: node }, '(cluster)', signal, (options) =>
      this.core.patchNode(
        { name: node, body: { spec: { unschedulable: unschedulable ? true : null } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, options),
      ),
    );
    return true;
  }

  /**
   * `kubectl drain NODE --ignore-daemonsets --delete-emptydir-data`, as kubectl does it: cordon, list
   * the node's pods (all namespaces), apply kubectl's filters (DaemonSet-managed pods ignored once
   * their DaemonSet is confirmed, mirror pods skipped, emptyDir allowed, pods without a controller
   * refused, so nothing is evicted), evict each through the Eviction API (policy/v1) and wait until
   * each is gone (or replaced: another uid). An eviction a PodDisruptionBudget refuses (429) changed
   * nothing and is asked again after 5 s, as kubectl does, until the drain's time runs out.
   */
  async drainNode(node: string, signal?: AbortSignal, flags: DrainFlags = { ignoreDaemonSets: true, deleteEmptyDirData: true, force: false }): Promise<string> {
    const deadline = AbortSignal.timeout(this.drainTimeoutMs);
    const bounded = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const expired = () => new GuardiaError('kubernetes.drain-timeout', `Drain of node/${node} did not finish within ${Math.round(this.drainTimeoutMs / 1000)} s; the node stays cordoned`);
    const cordoned = await this.setUnschedulable(node, true, bounded);
    // kubectl's --chunk-size=500: pages of 500 followed by their continue token.
    const pods: { items: V1Pod[] } = { items: [] };
    let next: string | undefined;
    do {
      const page = await this.call({ verb: 'list', resource: 'pods', group: '' }, '(all namespaces)', bounded, (options) =>
        this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}`, limit: 500, ...(next ? { _continue: next } : {}) }, options),
      );
      pods.items.push(...page.items);
      next = page.metadata?._continue || undefined;
    } while (next);
    const toEvict: V1Pod[] = [];
    const errors: Array<{ pod: string; message: string }> = [];
    const warnings = new Map<string, string[]>();
    for (const pod of pods.items) {
      const id = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      let decision = decidePod(pod, flags);
      if (decision.kind === 'daemonset') {
        const namespace = pod.metadata?.namespace ?? '';
        const name = decision.name;
        // kubectl confirms the DaemonSet exists: a pod whose DaemonSet is gone is an orphan, not ignorable.
        const exists = await this.call({ verb: 'get', resource: 'daemonsets', group: 'apps', name }, namespace, bounded, (options) =>
          this.apps.readNamespacedDaemonSet({ name, namespace }, options).then(
            () => true,
            (error: unknown) => {
              if ((error as { code?: unknown }).code === 404) return false;
              throw error;
            },
          ),
        );
        const missing = `daemonsets.apps "${name}" not found`;
        if (!exists) decision = flags.force ? { kind: 'evict', warning: missing } : { kind: 'error', message: missing };
        else if (!flags.ignoreDaemonSets) decision = { kind: 'error', message: drainMessages.daemonSetFatal };
        else decision = { kind: 'skip', warning: drainMessages.daemonSetWarning };
      }
      if (decision.kind === 'error') errors.push({ pod: id, message: decision.message });
      else {
        if (decision.warning) warnings.set(decision.warning, [...(warnings.get(decision.warning) ?? []), id]);
        if (decision.kind === 'evict') toEvict.push(pod);
      }
    }
    if (errors.length) {
      throw new GuardiaError('kubernetes.drain-refused', `Cannot drain node/${node}: ${drainRefusal(errors)}; nothing was evicted and the node stays cordoned`);
    }
    // The first eviction that fails stops the others' retries and waits (kubectl reports and exits too).
    const stop = new AbortController();
    const each = AbortSignal.any([bounded, stop.signal]);
    try {
      await Promise.all(toEvict.map((pod) => this.evictAndWait(pod, each).catch((error: unknown) => {
        stop.abort();
        throw error;
      })));
    } catch (error) {
      if (deadline.aborted && !signal?.aborted) throw expired();
      throw error;
    }
    const notes = [...warnings].map(([w, ids]) => `Warning: ${w}: ${ids.join(', ')}`);
    const evicted = toEvict.map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
    return [
      `node/${node} ${cordoned ? 'cordoned' : 'already cordoned'}`,
      ...notes,
      ...evicted.map((id) => `pod ${id} evicted`),
      `node/${node} drained`,
    ].join('\n');
  }

  /** One pod: evict (retrying while a PodDisruptionBudget refuses), then wait until it is gone or replaced. */
  private async evictAndWait(pod: V1Pod, signal: AbortSignal): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid;
    for (;;) {
      const outcome = await this.call({ verb: 'create', resource: 'pods', subresource: 'eviction', group: '', name }, namespace, signal, (options) =>
        this.core
          .createNamespacedPodEviction(
            { name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: {} } },
            options,
          )
          .then(
            () => 'evicted' as const,
            (error: unknown) => {
              const code = (error as { code?: unknown }).code;
              if (code === 404) return 'gone' as const;
              // Refused by a PodDisruptionBudget: nothing changed, so asking again is safe (kubectl does).
              if (code === 429) return 'refused' as const;
              throw error;
            },
          ),
      );
      if (outcome === 'gone') return;
      if (outcome === 'evicted') break;
      await delay(this.evictionRetryMs, undefined, { signal });
    }
    for (;;) {
      const current = await this.call({ verb: 'get', resource: 'pods', group: '', name }, namespace, signal, (options) =>
        this.core.readNamespacedPod({ name, namespace }, options).then(
          (p) => p,
          (error: unknown) => {
            if ((error as { code?: unknown }).code === 404) return null;
            throw error;
          },
        ),
      );
      if (!current || current.metadata?.uid !== uid) return;
      await delay(this.deletePollMs, undefined, { signal });
    }
  }

  private dryRun(opts: { dryRun: boolean }): string | undefined {
    return opts.dryRun ? 'All' : undefined;
  }

  private done(message: string, opts: { dryRun: boolean }): string {
    return opts.dryRun ? `${message}${dryRunSuffix}` : message;
  }

  private readDeployment(namespace: string, name: string, signal?: AbortSignal): Promise<V1Deployment> {
    return this.call({ verb: 'get', resource: 'deployments', group: 'apps', name }, namespace, signal, (options) =>
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
      const options = withSignal(combined);
      return await fn(this.execToken ? withExecToken(this.execToken, options) : options);
    } catch (error) {
      if (this.execToken && (error as { code?: unknown }).code === 401) this.execToken.invalidate();
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
