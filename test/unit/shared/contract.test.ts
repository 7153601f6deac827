import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { invokeChannelNames, eventChannelNames } from '../../../shared/contract.js';
import { makeCore } from '../../helpers/core-fixture.js';

describe('the contract', () => {
  it('has exactly one core handler per invoke channel, and no handler outside it', async () => {
    const { core } = await makeCore();
    expect(Object.keys(core.handlers).sort()).toEqual([...invokeChannelNames].sort());
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
