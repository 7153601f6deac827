import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../../../electron/core/core.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { Journal } from '../../../../electron/core/journal/journal.js';
import { shiftWindowAt } from '../../../../electron/core/journal/shift-window.js';
import { silentLogger } from '../../../../electron/core/log/logger.js';
import type { AlertSource, StatusPagePort } from '../../../../electron/core/ports.js';
import { manualDemo } from '../demo/demo-harness.js';

/**
 * Channels other domains wire through compose.ts (not built into Core) get a refusing stub here, so
 * this harness tests the shift's modules whatever else the contract has grown.
 */
function newCore(deps: ConstructorParameters<typeof Core>[0]): Core {
  try {
    return new Core(deps);
  } catch (error) {
    const m = /No handler for channel\(s\) (.+)$/.exec((error as Error).message);
    if (!m) throw error;
    const missing = m[1]!.split(', ');
    const stub = async () => {
      throw new Error('not wired in this test');
    };
    return new Core({ ...deps, modules: [() => ({ name: 'stubs', handlers: Object.fromEntries(missing.map((c) => [c, stub])) })] });
  }
}

/** A Core on the demo whose sim clock the test moves by hand, journaling per shift as compose does. */
export async function shiftCore(opts: { statusPage?: StatusPagePort; alertSources?: AlertSource[]; startAt?: number } = {}) {
  const demo = manualDemo({ startAt: opts.startAt });
  const pack = await loadPack(defaultPackDir());
  const dir = await mkdtemp(join(tmpdir(), 'journal-'));
  const journal = new Journal(dir, demo.env.clock.now, (t) => shiftWindowAt(pack.rotation, t).key);
  const environment = { id: 'demo', name: 'Demo', production: true, readOnly: false };
  const deps = {
    version: 'test',
    pack,
    environment,
    environments: [environment],
    metrics: demo.env.metrics,
    alertSources: opts.alertSources ?? [demo.env.alerts],
    cluster: demo.env.cluster,
    clock: demo.env.clock,
    journal,
    logger: silentLogger,
    refreshSeconds: 5,
    actor: 'ana',
    statusPage: opts.statusPage ?? null,
  };
  const core = newCore(deps);
  /** Invokes a channel and returns its value, failing the test with the error message otherwise. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed contract values
  async function call<T = any>(channel: string, req: unknown = {}): Promise<T> {
    const r = await core.invoke(channel, req);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  }
  return { demo, core, journal, pack, dir, call };
}
