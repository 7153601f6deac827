import type { V1Node, V1Pod } from '@kubernetes/client-node';

/** A node as the guided AKS upgrade reads it: Ready condition, cordon state and kubelet version. */
export interface NodeInfo {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  kubeletVersion: string;
}

/** `kubectl get nodes` reduced to what the upgrade needs (Ready means condition Ready=True). */
export function nodeInfo(node: V1Node): NodeInfo {
  return {
    name: node.metadata?.name ?? '',
    ready: (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: node.spec?.unschedulable === true,
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
  };
}

/** kubectl drain's switches that Guardia honours (the runbook passes the first two). */
export interface DrainFlags {
  /** --ignore-daemonsets */
  ignoreDaemonSets: boolean;
  /** --delete-emptydir-data */
  deleteEmptyDirData: boolean;
  /** --force (never passed by the runbook: pods without a controller stop the drain). */
  force: boolean;
}

/** What kubectl drain decides for one pod before evicting anything. */
export type PodDecision =
  | { kind: 'evict'; warning?: string }
  | { kind: 'skip'; warning?: string }
  | { kind: 'error'; message: string }
  /** DaemonSet-managed: kubectl checks the DaemonSet exists before deciding. */
  | { kind: 'daemonset'; name: string };

const mirrorAnnotation = 'kubernetes.io/config.mirror';
const finished = (pod: V1Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const controllerOf = (pod: V1Pod) => pod.metadata?.ownerReferences?.find((r) => r.controller);

/**
 * kubectl's messages (k8s.io/kubectl/pkg/drain/filters.go), so the journal reads like kubectl's output;
 * a refusal prints as "cannot delete MESSAGE: ns/pod, ...".
 */
export const drainMessages = {
  daemonSetFatal: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)',
  daemonSetWarning: 'ignoring DaemonSet-managed Pods',
  localStorageFatal: 'Pods with local storage (use --delete-emptydir-data to override)',
  unmanagedFatal: 'Pods that declare no controller (use --force to override)',
  unmanagedWarning: 'deleting Pods that declare no controller',
} as const;

/**
 * kubectl drain's filters in kubectl's order (daemon sets, mirror pods, local storage, unreplicated):
 * the first that excludes the pod decides; for a pod that every filter lets through, the last
 * filter's status stands, as in kubectl (so "deleting Pods with local storage" is never shown).
 */
export function decidePod(pod: V1Pod, flags: DrainFlags): PodDecision {
  const owner = controllerOf(pod);
  if (owner?.kind === 'DaemonSet' && !finished(pod)) return { kind: 'daemonset', name: owner.name };
  return decideAfterDaemonSet(pod, flags);
}

function decideAfterDaemonSet(pod: V1Pod, flags: DrainFlags): PodDecision {
  if (pod.metadata?.annotations?.[mirrorAnnotation] !== undefined) return { kind: 'skip' };
  if (!finished(pod) && (pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !flags.deleteEmptyDirData) {
    return { kind: 'error', message: drainMessages.localStorageFatal };
  }
  if (!finished(pod) && !controllerOf(pod)) {
    if (!flags.force) return { kind: 'error', message: drainMessages.unmanagedFatal };
    return { kind: 'evict', warning: drainMessages.unmanagedWarning };
  }
  return { kind: 'evict' };
}

/** kubectl's aggregate: "cannot delete MESSAGE: ns/a, ns/b" per message, joined as kubectl joins errors. */
export function drainRefusal(errors: Array<{ pod: string; message: string }>): string {
  const byMessage = new Map<string, string[]>();
  for (const e of errors) byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), e.pod]);
  return [...byMessage].map(([message, pods]) => `cannot delete ${message}: ${pods.join(', ')}`).join(', ');
}
