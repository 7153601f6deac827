import {
  AzureCliCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  InteractiveBrowserCredential,
  type TokenCredentialOptions,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import type { AzureStatus } from '../../../shared/azure.js';
import type { AzureConnection } from '../../../shared/config.js';
import { GuardiaError } from '../../../shared/result.js';
import type { SecretStore } from '../ports.js';
import { applyLoginShellPath } from '../shell/login-path.js';
import { azureError } from './azure-errors.js';

/**
 * Azure CLI's public client id: Microsoft's documented default for desktop tools that have not
 * registered their own app. Configure `signIn.clientId` to use the organisation's own registration.
 */
const defaultPublicClientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** The ARM scope: signing in asks for it, so "who am I" works for every role. */
export function armScope(resourceManager: string): string {
  return `${resourceManager.replace(/\/$/, '')}/.default`;
}

/** Claims of a JWT access token that say who it is for; null when the token is not a JWT. */
export function accountFromToken(token: AccessToken): AzureStatus['account'] {
  const part = token.token.split('.')[1];
  if (!part) return null;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const str = (k: string) => (typeof claims[k] === 'string' && claims[k] ? (claims[k] as string) : null);
  const user = str('upn') ?? str('unique_name') ?? str('preferred_username') ?? str('email');
  const tenantId = str('tid');
  if (user) return { name: user, kind: 'user', tenantId, expiresAt: token.expiresOnTimestamp };
  const app = str('app_displayname') ?? str('appid') ?? str('azp');
  if (app) return { name: app, kind: 'service-principal', tenantId, expiresAt: token.expiresOnTimestamp };
  return null;
}

/** SDK options every Guardia Azure client shares (TLS trust and retry settings in tests). */
export type AzureClientOptions = Pick<TokenCredentialOptions, 'tlsOptions' | 'retryOptions'>;

/**
 * The environment's Azure sign-in: one TokenCredential for every SDK client, built from the configured
 * method. Tokens stay in @azure/identity's in-memory cache only — the persistence plugin
 * (@azure/identity-cache-persistence) is not installed, so nothing is written to disk, in plain text or
 * otherwise; after a restart the user signs in again (Azure CLI reuse needs no prompt).
 */
export class AzureSignIn implements TokenCredential {
  private inner: TokenCredential | null = null;
  private current: AzureStatus;
  private readonly listeners = new Set<(s: AzureStatus) => void>();
  private pending: Promise<void> | null = null;

  constructor(
    private readonly connection: AzureConnection,
    private readonly secrets: SecretStore,
    private readonly clientOptions: AzureClientOptions = {},
    /** Told the service principal's secret once read, so logs and error messages redact it. */
    private readonly onSecret: (secret: string) => void = () => {},
  ) {
    this.current = {
      configured: true,
      demo: false,
      method: connection.signIn.method,
      subscriptionId: connection.subscriptionId,
      workspaceId: connection.workspaceId ?? null,
      state: 'signed-out',
      account: null,
      deviceCode: null,
      error: null,
      tokenCache: 'memory',
    };
  }

  private get resourceManager(): string {
    return this.connection.endpoints?.resourceManager ?? 'https://management.azure.com';
  }

  status(): AzureStatus {
    return this.current;
  }

  onStatus(listener: (s: AzureStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<AzureStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }

  /** Methods that need the user at the keyboard never start by themselves from a background poll. */
  private get needsUser(): boolean {
    const m = this.connection.signIn.method;
    return m === 'interactive-browser' || m === 'device-code';
  }

  private async build(): Promise<TokenCredential> {
    const sign = this.connection.signIn;
    const tenantId = this.connection.tenantId;
    const authorityHost = this.connection.endpoints?.authorityHost;
    const common: TokenCredentialOptions & { disableInstanceDiscovery?: boolean } = {
      ...this.clientOptions,
      ...(authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {}),
    };
    switch (sign.method) {
      case 'azure-cli':
        // A GUI-launched app may not find `az` on its PATH; the credential spawns it with ours.
        await applyLoginShellPath();
        return new AzureCliCredential({ tenantId });
      case 'service-principal': {
        if (!tenantId) throw new GuardiaError('azure.config', 'A service-principal sign-in needs azure.tenantId in the configuration');
        const secret = await this.secrets.get(sign.secret);
        this.onSecret(secret);
        return new ClientSecretCredential(tenantId, sign.clientId, secret, common);
      }
      case 'device-code':
        return new DeviceCodeCredential({
          ...common,
          tenantId,
          clientId: sign.clientId ?? defaultPublicClientId,
          userPromptCallback: (info) =>
            this.update({ deviceCode: { userCode: info.userCode, verificationUri: info.verificationUri, message: info.message } }),
        });
      case 'interactive-browser':
        return new InteractiveBrowserCredential({ ...common, tenantId, clientId: sign.clientId ?? defaultPublicClientId });
    }
  }

  /** Starts signing in; resolves when done (device code and browser flows wait for the user). */
  signIn(): Promise<void> {
    this.pending ??= (async () => {
      this.update({ state: 'signing-in', error: null, deviceCode: null });
      try {
        this.inner = await this.build();
        await this.getToken(armScope(this.resourceManager));
      } catch (error) {
        this.inner = null;
        const e = azureError(error, 'Azure sign-in', 'aksRead');
        this.update({ state: 'error', error: e.message, deviceCode: null, account: null });
        throw e;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }

  /** Forgets the credential and its in-memory tokens. (`az logout` stays the CLI's business.) */
  signOut(): void {
    this.inner = null;
    this.update({ state: 'signed-out', account: null, deviceCode: null, error: null });
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    if (!this.inner) {
      if (this.needsUser) {
        throw new GuardiaError('azure.signed-out', 'Not signed in to Azure: use "Sign in" in the Azure view first');
      }
      if (this.pending && this.current.state === 'signing-in') await this.pending.catch(() => undefined);
      this.inner ??= await this.build();
    }
    const token = await this.inner.getToken(scopes, options);
    if (token && this.current.state !== 'signed-in') {
      const account = accountFromToken(token);
      this.update({ state: 'signed-in', account, deviceCode: null, error: null });
    } else if (token && this.current.account && this.current.account.expiresAt !== token.expiresOnTimestamp) {
      this.current = { ...this.current, account: { ...this.current.account, expiresAt: token.expiresOnTimestamp } };
    }
    return token;
  }
}
