import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.js';
import { notificationsModule } from '../../electron/core/notifications/notifications-module.js';
import { connectionsModule } from '../../electron/core/secrets/connections-module.js';
import { notificationSettingsSchema } from '../../shared/notifications.js';
import { azureModule } from '../../electron/core/azure/azure-module.js';
import { defaultPackDir } from '../../electron/core/config/config-loader.js';
import { loadPack } from '../../electron/core/config/pack-loader.js';
import { Journal } from '../../electron/core/journal/journal.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import type { AlertSource, Clock, GettableAlert, MetricsSource, SecretStore } from '../../electron/core/ports.js';

/** A metrics source answering every query with one constant sample (for tests of plumbing, not numbers). */
export function constantMetrics(value = 1): MetricsSource {
  return {
    name: 'constant',
    instant: async () => ({ data: [{ labels: {}, value }], warnings: [] }),
    range: async (_q, r) => ({
      data: [{ labels: {}, points: [[r.start, value], [r.end, value]] }],
      warnings: [],
    }),
  };
}

/** An alert source whose alerts a test sets directly. */
export function settableAlerts(): AlertSource & { set(alerts: GettableAlert[]): void; fail(error: Error | null): void } {
  let current: GettableAlert[] = [];
  let failure: Error | null = null;
  return {
    name: 'test-am',
    listAlerts: async () => {
      if (failure) throw failure;
      return current;
    },
    set(alerts) {
      current = alerts;
    },
    fail(error) {
      failure = error;
    },
  };
}

export const fastClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, Math.min(ms, 20));
      signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
    }),
};

/** A keychain that is not there: every call fails, as the real store does without a Secret Service. */
export const noKeychain: SecretStore = {
  get: async () => {
    throw new Error('no keychain in unit tests');
  },
  set: async () => {
    throw new Error('no keychain in unit tests');
  },
  delete: async () => {
    throw new Error('no keychain in unit tests');
  },
  list: async () => {
    throw new Error('no keychain in unit tests');
  },
};

/** A Core on the bundled pack with test ports and a journal in a temp dir. */
export async function makeCore(opts: { metrics?: MetricsSource | null; alerts?: AlertSource[]; readOnly?: boolean } = {}) {
  const pack = await loadPack(defaultPackDir());
  const home = await mkdtemp(join(tmpdir(), 'guardia-core-'));
  await mkdir(join(home, 'journal'), { recursive: true });
  await writeFile(join(home, '.keep'), '');
  const environment = { id: 'test', name: 'Test', production: false, readOnly: opts.readOnly ?? false };
  const core = new Core({
    version: '0.0.0-test',
    pack,
    environment,
    environments: [environment],
    metrics: opts.metrics === undefined ? constantMetrics() : opts.metrics,
    alertSources: opts.alerts ?? [],
    cluster: null,
    clock: fastClock,
    journal: new Journal(join(home, 'journal'), Date.now),
    logger: silentLogger,
    refreshSeconds: 1,
    actor: 'tester',
    // Domains wired by the composition root, here without connections (each answers, saying so).
    modules: [
      notificationsModule({ settings: notificationSettingsSchema.parse(undefined), alertSources: opts.alerts ?? [], paging: null, me: null }),
      connectionsModule([], noKeychain, () => {}),
      azureModule({ port: null, nodes: null })],
  });
  return { core, pack, home };
}
