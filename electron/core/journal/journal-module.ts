import type { CoreContext, CoreModule } from '../core-module.js';

/** The shift journal over the contract: read it, add a note. Every append is also pushed as an event. */
export function journalModule(ctx: CoreContext): CoreModule {
  ctx.journal.onAppend((entry) => ctx.events.emit('journal.changed', entry));
  return {
    name: 'journal',
    handlers: {
      'journal.list': async ({ limit }) => ({ entries: await ctx.journal.list(limit) }),
      'journal.addNote': async ({ text }) =>
        ctx.journal.append({ actor: ctx.actor, environment: ctx.environment.id, source: 'user', kind: 'note', summary: text }),
    },
  };
}
