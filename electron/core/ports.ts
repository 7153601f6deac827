/**
 * The interfaces core's services depend on. Real connectors (Prometheus, Alertmanager, Kubernetes,
 * keychain) and the embedded demo implement the same ports, so no service knows which it talks to.
 */

/** Time source. The demo runs a faster clock; tests use a manual one. */
export interface Clock {
  now(): number;
  /** Real-time delay (polling always runs in wall time, whatever the simulated clock does). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** One sample of an instant query. */
export interface Sample {
  labels: Record<string, string>;
  value: number | null;
}

/** One series of a range query: [epoch ms, value] oldest first. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[number, number | null]>;
}

export interface MetricsQuery {
  /** Stable id from the pack (e.g. "overview.rps"). */
  id: string;
  /** PromQL. */
  expr: string;
}

export interface QueryResult<T> {
  data: T;
  /** Non-fatal warnings from the backend (e.g. Thanos partial responses): shown, never dropped. */
  warnings: string[];
}

/** A Prometheus-compatible query API. */
export interface MetricsSource {
  readonly name: string;
  instant(query: MetricsQuery, at: number, signal?: AbortSignal): Promise<QueryResult<Sample[]>>;
  range(
    query: MetricsQuery,
    range: { start: number; end: number; stepSeconds: number },
    signal?: AbortSignal,
  ): Promise<QueryResult<RangeSeries[]>>;
}

/** An alert in Alertmanager API v2's GettableAlert shape (times as ISO strings). */
export interface GettableAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: Array<{ name: string }>;
}

/** A silence matcher in Alertmanager API v2's shape. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** A silence in Alertmanager API v2's GettableSilence shape. */
export interface GettableSilence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

/** An Alertmanager API v2 (one instance, or the demo). Silence methods are optional capabilities. */
export interface AlertSource {
  readonly name: string;
  listAlerts(signal?: AbortSignal): Promise<GettableAlert[]>;
  listSilences?(signal?: AbortSignal): Promise<GettableSilence[]>;
  /** Returns the new silence's id. */
  createSilence?(silence: { matchers: SilenceMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }): Promise<string>;
  expireSilence?(id: string): Promise<void>;
}

export interface PodInfo {
  namespace: string;
  name: string;
  phase: string;
  ready: string;
  restarts: number;
  createdAt: number;
  labels: Record<string, string>;
}

export interface DeploymentInfo {
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  revision: number;
  image: string;
  env: Record<string, string>;
}

export interface PodMetrics {
  namespace: string;
  name: string;
  /** millicores */
  cpuMillis: number;
  memoryBytes: number;
}

export interface RolloutRevision {
  revision: number;
  changeCause: string | null;
  image: string;
  createdAt: number;
}

export interface KubeEvent {
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  lastSeen: number;
}

export interface HpaInfo {
  name: string;
  target: string;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: string;
}

export interface CertificateInfo {
  name: string;
  ready: boolean;
  notAfter: number | null;
  renewalTime: number | null;
  message: string;
}

/** Whether the current credentials may do something (SelfSubjectAccessReview). */
export interface AccessDecision {
  allowed: boolean;
  reason: string;
}

/** The Kubernetes operations playbooks use; the real client and the demo cluster implement it. */
export interface ClusterPort {
  readonly context: string;
  listPods(namespace: string, signal?: AbortSignal): Promise<PodInfo[]>;
  listDeployments(namespace: string, signal?: AbortSignal): Promise<DeploymentInfo[]>;
  rolloutUndo(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string>;
  rolloutRestart(namespace: string, deployment: string, opts: { dryRun: boolean }): Promise<string>;
  scale(namespace: string, deployment: string, replicas: number, opts: { dryRun: boolean }): Promise<string>;
  setEnv(
    namespace: string,
    deployment: string,
    env: Record<string, string>,
    opts: { dryRun: boolean },
  ): Promise<string>;
  deletePod(namespace: string, pod: string, opts: { dryRun: boolean }): Promise<string>;
  // Reads and checks used by diagnosis steps and the safety gate (optional until each connector has them).
  podLogs?(namespace: string, target: { pod?: string; deployment?: string; container?: string; previous?: boolean; tailLines: number }, signal?: AbortSignal): Promise<string>;
  topPods?(namespace: string, signal?: AbortSignal): Promise<PodMetrics[]>;
  rolloutHistory?(namespace: string, deployment: string, signal?: AbortSignal): Promise<RolloutRevision[]>;
  listEvents?(namespace: string, signal?: AbortSignal): Promise<KubeEvent[]>;
  listHpas?(namespace: string, signal?: AbortSignal): Promise<HpaInfo[]>;
  listCertificates?(namespace: string, signal?: AbortSignal): Promise<CertificateInfo[]>;
  accessReview?(review: { verb: string; group: string; resource: string; subresource?: string; namespace: string; name?: string }): Promise<AccessDecision>;
  setResources?(namespace: string, deployment: string, resources: { limits?: Record<string, string>; requests?: Record<string, string> }, opts: { dryRun: boolean; container?: string }): Promise<string>;
  deleteCertificate?(namespace: string, name: string, opts: { dryRun: boolean }): Promise<string>;
}

/**
 * Connection secrets live in the OS keychain, never in config files. Every method fails with a clear
 * error when no keychain is available; there is no plaintext fallback.
 */
export interface SecretStore {
  get(name: string): Promise<string>;
  set(name: string, secret: string): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<string[]>;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
