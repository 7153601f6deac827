import type { ConnectionInfo } from '../../../shared/notifications.js';
import { GuardiaError } from '../../../shared/result.js';
import type { CoreContext, CoreModule, ModuleFactory } from '../core-module.js';
import { messageOf } from '../dashboards/metrics-hub.js';
import type { SecretStore } from '../ports.js';
import type { ConnectionSpec } from './connection-tests.js';

/**
 * Settings → Connections: the environment's connections with whether each secret is set, "Test
 * connection", and write-only secret changes. A secret comes in once (`connections.setSecret`), goes
 * to the keychain and is registered with the redactor; nothing ever sends it back.
 */
export function connectionsModule(specs: ConnectionSpec[], secrets: SecretStore, redact: (secret: string) => void): ModuleFactory {
  return (ctx: CoreContext): CoreModule => {
    const find = (id: string): ConnectionSpec => {
      const spec = specs.find((s) => s.id === id);
      if (!spec) throw new GuardiaError('connections.unknown', `No connection "${id}" in environment ${ctx.environment.id} (have: ${specs.map((s) => s.id).join(', ') || 'none'})`);
      return spec;
    };

    const describe = async (spec: ConnectionSpec, stored: Set<string> | Error): Promise<ConnectionInfo> => ({
      id: spec.id,
      kind: spec.kind,
      name: spec.name,
      target: spec.target,
      builtIn: spec.builtIn,
      secretName: spec.secretName,
      secretSet: spec.secretName === null || stored instanceof Error ? null : stored.has(spec.secretName),
      keychainError: spec.secretName !== null && stored instanceof Error ? stored.message : null,
    });

    const storedNames = async (): Promise<Set<string> | Error> => {
      try {
        return new Set(await secrets.list());
      } catch (error) {
        return error instanceof Error ? error : new Error(messageOf(error));
      }
    };

    const needsSecret = (spec: ConnectionSpec): string => {
      if (spec.builtIn) throw new GuardiaError('connections.built-in', `${spec.name} is part of the built-in demo: it has no secret`);
      if (!spec.secretName) {
        throw new GuardiaError('connections.no-secret', `${spec.name} takes no secret in the configuration: add \`secret: NAME\` to it first`);
      }
      return spec.secretName;
    };

    const journal = (summary: string, data: Record<string, unknown>) =>
      ctx.journal.append({ actor: ctx.actor, environment: ctx.environment.id, source: 'connections', kind: 'note', summary, data });

    return {
      name: 'connections',
      handlers: {
        'connections.list': async () => {
          const stored = specs.some((s) => s.secretName) ? await storedNames() : new Set<string>();
          return {
            connections: await Promise.all(specs.map((s) => describe(s, stored))),
            keychainError: stored instanceof Error ? stored.message : null,
          };
        },
        'connections.test': async ({ id }) => {
          const spec = find(id);
          const started = performance.now();
          try {
            const message = await spec.test();
            return { ok: true, message, latencyMs: Math.round(performance.now() - started) };
          } catch (error) {
            // A failed test is an answer, not an error: the screen shows what the service said.
            return { ok: false, message: messageOf(error), latencyMs: Math.round(performance.now() - started) };
          }
        },
        'connections.setSecret': async ({ id, secret }) => {
          const spec = find(id);
          const name = needsSecret(spec);
          redact(secret);
          await secrets.set(name, secret);
          await journal(`Secret of ${spec.name} set in the OS keychain (entry "${name}")`, { connection: id });
          return describe(spec, new Set([name]));
        },
        'connections.deleteSecret': async ({ id }) => {
          const spec = find(id);
          const name = needsSecret(spec);
          await secrets.delete(name);
          await journal(`Secret of ${spec.name} removed from the OS keychain (entry "${name}")`, { connection: id });
          return describe(spec, new Set());
        },
      },
    };
  };
}
