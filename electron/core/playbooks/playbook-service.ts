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

/** The name a user must type to confirm an action: the object it changes. */
export function confirmTargetOf(action: PlaybookAction): string {
  const p = action.target.params;
  const name = p.deployment ?? p.pod ?? p.name ?? p.table ?? p.server ?? p.host ?? action.target.system;
  return String(name);
}

/** Playbooks as the UI lists them (no params that could hold anything sensitive). */
export function summarizePlaybooks(pack: Pack): PlaybookSummary[] {
  return pack.playbooks.map((p) => ({
    id: p.id,
    title: p.title,
    section: p.section,
    alerts: p.alerts,
    diagnosis: p.diagnosis.map((s) => ({ id: s.id, title: s.title, command: s.command })),
    actions: p.actions.map((a) => ({
      id: a.id,
      title: a.title,
      command: a.command,
      destructive: a.destructive,
      confirmTarget: confirmTargetOf(a),
    })),
  }));
}

function str(params: Record<string, unknown>, key: string, action: PlaybookAction): string {
  const v = params[key];
  if (v === undefined || v === '') {
    throw new GuardiaError('playbooks.bad-action', `Action "${action.id}" has no "${key}" parameter in the pack`);
  }
  return String(v);
}

/**
 * Runs one playbook action: refuses read-only environments and a confirmation that does not name the
 * target, journals "started" before the call and the result after it, and never retries.
 */
export async function runAction(
  pack: Pack,
  journal: Journal,
  req: { playbookId: string; actionId: string; confirm: string; dryRun: boolean },
  ctx: ActContext,
): Promise<{ journalId: string; outcome: 'done' | 'dry-run'; message: string }> {
  const playbook = pack.playbooks.find((p) => p.id === req.playbookId);
  if (!playbook) throw new GuardiaError('playbooks.unknown', `No playbook "${req.playbookId}"`);
  const action = playbook.actions.find((a) => a.id === req.actionId);
  if (!action) {
    throw new GuardiaError('playbooks.unknown', `Playbook "${playbook.id}" has no action "${req.actionId}"`);
  }
  if (ctx.environment.readOnly) {
    throw new GuardiaError('playbooks.read-only', `Environment "${ctx.environment.id}" is read-only: actions are disabled`);
  }
  const target = confirmTargetOf(action);
  if (req.confirm.trim() !== target) {
    throw new GuardiaError(
      'playbooks.not-confirmed',
      `Type "${target}" to confirm "${action.command.split('\n')[0]}"; got "${req.confirm}"`,
    );
  }
  const call = clusterCall(action, ctx.cluster, req.dryRun);
  const base = { actor: ctx.actor, environment: ctx.environment.id, source: `playbook:${playbook.id}` };
  const started = await journal.append({
    ...base,
    kind: 'action.started',
    summary: `${req.dryRun ? 'Dry run' : 'Started'}: ${action.command.split('\n')[0]}`,
    data: { playbookId: playbook.id, actionId: action.id, target, dryRun: req.dryRun, command: action.command },
  });
  try {
    const message = await call();
    await journal.append({
      ...base,
      kind: 'action.finished',
      summary: message,
      data: { playbookId: playbook.id, actionId: action.id, startedId: started.id, outcome: 'ok', dryRun: req.dryRun },
    });
    return { journalId: started.id, outcome: req.dryRun ? 'dry-run' : 'done', message };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await journal.append({
      ...base,
      kind: 'action.finished',
      summary: `Failed: ${message}`,
      data: { playbookId: playbook.id, actionId: action.id, startedId: started.id, outcome: 'error', dryRun: req.dryRun },
    });
    throw new GuardiaError('playbooks.action-failed', message);
  }
}

/** Binds a pack action to the Kubernetes port; other systems arrive with their connectors. */
function clusterCall(action: PlaybookAction, cluster: ClusterPort | null, dryRun: boolean): () => Promise<string> {
  const { system, operation, params } = action.target;
  if (system !== 'kubernetes') {
    throw new GuardiaError(
      'playbooks.unavailable',
      `"${action.id}" needs a ${system} connection, which this environment does not have`,
    );
  }
  if (!cluster) {
    throw new GuardiaError('playbooks.unavailable', 'No Kubernetes context is configured for this environment');
  }
  const ns = str(params, 'namespace', action);
  const opts = { dryRun };
  switch (operation) {
    case 'rollout.undo':
      return () => cluster.rolloutUndo(ns, str(params, 'deployment', action), opts);
    case 'rollout.restart':
      return () => cluster.rolloutRestart(ns, str(params, 'deployment', action), opts);
    case 'scale': {
      const replicas = Number(str(params, 'replicas', action));
      return () => cluster.scale(ns, str(params, 'deployment', action), replicas, opts);
    }
    case 'set.env':
      return () =>
        cluster.setEnv(ns, str(params, 'deployment', action), { [str(params, 'name', action)]: str(params, 'value', action) }, opts);
    case 'pod.delete':
      return () => cluster.deletePod(ns, str(params, 'pod', action), opts);
    default:
      throw new GuardiaError('playbooks.unavailable', `Kubernetes operation "${operation}" is not supported yet`);
  }
}
