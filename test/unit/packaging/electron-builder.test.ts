import { Ajv } from 'ajv';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The Electron zip cannot be downloaded here, so the packaging configuration is validated instead of
// built: electron-builder's own JSON schema, the targets, the hooks, and the files it would pack.
const root = fileURLToPath(new URL('../../../', import.meta.url));
type OsConfig = { target: string | string[]; icon: string; notarize?: boolean; verifyUpdateCodeSignature?: boolean; signtoolOptions?: { publisherName?: string } };
type BuilderConfig = Record<'linux' | 'mac' | 'win', OsConfig> & {
  files: string[];
  directories: { buildResources: string };
  extraMetadata: { main: string };
  npmRebuild: boolean;
  asar: boolean;
  afterPack: string;
  afterSign: string;
  publish: { provider: string; url: string }[];
};
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
// The packaging suite after the build (scripts/test.mjs) sets this: there dist/ must exist.
const requireDist = process.env.GUARDIA_REQUIRE_DIST === '1';
const built = existsSync(join(root, 'dist/electron/main.mjs'));

function walk(dir: string, found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else found.push(relative(root, path).split('\\').join('/'));
  }
  return found;
}

/** electron-builder's `files` semantics: included by a positive pattern, dropped by any `!` pattern. */
function wouldPack(path: string): boolean {
  const patterns = config.files;
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return include.some((p) => matchesGlob(path, p)) && !exclude.some((p) => matchesGlob(path, p));
}

const candidates = () => [...['dist', 'resources', 'bin', 'test'].flatMap((d) => walk(join(root, d))), 'package.json'];

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own configuration schema", () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('builds AppImage and deb on Linux, dmg on macOS and nsis on Windows, with icons from resources/', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    for (const os of ['linux', 'mac', 'win'] as const) {
      expect(config[os].icon, os).toMatch(/^resources\//);
      expect(existsSync(join(root, config[os].icon)), config[os].icon).toBe(true);
    }
    expect(config.directories.buildResources).toBe('resources');
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
  });

  it('runs the fuse and notarization hooks, which exist and keep secrets out of the file', () => {
    for (const hook of ['afterPack', 'afterSign'] as const) {
      expect(config[hook], hook).toMatch(/^\.\/scripts\/.+\.mjs$/);
      expect(existsSync(join(root, config[hook])), config[hook]).toBe(true);
    }
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(config.mac.notarize).toBe(false); // the afterSign hook notarizes, from environment variables
    const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8') + readFileSync(join(root, config.afterSign), 'utf8');
    expect(text).not.toMatch(/(password|token|secret|apiKey)\s*[:=]\s*['"][^'"$]+['"]/i);
    expect(readFileSync(join(root, config.afterSign), 'utf8')).toMatch(/process\.env\.APPLE_APP_SPECIFIC_PASSWORD/);
  });

  it('publishes updates only from an https feed, with Windows signatures verified', () => {
    const feeds = config.publish;
    expect(feeds.length).toBeGreaterThan(0);
    for (const feed of feeds) {
      expect(feed.provider).toBe('generic');
      expect(new URL(feed.url).protocol).toBe('https:');
    }
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions?.publisherName).toBeTruthy();
  });

  it('never packs source maps or tests', () => {
    for (const path of ['dist/electron/main.mjs.map', 'dist/renderer/assets/index-abc.js.map', 'test/unit/x.test.ts', 'dist/x.spec.js', 'test/fakes/kube-api/server.ts']) {
      expect(wouldPack(path), path).toBe(false);
    }
    const packed = candidates().filter(wouldPack);
    expect(packed.filter((p) => p.endsWith('.map') || /\.(test|spec)\.[cm]?[jt]sx?$/.test(p) || p.startsWith('test/'))).toEqual([]);
  });

  it('packs the icons, tray images and the Tiendi pack from resources/', () => {
    const packed = candidates().filter(wouldPack);
    expect(packed).toContain('resources/icon.png');
    expect(packed).toContain('resources/tray/tray-ok.png');
    expect(packed.some((p) => p.startsWith('resources/packs/tiendi/'))).toBe(true);
  });

  it.runIf(built || requireDist)('packs the built app: main, preload and renderer exist in dist/ and are included', () => {
    expect(built, 'dist/electron/main.mjs is missing: run node scripts/build.mjs').toBe(true);
    const packed = candidates().filter(wouldPack);
    for (const file of [config.extraMetadata.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
      expect(packed, file).toContain(file);
    }
    expect(packed.some((p) => /^dist\/renderer\/assets\/.+\.js$/.test(p))).toBe(true);
  });
});
