import type { Alert } from '../../../shared/domain.js';
import { GuardiaError } from '../../../shared/result.js';
import { mergeByFingerprint, normalizeSourceAlerts } from '../alerts/normalize.js';
import type { CoreContext, CoreModule } from '../core-module.js';
import { shiftWindowAt } from '../journal/shift-window.js';
import type { AlertSource, GettableSilence } from '../ports.js';
import { handoffHtml, handoffJson, handoffMarkdown } from './handoff-render.js';
import { buildHandoffSummary, type HandoffSummary } from './handoff-summary.js';
import { recordSloSnapshots, type SloSnapshotItem } from './slo-snapshots.js';

/** Builds the handoff summary of a range (default: the current shift up to now). Shared by the module and the CLI. */
export async function handoffSummary(
  ctx: Pick<CoreContext, 'pack' | 'journal' | 'clock' | 'environment'>,
  alertSources: AlertSource[],
  range: { from?: number; to?: number },
  currentSlos: () => { time: number; slos: SloSnapshotItem[] } | null = () => null,
): Promise<HandoffSummary> {
  const now = ctx.clock.now();
  const { entries, damage } = await ctx.journal.readAll();
  // A fast demo clock journals ahead of wall time: "up to now" then means up to the last entry.
  const to = range.to ?? Math.max(now, entries.at(-1)?.time ?? now);
  const from = range.from ?? shiftWindowAt(ctx.pack.rotation, to).start;
  if (from >= to) throw new GuardiaError('handoff.bad-range', `The handoff range must start before it ends (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()})`);
  // "Still firing" means now: ask the alert sources when the range ends now, else read the journal.
  let liveAlerts: Alert[] | null = null;
  let silences: GettableSilence[] = [];
  if (alertSources.length && to >= now - 60_000) {
    const lists = await Promise.allSettled(alertSources.map(async (s) => normalizeSourceAlerts(ctx.pack, await s.listAlerts(), s.name)));
    const ok = lists.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (ok.length) liveAlerts = mergeByFingerprint(ok);
  }
  const silenceLists = await Promise.allSettled(alertSources.map((s) => s.listSilences?.() ?? Promise.resolve([])));
  const seen = new Set<string>();
  for (const r of silenceLists) {
    if (r.status !== 'fulfilled') continue;
    for (const s of r.value) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      silences.push(s);
    }
  }
  silences = silences.filter((s) => s.status.state === 'active');
  const current = to >= now - 60_000 ? currentSlos() : null;
  return buildHandoffSummary({ pack: ctx.pack, environment: ctx.environment.id, from, to, entries, damage, liveAlerts, silences, currentSlos: current });
}

/** Renders a summary in one of the export formats. */
export function renderHandoff(summary: HandoffSummary, format: 'md' | 'html' | 'json', lang: 'es' | 'en'): string {
  if (format === 'html') return handoffHtml(summary, lang);
  if (format === 'json') return handoffJson(summary);
  return handoffMarkdown(summary, lang);
}

/** The handoff export over the contract, and the hourly SLO snapshots it compares. */
export function handoffModule(ctx: CoreContext, deps: { alertSources: AlertSource[] }): CoreModule {
  const snapshots = recordSloSnapshots(ctx);
  return {
    name: 'handoff',
    init: () => snapshots.init(),
    stop: async () => snapshots.stop(),
    handlers: {
      'handoff.getSummary': async ({ from, to, format, lang }) => {
        const summary = await handoffSummary(ctx, deps.alertSources, { from, to }, snapshots.latest);
        return { from: summary.from, to: summary.to, format, content: renderHandoff(summary, format, lang) };
      },
    },
  };
}
