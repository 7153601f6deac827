import type { CoreContext, CoreModule } from '../core-module.js';
import type { ClusterPort } from '../ports.js';
import { certificateExpiry } from '../tls/certificate-expiry.js';
import { HttpRunner, ManualRunner, TlsRunner } from './builtin-runners.js';
import { KubernetesRunner } from './kubernetes-runner.js';
import { PlaybookEngine } from './playbook-service.js';
import type { StepRunner } from './step-runner.js';

/**
 * The pack's playbooks: diagnosis in parallel, previews, and actions through the safety gate. The
 * engine builds the kubernetes (over the ClusterPort), tls, http and manual runners itself; other
 * systems (postgres, redis, azure) — or stand-ins for the demo — arrive as `runners`, which replace a
 * built-in runner of the same system.
 */
export function playbooksModule(ctx: CoreContext, cluster: ClusterPort | null, runners: StepRunner[] = [], opts: { stepTimeoutMs?: number } = {}): CoreModule {
  const engine = new PlaybookEngine(ctx.pack, ctx.journal, { environment: ctx.environment, actor: ctx.actor }, {
    now: ctx.clock.now,
    stepTimeoutMs: opts.stepTimeoutMs,
    onStep: (e) => ctx.events.emit('playbooks.changed', e),
  });
  engine.register(new KubernetesRunner(cluster, ctx.clock.now));
  engine.register(new ManualRunner());
  engine.register(new TlsRunner((host, port) => certificateExpiry(host, port)));
  engine.register(new HttpRunner());
  for (const r of runners) engine.register(r);
  return {
    name: 'playbooks',
    handlers: {
      'playbooks.list': async () => ({ playbooks: await engine.summarize(), unfinished: await engine.unfinished() }),
      'playbooks.diagnose': async (req) => engine.diagnose(req),
      'playbooks.preview': async (req) => engine.preview(req),
      'playbooks.act': async (req) => engine.act(req),
    },
    stop: () => engine.close(),
  };
}
