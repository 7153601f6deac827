import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { isMap, isScalar, parseDocument, stringify as toYaml } from 'yaml';
import { GuardiaError } from '../../../shared/result.js';
import type { Redactor } from '../log/logger.js';
import type { ClusterPort, SecretStore } from '../ports.js';
import {
  diskKubeFiles,
  findContext,
  keychainEntriesOf,
  keychainExtensionName,
  parseKubeconfig,
  presentSecretFields,
  resolveFrom,
  stringAt,
  type KubeconfigDoc,
  type KubeFiles,
  type KubeSecretKind,
  type SecretField,
} from './kube-contexts.js';
import { KubernetesCluster, type KubernetesClusterOptions } from './kubernetes-cluster.js';

/**
 * Importing a kubeconfig context into Guardia: its secrets move to the OS keychain and Guardia keeps
 * its own kubeconfig with only references to them; at use the KubeConfig is built in memory. Lens users
 * have asked for this since 2020 (lensapp/lens#349); tokens and client keys in ~/.kube/config are the
 * most common plain-text production credential on an engineer's laptop.
 */

/** Keychain entry name of one secret of an imported context: `kube.<context>.<kind>`. */
export function keychainEntryName(context: string, kind: KubeSecretKind): string {
  // Keychain names allow letters, digits and . _ @ - (KeychainSecretStore); EKS and GKE context names
  // contain : and /, so those become - and a short hash keeps two such names apart.
  let slug = context.replace(/[^A-Za-z0-9._@-]/g, '-');
  if (slug !== context || slug.length > 80) {
    slug = `${slug.slice(0, 72)}-${createHash('sha256').update(context).digest('hex').slice(0, 6)}`;
  }
  return `kube.${slug}.${kind}`;
}

/** One secret an import moves: where it was, and the keychain entry it goes to. */
export interface PlannedSecret {
  kind: KubeSecretKind;
  entry: string;
  /** e.g. "token in the file", "client key in /home/me/.kube/admin.key" (English, for the CLI). */
  from: string;
  /** The file it was read from; null when it was in the kubeconfig itself. */
  at: string | null;
}

/** What an import will do, as shown before it runs (no secret values). */
export interface ImportPreview {
  context: string;
  /** The kubeconfig the context comes from. */
  file: string;
  server: string;
  namespace: string | null;
  secrets: PlannedSecret[];
  /** The exec plugin the context authenticates with, kept as is (it holds no static secret). */
  exec: { command: string; args: string[] } | null;
  /** Guardia's own kubeconfig that will hold the context. */
  guardiaKubeconfig: string;
  /** Unified diff of removing the secrets from the original file; null when it holds none. */
  removalDiff: string | null;
  /** Secret files that removal leaves on disk (a tokenFile, a client-key path): Guardia never deletes them. */
  filesLeft: string[];
  /** Other contexts of the original file that use the same user (removal affects them too). */
  sharedWith: string[];
  notes: string[];
}

/** An import plan: the preview plus the values, which only core ever holds. */
export interface ImportPlan extends ImportPreview {
  values: Map<string, string>;
  guardiaText: string;
  originalText: string;
  removedText: string | null;
}

const kindLabel: Record<KubeSecretKind, string> = {
  token: 'token',
  'client-key': 'client key',
  'client-certificate': 'client certificate',
  password: 'basic-auth password',
  'auth-provider.id-token': 'auth-provider id-token',
  'auth-provider.refresh-token': 'auth-provider refresh-token',
  'auth-provider.access-token': 'auth-provider access-token',
  'auth-provider.client-secret': 'auth-provider client-secret',
};

function deepCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function deleteAt(obj: Record<string, unknown>, path: readonly string[]): void {
  let cur: unknown = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof cur !== 'object' || cur === null) return;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (typeof cur === 'object' && cur !== null) delete (cur as Record<string, unknown>)[path[path.length - 1]!];
}

async function secretValue(files: KubeFiles, file: string, user: Record<string, unknown>, f: SecretField): Promise<{ value: string; from: string }> {
  const raw = stringAt(user, f.path)!;
  if (f.form === 'value') return { value: raw, from: `${kindLabel[f.kind]} in the file` };
  if (f.form === 'base64') return { value: Buffer.from(raw, 'base64').toString('utf8'), from: `${kindLabel[f.kind]} in the file` };
  const path = resolveFrom(file, raw);
  const text = await files.read(path);
  if (text === null) {
    throw new GuardiaError('kubernetes.config', `${file} names ${path} as the ${kindLabel[f.kind]}, but it does not exist`);
  }
  return { value: f.kind === 'token' ? text.trim() : text, from: `${kindLabel[f.kind]} in ${path}` };
}

/**
 * Reads a context from `kubeconfigs` (the first file that defines it wins, as with kubectl) and works
 * out the import: which secrets go to which keychain entry, Guardia's new kubeconfig text, and the
 * original file with those secrets removed, as a unified diff. Nothing is written.
 */
export async function planKubeImport(opts: {
  files: KubeFiles;
  kubeconfigs: string[];
  context: string;
  guardiaKubeconfig: string;
}): Promise<ImportPlan> {
  const { files, context: name } = opts;
  const found = await findContext(files, opts.kubeconfigs, name);
  const { file, doc } = found;
  const user = found.user?.user ?? {};
  const values = new Map<string, string>();
  const secrets: PlannedSecret[] = [];
  const notes: string[] = [];
  const filesLeft: string[] = [];
  const fields = presentSecretFields(user);
  for (const f of fields) {
    const entry = keychainEntryName(name, f.kind);
    if (values.has(entry)) continue; // both token and tokenFile: kubectl uses token; so do we
    const { value, from } = await secretValue(files, file, user, f);
    if (!value) throw new GuardiaError('kubernetes.config', `The ${kindLabel[f.kind]} of context "${name}" in ${file} is empty`);
    values.set(entry, value);
    secrets.push({ kind: f.kind, entry, from, at: f.form === 'file' ? resolveFrom(file, stringAt(user, f.path)!) : null });
    if (f.form === 'file') filesLeft.push(resolveFrom(file, stringAt(user, f.path)!));
  }

  // Guardia's user: the original minus every secret, plus the keychain references.
  const guardiaUser = deepCopy(user);
  for (const f of fields) deleteAt(guardiaUser, f.path);
  const execStanza = user.exec as { command?: unknown; args?: unknown } | undefined;
  const exec =
    execStanza && typeof execStanza.command === 'string'
      ? { command: execStanza.command, args: Array.isArray(execStanza.args) ? execStanza.args.map(String) : [] }
      : null;
  // A relative exec command (`./bin/plugin`) is relative to the original file's folder, not Guardia's.
  if (exec && /[\\/]/.test(exec.command) && !isAbsolute(exec.command)) {
    (guardiaUser.exec as { command: string }).command = resolveFrom(file, exec.command);
  }
  if (exec) notes.push(`authenticates with the exec plugin "${exec.command}", which holds no static secret: the exec stanza is kept as is`);
  if (!secrets.length && !exec) notes.push('the user holds no credential (anonymous, or the cluster uses another mechanism)');
  if (secrets.length) {
    const others = Array.isArray(guardiaUser.extensions)
      ? (guardiaUser.extensions as Array<{ name?: unknown }>).filter((e) => e?.name !== keychainExtensionName)
      : [];
    guardiaUser.extensions = [
      ...others,
      { name: keychainExtensionName, extension: { service: 'guardia', entries: Object.fromEntries(secrets.map((s) => [s.kind, s.entry])) } },
    ];
  }

  // CA data is not secret: keep it, inlined so Guardia's file does not depend on the original's folder.
  const cluster = deepCopy(found.cluster.cluster ?? {});
  const caPath = stringAt(cluster, ['certificate-authority']);
  if (caPath && !stringAt(cluster, ['certificate-authority-data'])) {
    const ca = await files.read(resolveFrom(file, caPath));
    if (ca !== null) {
      cluster['certificate-authority-data'] = Buffer.from(ca).toString('base64');
      delete cluster['certificate-authority'];
    } else {
      cluster['certificate-authority'] = resolveFrom(file, caPath);
      notes.push(`the cluster's CA file ${resolveFrom(file, caPath)} does not exist; Guardia's copy still names it`);
    }
  }
  const server = stringAt(cluster, ['server']);
  if (!server) throw new GuardiaError('kubernetes.config', `Cluster "${found.cluster.name}" of context "${name}" in ${file} has no server`);

  const existingText = await files.read(opts.guardiaKubeconfig);
  const guardiaDoc: KubeconfigDoc = existingText ? parseKubeconfig(existingText, opts.guardiaKubeconfig) : {};
  // Importing again from a file whose secrets were already removed would drop the keychain references.
  const already = guardiaDoc.contexts?.find((c) => c.name === name);
  const alreadyUser = already && guardiaDoc.users?.find((u) => u.name === already.context?.user);
  if (!secrets.length && !exec && Object.keys(keychainEntriesOf(alreadyUser?.user)).length) {
    throw new GuardiaError(
      'kubernetes.nothing-to-import',
      `Context "${name}" is already imported and ${file} no longer holds its credentials: nothing to import. ` +
        `To use a new token: guardia kube set-token --context ${name}`,
      { context: name },
    );
  }
  const upsert = <T extends { name: string }>(list: T[] | undefined, item: T): T[] => [...(list ?? []).filter((x) => x.name !== item.name), item];
  const namespace = found.context.context?.namespace ?? null;
  const next: KubeconfigDoc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    ...guardiaDoc,
    clusters: upsert(guardiaDoc.clusters, { name, cluster }),
    users: upsert(guardiaDoc.users, { name, user: guardiaUser }),
    contexts: upsert(guardiaDoc.contexts, { name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }),
  };
  const guardiaText =
    '# Guardia\'s kubeconfig of imported contexts. It holds no secret: users name OS keychain entries\n' +
    `# (extension "${keychainExtensionName}", service "guardia"). Written by guardia kube import.\n` +
    toYaml(next, { lineWidth: 0 });

  // The original file with this user's secrets removed, keeping the rest of the file as it was.
  const originalText = found.text;
  let removedText: string | null = null;
  const sharedWith: string[] = [];
  if (fields.length && found.user) {
    const index = (doc.users ?? []).findIndex((u) => u === found.user);
    removedText = removeUserFields(originalText, index, fields);
    sharedWith.push(...(doc.contexts ?? []).filter((c) => c.name !== name && c.context?.user === found.user!.name).map((c) => c.name));
  }
  const rawSecrets = fields.filter((f) => f.form !== 'file').map((f) => stringAt(user, f.path)!);
  const removalDiff = removedText === null ? null : hideSecrets(unifiedDiff(originalText, removedText, file), rawSecrets);
  return {
    context: name,
    file,
    server,
    namespace,
    secrets,
    exec,
    guardiaKubeconfig: opts.guardiaKubeconfig,
    removalDiff,
    filesLeft,
    sharedWith,
    notes,
    values,
    guardiaText,
    originalText,
    removedText,
  };
}

/**
 * The kubeconfig text without the given fields of users[index].user. Cuts exactly the lines that hold
 * them, so comments and formatting elsewhere stay byte for byte; where that is not possible (a flow
 * mapping such as `user: {token: x}`) or the cut would change anything else, the document is
 * re-serialized instead (the diff then shows every changed line).
 */
export function removeUserFields(text: string, index: number, fields: readonly SecretField[]): string {
  const doc = parseDocument(text);
  const cuts: Array<[number, number]> = [];
  let surgical = true;
  for (const f of fields) {
    const parent = doc.getIn(['users', index, 'user', ...f.path.slice(0, -1)], true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === f.path[f.path.length - 1]) : undefined;
    const start = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
    const end = (pair?.value as { range?: [number, number, number] } | undefined)?.range?.[2];
    if (start === undefined || end === undefined) {
      surgical = false;
      break;
    }
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (text.slice(lineStart, start).trim() !== '') {
      surgical = false;
      break;
    }
    const newline = text.indexOf('\n', Math.max(end - 1, start));
    cuts.push([lineStart, newline === -1 ? text.length : newline + 1]);
  }
  if (surgical) {
    let out = text;
    for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
    const expected = parseDocument(text);
    for (const f of fields) expected.deleteIn(['users', index, 'user', ...f.path]);
    const tidy = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x === null || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0) ? undefined : x));
    if (tidy(parseDocument(out).toJS()) === tidy(expected.toJS())) return out;
  }
  for (const f of fields) doc.deleteIn(['users', index, 'user', ...f.path]);
  return doc.toString({ lineWidth: 0, indentSeq: !/^- /m.test(text) });
}

const secretLine = /^([-+ ]\s*(?:- )?(?:token|client-key-data|client-certificate-data|password|id-token|refresh-token|access-token|client-secret):\s*)(\S.*)$/;

/**
 * The diff shows which lines go, never what they held: a secret's value becomes "‹hidden, N characters›"
 * (the diff is shown in the window and printed by the CLI).
 */
export function hideSecrets(diff: string, rawValues: string[]): string {
  const values = rawValues.filter((v) => v.length >= 4).sort((x, y) => y.length - x.length);
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return line;
      const m = secretLine.exec(line);
      let out = m ? `${m[1]}‹hidden, ${m[2]!.length} characters›` : line;
      for (const v of values) out = out.split(v).join(`‹hidden, ${v.length} characters›`);
      return out;
    })
    .join('\n');
}

/** The part of a plan that may leave core (no values, no file texts). */
export function previewOf(plan: ImportPlan): ImportPreview {
  const { values: _v, guardiaText: _g, originalText: _o, removedText: _r, ...preview } = plan;
  return preview;
}

/** What an import did. */
export interface ImportOutcome {
  context: string;
  stored: PlannedSecret[];
  exec: ImportPreview['exec'];
  guardiaKubeconfig: string;
  /** The original file, when its secrets were removed. */
  removedFrom: string | null;
  /** Copy of the original file (mode 0600) kept when secrets were removed. */
  backup: string | null;
  filesLeft: string[];
  notes: string[];
}

/**
 * Runs a plan: stores every secret in the keychain (read back by the store), then writes Guardia's
 * kubeconfig (0600), then — only when asked — backs up the original next to itself (0600) and removes
 * the secrets from it. A keychain failure stops before any file is written.
 */
export async function applyKubeImport(
  plan: ImportPlan,
  opts: { files: KubeFiles; secrets: SecretStore; redactor?: Redactor; removeFromOriginal: boolean; now?: () => Date },
): Promise<ImportOutcome> {
  for (const [entry, value] of plan.values) {
    registerSecret(opts.redactor, value);
    try {
      await opts.secrets.set(entry, value);
    } catch (error) {
      throw keychainError(plan.context, error, 'store');
    }
  }
  await opts.files.write(plan.guardiaKubeconfig, plan.guardiaText);
  let backup: string | null = null;
  let removedFrom: string | null = null;
  if (opts.removeFromOriginal && plan.removedText !== null) {
    const current = await opts.files.read(plan.file);
    if (current !== plan.originalText) {
      throw new GuardiaError('kubernetes.changed', `${plan.file} changed since the preview: nothing was removed from it; import again to see the new diff`);
    }
    const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    backup = `${plan.file}.guardia-backup-${stamp}`;
    await opts.files.write(backup, plan.originalText);
    await opts.files.write(plan.file, plan.removedText);
    removedFrom = plan.file;
  }
  return {
    context: plan.context,
    stored: plan.secrets,
    exec: plan.exec,
    guardiaKubeconfig: plan.guardiaKubeconfig,
    removedFrom,
    backup,
    filesLeft: removedFrom ? plan.filesLeft : [],
    notes: plan.notes,
  };
}

function registerSecret(redactor: Redactor | undefined, value: string): void {
  if (!redactor) return;
  redactor.add(value);
  redactor.add(Buffer.from(value).toString('base64'));
  for (const line of value.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) redactor.add(line);
}

function keychainError(context: string, error: unknown, doing: 'read' | 'store'): GuardiaError {
  const why = error instanceof Error ? error.message : String(error);
  return new GuardiaError(
    'kubernetes.keychain',
    doing === 'read'
      ? `Context "${context}" is imported into Guardia and its credentials are in the OS keychain, which failed: ${why} ` +
          '(Guardia never falls back to the credentials of the original kubeconfig)'
      : `Could not store the credentials of context "${context}" in the OS keychain: ${why} (nothing was written)`,
    { context, imported: true },
  );
}

/** Whether `context` is one of Guardia's imported contexts. */
export async function isImported(files: KubeFiles, guardiaKubeconfig: string, context: string): Promise<boolean> {
  const text = await files.read(guardiaKubeconfig);
  return text !== null && Boolean(parseKubeconfig(text, guardiaKubeconfig).contexts?.some((c) => c.name === context));
}

/**
 * Builds the KubeConfig of an imported context in memory from Guardia's secret-free file and the
 * keychain (client-node's loadFromOptions): no file with a secret is ever written. Every value read
 * is registered with the redactor. A keychain failure is an error naming the context.
 */
export async function loadImportedKubeConfig(opts: {
  files: KubeFiles;
  guardiaKubeconfig: string;
  context: string;
  secrets: SecretStore;
  redactor?: Redactor;
}): Promise<KubeConfig> {
  const name = opts.context;
  const found = await findContext(opts.files, [opts.guardiaKubeconfig], name).catch((error: unknown) => {
    if (error instanceof GuardiaError && error.code === 'kubernetes.unknown-context') {
      throw new GuardiaError('kubernetes.not-imported', `Context "${name}" is not imported into Guardia: guardia kube import --context ${name}`);
    }
    throw error;
  });
  const raw = found.user?.user ?? {};
  const entries = keychainEntriesOf(raw);
  const read = async (kind: KubeSecretKind): Promise<string | undefined> => {
    const entry = entries[kind];
    if (!entry) return undefined;
    try {
      const value = await opts.secrets.get(entry);
      registerSecret(opts.redactor, value);
      return value;
    } catch (error) {
      throw keychainError(name, error, 'read');
    }
  };
  const [token, key, cert, password, idToken, refreshToken, accessToken, clientSecret] = await Promise.all(
    (
      [
        'token',
        'client-key',
        'client-certificate',
        'password',
        'auth-provider.id-token',
        'auth-provider.refresh-token',
        'auth-provider.access-token',
        'auth-provider.client-secret',
      ] as const
    ).map(read),
  );
  const b64 = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s).toString('base64'));
  let authProvider = raw['auth-provider'] as { name?: string; config?: Record<string, string> } | undefined;
  if (authProvider) {
    const config = { ...(authProvider.config ?? {}) };
    if (idToken) config['id-token'] = idToken;
    if (refreshToken) config['refresh-token'] = refreshToken;
    if (accessToken) config['access-token'] = accessToken;
    if (clientSecret) config['client-secret'] = clientSecret;
    authProvider = { ...authProvider, config };
  }
  const user: User = {
    name,
    token,
    keyData: b64(key),
    certData: b64(cert),
    username: typeof raw.username === 'string' ? raw.username : undefined,
    password,
    exec: raw.exec,
    authProvider,
    impersonateUser: typeof raw.as === 'string' ? raw.as : undefined,
  };
  const c = found.cluster.cluster ?? {};
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: String(c.server),
        caData: stringAt(c, ['certificate-authority-data']),
        caFile: stringAt(c, ['certificate-authority']),
        skipTLSVerify: c['insecure-skip-tls-verify'] === true,
        tlsServerName: stringAt(c, ['tls-server-name']),
        proxyUrl: stringAt(c, ['proxy-url']),
      },
    ],
    users: [user],
    contexts: [{ name, cluster: name, user: name, namespace: found.context.context?.namespace }],
    currentContext: name,
  });
  return kc;
}

/**
 * The ClusterPort of an imported context, built on first use (so a locked keychain makes the cluster
 * fail with a clear error instead of stopping Guardia from starting). A 401 says which context was
 * rejected and how to replace its token or re-import it, and drops the cached client so the next call
 * reads the keychain again (picking up a replaced token).
 */
export function importedCluster(opts: {
  context: string;
  load: () => Promise<KubeConfig>;
  clusterOptions?: KubernetesClusterOptions;
}): ClusterPort {
  let cached: Promise<KubernetesCluster> | null = null;
  const get = () => {
    cached ??= opts.load().then((kc) => new KubernetesCluster(kc, opts.context, { source: "Guardia's imported kubeconfig", ...opts.clusterOptions }));
    cached.catch(() => (cached = null));
    return cached;
  };
  const port: Record<string, unknown> = { context: opts.context };
  // Forward every method KubernetesCluster has (including ones added later), and only those: optional
  // ClusterPort methods it lacks stay undefined, as callers test for them.
  for (const method of Object.getOwnPropertyNames(KubernetesCluster.prototype)) {
    if (method === 'constructor' || typeof (KubernetesCluster.prototype as unknown as Record<string, unknown>)[method] !== 'function') continue;
    port[method] = async (...args: unknown[]) => {
      const cluster = await get();
      try {
        return await (cluster as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
      } catch (error) {
        if (error instanceof GuardiaError && error.code === 'kubernetes.unauthorized') {
          cached = null;
          throw new GuardiaError(
            error.code,
            `${error.message}. Context "${opts.context}" is imported into Guardia: replace its token with ` +
              `guardia kube set-token --context ${opts.context}, or import it again with guardia kube import --context ${opts.context}`,
            { ...(error.detail as object), imported: true, reimport: true },
          );
        }
        throw error;
      }
    };
  }
  return port as unknown as ClusterPort;
}

/**
 * "Replace token" for an imported context: stores the new token in its keychain entry (adding the
 * entry to Guardia's kubeconfig if the context had no token before). The old value is overwritten.
 */
export async function replaceKubeToken(opts: {
  files: KubeFiles;
  guardiaKubeconfig: string;
  context: string;
  token: string;
  secrets: SecretStore;
  redactor?: Redactor;
}): Promise<{ context: string; entry: string }> {
  const token = opts.token.trim();
  if (!token) throw new GuardiaError('kubernetes.empty-token', `The new token for context "${opts.context}" is empty`);
  if (/\s/.test(token)) throw new GuardiaError('kubernetes.bad-token', `A bearer token has no spaces or line breaks (context "${opts.context}")`);
  registerSecret(opts.redactor, token);
  const text = await opts.files.read(opts.guardiaKubeconfig);
  const doc = text === null ? null : parseKubeconfig(text, opts.guardiaKubeconfig);
  const ctx = doc?.contexts?.find((c) => c.name === opts.context);
  if (!doc || !ctx) {
    throw new GuardiaError('kubernetes.not-imported', `Context "${opts.context}" is not imported into Guardia: guardia kube import --context ${opts.context}`);
  }
  const user = doc.users?.find((u) => u.name === ctx.context?.user);
  const existing = keychainEntriesOf(user?.user).token;
  const entry = existing ?? keychainEntryName(opts.context, 'token');
  try {
    await opts.secrets.set(entry, token);
  } catch (error) {
    throw keychainError(opts.context, error, 'store');
  }
  if (!existing && user) {
    const u = (user.user ??= {});
    const list = Array.isArray(u.extensions) ? (u.extensions as Array<{ name?: string; extension?: { entries?: Record<string, string> } }>) : [];
    const ext = list.find((e) => e.name === keychainExtensionName);
    if (ext) ext.extension = { ...ext.extension, entries: { ...ext.extension?.entries, token: entry } };
    else list.push({ name: keychainExtensionName, extension: { entries: { token: entry } } });
    u.extensions = list;
    await opts.files.write(opts.guardiaKubeconfig, toYaml(doc, { lineWidth: 0 }));
  }
  return { context: opts.context, entry };
}

/**
 * A unified diff (`diff -u` format, 3 lines of context) of two texts, so the user sees exactly which
 * lines an edit of their kubeconfig removes. Line-based LCS: kubeconfigs are small.
 */
export function unifiedDiff(before: string, after: string, file: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a[a.length - 1] === '') a.pop();
  if (b[b.length - 1] === '') b.pop();
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: ' ', line: a[i]!, ai: i++, bi: j++ });
    else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ t: '+', line: b[j]!, ai: i, bi: j++ });
    else ops.push({ t: '-', line: a[i]!, ai: i++, bi: j });
  }
  const changed = ops.map((o, k) => (o.t !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (!changed.length) return '';
  const out = [`--- ${file}`, `+++ ${file} (secrets removed)`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - 3);
    let end = Math.min(ops.length, changed[k]! + 4);
    while (k + 1 < changed.length && changed[k + 1]! - 3 <= end) end = Math.min(ops.length, changed[++k]! + 4);
    k++;
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + (aLen ? 1 : 0)},${aLen} +${hunk[0]!.bi + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The cluster for an environment's kubernetes connection (or quick connect's --context): the imported,
 * keychain-backed context when Guardia has one of that name and no kubeconfig file is named, else the
 * context of the named (or default) kubeconfig file, as before.
 */
export async function resolveKubeCluster(opts: {
  context?: string;
  kubeconfig?: string;
  defaultKubeconfig: string;
  guardiaKubeconfig: string;
  secrets: SecretStore;
  redactor?: Redactor;
  files?: KubeFiles;
  clusterOptions?: KubernetesClusterOptions;
}): Promise<ClusterPort> {
  const files = opts.files ?? diskKubeFiles;
  const context = opts.context;
  if (context && !opts.kubeconfig && (await isImported(files, opts.guardiaKubeconfig, context))) {
    return importedCluster({
      context,
      clusterOptions: opts.clusterOptions,
      load: () => loadImportedKubeConfig({ files, guardiaKubeconfig: opts.guardiaKubeconfig, context, secrets: opts.secrets, redactor: opts.redactor }),
    });
  }
  return KubernetesCluster.fromFile(opts.kubeconfig ?? opts.defaultKubeconfig, context, opts.clusterOptions);
}

/**
 * Undoes an import in Guardia: deletes the context's keychain entries and removes its context, cluster
 * and user from Guardia's kubeconfig. The original kubeconfig is not touched (restore it from the
 * backup if its secrets were removed).
 */
export async function forgetKubeContext(opts: {
  files: KubeFiles;
  guardiaKubeconfig: string;
  context: string;
  secrets: SecretStore;
}): Promise<{ context: string; deleted: string[]; missing: string[] }> {
  const text = await opts.files.read(opts.guardiaKubeconfig);
  const doc = text === null ? null : parseKubeconfig(text, opts.guardiaKubeconfig);
  const ctx = doc?.contexts?.find((c) => c.name === opts.context);
  if (!doc || !ctx) {
    throw new GuardiaError('kubernetes.not-imported', `Context "${opts.context}" is not imported into Guardia (nothing to forget)`);
  }
  const user = doc.users?.find((u) => u.name === ctx.context?.user);
  const deleted: string[] = [];
  const missing: string[] = [];
  for (const entry of Object.values(keychainEntriesOf(user?.user))) {
    try {
      await opts.secrets.delete(entry);
      deleted.push(entry);
    } catch (error) {
      if (error instanceof GuardiaError && error.code === 'secrets.missing') missing.push(entry);
      else throw error;
    }
  }
  const next: KubeconfigDoc = {
    ...doc,
    contexts: doc.contexts?.filter((c) => c !== ctx),
    clusters: doc.clusters?.filter((c) => c.name !== ctx.context?.cluster || doc.contexts?.some((o) => o !== ctx && o.context?.cluster === c.name)),
    users: doc.users?.filter((u) => u !== user || doc.contexts?.some((o) => o !== ctx && o.context?.user === u.name)),
  };
  await opts.files.write(opts.guardiaKubeconfig, toYaml(next, { lineWidth: 0 }));
  return { context: opts.context, deleted, missing };
}
