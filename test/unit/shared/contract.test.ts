import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { invokeChannelNames, eventChannelNames } from '../../../shared/contract.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGuardia } from '../../../electron/core/compose.js';
import { launchOptionsFrom } from '../../../electron/core/launch-options.js';
import { silentLogger } from '../../../electron/core/log/logger.js';

describe('the contract', () => {
  it('has exactly one handler per invoke channel in the shipped composition, and none outside it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'guardia-contract-'));
    const env = { GUARDIA_HOME: home, PATH: process.env.PATH };
    // Two modules answering one channel make construction throw, so building it is half the check.
    const guardia = await createGuardia(launchOptionsFrom({}, env), { env, logger: silentLogger });
    try {
      expect(guardia.core.missingChannels).toEqual([]);
      expect(Object.keys(guardia.core.handlers).sort()).toEqual([...invokeChannelNames].sort());
    } finally {
      await guardia.close();
    }
  });

  it('uses domain.verbNoun names for calls and domain.changed for events', () => {
    for (const c of invokeChannelNames) expect(c).toMatch(/^[a-z]+\.[a-z][a-zA-Z]+$/);
    for (const e of eventChannelNames) expect(e).toMatch(/^[a-z]+\.changed$/);
  });

  it('is bound once in Electron main and the preload exposes only contract channels', async () => {
    const main = await readFile(new URL('../../../electron/main/main.ts', import.meta.url), 'utf8');
    const preload = await readFile(new URL('../../../electron/preload/preload.ts', import.meta.url), 'utf8');
    // main binds every channel in one loop over the contract's names and nowhere else
    expect(main.match(/ipcMain\.handle\(/g)).toHaveLength(1);
    expect(main).toMatch(/for \(const channel of invokeChannelNames\)\s*\{\s*ipcMain\.handle\(ipcPrefix \+ channel/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preload).toContain('invokable.has(channel)');
  });
});
