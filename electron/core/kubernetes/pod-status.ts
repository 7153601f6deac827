import type { V1Container, V1Pod } from '@kubernetes/client-node';

/** The READY, STATUS and RESTARTS columns of `kubectl get pods` for one pod. */
export interface PodSummary {
  /** "1/1": ready containers / containers (restartable init containers, i.e. sidecars, included). */
  ready: string;
  /** kubectl's STATUS: the phase, or a more telling reason (CrashLoopBackOff, Init:0/1, Terminating, ...). */
  status: string;
  /** Restart count summed over containers, as kubectl sums it. */
  restarts: number;
  /** When the most recent restart ended (epoch ms), if any container restarted. */
  lastRestartAt?: number;
}

const time = (d: Date | string | undefined): number => (d === undefined ? 0 : new Date(d).getTime());

function isSidecar(c: V1Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/**
 * Computes kubectl's pod columns with the logic of printPod (k8s.io/kubernetes
 * pkg/printers/internalversion, v1.32): init containers first, then app containers from last to
 * first so the first container's waiting/terminated reason wins, "Completed" with a running container
 * becomes Running/NotReady, and a deletion timestamp reads Terminating.
 */
export function summarizePod(pod: V1Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let total = spec?.containers.length ?? 0;
  let readyCount = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase = status.phase ?? '';
  let reason = status.reason || phase;

  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map<string, V1Container>();
  for (const c of spec?.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isSidecar(c)) total++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount;
    const lastTerm = c.lastState?.terminated;
    if (lastTerm) lastRestart = Math.max(lastRestart, time(lastTerm.finishedAt));
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount;
      if (lastTerm) lastSidecarRestart = Math.max(lastSidecarRestart, time(lastTerm.finishedAt));
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyCount++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      const lastTerm = c.lastState?.terminated;
      if (lastTerm) lastRestart = Math.max(lastRestart, time(lastTerm.finishedAt));
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const summary: PodSummary = { ready: `${readyCount}/${total}`, status: reason, restarts };
  if (lastRestart > 0) summary.lastRestartAt = lastRestart;
  return summary;
}
