import { parse as parseYaml } from 'yaml';

/**
 * electron-updater's settings, applied once in main. Fail closed: electron-updater itself checks every
 * download against the sha512 in the feed's latest*.yml and, on Windows, the Authenticode publisher
 * (electron-builder.yml `verifyUpdateCodeSignature`); these keep it from ever taking a downgrade, a
 * prerelease, the dev feed or a web installer, and an update is installed only when the user quits or
 * clicks "restart" — never mid-shift on its own.
 */
export const updaterSettings = {
  autoDownload: true,
  autoInstallOnAppQuit: true,
  autoRunAppAfterInstall: true,
  allowDowngrade: false,
  allowPrerelease: false,
  forceDevUpdateConfig: false,
  disableWebInstaller: true,
  fullChangelog: false,
} as const;

/** How often a running Guardia asks the feed (plus once at start). */
export const updateCheckIntervalMs = 4 * 3600_000;

export type UpdateDecision = { enabled: true; feedUrl: string } | { enabled: false; reason: string };

/**
 * Whether this Guardia may update itself, from the `app-update.yml` electron-builder writes into the
 * package (`publish` in electron-builder.yml). Anything but a generic provider on an https URL turns
 * updates off with the reason said: no plain-http feed, no guessing a feed from the repository.
 */
export function decideUpdates(input: { packaged: boolean; appUpdateYml: string | null; env: Record<string, string | undefined> }): UpdateDecision {
  if (!input.packaged) return { enabled: false, reason: 'a development build does not update itself' };
  if (/^(0|off|false|no)$/i.test(input.env.GUARDIA_UPDATES ?? '')) return { enabled: false, reason: `turned off by GUARDIA_UPDATES=${input.env.GUARDIA_UPDATES}` };
  if (input.appUpdateYml === null) return { enabled: false, reason: 'the package has no app-update.yml (built without a publish feed)' };
  let config: unknown;
  try {
    config = parseYaml(input.appUpdateYml);
  } catch (error) {
    return { enabled: false, reason: `app-update.yml cannot be read: ${(error as Error).message.split('\n')[0]}` };
  }
  const record = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  if (record.provider !== 'generic') return { enabled: false, reason: `app-update.yml names provider ${JSON.stringify(record.provider ?? null)}; only a generic https feed is trusted` };
  let url: URL;
  try {
    url = new URL(String(record.url));
  } catch {
    return { enabled: false, reason: `app-update.yml has no valid feed URL (${JSON.stringify(record.url ?? null)})` };
  }
  if (url.protocol !== 'https:') return { enabled: false, reason: `the update feed ${url.origin} is not https` };
  if (url.username || url.password) return { enabled: false, reason: 'the update feed URL carries credentials' };
  return { enabled: true, feedUrl: url.href };
}
