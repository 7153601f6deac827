import { randomUUID } from 'node:crypto';
import type { ActionPreview, DiagnosisRun, StepResult, UnfinishedAction } from '../../../shared/diagnosis.js';
import type { JournalEntry, PlaybookSummary } from '../../../shared/domain.js';
import type { Pack, Playbook, PlaybookAction, PlaybookStep } from '../../../shared/pack.js';
import { GuardiaError } from '../../../shared/result.js';
import { say, type Said, type SaidRef } from '../../../shared/said.js';
import type { Journal } from '../journal/journal.js';
import type { AccessDecision } from '../ports.js';
import { UnsupportedStepError, type StepParams, type StepRunner, type StepSystem } from './step-runner.js';

/** Where an action runs and who runs it. */
export interface ActContext {
  environment: { id: string; readOnly: boolean; production: boolean };
  actor: string;
}

/** A pack parameter written like the runbook's `<pod-name>`: the user picks its value at run time. */
const placeholder = /^<[a-z][a-z0-9-]*>$/;

/** Parameters the user must choose before a step or action can run. */
export function chosenParams(step: PlaybookStep): Array<{ name: string; placeholder: string }> {
  return Object.entries(step.target.params)
    .filter(([, v]) => typeof v === 'string' && placeholder.test(v))
    .map(([name, v]) => ({ name, placeholder: String(v) }));
}

/** Parameters a target is named by, in order (the renderer's action-target.ts mirrors it). */
const targetKeys = ['deployment', 'pod', 'name', 'table', 'server', 'host', 'pid'] as const;

/** The name a user must type to confirm an action: the object it changes. */
export function confirmTargetOf(action: PlaybookAction, params: StepParams = action.target.params): string | null {
  const key = targetKeys.find((k) => params[k] !== undefined);
  if (key === undefined) return action.target.system;
  const name = params[key];
  return typeof name === 'string' && placeholder.test(name) ? null : String(name);
}

/** Seconds the faces wait, cancellable, between confirmation and sending an action (Headlamp's window). */
export const cancelWindowSeconds = 5;
/** A diagnosis step that takes longer is reported as timed out; the others still show. */
export const defaultStepTimeoutMs = 15_000;

/** The pack's parameters with the user's choices filled in; only placeholders may be chosen. */
function resolveParams(step: PlaybookStep, chosen: Record<string, string>, strict: boolean): { params: StepParams; missing: string[] } {
  const params: StepParams = { ...step.target.params };
  const open = chosenParams(step);
  if (strict) {
    for (const name of Object.keys(chosen)) {
      if (!open.some((c) => c.name === name)) {
        throw new GuardiaError('playbooks.bad-param', `"${name}" of "${step.id}" is fixed by the pack and cannot be changed`);
      }
    }
  }
  const missing: string[] = [];
  for (const { name, placeholder: ph } of open) {
    const value = chosen[name];
    if (!value) {
      missing.push(`${name} (${ph})`);
      continue;
    }
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(value)) {
      throw new GuardiaError('playbooks.bad-param', `${name} must be a Kubernetes object name or a number, got "${value}"`);
    }
    params[name] = value;
  }
  return { params, missing };
}

/** A runbook command on one line, for journal summaries. */
function commandLine(command: string): string {
  return command.replace(/\s*\\?\n\s*/g, ' ').trim();
}

function timeoutAfter(ms: number, signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new GuardiaError('playbooks.step-timeout', `no answer within ${ms / 1000} s`)), ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

/**
 * The playbook engine: runners keyed by `system` (kubernetes, postgres, redis, tls, http, azure,
 * manual) do the work; the engine runs diagnosis steps in parallel with a per-step timeout, previews
 * actions (RBAC, dry run, diff, affected rows), and runs them behind the typed confirmation, journaled
 * before and after and never retried.
 */
export class PlaybookEngine {
  private readonly runners = new Map<StepSystem, StepRunner>();

  constructor(
    private readonly pack: Pack,
    private readonly journal: Journal,
    private readonly ctx: ActContext,
    private readonly opts: { now: () => number; stepTimeoutMs?: number; onStep?: (e: { runId: string; playbookId: string; step: StepResult | null; done: boolean }) => void },
  ) {}

  /** Adds (or replaces) the runner of one system. Modules call this through CoreDeps.stepRunners. */
  register(runner: StepRunner): void {
    this.runners.set(runner.system, runner);
  }

  runner(system: StepSystem): StepRunner | undefined {
    return this.runners.get(system);
  }

  private playbook(id: string): Playbook {
    const p = this.pack.playbooks.find((x) => x.id === id);
    if (!p) throw new GuardiaError('playbooks.unknown', `No playbook "${id}" (playbooks: ${this.pack.playbooks.map((x) => x.id).join(', ')})`);
    return p;
  }

  private action(playbook: Playbook, id: string): PlaybookAction {
    const a = playbook.actions.find((x) => x.id === id);
    if (!a) throw new GuardiaError('playbooks.unknown', `Playbook "${playbook.id}" has no action "${id}" (its actions: ${playbook.actions.map((x) => x.id).join(', ')})`);
    return a;
  }

  /** Why an action cannot run here (before asking RBAC), or null when it can; `ref` when Guardia wrote it. */
  unavailableReason(action: PlaybookAction): { text: string; ref?: SaidRef } | null {
    const { system, operation } = action.target;
    if (this.ctx.environment.readOnly) return say('gate.readOnly', { env: this.ctx.environment.id });
    if (system === 'manual') return say('gate.manual');
    const runner = this.runners.get(system);
    if (!runner) return say('gate.noConnection', { system });
    const reason = runner.unavailable(operation);
    return reason === null ? null : { text: reason };
  }

  /** Playbooks as the UI lists them: each action's availability, RBAC included (denied ⇒ disabled with the reason). */
  async summarize(): Promise<PlaybookSummary[]> {
    const reviews = new Map<string, Promise<AccessDecision | null>>();
    const review = (a: PlaybookAction): Promise<AccessDecision | null> => {
      const runner = this.runners.get(a.target.system);
      if (!runner?.access) return Promise.resolve(null);
      const key = JSON.stringify([a.target.system, a.target.operation, a.target.params]);
      let p = reviews.get(key);
      if (!p) {
        p = Promise.race([runner.access(a.target.operation, a.target.params), timeoutAfter(5_000, AbortSignal.timeout(6_000))]).catch(() => null);
        reviews.set(key, p);
      }
      return p;
    };
    return Promise.all(
      this.pack.playbooks.map(async (p) => ({
        id: p.id,
        title: p.title,
        section: p.section,
        alerts: p.alerts,
        diagnosis: p.diagnosis.map((s) => ({ id: s.id, title: s.title, command: s.command })),
        actions: await Promise.all(
          p.actions.map(async (a) => {
            let reason = this.unavailableReason(a);
            if (reason === null) {
              const decision = await review(a);
              if (decision && !decision.allowed) reason = say('gate.rbacDenied', { reason: decision.reason });
            }
            return {
              id: a.id,
              title: a.title,
              command: a.command,
              destructive: a.destructive,
              confirmTarget: confirmTargetOf(a),
              choose: chosenParams(a),
              available: reason === null,
              unavailableReason: reason?.text ?? null,
              ...(reason?.ref ? { unavailableSaid: reason.ref } : {}),
            };
          }),
        ),
      })),
    );
  }

  /** Actions journaled as started without a finish in this environment: "started, result unknown". */
  async unfinished(): Promise<UnfinishedAction[]> {
    const { entries } = await this.journal.readAll();
    const finished = new Set(entries.filter((e) => e.kind === 'action.finished').map((e) => String(e.data.startedId ?? '')));
    return entries
      .filter((e: JournalEntry) => e.kind === 'action.started' && e.environment === this.ctx.environment.id && !finished.has(e.id))
      .map((e) => ({
        journalId: e.id,
        time: e.time,
        playbookId: String(e.data.playbookId ?? ''),
        actionId: String(e.data.actionId ?? ''),
        target: String(e.data.target ?? ''),
        summary: e.summary,
      }));
  }

  /**
   * Runs every read-only step of a playbook at once. Each result is pushed as it arrives; a failing or
   * slow step never hides the others. The run is summarized into the journal.
   */
  async diagnose(req: { playbookId: string; params: Record<string, string> }): Promise<DiagnosisRun> {
    const playbook = this.playbook(req.playbookId);
    const runId = randomUUID();
    const startedAt = this.opts.now();
    const t0 = performance.now();
    const steps = await Promise.all(
      playbook.diagnosis.map(async (step) => {
        const result = await this.runStep(step, req.params);
        this.opts.onStep?.({ runId, playbookId: playbook.id, step: result, done: false });
        return result;
      }),
    );
    const finishedAt = this.opts.now();
    const ok = steps.filter((s) => s.status === 'ok').length;
    let journalId: string | null = null;
    try {
      const entry = await this.journal.append({
        actor: this.ctx.actor,
        environment: this.ctx.environment.id,
        source: `playbook:${playbook.id}`,
        kind: 'note',
        summary: `Diagnosis "${playbook.title.en}": ${ok}/${steps.length} steps ok — ${steps.map((s) => `${s.stepId}: ${s.summary}`).join('; ')}`.slice(0, 2000),
        data: { diagnosis: true, runId, playbookId: playbook.id, steps: steps.map((s) => ({ stepId: s.stepId, status: s.status, summary: s.summary })) },
      });
      journalId = entry.id;
    } catch {
      // The results still reach the user; a journal failure is not a reason to hide them.
    }
    this.opts.onStep?.({ runId, playbookId: playbook.id, step: null, done: true });
    return { runId, playbookId: playbook.id, startedAt, finishedAt, durationMs: Math.round(performance.now() - t0), steps, journalId };
  }

  private async runStep(step: PlaybookStep, chosen: Record<string, string>): Promise<StepResult> {
    const startedAt = this.opts.now();
    const t0 = performance.now();
    const base = { stepId: step.id, system: step.target.system, command: step.command, startedAt };
    const done = (status: StepResult['status'], summary: string | Said, output: StepResult['output'] = { kind: 'none' }): StepResult => ({
      ...base,
      status,
      durationMs: Math.round(performance.now() - t0),
      ...(typeof summary === 'string' ? { summary } : { summary: summary.text, summarySaid: summary.ref }),
      output,
    });
    let resolved: ReturnType<typeof resolveParams>;
    try {
      resolved = resolveParams(step, chosen, false);
    } catch (error) {
      return done('error', (error as Error).message);
    }
    if (resolved.missing.length) return done('needs-input', say('gate.chooseToRun', { params: resolved.missing.join(', ') }));
    const runner = this.runners.get(step.target.system);
    if (step.target.system === 'manual' || !runner) {
      if (step.target.system === 'manual') {
        const r = runner ? await runner.read(step.target.operation, resolved.params, AbortSignal.timeout(1000)).catch(() => null) : null;
        return done('manual', say('gate.manualStep'), r?.output ?? { kind: 'none' });
      }
      return done('unsupported', say('gate.noConnection', { system: step.target.system }));
    }
    const controller = new AbortController();
    const timeoutMs = this.opts.stepTimeoutMs ?? defaultStepTimeoutMs;
    try {
      const r = await Promise.race([runner.read(step.target.operation, resolved.params, controller.signal), timeoutAfter(timeoutMs, controller.signal)]);
      return done('ok', r.summarySaid ? { text: r.summary, ref: r.summarySaid } : r.summary, r.output);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (error instanceof UnsupportedStepError) return done('unsupported', message);
      if (error instanceof GuardiaError && error.code === 'playbooks.step-timeout') return done('timeout', `Timed out: ${message}`);
      if (error instanceof GuardiaError && error.code === 'playbooks.no-connection') return done('unsupported', message);
      return done('error', message);
    } finally {
      controller.abort();
    }
  }

  /** Everything the confirmation shows, changing nothing: where, RBAC, dry run, diff, affected rows. */
  async preview(req: { playbookId: string; actionId: string; params: Record<string, string> }): Promise<ActionPreview> {
    const playbook = this.playbook(req.playbookId);
    const action = this.action(playbook, req.actionId);
    const { params, missing } = resolveParams(action, req.params, true);
    const env = this.ctx.environment;
    const common = {
      playbookId: playbook.id,
      actionId: action.id,
      system: action.target.system,
      environment: env.id,
      production: env.production,
      cancelWindowSeconds,
    };
    const reason = this.unavailableReason(action);
    const fallbackObject = confirmTargetOf(action, params) ?? action.target.system;
    const empty = { access: null, dryRun: null, diff: [], affected: null };
    if (reason) return { ...common, ...empty, where: { context: null, namespace: null, object: fallbackObject }, blocked: reason.text, ...(reason.ref ? { blockedSaid: reason.ref } : {}) };
    if (missing.length) {
      const choose = say('gate.chooseFirst', { params: missing.join(', ') });
      return { ...common, ...empty, where: { context: null, namespace: null, object: fallbackObject }, blocked: choose.text, blockedSaid: choose.ref };
    }
    const runner = this.runners.get(action.target.system)!;
    try {
      const p = await runner.preview(action.target.operation, params);
      return {
        ...common,
        where: { context: p.context, namespace: p.namespace, object: p.object },
        access: p.access ?? null,
        dryRun: p.dryRun ?? null,
        diff: p.diff ?? [],
        affected: p.affected ?? null,
        blocked: p.blocked ?? null,
        ...(p.blockedSaid ? { blockedSaid: p.blockedSaid } : {}),
      };
    } catch (error) {
      return { ...common, ...empty, where: { context: null, namespace: null, object: fallbackObject }, blocked: (error as Error).message };
    }
  }

  /**
   * Runs one action: refuses unavailable actions and a confirmation that does not name the target,
   * re-checks the gate (RBAC, dry run) just before, journals "started" before the call and the result
   * after it, and never retries.
   */
  async act(req: { playbookId: string; actionId: string; confirm: string; dryRun: boolean; params: Record<string, string>; expectObject?: string }): Promise<{ journalId: string; outcome: 'done' | 'dry-run'; message: string }> {
    const playbook = this.playbook(req.playbookId);
    const action = this.action(playbook, req.actionId);
    const reason = this.unavailableReason(action);
    if (reason) throw new GuardiaError(this.ctx.environment.readOnly ? 'playbooks.read-only' : 'playbooks.unavailable', reason.text);
    const resolved = resolveParams(action, req.params, true);
    if (resolved.missing.length) throw new GuardiaError('playbooks.missing-param', `Action "${action.id}" needs a value for ${resolved.missing.join(', ')}`);
    let params = resolved.params;
    const target = confirmTargetOf(action, params)!;
    if (req.confirm.trim() !== target) {
      throw new GuardiaError('playbooks.not-confirmed', `Type "${target}" to confirm "${commandLine(action.command)}"; got "${req.confirm}"`);
    }
    const runner = this.runners.get(action.target.system)!;
    const pinned = runner.pin ? await runner.pin(action.target.operation, params) : null;
    if (pinned) {
      if (req.expectObject !== undefined && pinned.object !== req.expectObject) {
        throw new GuardiaError(
          'playbooks.target-changed',
          `Not sent: the confirmation showed ${req.expectObject}, but it would now run on ${pinned.object} (the pods changed). Review it again.`,
        );
      }
      params = pinned.params;
    }
    if (!req.dryRun) {
      const decision = runner.access ? await runner.access(action.target.operation, params).catch(() => null) : null;
      if (decision && !decision.allowed) throw new GuardiaError('playbooks.forbidden', `Not allowed by RBAC: ${decision.reason}`);
      if (action.target.system === 'kubernetes') {
        try {
          await runner.write(action.target.operation, params, { dryRun: true });
        } catch (error) {
          throw new GuardiaError('playbooks.dry-run-failed', `The server-side dry run failed, so the action was not sent: ${(error as Error).message}`);
        }
      }
    }
    const base = { actor: this.ctx.actor, environment: this.ctx.environment.id, source: `playbook:${playbook.id}` };
    const data = { playbookId: playbook.id, actionId: action.id, target, dryRun: req.dryRun, params };
    const started = await this.journal.append({
      ...base,
      kind: 'action.started',
      summary: `${req.dryRun ? 'Dry run' : 'Started'}: ${commandLine(action.command)}`,
      data: { ...data, command: action.command },
    });
    try {
      const message = await runner.write(action.target.operation, params, { dryRun: req.dryRun });
      await this.journal.append({ ...base, kind: 'action.finished', summary: message, data: { ...data, startedId: started.id, outcome: 'ok' } });
      return { journalId: started.id, outcome: req.dryRun ? 'dry-run' : 'done', message };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.journal.append({ ...base, kind: 'action.finished', summary: `Failed: ${message}`, data: { ...data, startedId: started.id, outcome: 'error' } });
      throw new GuardiaError('playbooks.action-failed', message);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.runners.values()].map((r) => r.close?.()));
  }
}
