import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { decideUpdates, updaterSettings } from '../../../electron/core/update/update-policy.js';

// What electron-builder writes into the package as resources/app-update.yml: the first `publish`
// entry plus the updater cache folder name (app-builder-lib PublishManager, getAppUpdatePublishConfiguration).
const builder = parse(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as { publish: Record<string, unknown>[] };
const shipped = stringify({ ...builder.publish[0], updaterCacheDirName: 'guardia-updater' });
const packaged = (appUpdateYml: string | null, env: Record<string, string> = {}) => decideUpdates({ packaged: true, appUpdateYml, env });

describe('auto-update policy (fails closed)', () => {
  it('updates a packaged build from the https feed electron-builder.yml publishes', () => {
    expect(packaged(shipped)).toEqual({ enabled: true, feedUrl: 'https://releases.guardia.example/stable' });
  });

  it('never updates a development build, and can be turned off for a managed fleet', () => {
    expect(decideUpdates({ packaged: false, appUpdateYml: shipped, env: {} })).toMatchObject({ enabled: false, reason: expect.stringContaining('development') });
    expect(packaged(shipped, { GUARDIA_UPDATES: 'off' })).toEqual({ enabled: false, reason: 'turned off by GUARDIA_UPDATES=off' });
  });

  it('refuses a feed that is missing, unreadable, plain http, carries credentials or is not a generic feed', () => {
    expect(packaged(null)).toMatchObject({ enabled: false, reason: expect.stringContaining('no app-update.yml') });
    expect(packaged('provider: [generic')).toMatchObject({ enabled: false, reason: expect.stringContaining('cannot be read') });
    expect(packaged(stringify({ provider: 'generic', url: 'http://releases.guardia.example/stable' }))).toEqual({
      enabled: false,
      reason: 'the update feed http://releases.guardia.example is not https',
    });
    expect(packaged(stringify({ provider: 'generic', url: 'https://u:p@releases.guardia.example/' }))).toMatchObject({ enabled: false, reason: expect.stringContaining('credentials') });
    expect(packaged(stringify({ provider: 'github', owner: 'someone', repo: 'guardia' }))).toMatchObject({ enabled: false, reason: expect.stringContaining('only a generic https feed') });
    expect(packaged(stringify({ provider: 'generic', url: 'not a url' }))).toMatchObject({ enabled: false, reason: expect.stringContaining('no valid feed URL') });
  });

  it('never downgrades, takes prereleases, reads the dev feed or installs behind the user', () => {
    expect(updaterSettings).toMatchObject({ allowDowngrade: false, allowPrerelease: false, forceDevUpdateConfig: false, disableWebInstaller: true, autoInstallOnAppQuit: true });
  });
});
