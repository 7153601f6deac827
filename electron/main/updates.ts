import { app, Notification } from 'electron';
import electronUpdater from 'electron-updater';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideUpdates, updateCheckIntervalMs, updaterSettings } from '../core/update/update-policy.js';
import type { Logger } from '../core/ports.js';

// electron-updater is CommonJS: its named exports come through the default import under ESM.
const { autoUpdater } = electronUpdater;

/**
 * Auto-update through electron-updater, only when the policy allows it (packaged, https generic feed);
 * otherwise it says why once and never asks. A failed check or a download whose sha512 or signature does
 * not match is logged and dropped: Guardia keeps running the version it has (fail closed).
 * `onReady(version)` lets the menu offer "restart to install"; nothing restarts on its own.
 */
export function startAutoUpdate(logger: Logger, t: (key: 'update.downloadedTitle' | 'update.downloadedBody', params?: Record<string, string>) => string, onReady: (version: string) => void): void {
  const appUpdateYml = readOrNull(join(process.resourcesPath, 'app-update.yml'));
  const decision = decideUpdates({ packaged: app.isPackaged, appUpdateYml, env: process.env });
  if (!decision.enabled) {
    logger.info('auto-update off', { reason: decision.reason });
    return;
  }
  Object.assign(autoUpdater, updaterSettings);
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info('updater', { message: String(message) }),
    warn: (message?: unknown) => logger.warn('updater', { message: String(message) }),
    error: (message?: unknown) => logger.error('updater', { message: String(message) }),
  };
  autoUpdater.on('error', (error) => logger.warn('update failed; keeping this version', { error: error.message }));
  autoUpdater.on('update-downloaded', (info) => {
    logger.info('update downloaded; installs at quit', { version: info.version });
    onReady(info.version);
    if (Notification.isSupported()) new Notification({ title: t('update.downloadedTitle', { version: info.version }), body: t('update.downloadedBody') }).show();
  });
  const check = () => void autoUpdater.checkForUpdates().catch((error: Error) => logger.warn('update check failed', { feed: decision.feedUrl, error: error.message }));
  check();
  setInterval(check, updateCheckIntervalMs).unref();
}

/** Installs the downloaded update now: only from the user's click on the menu item. */
export function restartToUpdate(): void {
  autoUpdater.quitAndInstall();
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
