import type { DiffLine } from '../../../shared/diagnosis.js';
import { GuardiaError } from '../../../shared/result.js';
import { say } from '../../../shared/said.js';
import type { AccessDecision, ClusterPort } from '../ports.js';
import { param, reading, table, UnsupportedStepError, type PreviewParts, type StepParams, type StepReading, type StepRunner } from './step-runner.js';

/** kubectl's age column: 45s, 12m, 3h, 5d. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** The RBAC question each write asks before it is offered (kubectl's verbs and resources). */
const accessOf: Record<string, { verb: string; group: string; resource: string; subresource?: string; nameKey: string }> = {
  scale: { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', nameKey: 'deployment' },
  'rollout.undo': { verb: 'patch', group: 'apps', resource: 'deployments', nameKey: 'deployment' },
  'rollout.restart': { verb: 'patch', group: 'apps', resource: 'deployments', nameKey: 'deployment' },
  'set.env': { verb: 'patch', group: 'apps', resource: 'deployments', nameKey: 'deployment' },
  'set.resources': { verb: 'patch', group: 'apps', resource: 'deployments', nameKey: 'deployment' },
  'pod.delete': { verb: 'delete', group: '', resource: 'pods', nameKey: 'pod' },
  'certificate.delete': { verb: 'delete', group: 'cert-manager.io', resource: 'certificates', nameKey: 'name' },
  'exec.script': { verb: 'create', group: '', resource: 'pods', subresource: 'exec', nameKey: 'pod' },
};

/** The command of an `exec.script` step as argv: split on whitespace, run without a shell (no quotes, pipes or $VARS). */
function execCommand(params: StepParams): string[] {
  const command = String(param(params, 'command', 'exec.script')).trim().split(/\s+/);
  if (command.length === 0 || command[0] === '') throw new GuardiaError('playbooks.bad-param', 'exec.script needs a command');
  return command;
}

function execTargetOf(params: StepParams): { pod?: string; deployment?: string; container?: string } {
  const text = (key: string) => (params[key] === undefined ? undefined : String(params[key]));
  return { pod: text('pod'), deployment: text('deployment'), container: text('container') };
}

/** The last lines of a command's output, for the journal and the result shown. */
function outputTail(stdout: string, stderr: string): string {
  const lines = `${stdout}${stdout && stderr ? '\n' : ''}${stderr}`.trimEnd().split('\n');
  return lines.slice(-20).join('\n');
}

/** Reads the engine may also offer as an "action" (the runbook lists `kubectl logs` among solutions). */
const readOps = new Set(['pods.list', 'logs.tail', 'top.pods', 'rollout.history', 'certificate.get', 'events.list', 'hpa.list']);

function grepFilter(params: StepParams): (line: string) => boolean {
  const g = params.grep;
  if (g === undefined || g === '') return () => true;
  // The runbook's `grep -i "heap\|memory"`: alternatives, case-insensitive, matched as plain text.
  const parts = String(g).split('|').map((p) => p.toLowerCase());
  return (line) => parts.some((p) => line.toLowerCase().includes(p));
}

/**
 * The `kubernetes` system of playbooks over the ClusterPort. Optional port calls a connector lacks are
 * reported as "not supported by this connector"; the safety gate asks the port for a
 * SelfSubjectAccessReview and a server-side dry run, and computes the diff shown before confirming.
 */
export class KubernetesRunner implements StepRunner {
  readonly system = 'kubernetes' as const;

  constructor(
    private readonly cluster: ClusterPort | null,
    private readonly now: () => number,
  ) {}

  private port(): ClusterPort {
    if (!this.cluster) throw new GuardiaError('playbooks.no-connection', 'No Kubernetes context is configured for this environment');
    return this.cluster;
  }

  unavailable(operation: string): string | null {
    if (!this.cluster) return 'No Kubernetes context is configured for this environment';
    const c = this.cluster;
    const needs: Record<string, unknown> = {
      'pods.list': c.listPods,
      'logs.tail': c.podLogs,
      'top.pods': c.topPods,
      'rollout.history': c.rolloutHistory,
      'certificate.get': c.listCertificates,
      'events.list': c.listEvents,
      'hpa.list': c.listHpas,
      'rollout.undo': c.rolloutUndo,
      'rollout.restart': c.rolloutRestart,
      scale: c.scale,
      'set.env': c.setEnv,
      'pod.delete': c.deletePod,
      'set.resources': c.setResources,
      'certificate.delete': c.deleteCertificate,
      'exec.script': c.exec,
    };
    if (!(operation in needs)) return `Kubernetes operation "${operation}" is not supported by this connector`;
    if (typeof needs[operation] !== 'function') return `Kubernetes operation "${operation}" is not supported by this connector (${c.context})`;
    return null;
  }

  async read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading> {
    const c = this.port();
    const ns = param(params, 'namespace', operation);
    const unsupported = this.unavailable(operation);
    if (unsupported) throw new UnsupportedStepError(`Kubernetes operation "${operation}"`, c.context);
    const keep = grepFilter(params);
    switch (operation) {
      case 'pods.list': {
        const pods = (await c.listPods(ns, signal)).filter((p) => keep(`${p.name} ${p.phase}`));
        const rows = pods.map((p) => ({ NAME: p.name, READY: p.ready, STATUS: p.phase, RESTARTS: p.restarts, AGE: age(this.now() - p.createdAt) }));
        const bad = pods.filter((p) => p.phase !== 'Running' || !/^(\d+)\/\1$/.test(p.ready)).length;
        return reading(table(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], rows), bad ? say('diag.pods.notReady', { count: pods.length, bad }) : say('diag.pods.ready', { count: pods.length }));
      }
      case 'logs.tail': {
        const tailLines = Number(params.tail ?? 100);
        const target = { pod: params.pod as string | undefined, deployment: params.deployment as string | undefined, container: params.container as string | undefined, previous: params.previous === true, tailLines };
        const text = await c.podLogs!(ns, target, signal);
        const lines = text.split('\n').filter((l) => l !== '' && keep(l));
        const errors = lines.filter((l) => /error|fatal|exception|timeout/i.test(l)).length;
        return reading({ kind: 'text', text: lines.join('\n'), note: null }, errors ? say('diag.logsErrors', { count: lines.length, errors }) : say('diag.logs', { count: lines.length }));
      }
      case 'top.pods': {
        let pods = (await c.topPods!(ns, signal)).filter((p) => keep(p.name));
        if (params.sortBy === 'memory') pods = [...pods].sort((a, b) => b.memoryBytes - a.memoryBytes);
        if (params.sortBy === 'cpu') pods = [...pods].sort((a, b) => b.cpuMillis - a.cpuMillis);
        const rows = pods.map((p) => ({ NAME: p.name, 'CPU(cores)': `${p.cpuMillis}m`, 'MEMORY(bytes)': `${Math.round(p.memoryBytes / 1048576)}Mi` }));
        const top = [...pods].sort((a, b) => b.memoryBytes - a.memoryBytes)[0];
        return reading(
          table(['NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows),
          top ? say('diag.top', { count: pods.length, pod: top.name, memory: `${Math.round(top.memoryBytes / 1048576)}Mi` }) : say('diag.topNone'),
        );
      }
      case 'rollout.history': {
        const dep = param(params, 'deployment', operation);
        const revs = await c.rolloutHistory!(ns, dep, signal);
        const rows = revs.map((r) => ({ REVISION: r.revision, 'CHANGE-CAUSE': r.changeCause ?? '<none>', IMAGE: r.image, AGE: age(this.now() - r.createdAt) }));
        const last = revs[revs.length - 1];
        return reading(
          table(['REVISION', 'CHANGE-CAUSE', 'IMAGE', 'AGE'], rows),
          last ? say('diag.rollout', { revision: last.revision, image: last.image, age: age(this.now() - last.createdAt) }) : say('diag.rolloutNone'),
        );
      }
      case 'certificate.get': {
        const certs = await c.listCertificates!(ns, signal);
        const rows = certs.map((x) => ({ NAME: x.name, READY: x.ready ? 'True' : 'False', 'NOT AFTER': x.notAfter ? new Date(x.notAfter).toISOString() : null, RENEWAL: x.renewalTime ? new Date(x.renewalTime).toISOString() : null, MESSAGE: x.message }));
        const wanted = params.name ? certs.find((x) => x.name === String(params.name)) : undefined;
        const days = wanted?.notAfter ? Math.floor((wanted.notAfter - this.now()) / 86_400_000) : null;
        const summary = !params.name
          ? say('diag.certs', { count: certs.length })
          : !wanted
            ? say('diag.certMissing', { name: String(params.name), namespace: ns })
            : days === null
              ? say(wanted.ready ? 'diag.certReady' : 'diag.certNotReady', { name: wanted.name })
              : say(wanted.ready ? 'diag.certReadyExpires' : 'diag.certNotReadyExpires', { name: wanted.name, days });
        return reading(table(['NAME', 'READY', 'NOT AFTER', 'RENEWAL', 'MESSAGE'], rows), summary);
      }
      case 'events.list': {
        const events = await c.listEvents!(ns, signal);
        const rows = events.map((e) => ({ 'LAST SEEN': age(this.now() - e.lastSeen), TYPE: e.type, REASON: e.reason, OBJECT: e.object, MESSAGE: e.message }));
        return reading(table(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], rows), say('diag.events', { count: events.length, warnings: events.filter((e) => e.type === 'Warning').length }));
      }
      case 'hpa.list': {
        const hpas = await c.listHpas!(ns, signal);
        const rows = hpas.map((h) => ({ NAME: h.name, REFERENCE: h.target, TARGETS: h.metrics, MINPODS: h.minReplicas, MAXPODS: h.maxReplicas, REPLICAS: h.currentReplicas }));
        return reading(table(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS'], rows), say('diag.hpas', { count: hpas.length }));
      }
      default:
        throw new UnsupportedStepError(`Kubernetes "${operation}"`);
    }
  }

  async access(operation: string, params: StepParams): Promise<AccessDecision | null> {
    const c = this.cluster;
    const spec = accessOf[operation];
    if (!c || !spec || !c.accessReview) return null;
    const ns = String(params.namespace ?? '');
    const name = params[spec.nameKey];
    return c.accessReview({
      verb: spec.verb,
      group: spec.group,
      resource: spec.resource,
      subresource: spec.subresource,
      namespace: ns,
      name: typeof name === 'string' && !name.startsWith('<') ? name : undefined,
    });
  }

  async preview(operation: string, params: StepParams): Promise<PreviewParts> {
    const c = this.port();
    const ns = param(params, 'namespace', operation);
    const spec = accessOf[operation];
    const object = spec ? `${spec.resource.replace(/s$/, '')}/${String(params[spec.nameKey] ?? '?')}` : operation;
    const base = { context: c.context, namespace: ns, object };
    if (readOps.has(operation)) return { ...base, dryRun: null, diff: [] };
    let access: AccessDecision | null = null;
    try {
      access = await this.access(operation, params);
    } catch (error) {
      access = { allowed: false, reason: `the access review failed: ${(error as Error).message}` };
    }
    if (access && !access.allowed) {
      const denied = say('gate.notAllowed', { reason: access.reason });
      return { ...base, access, blocked: denied.text, blockedSaid: denied.ref };
    }
    if (operation === 'exec.script') return this.previewExec(params, base, access);
    let before: DiffLine[] = [];
    try {
      before = await this.predictDiff(operation, params);
    } catch {
      // The diff is a courtesy; the dry run below decides whether the action can run.
    }
    try {
      const message = await this.write(operation, params, { dryRun: true });
      return { ...base, access, dryRun: { ok: true, message }, diff: before };
    } catch (error) {
      const message = (error as Error).message;
      const failed = say('gate.dryRunFailed', { message });
      return { ...base, access, dryRun: { ok: false, message }, diff: before, blocked: failed.text, blockedSaid: failed.ref };
    }
  }

  async pin(operation: string, params: StepParams): Promise<{ object: string; params: StepParams } | null> {
    if (operation !== 'exec.script') return null;
    const c = this.port();
    if (!c.execTarget) return null;
    const where = await c.execTarget(param(params, 'namespace', operation), execTargetOf(params));
    // Pinned to the pod: the exec runs there or fails, never in another pod picked a moment later.
    const { deployment: _fallback, ...rest } = params;
    return { object: `pod/${where.pod}`, params: { ...rest, pod: where.pod, container: where.container } };
  }

  /**
   * `kubectl exec` has no server-side dry run: the preview names the pod and container the command will
   * run in (checked Running now) and the command itself, and says that nothing can be rehearsed.
   */
  private async previewExec(params: StepParams, base: { context: string; namespace: string; object: string }, access: AccessDecision | null): Promise<PreviewParts> {
    const c = this.port();
    const command = execCommand(params).join(' ');
    if (!c.execTarget) {
      const unsupported = say('gate.execUnsupported');
      return { ...base, access, blocked: unsupported.text, blockedSaid: unsupported.ref };
    }
    try {
      const target = execTargetOf(params);
      const where = await c.execTarget(base.namespace, target);
      // The runbook's pod is not there: say which pod of the deployment stands in for it.
      const noDryRun =
        where.pod !== target.pod && target.pod && target.deployment
          ? say('gate.execNoDryRunFallback', { pod: target.pod, chosen: where.pod, deployment: target.deployment })
          : say('gate.execNoDryRun');
      return {
        ...base,
        object: `pod/${where.pod}`,
        access,
        dryRun: { ok: true, message: noDryRun.text, said: noDryRun.ref },
        diff: [{ path: `pod/${where.pod} (container ${where.container})`, before: null, after: `runs: ${command}` }],
      };
    } catch (error) {
      return { ...base, access, dryRun: { ok: false, message: (error as Error).message }, blocked: (error as Error).message };
    }
  }

  /** The fields the write changes, read before (from the cluster) and after (from the request). */
  private async predictDiff(operation: string, params: StepParams): Promise<DiffLine[]> {
    const c = this.port();
    const ns = String(params.namespace);
    if (operation === 'pod.delete') {
      const pod = (await c.listPods(ns)).find((p) => p.name === params.pod);
      return [{ path: `pod/${String(params.pod)}`, before: pod ? `${pod.phase} ${pod.ready}, ${pod.restarts} restarts` : '(not found)', after: '(deleted; its controller creates a replacement)' }];
    }
    if (operation === 'certificate.delete') {
      return [{ path: `certificate/${String(params.name)}`, before: 'present', after: '(deleted; cert-manager issues it again)' }];
    }
    const name = String(params.deployment);
    const d = (await c.listDeployments(ns)).find((x) => x.name === name);
    if (!d) return [{ path: `deployment/${name}`, before: '(not found)', after: null }];
    switch (operation) {
      case 'scale':
        return [{ path: 'spec.replicas', before: String(d.replicas), after: String(params.replicas) }];
      case 'set.env': {
        const key = String(params.name);
        return [{ path: `spec.template.spec.containers[*].env.${key}`, before: d.env[key] ?? null, after: String(params.value) }];
      }
      case 'set.resources': {
        // kubectl set resources changes every container unless one is named: show each one's current value.
        const containers = Object.entries(d.resources ?? {}).filter(([c]) => !params.container || c === params.container);
        const lines: DiffLine[] = [];
        for (const [k, v] of Object.entries(params)) {
          const m = /^(limits|requests)(Memory|Cpu)$/.exec(k);
          if (!m) continue;
          const kind = m[1] as 'limits' | 'requests';
          const resource = m[2]!.toLowerCase();
          if (containers.length === 0) lines.push({ path: `spec.template.spec.containers[*].resources.${kind}.${resource}`, before: null, after: String(v) });
          for (const [container, r] of containers) {
            lines.push({ path: `spec.template.spec.containers[${container}].resources.${kind}.${resource}`, before: r[kind][resource] ?? null, after: String(v) });
          }
        }
        return lines;
      }
      case 'rollout.restart':
        return [{ path: 'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]', before: null, after: new Date(this.now()).toISOString() }];
      case 'rollout.undo': {
        const revs = c.rolloutHistory ? await c.rolloutHistory(ns, name) : [];
        const prev = revs.filter((r) => r.revision < d.revision).pop();
        return [
          { path: 'spec.template.spec.containers[*].image', before: d.image, after: prev?.image ?? '(previous revision)' },
          { path: 'metadata.annotations["deployment.kubernetes.io/revision"]', before: String(d.revision), after: String(d.revision + 1) },
        ];
      }
      default:
        return [];
    }
  }

  async write(operation: string, params: StepParams, opts: { dryRun: boolean }): Promise<string> {
    const c = this.port();
    const ns = param(params, 'namespace', operation);
    const dep = () => param(params, 'deployment', operation);
    if (readOps.has(operation)) {
      const r = await this.read(operation, params, AbortSignal.timeout(30_000));
      return r.output.kind === 'text' ? `${r.summary}\n${r.output.text.split('\n').slice(-20).join('\n')}` : r.summary;
    }
    switch (operation) {
      case 'rollout.undo':
        return c.rolloutUndo(ns, dep(), opts);
      case 'rollout.restart':
        return c.rolloutRestart(ns, dep(), opts);
      case 'scale':
        return c.scale(ns, dep(), Number(param(params, 'replicas', operation)), opts);
      case 'set.env':
        return c.setEnv(ns, dep(), { [param(params, 'name', operation)]: param(params, 'value', operation) }, opts);
      case 'pod.delete':
        return c.deletePod(ns, param(params, 'pod', operation), opts);
      case 'set.resources': {
        if (!c.setResources) throw new UnsupportedStepError('Kubernetes "set.resources"');
        const limits: Record<string, string> = {};
        const requests: Record<string, string> = {};
        if (params.limitsMemory) limits.memory = String(params.limitsMemory);
        if (params.limitsCpu) limits.cpu = String(params.limitsCpu);
        if (params.requestsMemory) requests.memory = String(params.requestsMemory);
        if (params.requestsCpu) requests.cpu = String(params.requestsCpu);
        return c.setResources(ns, dep(), { limits, requests }, { dryRun: opts.dryRun, container: params.container as string | undefined });
      }
      case 'certificate.delete':
        if (!c.deleteCertificate) throw new UnsupportedStepError('Kubernetes "certificate.delete"');
        return c.deleteCertificate(ns, param(params, 'name', operation), opts);
      case 'exec.script': {
        if (!c.exec || !c.execTarget) throw new UnsupportedStepError('Kubernetes "exec.script"');
        const command = execCommand(params);
        const shown = command.join(' ');
        if (opts.dryRun) {
          // The gate's "dry run": the pod exists, is Running and has the container; nothing is run.
          const where = await c.execTarget(ns, execTargetOf(params));
          return `Would run "${shown}" in pod ${where.pod} (container ${where.container})${where.note ? `: ${where.note}` : ''}`;
        }
        const r = await c.exec(ns, execTargetOf(params), command, params.timeoutSeconds ? { timeoutMs: Number(params.timeoutSeconds) * 1000 } : {});
        const output = outputTail(r.stdout, r.stderr);
        const where = `pod ${r.pod} (container ${r.container})${r.note ? `; ${r.note}` : ''}`;
        if (r.exitCode !== 0) throw new GuardiaError('kubernetes.exec-exit', `"${shown}" in ${where} exited with code ${r.exitCode}${output ? `:\n${output}` : ''}`);
        return `Ran "${shown}" in ${where}: exit code 0${output ? `\n${output}` : ''}`;
      }
      default:
        throw new UnsupportedStepError(`Kubernetes "${operation}"`);
    }
  }
}
