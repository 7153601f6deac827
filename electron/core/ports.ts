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
  /** Prometheus `/api/v1/alerts`: firing and pending alerts as the rule evaluator sees them (optional). */
  listRuleAlerts?(signal?: AbortSignal): Promise<RuleAlert[]>;
  /** Prometheus `/api/v1/rules`: rule groups with each rule's health and last error (optional). */
  listRules?(signal?: AbortSignal): Promise<RuleGroup[]>;
}

/** An alert in Prometheus' `/api/v1/alerts` shape. */
export interface RuleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

/** A rule group in Prometheus' `/api/v1/rules` shape (the fields Guardia shows). */
export interface RuleGroup {
  name: string;
  file: string;
  rules: Array<{
    name: string;
    type: 'alerting' | 'recording';
    health: 'ok' | 'err' | 'unknown';
    lastError?: string;
    state?: 'pending' | 'firing' | 'inactive';
    query: string;
    duration?: number;
  }>;
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
  /** Requests and limits by container name (canonical quantities), for `set resources` previews. */
  resources?: Record<string, { limits: Record<string, string>; requests: Record<string, string> }>;
}

/** Where a command runs: a pod, or a pod of a deployment (`kubectl exec deploy/NAME`). */
export interface ExecTarget {
  pod?: string;
  deployment?: string;
  container?: string;
}

/** What a command run in a pod printed and how it ended. */
export interface ExecResult {
  pod: string;
  container: string;
  stdout: string;
  stderr: string;
  /** The command's exit code (0 on success). */
  exitCode: number;
  /** Why it ran where it ran, when that is not the pod the step names. */
  note: string | null;
}

export interface PodMetrics {
  namespace: string;
  name: string;
  /** millicores */
  cpuMillis: number;
  memoryBytes: number;
}

/** One row of `kubectl top nodes`: usage, and its share of the node's allocatable capacity. */
export interface NodeMetrics {
  name: string;
  cpuMillis: number;
  memoryBytes: number;
  /** Percent of allocatable, truncated as kubectl prints it; null when the node is not listed. */
  cpuPercent: number | null;
  memoryPercent: number | null;
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
  topNodes?(signal?: AbortSignal): Promise<NodeMetrics[]>;
  rolloutHistory?(namespace: string, deployment: string, signal?: AbortSignal): Promise<RolloutRevision[]>;
  listEvents?(namespace: string, signal?: AbortSignal): Promise<KubeEvent[]>;
  listHpas?(namespace: string, signal?: AbortSignal): Promise<HpaInfo[]>;
  listCertificates?(namespace: string, signal?: AbortSignal): Promise<CertificateInfo[]>;
  accessReview?(review: { verb: string; group: string; resource: string; subresource?: string; namespace: string; name?: string }): Promise<AccessDecision>;
  setResources?(namespace: string, deployment: string, resources: { limits?: Record<string, string>; requests?: Record<string, string> }, opts: { dryRun: boolean; container?: string }): Promise<string>;
  deleteCertificate?(namespace: string, name: string, opts: { dryRun: boolean }): Promise<string>;
  /**
   * Which pod and container `exec` runs in, changing nothing: `pod` when it exists, else (or without
   * one) a pod of `deployment` picked as `kubectl exec deploy/NAME` picks it; `note` says when it fell back.
   */
  execTarget?(namespace: string, target: ExecTarget, signal?: AbortSignal): Promise<{ pod: string; container: string; note: string | null }>;
  /** `kubectl exec` without TTY or stdin; resolves with the exit code (a non-zero one too), never retried. */
  exec?(namespace: string, target: ExecTarget, command: string[], opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ExecResult>;
  // Node operations for the guided AKS upgrade of runbook §8.2 (issue 7); optional until the connector has them.
  /** Nodes with their Ready condition; `pool` filters by the AKS label `agentpool` (kubernetes.azure.com/agentpool). */
  listNodes?(pool: string | null, signal?: AbortSignal): Promise<Array<{ name: string; ready: boolean; unschedulable: boolean; kubeletVersion: string }>>;
  /** `kubectl cordon` (true) / `kubectl uncordon` (false): patches spec.unschedulable. */
  cordonNode?(node: string, unschedulable: boolean): Promise<void>;
  /** `kubectl drain --ignore-daemonsets --delete-emptydir-data`: evicts the node's pods through the Eviction API (PDBs respected). */
  drainNode?(node: string, signal?: AbortSignal): Promise<string>;
}

/** One status-page update in the runbook's StatusUpdate shape (section 6.4). */
export interface StatusPageUpdate {
  component: string;
  status: 'operational' | 'degraded' | 'partial_outage' | 'major_outage';
  message: string;
  /** epoch ms */
  timestamp: number;
}

/**
 * A status-page provider (Statuspage-style REST). Optional: without one, an update is journaled and
 * handed back for the user to copy, never lost.
 */
export interface StatusPagePort {
  readonly name: string;
  /** Returns the provider's id of the posted update. */
  postUpdate(update: StatusPageUpdate, signal?: AbortSignal): Promise<string>;
}

/** A paging-system object named by id and its human name (user, service, escalation policy, schedule). */
export interface PagingRefData {
  id: string;
  name: string;
}

/** An incident as a paging system (PagerDuty or the demo) reports it; times in epoch ms. */
export interface PagingIncidentData {
  id: string;
  number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  service: PagingRefData;
  escalationPolicy: PagingRefData | null;
  assignees: PagingRefData[];
  createdAt: number;
  updatedAt: number;
  incidentKey: string | null;
  htmlUrl: string | null;
}

/** What to list: `mine` = assigned to the token's user. Empty filters mean "any". */
export interface PagingIncidentQuery {
  scope: 'mine' | 'all';
  statuses: Array<'triggered' | 'acknowledged' | 'resolved'>;
  urgencies: Array<'high' | 'low'>;
  serviceIds: string[];
  /** Stop after this many incidents (pages are fetched until then). */
  max: number;
}

/** One incident's outcome in a (bulk) change; "already acknowledged/resolved" is `already`, a success. */
export interface PagingOutcomeData {
  id: string;
  outcome: 'done' | 'already' | 'failed';
  message: string;
}

/** A log entry or note of an incident's timeline. */
export interface PagingTimelineData {
  id: string;
  time: number;
  kind: 'trigger' | 'acknowledge' | 'assign' | 'escalate' | 'notify' | 'snooze' | 'unacknowledge' | 'resolve' | 'note' | 'other';
  summary: string;
  agent: string | null;
}

/** Who holds an escalation level of a policy from `start` to `end` (null = open-ended). */
export interface PagingOnCallData {
  user: PagingRefData;
  level: number;
  escalationPolicy: PagingRefData;
  schedule: PagingRefData | null;
  start: number | null;
  end: number | null;
}

/**
 * A paging system: PagerDuty's REST API v2 (pagerduty/pagerduty-client.ts) or the demo's simulation.
 * Writes act as the configured user and never retry on their own; reads may back off and retry.
 */
export interface PagingPort {
  readonly name: string;
  me(signal?: AbortSignal): Promise<PagingRefData & { email: string }>;
  listIncidents(query: PagingIncidentQuery, signal?: AbortSignal): Promise<{ incidents: PagingIncidentData[]; more: boolean }>;
  getIncident(id: string, signal?: AbortSignal): Promise<PagingIncidentData>;
  acknowledge(ids: string[]): Promise<PagingOutcomeData[]>;
  resolve(ids: string[]): Promise<PagingOutcomeData[]>;
  reassign(ids: string[], to: { userId?: string; escalationPolicyId?: string }): Promise<PagingOutcomeData[]>;
  snooze(id: string, durationSeconds: number): Promise<PagingOutcomeData>;
  addNote(id: string, content: string): Promise<PagingOutcomeData>;
  /** Log entries and notes, oldest first. */
  timeline(id: string, signal?: AbortSignal): Promise<PagingTimelineData[]>;
  /** On-call spans overlapping [since, until]. */
  onCalls(window: { since: number; until: number }, signal?: AbortSignal): Promise<PagingOnCallData[]>;
  listEscalationPolicies(signal?: AbortSignal): Promise<PagingRefData[]>;
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
