import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { GuardiaError } from '../../../shared/result.js';
import type { Redactor } from '../log/logger.js';
import type { SecretStore } from '../ports.js';

/** Keychain service name under which every Guardia connection secret is stored. */
export const keychainService = 'guardia';

const fixHint =
  process.platform === 'linux'
    ? 'Start and unlock a Secret Service (GNOME Keyring or KeePassXC) in your desktop session'
    : 'Unlock your login keychain';

/**
 * Connection secrets in the OS keychain through @napi-rs/keyring (maintained, N-API; keytar is
 * archived). Every call is async. Where no keychain answers, calls fail loudly: there is no plaintext
 * fallback. Secrets read are registered with the redactor so they never reach a log line.
 */
export class KeychainSecretStore implements SecretStore {
  constructor(private readonly redactor: Redactor) {}

  async get(name: string): Promise<string> {
    const secret = await this.call(name, () => new AsyncEntry(keychainService, name).getPassword());
    if (secret === null || secret === undefined) {
      // Without a Secret Service the library answers null as if the entry were missing: ask the
      // keychain itself (listing fails loudly when it is unavailable) before saying "missing".
      await this.list();
      throw new GuardiaError(
        'secrets.missing',
        `No secret "${name}" in the OS keychain (service "${keychainService}"). Add it with: guardia creds set ${name}` +
          ` — if you did, the keychain may be locked or unavailable (${fixHint}).`,
      );
    }
    this.redactor.add(secret);
    return secret;
  }

  async set(name: string, secret: string): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/.test(name)) {
      throw new GuardiaError('secrets.bad-name', `Secret names use letters, digits and . _ : @ / - (got "${name}")`);
    }
    if (secret.length === 0) throw new GuardiaError('secrets.empty', `The secret for "${name}" is empty`);
    this.redactor.add(secret);
    const entry = new AsyncEntry(keychainService, name);
    await this.call(name, () => entry.setPassword(secret));
    // Without a Secret Service the library may report success and store nothing: read it back.
    const back = await this.call(name, () => entry.getPassword());
    if (back !== secret) {
      throw new GuardiaError('secrets.unavailable', `The OS keychain did not keep "${name}": it is unavailable or locked. ${fixHint}.`);
    }
  }

  async delete(name: string): Promise<void> {
    // Deleting reports success even with no keychain at all: list first, which fails loudly then.
    if (!(await this.list()).includes(name)) {
      throw new GuardiaError('secrets.missing', `No secret "${name}" in the OS keychain (service "${keychainService}")`);
    }
    const deleted = await this.call(name, () => new AsyncEntry(keychainService, name).deleteCredential());
    if (!deleted) throw new GuardiaError('secrets.missing', `No secret "${name}" in the OS keychain`);
    if ((await this.list()).includes(name)) {
      throw new GuardiaError('secrets.unavailable', `The OS keychain did not delete "${name}": it is unavailable or locked. ${fixHint}.`);
    }
  }

  async list(): Promise<string[]> {
    const found = await this.call('(list)', () => findCredentialsAsync(keychainService));
    return found.map((c) => c.account).sort();
  }

  private async call<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GuardiaError) throw error;
      throw new GuardiaError(
        'secrets.unavailable',
        `The OS keychain is not available (${name === '(list)' ? 'listing entries' : `entry "${name}"`}): ${(error as Error).message}. ${fixHint}.`,
      );
    }
  }
}
