import type { JournalEntry } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { AlertSource, SilenceMatcher } from '../ports.js';
import { nextMaintenanceWindow } from './maintenance-schedule.js';

/** What the user types to start or end a maintenance window (it silences alerts in production). */
export const maintenanceConfirmWord = 'maintenance';

/** The window's scope: every alert of the environment (the runbook's window takes the whole platform down). */
const scope: SilenceMatcher[] = [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }];

/** The active window according to the journal: the last "started" not followed by "ended" and not past its end. */
function activeWindow(entries: readonly JournalEntry[], now: number): { start: number; end: number; silenceIds: string[] } | null {
  let active: { start: number; end: number; silenceIds: string[] } | null = null;
  for (const e of entries) {
    if (e.kind !== 'maintenance') continue;
    if (e.data.action === 'started') active = { start: e.time, end: Number(e.data.until), silenceIds: (e.data.silenceIds as string[]) ?? [] };
    if (e.data.action === 'ended') active = null;
  }
  return active && active.end > now ? active : null;
}

/**
 * Maintenance windows (runbook 8.1): the next window from the pack's schedule, its checklist (T-7d,
 * T-24h, T-1h, during, after) with progress in the journal, and starting a window silences its scope
 * in every Alertmanager until the window's end (journaled before and after; never retried).
 */
export function maintenanceModule(ctx: CoreContext, deps: { alertSources: AlertSource[] }): CoreModule {
  const m = ctx.pack.maintenance;
  const silencers = () => deps.alertSources.filter((s) => s.createSilence && s.expireSilence);
  const base = () => ({ actor: ctx.actor, environment: ctx.environment.id, source: 'maintenance' });
  const windowFor = (now: number, entries: readonly JournalEntry[]) => {
    const active = activeWindow(entries, now);
    return active ? { start: active.start, end: active.end } : nextMaintenanceWindow(m, now);
  };
  const confirm = (word: string) => {
    if (word.trim() !== maintenanceConfirmWord) {
      throw new GuardiaError('maintenance.not-confirmed', `Type "${maintenanceConfirmWord}" to confirm; got "${word}"`);
    }
  };

  return {
    name: 'maintenance',
    handlers: {
      'maintenance.get': async () => {
        const now = ctx.clock.now();
        const { entries } = await ctx.journal.readAll();
        const active = activeWindow(entries, now);
        const next = active ? { start: active.start, end: active.end } : nextMaintenanceWindow(m, now);
        const scheduled = nextMaintenanceWindow(m, now);
        const done = new Map<string, { done: boolean; by: string }>();
        for (const e of entries) {
          if (e.kind === 'checklist.item' && e.data.windowStart === scheduled.start) {
            done.set(`${String(e.data.stageId)}#${String(e.data.index)}`, { done: e.data.done === true, by: e.actor });
          }
        }
        return {
          next,
          active,
          canSilence: silencers().length > 0,
          checklist: m.checklist.map((stage) => ({
            id: stage.id,
            when: stage.when,
            dueAt: stage.offsetMinutes === null ? scheduled.end : scheduled.start + stage.offsetMinutes * 60_000,
            items: stage.items.map((text, index) => {
              const d = done.get(`${stage.id}#${index}`);
              return { index, text, done: d?.done ?? false, by: d?.done ? d.by : null };
            }),
          })),
        };
      },
      'maintenance.checkItem': async ({ stageId, index, done }) => {
        const stage = m.checklist.find((s) => s.id === stageId);
        const item = stage?.items[index];
        if (!stage || !item) throw new GuardiaError('maintenance.unknown-item', `No checklist item ${stageId}#${index} in maintenance.yaml`);
        const scheduled = nextMaintenanceWindow(m, ctx.clock.now());
        return ctx.journal.append({
          ...base(),
          kind: 'checklist.item',
          summary: `${done ? '☑' : '☐'} ${stage.when.en}: ${item.en}`,
          data: { windowStart: scheduled.start, stageId, index, done },
        });
      },
      'maintenance.startWindow': async ({ confirm: word }) => {
        confirm(word);
        const now = ctx.clock.now();
        const { entries } = await ctx.journal.readAll();
        if (activeWindow(entries, now)) throw new GuardiaError('maintenance.already-active', 'A maintenance window is already active: end it first');
        const sources = silencers();
        if (sources.length === 0) throw new GuardiaError('maintenance.cannot-silence', 'No alert source here can create silences (an Alertmanager API v2 is needed)');
        const scheduled = windowFor(now, entries);
        const until = now >= scheduled.start && now < scheduled.end ? scheduled.end : now + m.maxDurationMinutes * 60_000;
        const comment = `Maintenance window (runbook 8.1), started by ${ctx.actor} in Guardia`;
        await ctx.journal.append({ ...base(), kind: 'maintenance', summary: `Starting maintenance window: silencing all alerts until ${new Date(until).toISOString()}`, data: { action: 'starting', until } });
        const silenceIds: string[] = [];
        const failures: string[] = [];
        for (const source of sources) {
          try {
            silenceIds.push(
              await source.createSilence!({ matchers: scope, startsAt: new Date(now).toISOString(), endsAt: new Date(until).toISOString(), createdBy: ctx.actor, comment }),
            );
          } catch (error) {
            failures.push(`${source.name}: ${messageOf(error)}`);
          }
        }
        await ctx.journal.append({
          ...base(),
          kind: 'maintenance',
          summary: failures.length ? `Maintenance window started with errors: ${failures.join('; ')}` : `Maintenance window started (${silenceIds.length} silence(s))`,
          data: { action: 'started', until, silenceIds, failures },
        });
        for (const id of silenceIds) {
          await ctx.journal.append({ ...base(), kind: 'silence', summary: `Silence ${id} created for the maintenance window`, data: { silenceId: id, action: 'created', matchers: scope, endsAt: until } });
        }
        if (silenceIds.length === 0) throw new GuardiaError('maintenance.silence-failed', `No silence was created: ${failures.join('; ')}`);
        return { silenceIds, until };
      },
      'maintenance.endWindow': async ({ confirm: word }) => {
        confirm(word);
        const now = ctx.clock.now();
        const active = activeWindow((await ctx.journal.readAll()).entries, now);
        if (!active) throw new GuardiaError('maintenance.not-active', 'No maintenance window is active');
        await ctx.journal.append({ ...base(), kind: 'maintenance', summary: 'Ending maintenance window: expiring its silences', data: { action: 'ending', silenceIds: active.silenceIds } });
        const expired: string[] = [];
        const failures: string[] = [];
        for (const id of active.silenceIds) {
          let done = false;
          for (const source of silencers()) {
            try {
              await source.expireSilence!(id);
              done = true;
              break;
            } catch (error) {
              failures.push(`${source.name} ${id}: ${messageOf(error)}`);
            }
          }
          if (done) expired.push(id);
        }
        await ctx.journal.append({
          ...base(),
          kind: 'maintenance',
          summary: `Maintenance window ended (${expired.length}/${active.silenceIds.length} silence(s) expired)`,
          data: { action: 'ended', expired, failures },
        });
        for (const id of expired) await ctx.journal.append({ ...base(), kind: 'silence', summary: `Silence ${id} expired`, data: { silenceId: id, action: 'expired' } });
        return { expired };
      },
    },
  };
}
