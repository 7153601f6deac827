import { z } from 'zod';
import { notificationSettingsSchema } from './notifications.js';

/**
 * Guardia's own configuration file (guardia.yaml): which pack to load and how to reach each
 * environment's Prometheus, Alertmanagers, cluster and databases. It never holds a secret: every
 * credential is the *name* of an OS keychain entry (`guardia creds set NAME`), resolved by core.
 */

const secretKeyNames = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'token',
  'apikey',
  'apitoken',
  'accesstoken',
  'authtoken',
  'bearertoken',
  'bearer',
  'secretkey',
  'secretvalue',
  'clientsecret',
  'privatekey',
  'routingkey',
  'servicekey',
  'integrationkey',
  'connectionstring',
]);

/** Whether a key would hold a secret's value (password, token, apiKey...): such keys are refused. */
export function isSecretKey(key: string): boolean {
  return secretKeyNames.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** The message shown when a config file tries to hold a secret, pointing at the keychain instead. */
export function secretKeyMessage(key: string): string {
  return (
    `"${key}" would put a secret in this file: secrets belong in the keychain. ` +
    'Run `guardia creds set NAME` and write `secret: NAME` here instead'
  );
}

function unknownKeysMessage(keys: readonly string[]): string {
  const secret = keys.find(isSecretKey);
  if (secret !== undefined) return secretKeyMessage(secret);
  return `unknown key${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')}`;
}

/** A strict object whose unknown-key error explains where secrets go when the key looks like one. */
function section<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys) : undefined),
  });
}

/** The name of an OS keychain entry; never the secret itself. */
export const secretNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/,
    'expected the name of a keychain entry (letters, digits and . _ : @ / -), not the secret itself',
  );

/** A URL with one of `protocols`, refusing an embedded password (it belongs in the keychain). */
function urlSchema(protocols: readonly string[], example: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected a URL such as ${example}, got ${JSON.stringify(value)}` });
      return;
    }
    if (!protocols.includes(url.protocol.replace(/:$/, ''))) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a ${protocols.join(' or ')} URL such as ${example}, got ${JSON.stringify(value)}`,
      });
    }
    if (url.password) {
      ctx.addIssue({
        code: 'custom',
        message:
          'this URL contains a password: secrets belong in the keychain. Run `guardia creds set NAME` and ' +
          'write `secret: NAME` next to the URL instead',
      });
    }
  });
}

const httpUrl = urlSchema(['http', 'https'], 'https://prometheus.example.com');

/** How to authenticate to an HTTP API; `secret` names the keychain entry with the password or token. */
export const httpAuthSchema = section({
  kind: z.enum(['basic', 'bearer']),
  username: z.string().min(1).optional(),
  secret: secretNameSchema,
}).superRefine((auth, ctx) => {
  if (auth.kind === 'basic' && auth.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'basic auth needs a username' });
  }
});
export type HttpAuth = z.infer<typeof httpAuthSchema>;

export const prometheusConnectionSchema = section({
  url: httpUrl,
  /** For Prometheus behind a path (e.g. Thanos or Mimir's /prometheus). */
  pathPrefix: z.string().regex(/^\//, 'expected a path starting with /').optional(),
  /** Multi-tenant backends (Mimir, Cortex): sent as X-Scope-OrgID. */
  tenant: z.string().min(1).optional(),
  auth: httpAuthSchema.optional(),
});

export const alertmanagerConnectionSchema = section({
  name: z.string().min(1),
  url: httpUrl,
  auth: httpAuthSchema.optional(),
});

export const kubernetesConnectionSchema = section({
  /** Path to a kubeconfig; default: $KUBECONFIG, then ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1),
  namespace: z.string().min(1).optional(),
});

export const pagerdutyConnectionSchema = section({
  /** Keychain entry holding the PagerDuty REST API key. */
  secret: secretNameSchema,
  /** Email of the PagerDuty user acting (the API's required From header). */
  from: z.email(),
  /** REST API base URL: https://api.pagerduty.com (default) or https://api.eu.pagerduty.com for EU accounts. */
  url: httpUrl.optional(),
  /** Seconds between polls of the open incidents (default: refreshSeconds). */
  pollSeconds: z.number().min(1).max(3600).optional(),
});

const httpsUrl = urlSchema(['https'], 'https://management.azure.com');

/** A Statuspage-style REST status page (runbook 6.4); without one, status updates are journaled and copied. */
export const statusPageConnectionSchema = section({
  /** API base, e.g. https://api.statuspage.io/v1 */
  url: httpUrl,
  pageId: z.string().min(1),
  /** Keychain entry holding the API key (sent as `Authorization: OAuth KEY`). */
  secret: secretNameSchema,
  /** Pack component (API, Web, Payments) → the provider's component id. */
  components: z.record(z.string(), z.string().min(1)).default({}),
});

/**
 * How Guardia signs in to Azure (@azure/identity) and where it finds Log Analytics, Application Insights
 * and ARM. The service principal's secret is a keychain entry name. Endpoints default to the public
 * cloud; override them for sovereign clouds (or a test double).
 */
export const azureConnectionSchema = section({
  subscriptionId: z.string().min(1),
  tenantId: z.string().min(1).optional(),
  resourceGroup: z.string().min(1).optional(),
  /** Log Analytics workspace id (a GUID: the workspace's "Workspace ID", not its resource id). */
  workspaceId: z.string().min(1).optional(),
  /** Workspace-based Application Insights resource name (its telemetry is queried through the workspace). */
  appInsights: z.string().min(1).optional(),
  /** Azure region of the monitored resources, for the Azure Monitor metrics batch endpoint (e.g. eastus2). */
  region: z.string().regex(/^[a-z0-9]+$/, 'expected an Azure region name such as eastus2').optional(),
  signIn: z
    .discriminatedUnion('method', [
      section({ method: z.literal('azure-cli') }),
      section({ method: z.literal('interactive-browser'), clientId: z.string().min(1).optional() }),
      section({ method: z.literal('device-code'), clientId: z.string().min(1).optional() }),
      section({ method: z.literal('service-principal'), clientId: z.string().min(1), secret: secretNameSchema }),
    ])
    .default({ method: 'azure-cli' }),
  endpoints: section({
    authorityHost: httpsUrl.optional(),
    resourceManager: httpsUrl.optional(),
    logAnalytics: httpsUrl.optional(),
    metrics: httpsUrl.optional(),
  }).optional(),
});
export type AzureConnection = z.infer<typeof azureConnectionSchema>;

export const postgresConnectionSchema = section({
  name: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1),
  user: z.string().min(1),
  /** Keychain entry with the password; omitted when the server trusts the client (e.g. a local demo). */
  secret: secretNameSchema.optional(),
  sslmode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).optional(),
});

export const redisConnectionSchema = section({
  name: z.string().min(1),
  url: urlSchema(['redis', 'rediss'], 'rediss://redis.example.com:6380'),
  /** Keychain entry with the password (AUTH). */
  secret: secretNameSchema.optional(),
});

export const connectionsSchema = section({
  prometheus: prometheusConnectionSchema.optional(),
  alertmanagers: z.array(alertmanagerConnectionSchema).optional(),
  kubernetes: kubernetesConnectionSchema.optional(),
  pagerduty: pagerdutyConnectionSchema.optional(),
  statusPage: statusPageConnectionSchema.optional(),
  azure: azureConnectionSchema.optional(),
  postgres: z.array(postgresConnectionSchema).optional(),
  redis: z.array(redisConnectionSchema).optional(),
});
export type ConnectionsConfig = z.infer<typeof connectionsSchema>;

export const environmentConfigSchema = section({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by -'),
  name: z.string().min(1),
  /** Production asks for the target's name before any action, destructive or not. */
  production: z.boolean(),
  /** A read-only environment never runs actions (dry runs only). */
  readOnly: z.boolean().default(false),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #d32f2f').optional(),
  connections: connectionsSchema.default({}),
});
export type EnvironmentConfig = z.infer<typeof environmentConfigSchema>;

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) out.push(i);
    seen.add(k);
  });
  return out;
}

/** The whole configuration file. `defaultEnvironment` is filled with the first environment when omitted. */
export const configSchema = section({
  version: z.literal(1),
  /** Pack folder, relative to the config file; default: the bundled Tiendi pack. */
  pack: z.string().min(1).optional(),
  refreshSeconds: z.number().min(1).max(3600).default(5),
  /** What notifies, storms, re-notification, snooze, off-call filter (shared/notifications.ts). */
  notifications: notificationSettingsSchema,
  environments: z.array(environmentConfigSchema).min(1),
  defaultEnvironment: z.string().optional(),
})
  .superRefine((config, ctx) => {
    for (const i of duplicates(config.environments, (e) => e.id)) {
      ctx.addIssue({ code: 'custom', path: ['environments', i, 'id'], message: `environment id "${config.environments[i]!.id}" is used twice` });
    }
    config.environments.forEach((env, e) => {
      const named: Array<[string, ReadonlyArray<{ name: string }>]> = [
        ['alertmanagers', env.connections.alertmanagers ?? []],
        ['postgres', env.connections.postgres ?? []],
        ['redis', env.connections.redis ?? []],
      ];
      for (const [kind, list] of named) {
        for (const i of duplicates(list, (c) => c.name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['environments', e, 'connections', kind, i, 'name'],
            message: `${kind} connection name "${list[i]!.name}" is used twice in environment "${env.id}"`,
          });
        }
      }
    });
    if (config.defaultEnvironment !== undefined && !config.environments.some((e) => e.id === config.defaultEnvironment)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultEnvironment'],
        message: `no environment has the id "${config.defaultEnvironment}" (have: ${config.environments.map((e) => e.id).join(', ')})`,
      });
    }
  })
  .transform((config) => ({ ...config, defaultEnvironment: config.defaultEnvironment ?? config.environments[0]!.id }));

export type GuardiaConfig = z.infer<typeof configSchema>;
export type GuardiaConfigInput = z.input<typeof configSchema>;
