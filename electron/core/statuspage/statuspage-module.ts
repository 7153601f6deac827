import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { StatusPagePort } from '../ports.js';

/**
 * Status-page updates (runbook 6.4). Every update is journaled first, so it is never lost; then it is
 * posted through the configured connector if there is one (never retried automatically). Without a
 * connector, or when posting fails, the answer says so and the UI copies the text to the clipboard.
 */
export function statusPageModule(ctx: CoreContext, port: StatusPagePort | null): CoreModule {
  const { statusPage } = ctx.pack.incidents;
  return {
    name: 'statuspage',
    handlers: {
      'statuspage.postUpdate': async ({ incidentId, component, status, message }) => {
        if (!statusPage.components.includes(component)) {
          throw new GuardiaError(
            'statuspage.unknown-component',
            `"${component}" is not a status-page component of the pack (incidents.yaml statusPage.components: ${statusPage.components.join(', ')})`,
          );
        }
        const update = { component, status, message, timestamp: ctx.clock.now() };
        let delivered = false;
        let via = 'clipboard';
        let failure: string | null = null;
        let providerId: string | null = null;
        if (port) {
          try {
            providerId = await port.postUpdate(update);
            delivered = true;
            via = port.name;
          } catch (error) {
            failure = messageOf(error);
          }
        }
        const entry = await ctx.journal.append({
          actor: ctx.actor,
          environment: ctx.environment.id,
          source: port?.name ?? 'guardia',
          kind: 'status.update',
          summary: `${component} ${status}${delivered ? '' : failure ? ' (not posted: copy it)' : ' (copied)'}`,
          data: { incidentId: incidentId ?? null, update, delivered, via, providerId, failure },
        });
        return { update, delivered, via: failure ? `clipboard (${failure})` : via, journalId: entry.id };
      },
    },
  };
}
