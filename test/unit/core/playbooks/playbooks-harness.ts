import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokeChannels, type EventPayload } from '../../../../shared/contract.js';
import { GuardiaError } from '../../../../shared/result.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import type { CoreContext } from '../../../../electron/core/core-module.js';
import { EventBus } from '../../../../electron/core/events/event-bus.js';
import { Journal } from '../../../../electron/core/journal/journal.js';
import { silentLogger } from '../../../../electron/core/log/logger.js';
import { playbooksModule } from '../../../../electron/core/playbooks/playbooks-module.js';
import type { StepRunner } from '../../../../electron/core/playbooks/step-runner.js';
import type { Clock, ClusterPort } from '../../../../electron/core/ports.js';

/**
 * The playbooks module alone, answering its contract channels with the contract's validation (as
 * Core does), on the bundled pack with a journal in a temp dir. Tests see what a face would.
 */
export async function playbooksHarness(opts: { runners?: StepRunner[]; cluster?: ClusterPort | null; readOnly?: boolean; production?: boolean; clock?: Clock; journalDir?: string; stepTimeoutMs?: number } = {}) {
  const pack = await loadPack(defaultPackDir());
  const clock: Clock = opts.clock ?? { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
  const journal = new Journal(opts.journalDir ?? (await mkdtemp(join(tmpdir(), 'guardia-pb-'))), clock.now);
  const events = new EventBus();
  const pushed: Array<EventPayload<'playbooks.changed'>> = [];
  events.subscribe((e) => {
    if (e.channel === 'playbooks.changed') pushed.push(e.payload);
  });
  const environment = { id: 'test', name: 'Test', production: opts.production ?? false, readOnly: opts.readOnly ?? false };
  const ctx: CoreContext = {
    pack, environment, environments: [environment], clock, journal, logger: silentLogger, events, refreshSeconds: 5, actor: 'ana', staleOf: () => null, alerts: () => [],
  } as CoreContext;
  const module = playbooksModule(ctx, opts.cluster ?? null, opts.runners ?? [], { stepTimeoutMs: opts.stepTimeoutMs });
  /** Like Core.invoke: validates request and response; throws GuardiaError for error results. */
  async function invoke<T = unknown>(channel: 'playbooks.list' | 'playbooks.diagnose' | 'playbooks.preview' | 'playbooks.act', req: unknown = {}): Promise<T> {
    const spec = invokeChannels[channel];
    const parsed = spec.req.parse(req);
    const handler = module.handlers[channel] as (r: unknown) => Promise<unknown>;
    const value = await handler(parsed);
    return spec.res.parse(value) as T;
  }
  async function result(channel: Parameters<typeof invoke>[0], req: unknown = {}): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
    try {
      return { ok: true, value: await invoke(channel, req) };
    } catch (error) {
      if (error instanceof GuardiaError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }
  return { pack, journal, events, pushed, invoke, result, stop: () => module.stop?.() };
}
