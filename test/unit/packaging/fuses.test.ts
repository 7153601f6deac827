import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Hook = {
  fuseConfig: Record<string, unknown>;
  afterPack: (context: unknown) => Promise<void>;
};
// A .mjs hook electron-builder loads itself; imported by URL so TypeScript does not need its types.
const hookUrl = new URL('../../../scripts/after-pack.mjs', import.meta.url).href;
const load = async () => (await import(hookUrl)) as Hook;

// Electron's fuse wire: a sentinel, the wire version, its length, then one '0'/'1' per fuse.
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Electron fuses', () => {
  it('turns Node-runtime escape hatches off and asar-only, integrity and cookie encryption on', async () => {
    const { fuseConfig } = await load();
    expect(fuseConfig.version).toBe(FuseVersion.V1);
    expect(fuseConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuseConfig[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuseConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuseConfig[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it('is flipped by the afterPack hook that electron-builder.yml names', () => {
    const config = parse(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as { afterPack: string; asar: boolean };
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(config.asar).toBe(true); // OnlyLoadAppFromAsar would leave an unpacked app unable to start
  });

  it('writes the fuses into a packed Linux binary', async () => {
    const { afterPack } = await load();
    const dir = mkdtempSync(join(tmpdir(), 'guardia-fuses-'));
    dirs.push(dir);
    // Electron's defaults: RunAsNode, NODE_OPTIONS and --inspect on; cookie encryption, asar-only and integrity off.
    const wire = Buffer.from([1, 8, ...Buffer.from('10110000')]);
    writeFileSync(join(dir, 'guardia'), Buffer.concat([Buffer.alloc(64, 7), Buffer.from(sentinel), wire, Buffer.alloc(64, 7)]));
    const context = { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Guardia' }, executableName: 'guardia' } };
    await afterPack(context);
    const flipped = await getCurrentFuseWire(join(dir, 'guardia'));
    const on = 49;
    const off = 48;
    expect(flipped[FuseV1Options.RunAsNode]).toBe(off);
    expect(flipped[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(flipped[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(flipped[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(flipped[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    expect(flipped[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
  });
});
