import type { CoreContext, CoreModule } from '../core-module.js';

/**
 * The shift journal over the contract: read it (with any damaged lines), add a note, pin a result.
 * Every append is also pushed as an event.
 */
export function journalModule(ctx: CoreContext): CoreModule {
  ctx.journal.onAppend((entry) => ctx.events.emit('journal.changed', entry));
  return {
    name: 'journal',
    handlers: {
      'journal.list': async ({ limit }) => {
        const { entries, damage } = await ctx.journal.readAll();
        return { entries: entries.slice(-limit).reverse(), damage };
      },
      'journal.addNote': async ({ text }) =>
        ctx.journal.append({ actor: ctx.actor, environment: ctx.environment.id, source: 'user', kind: 'note', summary: text }),
      'journal.pinResult': async ({ title, text, source, data }) =>
        ctx.journal.append({
          actor: ctx.actor,
          environment: ctx.environment.id,
          source,
          kind: 'pinned',
          summary: title,
          data: { ...data, text },
        }),
    },
  };
}
