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
import { shiftWindowAt } from './journal/shift-window.js';
import { StatuspageClient } from './statuspage/statuspage-client.js';
import { defaultKubeconfigPaths, guardiaKubeconfigPath } from './kubernetes/kube-contexts.js';
import { resolveKubeCluster } from './kubernetes/kube-import.js';
import { demoKubeImportDeps, diskKubeImportDeps, kubeImportModule } from './kubernetes/kube-import-module.js';
import { defaultExecPolicy } from './kubernetes/exec-credentials.js';
import { kubernetesModule } from './kubernetes/kubernetes-module.js';
import { SwitchableCluster } from './kubernetes/switchable-cluster.js';
import { demoRunners, runnersFromConfig } from './playbooks/connection-runners.js';
import type { StepRunner } from './playbooks/step-runner.js';
import type { LaunchOptions } from './launch-options.js';
import { createLogger, Redactor } from './log/logger.js';
import { guardiaHome, packageVersion } from './paths.js';
import type { AlertSource, ClusterPort, Clock, Logger, MetricsSource, SecretStore, StatusPagePort } from './ports.js';
import { PrometheusClient } from './prometheus/prometheus-client.js';
import { KeychainSecretStore } from './secrets/keychain-store.js';
import { demoNodeOperations, nodeOperationsOf, type NodeOperations } from './azure/aks-upgrade.js';
import { AzureConnector } from './azure/azure-connector.js';
import { DemoAzure } from './azure/azure-demo.js';
import { azureModule } from './azure/azure-module.js';
import type { AzurePort } from './azure/azure-port.js';
import { createAzureStepRunner } from './azure/azure-steps.js';
import { DemoPagerDuty } from './demo/demo-pagerduty.js';
import { PagerDutyClient } from './pagerduty/pagerduty-client.js';
import { pagingAdapterFor, pagingTestFor } from './pagerduty/pagerduty-module.js';
import type { PagingPort } from './ports.js';
import { connectionsFromConfig, connectionsFromQuick, demoConnections, type ConnectionSpec } from './secrets/connection-tests.js';
import { connectionsModule } from './secrets/connections-module.js';
import { notificationsModule, type PagingAdapter } from './notifications/notifications-module.js';
import { shiftAt } from './shift/rotation.js';
import { notificationSettingsSchema } from '../../shared/notifications.js';

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

const defaultRequestTimeoutMs = 10_000;

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
  // GUARDIA_REQUEST_TIMEOUT_MS: shorter timeouts for fault-injection tests (and slow links, longer).
  const requestTimeoutMs = Number(env.GUARDIA_REQUEST_TIMEOUT_MS) > 0 ? Number(env.GUARDIA_REQUEST_TIMEOUT_MS) : defaultRequestTimeoutMs;

  let environment: EnvironmentInfo;
  let environments: EnvironmentInfo[];
  let metrics: MetricsSource | null = null;
  let alertSources: AlertSource[] = [];
  let cluster: ClusterPort | null = null;
  let statusPage: StatusPagePort | null = null;
  // Kubernetes (issue 4): contexts are switchable at run time; exec plugins run only once allowed.
  const execPolicy = defaultExecPolicy(env);
  let makeCluster: ((context?: string) => Promise<ClusterPort>) | null = null;
  let kubeconfigFiles: string[] = [];
  let clock = systemClock;
  let description: string;
  // Playbook step runners beyond Kubernetes (PostgreSQL, Redis; the demo's stand-ins); see playbooks-module.ts.
  let stepRunners: StepRunner[] = [];
  // Settings → Connections and notifications (issue 5). `paging` is where a PagingPort is adapted in.
  let connections: ConnectionSpec[] = [];
  let me: string | null = null;
  let pagingPort: PagingPort | null = null;
  let pagingPollSeconds: number | undefined;
  // Azure (issue 7): the SDK connector, or the demo's stand-in; node operations for the guided AKS upgrade.
  let azure: AzurePort | null = null;
  let azureNodes: NodeOperations | null = null;

  if (quick) {
    environment = { id: 'ad-hoc', name: 'Ad hoc', production: false, readOnly: false };
    environments = [environment];
    const http = { timeoutMs: requestTimeoutMs };
    if (options.prometheus) metrics = new PrometheusClient('Prometheus', options.prometheus, { connection: 'Prometheus', ...http });
    alertSources = options.alertmanagers.map(
      (url, i) => new AlertmanagerClient(`alertmanager-${i + 1}`, url, { connection: `Alertmanager ${url}`, ...http }),
    );
    if (options.kubeconfig || options.context) {
      // An imported context (issue 9) is built from Guardia's kubeconfig and the keychain.
      makeCluster = (context) => resolveKubeCluster({ context, kubeconfig: options.kubeconfig, defaultKubeconfig: defaultKubeconfig(env), guardiaKubeconfig: guardiaKubeconfigPath(home), secrets, redactor, clusterOptions: { exec: execPolicy } });
      kubeconfigFiles = options.kubeconfig ? [options.kubeconfig] : [...defaultKubeconfigPaths(env), guardiaKubeconfigPath(home)];
      cluster = await makeCluster(options.context);
    }
    connections = connectionsFromQuick(options.prometheus, options.alertmanagers);
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
        auth: authFrom(secrets, c.prometheus.auth, redactor),
      });
    }
    alertSources = (c.alertmanagers ?? []).map(
      (am) =>
        new AlertmanagerClient(am.name, am.url, {
          connection: `Alertmanager ${am.name}`,
          timeoutMs: requestTimeoutMs,
          auth: authFrom(secrets, am.auth, redactor),
        }),
    );
    if (c.kubernetes) {
      const k = c.kubernetes;
      makeCluster = (context) => resolveKubeCluster({ context, kubeconfig: k.kubeconfig, defaultKubeconfig: defaultKubeconfig(env), guardiaKubeconfig: guardiaKubeconfigPath(home), secrets, redactor, clusterOptions: { exec: execPolicy } });
      kubeconfigFiles = k.kubeconfig ? [k.kubeconfig] : [...defaultKubeconfigPaths(env), guardiaKubeconfigPath(home)];
      cluster = await makeCluster(k.context);
    }
    stepRunners = runnersFromConfig(c, secrets);
    if (c.azure) azure = new AzureConnector(c.azure, { secrets, clock, onSecret: (secret) => redactor.add(secret) });
    if (c.pagerduty) {
      const pd = c.pagerduty;
      pagingPort = new PagerDutyClient({ baseUrl: pd.url, token: () => secrets.get(pd.secret), from: pd.from, gateKey: pd.secret, timeoutMs: requestTimeoutMs });
      pagingPollSeconds = pd.pollSeconds;
    }
    if (c.statusPage) {
      const sp = c.statusPage;
      statusPage = new StatuspageClient(`Status page ${sp.pageId}`, sp.url, sp.pageId, sp.components, {
        connection: 'Status page',
        timeoutMs: requestTimeoutMs,
        auth: async () => ({ header: `OAuth ${await secrets.get(sp.secret)}` }),
      });
    }
    connections = connectionsFromConfig(c, secrets, pagingPort ? pagingTestFor(pagingPort) : null);
    me = config.notifications.me ?? null;
    description = `${configFile} (environment ${chosen.id})`;
  } else {
    const demo = createDemoEnvironment({ seed: options.demoSeed, speed: options.demoSpeed });
    environment = { id: 'demo', name: 'Tiendi demo', production: true, readOnly: false };
    environments = [environment];
    metrics = demo.metrics;
    alertSources = [demo.alerts];
    cluster = demo.cluster;
    clock = demo.clock;
    stepRunners = demoRunners(demo);
    azure = new DemoAzure(demo.metrics, demo.clock);
    azureNodes = demoNodeOperations(1_500);
    pagingPort = new DemoPagerDuty(pack, demo.alerts, demo.clock.now);
    connections = demoConnections(demo.metrics, demo.alerts, pagingTestFor(pagingPort), pack.slos[0]!.query);
    // In the demo you are this week's primary, so its page reaches you.
    me = shiftAt(pack.rotation, clock.now()).primary;
    description = `embedded demo of ${pack.manifest.name} production (seed ${options.demoSeed ?? 42}, speed ${options.demoSpeed ?? 1}×)`;
  }

  const paging: PagingAdapter | null = pagingPort ? pagingAdapterFor(pagingPort, clock) : null;
  // One journal file per on-call shift (the pack's rotation: Monday 09:00 America/Lima, weekly).
  const journal = new Journal(join(home, 'journal'), clock.now, (t) => shiftWindowAt(pack.rotation, t).key);
  const switchable = cluster ? new SwitchableCluster(cluster) : null;
  // The guided AKS upgrade drives whichever context is active when it runs, not the one at start-up.
  if (!azureNodes && switchable) azureNodes = nodeOperationsOf(switchable);
  const core = new Core({
    version: packageVersion(),
    pack,
    environment,
    environments,
    metrics,
    alertSources,
    cluster: switchable,
    clock,
    journal,
    logger,
    stepRunners: [...stepRunners, createAzureStepRunner(azure)],
    refreshSeconds,
    actor: safeUserName(),
    statusPage,
    paging: pagingPort,
    pagingPollSeconds,
    redact: (text) => redactor.redact(text),
    modules: [
      kubernetesModule({ cluster: switchable, kubeconfigs: kubeconfigFiles, makeCluster, home, execPolicy }),
      notificationsModule({ settings: config?.notifications ?? notificationSettingsSchema.parse(undefined), alertSources, paging, me }),
      connectionsModule(connections, secrets, (secret) => redactor.add(secret)),
      azureModule({ port: azure, nodes: azureNodes }),
      kubeImportModule(quick || config ? diskKubeImportDeps({ home, env, kubeconfig: options.kubeconfig, secrets, redactor }) : demoKubeImportDeps(cluster)),
    ],
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

/**
 * Builds the Authorization header from a keychain entry at request time; the secret is never kept.
 * The Basic form is registered for redaction too: a server echoing the header back sends it base64'd.
 */
function authFrom(
  secrets: SecretStore,
  auth: { kind: 'basic' | 'bearer'; username?: string; secret: string } | undefined,
  redactor: Redactor,
): AuthProvider | undefined {
  if (!auth) return undefined;
  return async () => {
    const secret = await secrets.get(auth.secret);
    if (auth.kind === 'bearer') return { header: `Bearer ${secret}` };
    const basic = Buffer.from(`${auth.username ?? ''}:${secret}`).toString('base64');
    redactor.add(basic);
    return { header: `Basic ${basic}` };
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
