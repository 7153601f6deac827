import { createInterface } from 'node:readline/promises';
import { GuardiaError } from '../../shared/result.js';
import {
  defaultKubeconfigPaths,
  describeDetail,
  diskKubeFiles,
  guardiaKubeconfigPath,
  listKubeContexts,
  type KubeContextInfo,
} from '../core/kubernetes/kube-contexts.js';
import { applyKubeImport, forgetKubeContext, planKubeImport, previewOf, replaceKubeToken, resolveKubeCluster } from '../core/kubernetes/kube-import.js';
import { allowExecCommand, defaultExecPolicy, execAllowlistPath } from '../core/kubernetes/exec-credentials.js';
import { Redactor } from '../core/log/logger.js';
import { guardiaHome } from '../core/paths.js';
import { KeychainSecretStore } from '../core/secrets/keychain-store.js';

/** Usage of `guardia kube` (also part of `guardia --help`). */
export const kubeUsage = `  kube contexts [--json]        Kubernetes contexts and where each one's credentials live (keychain, exec
                                 plugin, or a plain file: a warning). Merges $KUBECONFIG and Guardia's own.
  kube import --context NAME [--kubeconfig FILE] [--remove-from-original]
                                 Move the context's token, client key and certificate, password or
                                 auth-provider tokens into the OS keychain; Guardia keeps a secret-free copy.
                                 Prints the diff that would remove them from FILE; --remove-from-original
                                 applies it (a 0600 backup is kept next to FILE).
  kube set-token --context NAME  Replace an imported context's token (read from stdin).
  kube forget --context NAME     Undo an import in Guardia: delete its keychain entries and its copy.
  kube allow-exec COMMAND        Allow an exec credential plugin (kubelogin, az, gke-gcloud-auth-plugin,
                                 aws) once: found on your login shell's PATH, recorded by absolute path.
  kube check --context NAME [--namespace NS]
                                 List pods through the context, to check its credentials.`;

interface KubeValues {
  json?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  'remove-from-original'?: boolean;
}

type Write = (line: string) => void;

function table(rows: KubeContextInfo[]): string {
  if (!rows.length) return '(no contexts)';
  const where = (r: KubeContextInfo) =>
    r.credentials === 'keychain' ? 'keychain' : r.credentials === 'exec' ? 'exec plugin' : r.credentials === 'plain-file' ? 'PLAIN FILE' : 'none';
  const lines = rows.map((r) => [r.name, where(r), r.imported ? 'imported' : r.file, r.details.map(describeDetail).join('; ')]);
  const widths = [0, 1, 2].map((i) => Math.max(...lines.map((l) => l[i]!.length), ['CONTEXT', 'CREDENTIALS', 'SOURCE'][i]!.length));
  const fmt = (l: string[]) => l.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  const out = [fmt(['CONTEXT', 'CREDENTIALS', 'SOURCE', 'DETAILS']), ...lines.map(fmt)];
  for (const r of rows) if (r.warning) out.push(`warning: ${r.name}: ${r.warning}`);
  return out.join('\n');
}

/**
 * `guardia kube …`: contexts, import, set-token, check. Secrets are read from the kubeconfig or stdin
 * and go only to the keychain; nothing printed contains one (the removal diff hides values).
 */
export async function kubeCommand(
  values: KubeValues,
  args: string[],
  io: { out: Write; err: Write; readStdin: () => Promise<string>; stdinIsTTY: boolean; env?: NodeJS.ProcessEnv; redactor?: Redactor },
): Promise<number> {
  const env = io.env ?? process.env;
  const [verb] = args;
  const home = guardiaHome(env);
  const guardiaKubeconfig = guardiaKubeconfigPath(home);
  const kubeconfigs = values.kubeconfig ? [values.kubeconfig] : defaultKubeconfigPaths(env);
  const redactor = io.redactor ?? new Redactor();
  const secrets = new KeychainSecretStore(redactor);
  const needContext = () => {
    if (!values.context) throw new GuardiaError('cli.usage', `guardia kube ${verb} needs --context NAME (see guardia kube contexts)`);
    return values.context;
  };

  switch (verb) {
    case 'contexts': {
      const rows = await listKubeContexts({ files: diskKubeFiles, kubeconfigs, guardiaKubeconfig });
      io.out(values.json ? JSON.stringify(rows, null, 2) : table(rows));
      return 0;
    }
    case 'import': {
      const context = needContext();
      const plan = await planKubeImport({ files: diskKubeFiles, kubeconfigs, context, guardiaKubeconfig });
      const preview = previewOf(plan);
      let remove = Boolean(values['remove-from-original']);
      if (remove && preview.removalDiff && io.stdinIsTTY) {
        // At a terminal, show exactly what changes and ask; scripts pass the flag as their consent.
        io.err(preview.removalDiff);
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`Remove these secrets from ${preview.file}? A backup is kept next to it. [y/N] `);
        rl.close();
        remove = /^y(es)?$/i.test(answer.trim());
      }
      const outcome = await applyKubeImport(plan, { files: diskKubeFiles, secrets, redactor, removeFromOriginal: remove });
      if (values.json) {
        io.out(JSON.stringify({ ...outcome, removalDiff: preview.removalDiff }, null, 2));
        return 0;
      }
      const lines = [`Imported context "${context}" from ${preview.file} into ${outcome.guardiaKubeconfig}`];
      for (const s of outcome.stored) lines.push(`  ${s.from} → OS keychain entry ${s.entry}`);
      if (outcome.exec) lines.push(`  exec plugin "${outcome.exec.command}" kept: it holds no static secret`);
      for (const n of outcome.notes) if (!outcome.exec || !n.startsWith('authenticates')) lines.push(`  note: ${n}`);
      if (outcome.removedFrom) {
        lines.push(`Removed the secrets from ${outcome.removedFrom} (backup: ${outcome.backup})`);
        for (const f of outcome.filesLeft) lines.push(`  ${f} still holds a secret: delete it yourself when nothing else uses it`);
      } else if (preview.removalDiff) {
        lines.push(`${preview.file} still holds them. This is what --remove-from-original would change:`, preview.removalDiff.trimEnd());
        if (preview.sharedWith.length) lines.push(`  (contexts ${preview.sharedWith.join(', ')} use the same user and would lose these credentials too)`);
      }
      io.out(lines.join('\n'));
      return 0;
    }
    case 'set-token': {
      const context = needContext();
      if (args.length > 1) {
        io.err('guardia: tokens are read from standard input, never from the command line');
        return 2;
      }
      if (io.stdinIsTTY) io.err(`New token for context "${context}" (end with Enter, then Ctrl-D): `);
      const r = await replaceKubeToken({ files: diskKubeFiles, guardiaKubeconfig, context, token: await io.readStdin(), secrets, redactor });
      io.out(`Replaced the token of context "${context}" (OS keychain entry ${r.entry})`);
      return 0;
    }
    case 'forget': {
      const context = needContext();
      const r = await forgetKubeContext({ files: diskKubeFiles, guardiaKubeconfig, context, secrets });
      const lines = [`Guardia forgot context "${context}"${r.deleted.length ? `; deleted keychain entries ${r.deleted.join(', ')}` : ''}`];
      if (r.missing.length) lines.push(`  (already gone from the keychain: ${r.missing.join(', ')})`);
      lines.push('  Your kubeconfig was not changed: if the import removed its secrets, restore FILE.guardia-backup-<time>.');
      io.out(lines.join('\n'));
      return 0;
    }
    case 'check': {
      const context = needContext();
      const rows = await listKubeContexts({ files: diskKubeFiles, kubeconfigs, guardiaKubeconfig });
      const row = rows.find((r) => r.name === context);
      const namespace = values.namespace ?? row?.namespace ?? 'default';
      const cluster = await resolveKubeCluster({
        context,
        kubeconfig: values.kubeconfig,
        defaultKubeconfig: kubeconfigs[0]!,
        guardiaKubeconfig,
        secrets,
        redactor,
      });
      const pods = await cluster.listPods(namespace);
      io.out(
        values.json
          ? JSON.stringify({ context, namespace, pods: pods.map((p) => p.name) })
          : `Context "${context}" works: ${pods.length} pod${pods.length === 1 ? '' : 's'} in namespace ${namespace}${pods.length ? `\n${pods.map((p) => `  ${p.name}`).join('\n')}` : ''}`,
      );
      return 0;
    }
    case 'allow-exec': {
      const command = args[1];
      if (!command) throw new GuardiaError('cli.usage', 'guardia kube allow-exec needs the plugin command, e.g. guardia kube allow-exec kubelogin');
      const entry = await allowExecCommand(command, defaultExecPolicy(env));
      io.out(`Allowed the exec plugin "${entry.command}": ${entry.path} (recorded in ${execAllowlistPath(home)})`);
      return 0;
    }
    default:
      io.err('guardia: usage: guardia kube contexts | import --context NAME | set-token --context NAME | forget --context NAME | check --context NAME | allow-exec COMMAND');
      return 2;
  }
}
