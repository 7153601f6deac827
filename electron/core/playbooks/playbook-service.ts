import type { PlaybookSummary } from '../../../shared/domain.js';
import type { Pack, PlaybookAction } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import type { Journal } from '../journal/journal.js';
import type { ClusterPort } from '../ports.js';

export interface ActContext {
  environment: { id: string; readOnly: boolean; production: boolean };
  actor: string;
  cluster: ClusterPort | null;
}

type Params = Record<string, string | number | boolean>;

/** A pack parameter written like the runbook's `<pod-name>`: the user picks its value at run time. */
const placeholder = /^<[a-z][a-z0-9-]*>$/;

/** Parameters the user must choose before an action can run. */
export function chosenParams(action: PlaybookAction): Array<{ name: string; placeholder: string }> {
  return Object.entries(action.target.params)
    .filter(([, v]) => typeof v === 'string' && placeholder.test(v))
    .map(([name, v]) => ({ name, placeholder: String(v) }));
}

/** The name a user must type to confirm an action: the object it changes. */
export function confirmTargetOf(action: PlaybookAction, params: Params = action.target.params): string | null {
  const name = params.deployment ?? params.pod ?? params.name ?? params.table ?? params.server ?? params.host;
  if (name === undefined) return action.target.system;
  return typeof name === 'string' && placeholder.test(name) ? null : String(name);
}

/** Kubernetes operations core can run today; other systems arrive with their connectors. */
const clusterOperations = new Set(['rollout.undo', 'rollout.restart', 'scale', 'set.env', 'pod.delete']);

/** Why an action cannot run here, or null when it can. */
export function unavailableReason(action: PlaybookAction, ctx: Omit<ActContext, 'actor'>): string | null {
  const { system, operation } = action.target;
  if (ctx.environment.readOnly) return `Environment "${ctx.environment.id}" is read-only`;
  if (system === 'manual') return 'A manual step: follow the runbook text';
  if (system !== 'kubernetes') return `Needs a ${system} connection, which this environment does not have`;
  if (!ctx.cluster) return 'No Kubernetes context is configured for this environment';
  if (!clusterOperations.has(operation)) return `Kubernetes operation "${operation}" is not supported yet`;
  return null;
}

/** Playbooks as the UI lists them, with each action's availability in this environment. */
export function summarizePlaybooks(pack: Pack, ctx: Omit<ActContext, 'actor'>): PlaybookSummary[] {
  return pack.playbooks.map((p) => ({
    id: p.id,
    title: p.title,
    section: p.section,
    alerts: p.alerts,
    diagnosis: p.diagnosis.map((s) => ({ id: s.id, title: s.title, command: s.command })),
    actions: p.actions.map((a) => {
      const reason = unavailableReason(a, ctx);
      return {
        id: a.id,
        title: a.title,
        command: a.command,
        destructive: a.destructive,
        confirmTarget: confirmTargetOf(a),
        choose: chosenParams(a),
        available: reason === null,
        unavailableReason: reason,
      };
    }),
  }));
}

/** The pack's parameters with the user's choices filled in; only placeholders may be chosen. */
function resolveParams(action: PlaybookAction, chosen: Record<string, string>): Params {
  const params: Params = { ...action.target.params };
  for (const name of Object.keys(chosen)) {
    if (!chosenParams(action).some((c) => c.name === name)) {
      throw new GuardiaError('playbooks.bad-param', `"${name}" of action "${action.id}" is fixed by the pack and cannot be changed`);
    }
  }
  for (const { name, placeholder: ph } of chosenParams(action)) {
    const value = chosen[name];
    if (!value) throw new GuardiaError('playbooks.missing-param', `Action "${action.id}" needs a value for ${name} (${ph})`);
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(value)) {
      throw new GuardiaError('playbooks.bad-param', `${name} must be a Kubernetes object name, got "${value}"`);
    }
    params[name] = value;
  }
  return params;
}

function str(params: Params, key: string, action: PlaybookAction): string {
  const v = params[key];
  if (v === undefined || v === '') {
    throw new GuardiaError('playbooks.bad-action', `Action "${action.id}" has no "${key}" parameter in the pack`);
  }
  return String(v);
}

/** The first line of a runbook command, for journal summaries. */
function commandLine(command: string): string {
  return command.replace(/\s*\\?\n\s*/g, ' ').trim();
}

/**
 * Runs one playbook action: refuses unavailable actions and a confirmation that does not name the
 * target, journals "started" before the call and the result after it, and never retries.
 */
export async function runAction(
  pack: Pack,
  journal: Journal,
  req: { playbookId: string; actionId: string; confirm: string; dryRun: boolean; params: Record<string, string> },
  ctx: ActContext,
): Promise<{ journalId: string; outcome: 'done' | 'dry-run'; message: string }> {
  const playbook = pack.playbooks.find((p) => p.id === req.playbookId);
  if (!playbook) {
    throw new GuardiaError('playbooks.unknown', `No playbook "${req.playbookId}" (playbooks: ${pack.playbooks.map((p) => p.id).join(', ')})`);
  }
  const action = playbook.actions.find((a) => a.id === req.actionId);
  if (!action) {
    throw new GuardiaError(
      'playbooks.unknown',
      `Playbook "${playbook.id}" has no action "${req.actionId}" (its actions: ${playbook.actions.map((a) => a.id).join(', ')})`,
    );
  }
  const reason = unavailableReason(action, ctx);
  if (reason) throw new GuardiaError(ctx.environment.readOnly ? 'playbooks.read-only' : 'playbooks.unavailable', reason);
  const params = resolveParams(action, req.params);
  const target = confirmTargetOf(action, params)!;
  if (req.confirm.trim() !== target) {
    throw new GuardiaError('playbooks.not-confirmed', `Type "${target}" to confirm "${commandLine(action.command)}"; got "${req.confirm}"`);
  }
  const call = clusterCall(action, params, ctx.cluster!, req.dryRun);
  const base = { actor: ctx.actor, environment: ctx.environment.id, source: `playbook:${playbook.id}` };
  const data = { playbookId: playbook.id, actionId: action.id, target, dryRun: req.dryRun, params };
  const started = await journal.append({
    ...base,
    kind: 'action.started',
    summary: `${req.dryRun ? 'Dry run' : 'Started'}: ${commandLine(action.command)}`,
    data: { ...data, command: action.command },
  });
  try {
    const message = await call();
    await journal.append({ ...base, kind: 'action.finished', summary: message, data: { ...data, startedId: started.id, outcome: 'ok' } });
    return { journalId: started.id, outcome: req.dryRun ? 'dry-run' : 'done', message };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await journal.append({
      ...base,
      kind: 'action.finished',
      summary: `Failed: ${message}`,
      data: { ...data, startedId: started.id, outcome: 'error' },
    });
    throw new GuardiaError('playbooks.action-failed', message);
  }
}

/** Binds a pack action to the Kubernetes port. */
function clusterCall(action: PlaybookAction, params: Params, cluster: ClusterPort, dryRun: boolean): () => Promise<string> {
  const ns = str(params, 'namespace', action);
  const opts = { dryRun };
  switch (action.target.operation) {
    case 'rollout.undo':
      return () => cluster.rolloutUndo(ns, str(params, 'deployment', action), opts);
    case 'rollout.restart':
      return () => cluster.rolloutRestart(ns, str(params, 'deployment', action), opts);
    case 'scale': {
      const replicas = Number(str(params, 'replicas', action));
      return () => cluster.scale(ns, str(params, 'deployment', action), replicas, opts);
    }
    case 'set.env':
      return () => cluster.setEnv(ns, str(params, 'deployment', action), { [str(params, 'name', action)]: str(params, 'value', action) }, opts);
    case 'pod.delete':
      return () => cluster.deletePod(ns, str(params, 'pod', action), opts);
    default:
      throw new GuardiaError('playbooks.unavailable', `Kubernetes operation "${action.target.operation}" is not supported yet`);
  }
}
