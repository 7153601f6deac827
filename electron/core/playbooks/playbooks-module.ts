import type { CoreContext, CoreModule } from '../core-module.js';
import type { ClusterPort } from '../ports.js';
import { runAction, summarizePlaybooks } from './playbook-service.js';

/** The pack's playbooks and their actions, run through the safety gate. */
export function playbooksModule(ctx: CoreContext, cluster: ClusterPort | null): CoreModule {
  return {
    name: 'playbooks',
    handlers: {
      'playbooks.list': async () => ({ playbooks: summarizePlaybooks(ctx.pack, { environment: ctx.environment, cluster }) }),
      'playbooks.act': async (req) => runAction(ctx.pack, ctx.journal, req, { environment: ctx.environment, actor: ctx.actor, cluster }),
    },
  };
}
