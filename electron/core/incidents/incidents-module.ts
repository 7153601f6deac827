import { randomUUID } from 'node:crypto';
import type { Incident } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import type { MetricsSource } from '../ports.js';
import { incidentsFromJournal, warRoomChannel } from './incident-log.js';
import { checkBlameless, draftPostmortem } from './postmortem.js';

/**
 * The runbook's incident workflow (section 6): declare from an alert, move through the five phases,
 * assign the war-room roles, resolve. Each step is one journal entry; the list is read back from it.
 */
export function incidentsModule(ctx: CoreContext, deps: { metrics: MetricsSource | null }): CoreModule {
  const base = () => ({ actor: ctx.actor, environment: ctx.environment.id, source: 'guardia' });
  const all = async () => incidentsFromJournal((await ctx.journal.readAll()).entries);
  const find = async (id: string): Promise<Incident> => {
    const found = (await all()).find((i) => i.id === id);
    if (!found) throw new GuardiaError('incidents.not-found', `No incident "${id}" in the journal`);
    return found;
  };
  const openOne = async (id: string): Promise<Incident> => {
    const incident = await find(id);
    if (incident.resolvedAt !== null) throw new GuardiaError('incidents.resolved', `Incident "${incident.title}" is already resolved`);
    return incident;
  };

  return {
    name: 'incidents',
    handlers: {
      'incidents.getProcess': async () => ctx.pack.incidents,
      'incidents.list': async () => ({ incidents: await all() }),
      'incidents.declare': async ({ title, severity, alertFingerprint, pagingIncident, slug }) => {
        const now = ctx.clock.now();
        let alert = null;
        if (alertFingerprint) {
          alert = ctx.alerts().find((a) => a.fingerprint === alertFingerprint) ?? null;
          if (!alert) throw new GuardiaError('incidents.unknown-alert', `Alert ${alertFingerprint} is no longer active`);
        }
        const incidentId = randomUUID();
        const warRoom = warRoomChannel(ctx.pack, now, slug || alert?.name.replace(/([a-z])([A-Z])/g, '$1-$2') || title);
        await ctx.journal.append({
          ...base(),
          kind: 'incident.declared',
          summary: `${severity} ${title} · ${warRoom}`,
          data: {
            incidentId,
            title,
            severity,
            detectedAt: Math.min(alert?.startsAt ?? now, pagingIncident?.createdAt ?? now, now),
            alertFingerprint: alert?.fingerprint ?? null,
            alertName: alert?.name ?? null,
            pagingIncidentId: pagingIncident?.id ?? null,
            warRoom,
          },
        });
        return find(incidentId);
      },
      'incidents.setPhase': async ({ incidentId, phase }) => {
        const incident = await openOne(incidentId);
        if (phase === 'postmortem') throw new GuardiaError('incidents.resolve-first', 'Resolve the incident to start its post-mortem phase');
        const name = ctx.pack.incidents.phases.find((p) => p.id === phase)?.name.en ?? phase;
        await ctx.journal.append({ ...base(), kind: 'incident.phase', summary: `${incident.title}: ${name}`, data: { incidentId, phase } });
        return find(incidentId);
      },
      'incidents.assignRole': async ({ incidentId, role, person }) => {
        const incident = await openOne(incidentId);
        await ctx.journal.append({ ...base(), kind: 'incident.role', summary: `${incident.title}: ${role} → ${person}`, data: { incidentId, role, person } });
        return find(incidentId);
      },
      'incidents.resolve': async ({ incidentId }) => {
        const incident = await openOne(incidentId);
        const minutes = Math.round((ctx.clock.now() - incident.detectedAt) / 60_000);
        await ctx.journal.append({ ...base(), kind: 'incident.resolved', summary: `${incident.title} resolved after ${minutes} min`, data: { incidentId } });
        return find(incidentId);
      },
      'incidents.draftPostmortem': async ({ incidentId, lang }) => {
        const incident = await find(incidentId);
        const { entries } = await ctx.journal.readAll();
        const markdown = await draftPostmortem(ctx.pack, incident, entries, { lang, metrics: deps.metrics, now: ctx.clock.now() });
        return { markdown, findings: checkBlameless(ctx.pack, markdown) };
      },
      'incidents.checkBlameless': async ({ text }) => ({ findings: checkBlameless(ctx.pack, text) }),
    },
  };
}
