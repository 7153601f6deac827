import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GuardiaError } from '../../../shared/result.js';

/**
 * Reading kubeconfigs and telling where each context's credentials live: in the OS keychain (imported
 * into Guardia), with an exec plugin (no static secret), or in a plain file (a warning). Shared by
 * `guardia kube contexts`, the import dialog and the import itself.
 */

/**
 * Where kubeconfigs are read and written: the disk, or memory on the embedded demo (which must never
 * touch the user's files). Writes are always mode 0600.
 */
export interface KubeFiles {
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>;
  write(path: string, text: string): Promise<void>;
}

/** KubeFiles on the real disk; directories are created mode 0700 and files written mode 0600. */
export const diskKubeFiles: KubeFiles = {
  async read(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new GuardiaError('kubernetes.config', `Cannot read ${path}: ${(error as Error).message}`);
    }
  },
  async write(path, text) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, text, { mode: 0o600 });
    // writeFile keeps the mode of an existing file: force 0600 either way.
    await chmod(path, 0o600);
  },
};

/** KubeFiles in memory, for the demo and unit tests. */
export function memoryKubeFiles(initial: Record<string, string> = {}): KubeFiles & { files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  return {
    files,
    read: async (path) => files.get(path) ?? null,
    write: async (path, text) => void files.set(path, text),
  };
}

/** Guardia's own, secret-free kubeconfig of imported contexts. */
export function guardiaKubeconfigPath(home: string): string {
  return join(home, 'kubeconfig');
}

/** The user's kubeconfig files, as kubectl finds them: $KUBECONFIG (a path list), else ~/.kube/config. */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const list = (env.KUBECONFIG ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
  return list.length ? [...new Set(list)] : [join(home, '.kube', 'config')];
}

/** A kubeconfig as parsed: the parts Guardia reads, everything else kept untouched. */
export interface KubeconfigDoc {
  clusters?: Array<{ name: string; cluster?: Record<string, unknown> }>;
  users?: Array<{ name: string; user?: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context?: { cluster?: string; user?: string; namespace?: string } }>;
  'current-context'?: string;
  [key: string]: unknown;
}

/** Parses a kubeconfig's text (YAML or JSON), naming the file when it is not one. */
export function parseKubeconfig(text: string, file: string): KubeconfigDoc {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new GuardiaError('kubernetes.config', `Kubeconfig ${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new GuardiaError('kubernetes.config', `Kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users, contexts)`);
  }
  const d = doc as KubeconfigDoc;
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    if (d[key] !== undefined && d[key] !== null && !Array.isArray(d[key])) {
      throw new GuardiaError('kubernetes.config', `Kubeconfig ${file}: "${key}" must be a list`);
    }
  }
  return d;
}

/** Resolves a path from a kubeconfig the way kubectl does: relative to the kubeconfig's folder. */
export function resolveFrom(file: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(file), path);
}

/** The name of the extension under users[].user.extensions that lists a user's keychain entries. */
export const keychainExtensionName = 'guardia.keychain';

/** The kinds of secret a kubeconfig user can hold. */
export type KubeSecretKind =
  | 'token'
  | 'client-key'
  | 'client-certificate'
  | 'password'
  | 'auth-provider.id-token'
  | 'auth-provider.refresh-token'
  | 'auth-provider.access-token'
  | 'auth-provider.client-secret';

/** One place a secret sits in a user stanza: the key, and whether it holds the value, base64 or a path. */
export interface SecretField {
  kind: KubeSecretKind;
  /** Path of keys under users[].user. */
  path: string[];
  form: 'value' | 'base64' | 'file';
}

/** Every user field that holds a secret or points at a file holding one (kubectl's and client-node's names). */
export const secretFields: readonly SecretField[] = [
  { kind: 'token', path: ['token'], form: 'value' },
  { kind: 'token', path: ['tokenFile'], form: 'file' },
  { kind: 'token', path: ['token-file'], form: 'file' },
  { kind: 'client-key', path: ['client-key-data'], form: 'base64' },
  { kind: 'client-key', path: ['client-key'], form: 'file' },
  { kind: 'client-certificate', path: ['client-certificate-data'], form: 'base64' },
  { kind: 'client-certificate', path: ['client-certificate'], form: 'file' },
  { kind: 'password', path: ['password'], form: 'value' },
  { kind: 'auth-provider.id-token', path: ['auth-provider', 'config', 'id-token'], form: 'value' },
  { kind: 'auth-provider.refresh-token', path: ['auth-provider', 'config', 'refresh-token'], form: 'value' },
  { kind: 'auth-provider.access-token', path: ['auth-provider', 'config', 'access-token'], form: 'value' },
  { kind: 'auth-provider.client-secret', path: ['auth-provider', 'config', 'client-secret'], form: 'value' },
];

/** The value at a key path of a plain object, if it is a non-empty string. */
export function stringAt(obj: Record<string, unknown> | undefined, path: readonly string[]): string | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'string' && cur.length > 0 ? cur : undefined;
}

/** The secret fields a user stanza actually sets. */
export function presentSecretFields(user: Record<string, unknown> | undefined): SecretField[] {
  return secretFields.filter((f) => stringAt(user, f.path) !== undefined);
}

/** The keychain entries an imported user names: kind → entry name. */
export function keychainEntriesOf(user: Record<string, unknown> | undefined): Partial<Record<KubeSecretKind, string>> {
  const list = user?.extensions;
  if (!Array.isArray(list)) return {};
  const ext = list.find((e) => (e as { name?: unknown })?.name === keychainExtensionName) as { extension?: { entries?: unknown } } | undefined;
  const entries = ext?.extension?.entries;
  if (typeof entries !== 'object' || entries === null) return {};
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => typeof v === 'string')) as Partial<Record<KubeSecretKind, string>>;
}

/** Where a context's credentials live. `plain-file` is the one to fix. */
export type CredentialLocation = 'keychain' | 'exec' | 'plain-file' | 'none';

/** One context as `guardia kube contexts` shows it. */
export interface KubeContextInfo {
  name: string;
  /** The kubeconfig that defines it (Guardia's own for imported contexts). */
  file: string;
  /** True when Guardia uses its imported, keychain-backed copy of this context. */
  imported: boolean;
  server: string | null;
  namespace: string | null;
  user: string | null;
  credentials: CredentialLocation;
  /** What exactly, item by item: a secret in the file, a secret in another file, an exec plugin, a keychain entry. */
  details: CredentialDetail[];
  /** Set when secrets sit in a plain file (including an imported context whose original still holds them). */
  warning: string | null;
}

/**
 * One piece of a context's credentials: a secret held in the kubeconfig itself (`at` null), a secret
 * in another file (`at` its path), an exec plugin (`at` its command) or a keychain entry (`at` its name).
 * Structured so each face words it in its own language.
 */
export interface CredentialDetail {
  what: KubeSecretKind | 'exec' | 'keychain';
  at: string | null;
}

/** English wording of a detail, for the CLI and error messages ("token in the file", "exec kubelogin"). */
export function describeDetail(d: CredentialDetail): string {
  if (d.what === 'exec') return `exec ${d.at ?? ''}`.trim();
  if (d.what === 'keychain') return `keychain: ${d.at ?? ''}`;
  const what = d.what.replace('auth-provider.', 'auth-provider ').replace('client-', 'client ');
  return d.at === null ? `${what} in the file` : `${what} in ${d.at}`;
}

/** Classifies one user stanza of `file`. */
export function credentialsOf(
  user: Record<string, unknown> | undefined,
  file: string,
): { credentials: CredentialLocation; details: CredentialDetail[] } {
  const keychain = keychainEntriesOf(user);
  const plain = presentSecretFields(user);
  const exec = user?.exec as { command?: unknown } | undefined;
  const details: CredentialDetail[] = plain.map((f) => ({ what: f.kind, at: f.form === 'file' ? resolveFrom(file, stringAt(user, f.path)!) : null }));
  for (const entry of Object.values(keychain)) details.push({ what: 'keychain', at: entry });
  if (exec && typeof exec.command === 'string') details.push({ what: 'exec', at: exec.command });
  const credentials: CredentialLocation = plain.length
    ? 'plain-file'
    : Object.keys(keychain).length
      ? 'keychain'
      : exec
        ? 'exec'
        : 'none';
  return { credentials, details };
}

/** A kubeconfig file and its parsed document, or null when the file does not exist. */
export async function readKubeconfig(files: KubeFiles, file: string): Promise<KubeconfigDoc | null> {
  const text = await files.read(file);
  return text === null ? null : parseKubeconfig(text, file);
}

function contextsOf(doc: KubeconfigDoc, file: string, imported: boolean): KubeContextInfo[] {
  return (doc.contexts ?? []).filter((c) => c && typeof c.name === 'string').map((c) => {
    const cluster = doc.clusters?.find((x) => x.name === c.context?.cluster);
    const user = doc.users?.find((x) => x.name === c.context?.user);
    const { credentials, details } = credentialsOf(user?.user, file);
    return {
      name: c.name,
      file,
      imported,
      server: typeof cluster?.cluster?.server === 'string' ? cluster.cluster.server : null,
      namespace: c.context?.namespace ?? null,
      user: c.context?.user ?? null,
      credentials,
      details,
      warning: credentials === 'plain-file' ? `secrets in a plain file (${file}): import it with guardia kube import --context ${c.name}` : null,
    };
  });
}

/**
 * Every context Guardia can use, merged like kubectl merges $KUBECONFIG (first definition wins), with
 * Guardia's imported contexts taking precedence over the user's files. An imported context whose
 * original file still holds its secrets carries a warning saying how to remove them.
 */
export async function listKubeContexts(opts: {
  files: KubeFiles;
  kubeconfigs: string[];
  guardiaKubeconfig: string;
}): Promise<KubeContextInfo[]> {
  const out = new Map<string, KubeContextInfo>();
  const guardia = await readKubeconfig(opts.files, opts.guardiaKubeconfig);
  if (guardia) for (const c of contextsOf(guardia, opts.guardiaKubeconfig, true)) out.set(c.name, c);
  const seen = new Set<string>();
  for (const file of opts.kubeconfigs) {
    const doc = await readKubeconfig(opts.files, file);
    if (!doc) continue;
    for (const c of contextsOf(doc, file, false)) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      const mine = out.get(c.name);
      if (!mine) {
        out.set(c.name, c);
      } else if (c.credentials === 'plain-file') {
        mine.warning = `imported, but ${file} still holds its secrets (${c.details.map(describeDetail).join('; ')}): guardia kube import --context ${c.name} --remove-from-original`;
      }
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Finds a context with its cluster and user in the first of `kubeconfigs` that defines it. */
export async function findContext(
  files: KubeFiles,
  kubeconfigs: string[],
  name: string,
): Promise<{
  file: string;
  text: string;
  doc: KubeconfigDoc;
  context: NonNullable<KubeconfigDoc['contexts']>[number];
  cluster: NonNullable<KubeconfigDoc['clusters']>[number];
  user: NonNullable<KubeconfigDoc['users']>[number] | undefined;
}> {
  const known: string[] = [];
  for (const file of kubeconfigs) {
    const text = await files.read(file);
    if (text === null) continue;
    const doc = parseKubeconfig(text, file);
    const context = doc.contexts?.find((c) => c?.name === name);
    known.push(...(doc.contexts ?? []).map((c) => c.name));
    if (!context) continue;
    const cluster = doc.clusters?.find((c) => c.name === context.context?.cluster);
    if (!cluster) {
      throw new GuardiaError('kubernetes.config', `Context "${name}" in ${file} names cluster "${context.context?.cluster ?? ''}", which ${file} does not define`);
    }
    const user = context.context?.user ? doc.users?.find((u) => u.name === context.context!.user) : undefined;
    if (context.context?.user && !user) {
      throw new GuardiaError('kubernetes.config', `Context "${name}" in ${file} names user "${context.context.user}", which ${file} does not define`);
    }
    return { file, text, doc, context, cluster, user };
  }
  throw new GuardiaError(
    'kubernetes.unknown-context',
    `No context "${name}" in ${kubeconfigs.join(', ')} (contexts: ${[...new Set(known)].join(', ') || 'none'})`,
  );
}
