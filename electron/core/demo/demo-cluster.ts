import { GuardiaError } from '../../../shared/result.js';
import { normalizeQuantity } from '../kubernetes/quantity.js';
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
import { hashString, hashUnit } from './noise.js';
import { DEMO_NAMESPACE, MINUTE_MS, type PodStatus, type TiendiSimulation } from './simulation.js';

const DAY_MS = 24 * 60 * MINUTE_MS;
const MI = 1024 * 1024;
/** The cert-manager namespace: only its controller's logs are served (the runbook reads them). */
const CERT_MANAGER_NAMESPACE = 'cert-manager';
const CERT_MANAGER_POD = 'cert-manager-7d9f8c6b5d-x2k4q';
/** cert-manager issues a new certificate this long after the old one is deleted. */
const REISSUE_MS = 45_000;
const NODES = ['aks-nodepool1-12345678-vmss000000', 'aks-nodepool1-12345678-vmss000001'];
const NODE_ALLOCATABLE = { cpuMillis: 3860, memoryBytes: 12_880_412 * 1024 };

/** Per-container resources as the demo's deployments start (what `kubectl set resources` changes). */
const INITIAL_RESOURCES: Record<string, { limits: Record<string, string>; requests: Record<string, string> }> = {
  'tiendi-api': { limits: { memory: '1536Mi' }, requests: { cpu: '250m', memory: '512Mi' } },
  'tiendi-payment': { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
  'tiendi-search': { limits: { memory: '1Gi' }, requests: { cpu: '200m', memory: '512Mi' } },
  'tiendi-web': { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
};

/** The container name of a demo pod (one container per pod). */
function containerOf(owner: string): string {
  return owner.replace(/^tiendi-/, '');
}

function notFound(what: string, namespace: string): GuardiaError {
  return new GuardiaError('kubernetes.not-found', `${what} not found in namespace ${namespace} (demo cluster)`);
}

function iso(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The demo's Kubernetes: namespace `production` of the simulation. Reads reflect the incident
 * (crash-looping pod, rollouts in progress, the pool errors in the logs); writes are recorded as
 * actions at the current sim time and change the simulation from then on. Dry runs validate and
 * describe, and change nothing. Every access review allows: the demo user is an administrator.
 */
export class DemoCluster implements ClusterPort {
  readonly context = 'demo-tiendi-prod';
  private readonly startedAt: number;
  private readonly resources = structuredClone(INITIAL_RESOURCES);
  private readonly deletedCertificates = new Map<string, number>();

  constructor(
    private readonly sim: TiendiSimulation,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  async listPods(namespace: string, signal?: AbortSignal): Promise<PodInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    return this.sim.podsAt(this.now()).map((p) => p.info);
  }

  async listDeployments(namespace: string, signal?: AbortSignal): Promise<DeploymentInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    return this.sim.deploymentsAt(this.now()).map((d) => {
      const r = this.resources[d.name];
      return r ? { ...d, resources: { [containerOf(d.name)]: structuredClone(r) } } : d;
    });
  }

  async rolloutUndo(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'rolloutUndo', namespace, target: deployment }, opts.dryRun);
  }

  async rolloutRestart(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'rolloutRestart', namespace, target: deployment }, opts.dryRun);
  }

  async scale(namespace: string, deployment: string, replicas: number, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'scale', namespace, target: deployment, replicas }, opts.dryRun);
  }

  async setEnv(
    namespace: string,
    deployment: string,
    env: Record<string, string>,
    opts: { dryRun: boolean },
  ): Promise<string> {
    return this.sim.apply({ kind: 'setEnv', namespace, target: deployment, env: { ...env } }, opts.dryRun);
  }

  async deletePod(namespace: string, pod: string, opts: { dryRun: boolean }): Promise<string> {
    return this.sim.apply({ kind: 'deletePod', namespace, target: pod }, opts.dryRun);
  }

  /**
   * The pod a log read or an exec acts on, as the real connector picks it: the named pod, else (or
   * when it does not exist and a deployment is named) a pod of the deployment in kubectl's order.
   */
  private pickPod(namespace: string, target: ExecTarget, t: number): { pod: PodStatus; container: string; note: string | null } {
    if (namespace !== DEMO_NAMESPACE) throw notFound(`namespaces "${namespace}"`, namespace);
    const pods = this.sim.podsAt(t);
    let pod = target.pod ? pods.find((p) => p.info.name === target.pod) : undefined;
    let note: string | null = null;
    if (!pod && target.pod && !target.deployment) throw notFound(`pods "${target.pod}"`, namespace);
    if (!pod) {
      if (!target.deployment) throw new GuardiaError('kubernetes.bad-pod-target', 'name a pod or a deployment');
      if (!this.sim.deploymentsAt(t).some((d) => d.name === target.deployment)) throw notFound(`deployments.apps "${target.deployment}"`, namespace);
      // kubectl's ByLogging: running before others, ready before not ready, more restarts first, older first.
      const rank = (p: PodStatus) => (p.info.phase === 'Running' || p.info.phase === 'CrashLoopBackOff' ? 0 : 1);
      pod = pods
        .filter((p) => p.owner === target.deployment && p.info.phase !== 'Terminating')
        .sort((a, b) => rank(a) - rank(b) || Number(b.ready) - Number(a.ready) || b.info.restarts - a.info.restarts || a.info.createdAt - b.info.createdAt)[0];
      if (!pod) throw new GuardiaError('kubernetes.no-pods', `deployment ${target.deployment} has no pods in namespace ${namespace}`);
      if (target.pod) note = `pod ${target.pod} does not exist; ${pod.info.name} is a pod of deployment/${target.deployment}`;
    }
    const container = containerOf(pod.owner);
    if (target.container && target.container !== container) {
      throw new GuardiaError('kubernetes.no-container', `container ${target.container} is not valid for pod ${pod.info.name} (containers: ${container})`);
    }
    return { pod, container, note };
  }

  async execTarget(namespace: string, target: ExecTarget, signal?: AbortSignal): Promise<{ pod: string; container: string; note: string | null }> {
    signal?.throwIfAborted();
    const { pod, container, note } = this.pickPod(namespace, target, this.now());
    if (pod.info.phase !== 'Running') throw new GuardiaError('kubernetes.pod-not-running', `pod ${pod.info.name} is ${pod.info.phase}, not Running: a command cannot run in it`);
    return { pod: pod.info.name, container, note };
  }

  /** The demo's pods know one script, the runbook's payment retry; anything else is not in the image. */
  async exec(namespace: string, target: ExecTarget, command: string[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ExecResult> {
    const where = await this.execTarget(namespace, target, opts.signal);
    if (command.join(' ') !== 'node scripts/retry-payments.js') {
      throw new GuardiaError(
        'kubernetes.exec-failed',
        `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown`,
      );
    }
    const stdout = [
      'retry-payments: buscando pagos con estado FAILED de las últimas 2 h…',
      'retry-payments: 14 pagos encontrados; verificando en el gateway que no se hayan procesado…',
      'retry-payments: 2 ya estaban cobrados en el gateway: se marcan como PAID sin volver a cobrar',
      'retry-payments: 12 reintentados: 11 aprobados, 1 rechazado (tarjeta vencida)',
    ].join('\n');
    return { ...where, stdout: `${stdout}\n`, stderr: '', exitCode: 0 };
  }

  /** Log lines made from the simulation at each instant: the pool timeouts show up as the incident grows. */
  async podLogs(
    namespace: string,
    target: { pod?: string; deployment?: string; container?: string; previous?: boolean; tailLines: number },
    signal?: AbortSignal,
  ): Promise<string> {
    signal?.throwIfAborted();
    if (!Number.isInteger(target.tailLines) || target.tailLines < 0) {
      throw new GuardiaError('kubernetes.bad-tail', `tailLines must be a whole number >= 0, got ${target.tailLines}`);
    }
    const t = this.now();
    if (namespace === CERT_MANAGER_NAMESPACE) {
      if (target.deployment !== 'cert-manager' && target.pod !== CERT_MANAGER_POD) {
        throw notFound(target.deployment ? `deployments.apps "${target.deployment}"` : `pods "${target.pod ?? ''}"`, namespace);
      }
      return this.lines(target.tailLines, t, 20_000, (at, i) => this.certManagerLine(at, i));
    }
    const { pod, container } = this.pickPod(namespace, target, t);
    if (target.previous) {
      if (pod.info.restarts === 0) {
        throw new GuardiaError('kubernetes.api', `previous terminated container "${container}" in pod "${pod.info.name}" not found`);
      }
      const end = t - 30_000;
      const crash = [
        `${iso(end - 26_000)} info: starting ${pod.owner} (pid 1)`,
        `${iso(end - 25_000)} info: connecting to postgres-0.postgres.production.svc.cluster.local:5432 (DB_POOL_SIZE=30)`,
        `${iso(end - 4_000)} error: TimeoutError: ResourceRequest timed out acquiring a connection from the pool`,
        `${iso(end - 2_000)} error: liveness probe /healthz failed 3 times: pool exhausted`,
        `${iso(end)} error: process exited with code 1 (SIGTERM from kubelet)`,
      ];
      return (target.tailLines === 0 ? [] : crash.slice(-target.tailLines)).map((l) => `${l}\n`).join('');
    }
    const from = Math.max(pod.info.createdAt, t - 6 * 60 * MINUTE_MS);
    const step = pod.owner === 'tiendi-api' ? 1_500 : 4_000;
    return this.lines(target.tailLines, t, step, (at, i) => (at < from ? null : this.appLine(pod.owner, pod.info.name, at, i)));
  }

  /** `kubectl top pods`: CPU follows traffic and the incident; tiendi-api's memory grows with the request queue. */
  async topPods(namespace: string, signal?: AbortSignal): Promise<PodMetrics[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    const t = this.now();
    const s = this.sim.at(t);
    return this.sim
      .podsAt(t)
      .filter((p) => p.info.phase !== 'ContainerCreating' && p.info.phase !== 'Terminating')
      .map((p) => {
        const jitter = hashUnit(this.sim.noiseSeed, hashString(p.info.name), Math.floor(t / 30_000));
        const load = s.traffic;
        let cpu = 20 + 60 * load;
        let memory = 180 * MI;
        switch (p.owner) {
          case 'tiendi-api':
            cpu = p.crashing ? 15 : 120 + 260 * load + 240 * s.pool;
            memory = (420 + 180 * load + 700 * s.pool) * MI;
            break;
          case 'tiendi-payment':
            cpu = 40 + 80 * load;
            memory = (210 + 40 * load) * MI;
            break;
          case 'postgres':
            cpu = 180 + 420 * load + 900 * s.pool;
            memory = (2300 + 400 * s.pool) * MI;
            break;
          case 'redis':
            cpu = 25 + 40 * load;
            memory = (s.cacheCold > 0.5 ? 90 : 610) * MI;
            break;
        }
        return {
          namespace,
          name: p.info.name,
          cpuMillis: Math.round(cpu * (0.9 + 0.2 * jitter)),
          memoryBytes: Math.round((memory * (0.97 + 0.06 * jitter)) / 4096) * 4096,
        };
      });
  }

  /** `kubectl top nodes`: the pods' usage split over two AKS nodes, plus system overhead. */
  async topNodes(signal?: AbortSignal): Promise<NodeMetrics[]> {
    const pods = await this.topPods(DEMO_NAMESPACE, signal);
    return NODES.map((name, i) => {
      const mine = pods.filter((p) => hashString(p.name) % NODES.length === i);
      const cpuMillis = 310 + mine.reduce((a, p) => a + p.cpuMillis, 0);
      const memoryBytes = 1900 * MI + mine.reduce((a, p) => a + p.memoryBytes, 0);
      return {
        name,
        cpuMillis,
        memoryBytes,
        cpuPercent: Math.trunc((cpuMillis / NODE_ALLOCATABLE.cpuMillis) * 100),
        memoryPercent: Math.trunc((memoryBytes / NODE_ALLOCATABLE.memoryBytes) * 100),
      };
    });
  }

  /** `kubectl rollout history`: the simulation's revisions, with a change-cause saying what made each. */
  async rolloutHistory(namespace: string, deployment: string, signal?: AbortSignal): Promise<RolloutRevision[]> {
    signal?.throwIfAborted();
    const t = this.now();
    const history = namespace === DEMO_NAMESPACE ? this.sim.historyAt(t, deployment) : null;
    if (!history) throw notFound(`deployments.apps "${deployment}"`, namespace);
    const pods = this.sim.podsAt(t);
    return history.map((r, i) => {
      const before = history[i - 1];
      let changeCause: string | null = null;
      if (!before || before.image !== r.image) changeCause = `CI: deploy ${r.image.slice(r.image.lastIndexOf('/') + 1)}`;
      else if (r.restartedAt !== before.restartedAt) changeCause = `kubectl rollout restart deployment/${deployment}`;
      else {
        const changed = Object.keys(r.env).filter((k) => r.env[k] !== before.env[k]);
        if (changed.length) changeCause = `kubectl set env deployment/${deployment} ${changed.map((k) => `${k}=${r.env[k]}`).join(' ')}`;
      }
      const born = pods.filter((p) => p.info.labels['pod-template-hash'] === r.rsHash).map((p) => p.info.createdAt);
      const createdAt = born.length ? Math.min(...born) : t - (history.length - i) * DAY_MS;
      return { revision: r.revision, changeCause, image: r.image, createdAt };
    });
  }

  /** Events derived from the pods: scheduling of recent pods, crash-loop back-offs, failing probes. */
  async listEvents(namespace: string, signal?: AbortSignal): Promise<KubeEvent[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    const t = this.now();
    const s = this.sim.at(t);
    const events: KubeEvent[] = [];
    for (const p of this.sim.podsAt(t)) {
      const object = `pod/${p.info.name}`;
      if (t - p.info.createdAt < 60 * MINUTE_MS) {
        const image = this.sim.deploymentsAt(t).find((d) => d.name === p.owner)?.image ?? p.owner;
        events.push(
          { type: 'Normal', reason: 'Scheduled', object, message: `Successfully assigned ${namespace}/${p.info.name} to ${NODES[hashString(p.info.name) % 2]}`, count: 1, lastSeen: p.info.createdAt },
          { type: 'Normal', reason: 'Pulled', object, message: `Container image "${image}" already present on machine`, count: 1, lastSeen: p.info.createdAt + 2_000 },
          { type: 'Normal', reason: 'Started', object, message: `Started container ${containerOf(p.owner)}`, count: 1, lastSeen: p.info.createdAt + 3_000 },
        );
      }
      if (p.info.phase === 'Terminating') {
        events.push({ type: 'Normal', reason: 'Killing', object, message: `Stopping container ${containerOf(p.owner)}`, count: 1, lastSeen: t - 5_000 });
      }
      if (p.crashing && p.info.restarts > 0) {
        events.push({
          type: 'Warning',
          reason: 'BackOff',
          object,
          message: `Back-off restarting failed container ${containerOf(p.owner)} in pod ${p.info.name}_${namespace}`,
          count: p.info.restarts,
          lastSeen: t - 10_000,
        });
      }
      if (p.owner === 'tiendi-api' && !p.crashing && s.pool > 0.6) {
        events.push({
          type: 'Warning',
          reason: 'Unhealthy',
          object,
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          count: Math.max(1, Math.round(s.pool * 20)),
          lastSeen: t - 20_000,
        });
      }
    }
    for (const a of this.sim.actions()) {
      if (t - a.at > 60 * MINUTE_MS || a.at > t) continue;
      const object = a.kind === 'deletePod' ? `pod/${a.target}` : `deployment/${a.target}`;
      const message =
        a.kind === 'scale' ? `Scaled replica set of ${a.target} to ${a.replicas}` : a.kind === 'deletePod' ? `Stopping container (deleted by ${this.context})` : `${a.message}`;
      events.push({ type: 'Normal', reason: a.kind === 'deletePod' ? 'Killing' : 'ScalingReplicaSet', object, message, count: 1, lastSeen: a.at });
    }
    return events.sort((a, b) => a.lastSeen - b.lastSeen);
  }

  /** tiendi-api's HPA (CPU 70 %, 3–10 replicas); the demo's HPA reports, it does not scale. */
  async listHpas(namespace: string, signal?: AbortSignal): Promise<HpaInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    const t = this.now();
    const s = this.sim.at(t);
    const current = this.sim.deploymentsAt(t).find((d) => d.name === 'tiendi-api')?.replicas ?? 0;
    const utilization = Math.round(38 + 30 * s.traffic + 45 * s.pool);
    const desired = Math.min(10, Math.max(3, Math.ceil((current * utilization) / 70)));
    return [
      {
        name: 'tiendi-api',
        target: 'Deployment/tiendi-api',
        minReplicas: 3,
        maxReplicas: 10,
        currentReplicas: current,
        desiredReplicas: current === 0 ? 0 : desired,
        metrics: `cpu: ${current === 0 ? '<unknown>' : `${utilization}%`}/70%`,
      },
    ];
  }

  /** cert-manager's tiendi-tls; after a delete it is re-issued about 45 s (sim time) later. */
  async listCertificates(namespace: string, signal?: AbortSignal): Promise<CertificateInfo[]> {
    signal?.throwIfAborted();
    if (namespace !== DEMO_NAMESPACE) return [];
    const t = this.now();
    const deletedAt = this.deletedCertificates.get('tiendi-tls');
    if (deletedAt !== undefined && t < deletedAt + REISSUE_MS) {
      return [{ name: 'tiendi-tls', ready: false, notAfter: null, renewalTime: null, message: 'Issuing certificate as Secret does not exist' }];
    }
    const issued = deletedAt !== undefined ? deletedAt + REISSUE_MS : this.startedAt - 28 * DAY_MS;
    return [
      {
        name: 'tiendi-tls',
        ready: true,
        notAfter: issued + 90 * DAY_MS,
        renewalTime: issued + 60 * DAY_MS,
        message: 'Certificate is up to date and has not expired',
      },
    ];
  }

  async accessReview(review: { verb: string; group: string; resource: string; subresource?: string; namespace: string; name?: string }): Promise<AccessDecision> {
    return { allowed: true, reason: `demo: ${this.context} may ${review.verb} ${review.resource} in namespace ${review.namespace}` };
  }

  /**
   * `kubectl set resources`: records the container's new requests/limits and, like any pod template
   * change, rolls out new pods (through the simulation's rollout).
   */
  async setResources(
    namespace: string,
    deployment: string,
    resources: { limits?: Record<string, string>; requests?: Record<string, string> },
    opts: { dryRun: boolean; container?: string },
  ): Promise<string> {
    if (namespace !== DEMO_NAMESPACE) throw notFound(`namespaces "${namespace}"`, namespace);
    const d = this.sim.deploymentsAt(this.now()).find((x) => x.name === deployment);
    const current = this.resources[deployment];
    if (!d || !current) throw notFound(`deployments.apps "${deployment}"`, namespace);
    const container = containerOf(deployment);
    if (opts.container && opts.container !== container) {
      throw new GuardiaError('kubernetes.no-container', `deployment ${deployment} has no container "${opts.container}" (containers: ${container})`);
    }
    const changes: string[] = [];
    const next = structuredClone(current);
    for (const kind of ['limits', 'requests'] as const) {
      for (const [k, v] of Object.entries(resources[kind] ?? {})) {
        const value = normalizeQuantity(v);
        if (current[kind][k] === value) continue;
        changes.push(`${kind} ${k}=${value} (was ${current[kind][k] ?? 'unset'})`);
        next[kind][k] = value;
      }
    }
    if (Object.keys(resources.limits ?? {}).length + Object.keys(resources.requests ?? {}).length === 0) {
      throw new GuardiaError('kubernetes.bad-resources', 'you must specify an update to requests or limits (in the form of --limits/--requests)');
    }
    const message = `deployment.apps/${deployment} resource requirements ${changes.length ? 'updated' : 'unchanged'}`;
    if (opts.dryRun) {
      return `${message} (server dry run)${changes.length ? `: would set ${changes.join(', ')} on container ${container} and roll out ${d.replicas} new pods` : ''}`;
    }
    if (changes.length) {
      this.sim.apply({ kind: 'rolloutRestart', namespace, target: deployment }, false);
      this.resources[deployment] = next;
    }
    return message;
  }

  async deleteCertificate(namespace: string, name: string, opts: { dryRun: boolean }): Promise<string> {
    if (namespace !== DEMO_NAMESPACE || name !== 'tiendi-tls') throw notFound(`certificates.cert-manager.io "${name}"`, namespace);
    const t = this.now();
    const deletedAt = this.deletedCertificates.get(name);
    if (deletedAt !== undefined && t < deletedAt + REISSUE_MS) throw notFound(`certificates.cert-manager.io "${name}"`, namespace);
    const message = `certificate.cert-manager.io "${name}" deleted`;
    if (opts.dryRun) return `${message} (server dry run): cert-manager would issue a new certificate for tiendi.pe, www.tiendi.pe, api.tiendi.pe`;
    this.deletedCertificates.set(name, t);
    return message;
  }

  /** Requests and limits the demo's containers have now (for tests and the dry-run text). */
  resourcesOf(deployment: string): { limits: Record<string, string>; requests: Record<string, string> } | undefined {
    const r = this.resources[deployment];
    return r ? structuredClone(r) : undefined;
  }

  /** The last `n` lines at `step` intervals ending at t, oldest first (null lines are skipped). */
  private lines(n: number, t: number, step: number, line: (at: number, i: number) => string | null): string {
    const out: string[] = [];
    const last = Math.floor(t / step);
    for (let i = last; out.length < n && i > last - n * 2; i--) {
      const l = line(i * step, i);
      if (l !== null) out.push(l);
    }
    return out
      .reverse()
      .map((l) => `${l}\n`)
      .join('');
  }

  private appLine(owner: string, pod: string, at: number, i: number): string {
    const s = this.sim.at(at);
    const u = hashUnit(this.sim.noiseSeed, hashString(pod), i);
    const stamp = iso(at);
    if (owner === 'tiendi-api') {
      const endpoints = ['/api/products', '/api/cart', '/api/search', '/api/checkout', '/api/orders', '/api/payments'];
      const endpoint = endpoints[Math.floor(u * endpoints.length)]!;
      if (u < s.errorRate / 100) {
        return `${stamp} error: GET ${endpoint} 503 ${Math.round(5000 + 200 * u)}ms TimeoutError: ResourceRequest timed out acquiring a connection from the pool (DB_POOL_SIZE=30, waiting=${Math.round(10 + 40 * s.pool)})`;
      }
      if (i % 40 === 0) return `${stamp} info: memory: heap used ${(0.4 + 0.8 * s.pool + 0.1 * u).toFixed(2)} GB of 1.5 GB, rss ${(0.6 + 0.8 * s.pool).toFixed(2)} GB`;
      const ms = Math.round((s.p50 + (s.p95 - s.p50) * u * u) * 1000);
      return `${stamp} info: GET ${endpoint} 200 ${ms}ms`;
    }
    if (owner === 'tiendi-payment') {
      const gateway = 'niubiz';
      return u < s.paymentsErrorRate / 100
        ? `${stamp} error: payment ${Math.floor(u * 1e6)} failed: upstream tiendi-api timed out after 15000ms (gateway ${gateway})`
        : `${stamp} info: payment ${Math.floor(u * 1e6)} authorized by ${gateway} in ${Math.round(300 + 500 * u)}ms`;
    }
    if (owner === 'postgres') {
      return s.pool > 0.7 && u < 0.5
        ? `${stamp} LOG:  duration: ${Math.round(1200 + 4000 * u)}.117 ms  statement: SELECT * FROM products WHERE category_id = $1`
        : `${stamp} LOG:  checkpoint complete: wrote ${Math.round(40 + 200 * u)} buffers`;
    }
    if (owner === 'redis') return `${stamp} 1:M * ${Math.round(100 + 900 * u)} changes in 60 seconds. Saving...`;
    return `${stamp} info: GET / 200 ${Math.round(20 + 60 * u)}ms`;
  }

  private certManagerLine(at: number, i: number): string {
    const stamp = iso(at);
    const deletedAt = this.deletedCertificates.get('tiendi-tls');
    if (deletedAt !== undefined && at >= deletedAt && at < deletedAt + REISSUE_MS) {
      return `${stamp} I1130 controller.go:162] "cert-manager/certificates-issuing: issuing certificate" key="production/tiendi-tls" request="tiendi-tls-${(i % 7) + 1}"`;
    }
    return `${stamp} I1130 controller.go:162] "cert-manager/certificates-trigger: certificate does not require re-issuance, scheduling renewal" key="production/tiendi-tls"`;
  }
}
