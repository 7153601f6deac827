import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeContextEntry, KubeContexts } from '../../../shared/kubernetes.js';
import { GuardiaError } from '../../../shared/result.js';
import type { ModuleFactory } from '../core-module.js';
import type { ClusterPort } from '../ports.js';
import { allowExecCommand, resolveCommand, type ExecPolicy, type ExecStanza } from './exec-credentials.js';
import { SwitchableCluster } from './switchable-cluster.js';

/** What the kubernetes module works with; compose builds it for the config, quick-connect and demo modes. */
export interface KubernetesModuleDeps {
  /** The environment's cluster (null: the environment has no Kubernetes). */
  cluster: SwitchableCluster | null;
  /** Kubeconfig files to list contexts from, in merge order (empty for the demo). */
  kubeconfigs: string[];
  /** Builds the connector of another context (through the same path as at start: imported contexts included). */
  makeCluster: ((context: string) => Promise<ClusterPort>) | null;
  /** Where the per-environment choice is remembered (GUARDIA_HOME). */
  home: string;
  execPolicy: ExecPolicy;
}

/** The file remembering which context each environment uses. */
export function contextChoicePath(home: string): string {
  return join(home, 'kube-context-choice.json');
}

async function readChoices(home: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(contextChoicePath(home), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function writeChoice(home: string, environment: string, context: string): Promise<void> {
  const file = contextChoicePath(home);
  const choices = { ...(await readChoices(home)), [environment]: context };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(choices, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

interface RawContext {
  name: string;
  server: string | null;
  namespace: string | null;
  user: string | null;
  exec: ExecStanza | null;
  file: string;
}

/** Contexts of the kubeconfig files, merged as kubectl merges KUBECONFIG (the first file defining a name wins). */
export function readKubeContexts(files: string[]): { contexts: RawContext[]; problem: string | null } {
  const contexts: RawContext[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (error) {
      problems.push(`Cannot read kubeconfig ${file}: ${(error as Error).message}`);
      continue;
    }
    for (const c of kc.getContexts()) {
      if (contexts.some((x) => x.name === c.name)) continue;
      const cluster = kc.getCluster(c.cluster);
      const user = c.user ? kc.getUser(c.user) : null;
      contexts.push({
        name: c.name,
        server: cluster?.server ?? null,
        namespace: c.namespace ?? null,
        user: c.user ?? null,
        exec: (user?.exec as ExecStanza | undefined)?.command ? (user!.exec as ExecStanza) : null,
        file,
      });
    }
  }
  return { contexts, problem: problems.length ? problems.join('; ') : null };
}

/**
 * The kubernetes.* channels: the environment's contexts (kubeconfig), switching the active one
 * (remembered per environment, applied again at the next start), and allowing an exec plugin.
 */
export function kubernetesModule(deps: KubernetesModuleDeps): ModuleFactory {
  return (ctx) => {
    const env = ctx.environment;
    const list = async (): Promise<KubeContexts> => {
      const active = deps.cluster?.context ?? null;
      const base = { environment: { id: env.id, name: env.name, production: env.production, readOnly: env.readOnly }, active };
      if (!deps.makeCluster || deps.kubeconfigs.length === 0) {
        // The demo (or no kubeconfig): the one context there is.
        const contexts: KubeContextEntry[] = active ? [{ name: active, server: null, namespace: null, user: null, exec: null, active: true }] : [];
        return { ...base, sources: [], contexts, problem: null };
      }
      const { contexts, problem } = readKubeContexts(deps.kubeconfigs);
      const loginPath = contexts.some((c) => c.exec) ? await deps.execPolicy.loginPath() : '';
      const entries = await Promise.all(
        contexts.map(async (c): Promise<KubeContextEntry> => {
          let exec: KubeContextEntry['exec'] = null;
          if (c.exec) {
            const path = await resolveCommand(c.exec.command, loginPath, dirname(resolve(c.file)));
            exec = { command: c.exec.command, path, allowed: path ? await deps.execPolicy.allowlist.has(path) : false };
          }
          return { name: c.name, server: c.server, namespace: c.namespace, user: c.user, exec, active: c.name === active };
        }),
      );
      return { ...base, sources: deps.kubeconfigs.filter((f) => existsSync(f)), contexts: entries, problem };
    };

    const switchTo = async (context: string): Promise<void> => {
      if (!deps.cluster) throw new GuardiaError('kubernetes.no-context', `Environment "${env.id}" has no Kubernetes connection to switch`);
      if (context === deps.cluster.context) return;
      const known = await list();
      if (!deps.makeCluster || !known.contexts.some((c) => c.name === context)) {
        throw new GuardiaError(
          'kubernetes.unknown-context',
          `Context "${context}" is not in ${known.sources.join(', ') || 'this environment'} (contexts: ${known.contexts.map((c) => c.name).join(', ') || 'none'})`,
        );
      }
      const next = await deps.makeCluster(context);
      const previous = deps.cluster.context;
      deps.cluster.use(next);
      ctx.logger.info('kubernetes context switched', { environment: env.id, from: previous, to: context });
      ctx.events.emit('kubernetes.changed', { environment: env.id, context });
    };

    return {
      name: 'kubernetes',
      handlers: {
        'kubernetes.listContexts': list,
        'kubernetes.useContext': async ({ context }) => {
          await switchTo(context);
          await writeChoice(deps.home, env.id, context);
          return list();
        },
        'kubernetes.allowExec': async ({ command }) => {
          const entry = await allowExecCommand(command, deps.execPolicy);
          ctx.logger.info('exec credential plugin allowed', { command: entry.command, path: entry.path });
          return entry;
        },
      },
      init: async () => {
        // The context chosen last time for this environment, if it still exists.
        const wanted = (await readChoices(deps.home))[env.id];
        if (!wanted || !deps.cluster || wanted === deps.cluster.context) return;
        try {
          await switchTo(wanted);
        } catch (error) {
          ctx.logger.warn('remembered kubernetes context not restored', { environment: env.id, context: wanted, reason: (error as Error).message });
        }
      },
    };
  };
}
