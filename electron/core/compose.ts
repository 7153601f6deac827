import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { GuardiaError } from '../../shared/result.js';
import type { GuardiaConfig } from '../../shared/config.js';
import { AlertmanagerClient } from './alertmanager/alertmanager-client.js';
import { loadConfig, defaultPackDir } from './config/config-loader.js';
import { loadPack } from './config/pack-loader.js';
import { Core, type EnvironmentInfo } from './core.js';
import { createDemoEnvironment } from './demo/index.js';
import type { AuthProvider } from './http/http-json.js';
import { Journal } from './journal/journal.js';
import { KubernetesCluster } from './kubernetes/kubernetes-cluster.js';
import type { LaunchOptions } from './launch-options.js';
import { createLogger, Redactor } from './log/logger.js';
import { guardiaHome, packageVersion } from './paths.js';
import type { AlertSource, ClusterPort, Clock, Logger, MetricsSource, SecretStore } from './ports.js';
import { PrometheusClient } from './prometheus/prometheus-client.js';
import { KeychainSecretStore } from './secrets/keychain-store.js';

/** A running Guardia: its core plus what the faces need to describe and close it. */
export interface Guardia {
  core: Core;
  logger: Logger;
  redactor: Redactor;
  secrets: SecretStore;
  home: string;
  /** One line saying what Guardia is connected to (e.g. "demo (speed 20)" or the config file). */
  description: string;
  close(): Promise<void>;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    }),
};

const requestTimeoutMs = 10_000;

/**
 * The composition root shared by the CLI and the Electron main process: picks the environment
 * (quick-connect flags, a configuration file, or the embedded demo) and wires its ports into Core.
 */
export async function createGuardia(
  options: LaunchOptions,
  extra: { logger?: Logger; redactor?: Redactor; secrets?: SecretStore; env?: NodeJS.ProcessEnv } = {},
): Promise<Guardia> {
  const env = extra.env ?? process.env;
  const redactor = extra.redactor ?? new Redactor();
  const logger =
    extra.logger ?? createLogger({ level: (env.GUARDIA_LOG_LEVEL as 'debug' | undefined) ?? 'warn', redactor });
  const secrets = extra.secrets ?? new KeychainSecretStore(redactor);
  const home = guardiaHome(env);
  const homeConfig = join(home, 'config.yaml');
  const quick = Boolean(options.prometheus || options.alertmanagers.length || options.kubeconfig);
  const configFile = options.configFile ?? (!quick && existsSync(homeConfig) ? homeConfig : undefined);
  const config = configFile && !quick ? await loadConfig(configFile) : null;
  const pack = await loadPack(options.packDir ?? (config?.pack ? config.pack : defaultPackDir()));
  const refreshSeconds = options.refreshSeconds ?? config?.refreshSeconds ?? 5;

  let environment: EnvironmentInfo;
  let environments: EnvironmentInfo[];
  let metrics: MetricsSource | null = null;
  let alertSources: AlertSource[] = [];
  let cluster: ClusterPort | null = null;
  let clock = systemClock;
  let description: string;

  if (quick) {
    environment = { id: 'ad-hoc', name: 'Ad hoc', production: false, readOnly: false };
    environments = [environment];
    const http = { timeoutMs: requestTimeoutMs };
    if (options.prometheus) metrics = new PrometheusClient('Prometheus', options.prometheus, { connection: 'Prometheus', ...http });
    alertSources = options.alertmanagers.map(
      (url, i) => new AlertmanagerClient(`alertmanager-${i + 1}`, url, { connection: `Alertmanager ${url}`, ...http }),
    );
    if (options.kubeconfig || options.context) {
      cluster = KubernetesCluster.fromFile(options.kubeconfig ?? defaultKubeconfig(env), options.context);
    }
    description = ['quick connect:', options.prometheus && `prometheus ${options.prometheus}`, ...options.alertmanagers.map((u) => `alertmanager ${u}`), cluster && `kubernetes context ${cluster.context}`]
      .filter(Boolean)
      .join(' ');
  } else if (config) {
    const chosen = pickEnvironment(config, options.environment);
    environments = config.environments.map(envInfo);
    environment = envInfo(chosen);
    const c = chosen.connections;
    if (c.prometheus) {
      metrics = new PrometheusClient(`Prometheus (${chosen.id})`, c.prometheus.url, {
        connection: `Prometheus of ${chosen.id}`,
        timeoutMs: requestTimeoutMs,
        pathPrefix: c.prometheus.pathPrefix,
        tenant: c.prometheus.tenant,
        auth: authFrom(secrets, c.prometheus.auth),
      });
    }
    alertSources = (c.alertmanagers ?? []).map(
      (am) =>
        new AlertmanagerClient(am.name, am.url, {
          connection: `Alertmanager ${am.name}`,
          timeoutMs: requestTimeoutMs,
          auth: authFrom(secrets, am.auth),
        }),
    );
    if (c.kubernetes) cluster = KubernetesCluster.fromFile(c.kubernetes.kubeconfig ?? defaultKubeconfig(env), c.kubernetes.context);
    description = `${configFile} (environment ${chosen.id})`;
  } else {
    const demo = createDemoEnvironment({ seed: options.demoSeed, speed: options.demoSpeed });
    environment = { id: 'demo', name: 'Tiendi demo', production: true, readOnly: false };
    environments = [environment];
    metrics = demo.metrics;
    alertSources = [demo.alerts];
    cluster = demo.cluster;
    clock = demo.clock;
    description = `embedded demo of ${pack.manifest.name} production (seed ${options.demoSeed ?? 42}, speed ${options.demoSpeed ?? 1}×)`;
  }

  const journal = new Journal(join(home, 'journal'), clock.now);
  const core = new Core({
    version: packageVersion(),
    pack,
    environment,
    environments,
    metrics,
    alertSources,
    cluster,
    clock,
    journal,
    logger,
    refreshSeconds,
    actor: safeUserName(),
  });
  return { core, logger, redactor, secrets, home, description, close: () => core.stop() };
}

function envInfo(e: GuardiaConfig['environments'][number]): EnvironmentInfo {
  return { id: e.id, name: e.name, production: e.production, readOnly: e.readOnly };
}

function pickEnvironment(config: GuardiaConfig, wanted: string | undefined) {
  const id = wanted ?? config.defaultEnvironment ?? config.environments[0]?.id;
  const found = config.environments.find((e) => e.id === id);
  if (!found) {
    const known = config.environments.map((e) => e.id).join(', ');
    throw new GuardiaError('config.unknown-environment', `No environment "${id}" in the configuration (known: ${known})`);
  }
  return found;
}

/** Builds the Authorization header from a keychain entry at request time; the secret is never kept. */
function authFrom(
  secrets: SecretStore,
  auth: { kind: 'basic' | 'bearer'; username?: string; secret: string } | undefined,
): AuthProvider | undefined {
  if (!auth) return undefined;
  return async () => {
    const secret = await secrets.get(auth.secret);
    if (auth.kind === 'bearer') return { header: `Bearer ${secret}` };
    return { header: `Basic ${Buffer.from(`${auth.username ?? ''}:${secret}`).toString('base64')}` };
  };
}

function defaultKubeconfig(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':')[0];
  return first || join(userInfo().homedir, '.kube', 'config');
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
