import type { PlaybookSummary } from '../../../../shared/domain';

type Action = PlaybookSummary['actions'][number];

/** Same rule core applies to chosen values (a Kubernetes object name); core checks again. */
export const objectNamePattern = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** Parameters core names the target by, in its order (playbook-service `confirmTargetOf`). */
const targetParamOrder = ['deployment', 'pod', 'name', 'table', 'server', 'host', 'pid'];

/**
 * What the user must type to confirm. Usually core says (`confirmTarget`); when the target is a value
 * the user chooses (the runbook's `<pod-name>`), it is that value, so the name is typed twice on
 * purpose. Returns null while that value is still missing or invalid. Core re-checks either way.
 */
export function expectedConfirmation(action: Action, chosen: Readonly<Record<string, string>>): string | null {
  if (action.confirmTarget !== null) return action.confirmTarget;
  const names = action.choose.map((c) => c.name);
  const key = targetParamOrder.find((k) => names.includes(k)) ?? names[0];
  const value = key ? chosen[key]?.trim() : undefined;
  return value && objectNamePattern.test(value) ? value : null;
}

/** True when every chosen parameter has a valid value. */
export function paramsComplete(action: Action, chosen: Readonly<Record<string, string>>): boolean {
  return action.choose.every((c) => objectNamePattern.test(chosen[c.name]?.trim() ?? ''));
}
