import { describe, expect, it } from 'vitest';
import { accountFromToken, AzureSignIn } from '../../../../electron/core/azure/azure-sign-in.js';
import { azureConnectionSchema } from '../../../../shared/config.js';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('Azure sign-in', () => {
  it('names a person by upn and an app by its display name or id, from the token claims', () => {
    expect(accountFromToken({ token: jwt({ upn: 'ana@tiendi.pe', tid: 't1' }), expiresOnTimestamp: 5 })).toEqual({ name: 'ana@tiendi.pe', kind: 'user', tenantId: 't1', expiresAt: 5 });
    expect(accountFromToken({ token: jwt({ appid: 'a-1', tid: 't1' }), expiresOnTimestamp: 5 })).toMatchObject({ name: 'a-1', kind: 'service-principal' });
    expect(accountFromToken({ token: 'opaque', expiresOnTimestamp: 5 })).toBeNull();
  });

  it('never starts a browser or device-code sign-in from a background call: it asks the user to sign in', async () => {
    const connection = azureConnectionSchema.parse({ subscriptionId: 's', signIn: { method: 'device-code' } });
    const signIn = new AzureSignIn(connection, { get: async () => 'x', set: async () => {}, delete: async () => {}, list: async () => [] });
    await expect(signIn.getToken('https://management.azure.com/.default')).rejects.toMatchObject({ code: 'azure.signed-out' });
    expect(signIn.status()).toMatchObject({ state: 'signed-out', method: 'device-code', tokenCache: 'memory' });
  });

  it('configuration: azure-cli is the default method; a service principal needs a keychain entry name, not a secret', () => {
    expect(azureConnectionSchema.parse({ subscriptionId: 's' }).signIn).toEqual({ method: 'azure-cli' });
    const r = azureConnectionSchema.safeParse({ subscriptionId: 's', signIn: { method: 'service-principal', clientId: 'c', clientSecret: 'hunter2' } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/secrets belong in the keychain/);
  });
});
