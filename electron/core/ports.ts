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

/** An Alertmanager API v2 (one instance, or the demo). */
export interface AlertSource {
  readonly name: string;
  listAlerts(signal?: AbortSignal): Promise<GettableAlert[]>;
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
