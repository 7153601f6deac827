import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { configSchema, isSecretKey, secretKeyMessage, type GuardiaConfig } from '../../../shared/config.js';
import { ConfigError, YamlSource, type ConfigIssue } from './errors.js';
import { loadPack } from './pack-loader.js';
import { packageRoot } from '../paths.js';

/** A loaded configuration: paths are absolute and `pack` is always set (the bundled pack by default). */
export type ResolvedConfig = GuardiaConfig & { pack: string; file: string };

/** The bundled Tiendi pack, found from the package root so it works from source and from a dist build. */
export function defaultPackDir(): string {
  return join(packageRoot(), 'resources', 'packs', 'tiendi');
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/**
 * Reads and validates Guardia's YAML configuration. Throws a ConfigError naming file:line:column for each
 * problem, including a literal secret (password, token, apiKey...) that should be a keychain entry.
 * Relative paths (pack, kubeconfig) are resolved against the config file's folder.
 */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`;
    throw new ConfigError([{ file: path, line: 1, column: 1, message }], `invalid configuration ${path}`);
  }
  const source = YamlSource.parse(path, text);
  if (source.syntaxIssues.length > 0) throw new ConfigError(source.syntaxIssues, `invalid configuration ${path}`);
  if (source.empty) {
    throw new ConfigError([{ file: path, line: 1, column: 1, message: 'the file is empty (it needs at least `version: 1` and `environments`)' }], `invalid configuration ${path}`);
  }
  const parsed = configSchema.safeParse(source.value);
  if (!parsed.success) {
    const issues = source.zodIssues(parsed.error.issues, (key) => (isSecretKey(key) ? secretKeyMessage(key) : undefined));
    throw new ConfigError(issues, `invalid configuration ${path}`);
  }
  const base = dirname(path);
  const config = parsed.data;
  return {
    ...config,
    file: path,
    pack: config.pack === undefined ? defaultPackDir() : resolve(base, expandHome(config.pack)),
    environments: config.environments.map((env) => {
      const kube = env.connections.kubernetes;
      if (!kube?.kubeconfig) return env;
      return {
        ...env,
        connections: { ...env.connections, kubernetes: { ...kube, kubeconfig: resolve(base, expandHome(kube.kubeconfig)) } },
      };
    }),
  };
}

/** What `guardia check` verifies: the config file (when given) and the pack it names (or `packDir`). */
export interface CheckOptions {
  configFile?: string;
  packDir?: string;
}

/**
 * Checks a configuration and its pack without starting anything, for `guardia check` and CI. Returns every
 * issue found (empty when all is well); never throws for invalid input.
 */
export async function checkAll(options: CheckOptions = {}): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  let packDir = options.packDir === undefined ? undefined : resolve(options.packDir);
  if (options.configFile !== undefined) {
    try {
      const config = await loadConfig(options.configFile);
      packDir ??= config.pack;
    } catch (e) {
      issues.push(...toIssues(e, resolve(options.configFile)));
      packDir ??= await packFromBrokenConfig(options.configFile);
    }
  }
  try {
    await loadPack(packDir ?? defaultPackDir());
  } catch (e) {
    issues.push(...toIssues(e, packDir ?? defaultPackDir()));
  }
  return issues;
}

function toIssues(e: unknown, file: string): ConfigIssue[] {
  if (e instanceof ConfigError) return e.issues;
  return [{ file, line: 1, column: 1, message: e instanceof Error ? e.message : String(e) }];
}

/** The pack an invalid config names, if it can still be read, so the pack is checked too. */
async function packFromBrokenConfig(file: string): Promise<string | undefined> {
  try {
    const path = resolve(file);
    const source = YamlSource.parse(path, await readFile(path, 'utf8'));
    const pack = (source.value as { pack?: unknown } | undefined)?.pack;
    return typeof pack === 'string' && pack.length > 0 ? resolve(dirname(path), expandHome(pack)) : undefined;
  } catch {
    return undefined;
  }
}
