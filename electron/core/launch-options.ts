import { parseArgs } from 'node:util';
import { GuardiaError } from '../../shared/result.js';

/** How Guardia was asked to start: which configuration, or quick-connect targets, or the demo. */
export interface LaunchOptions {
  configFile?: string;
  packDir?: string;
  environment?: string;
  prometheus?: string;
  alertmanagers: string[];
  kubeconfig?: string;
  context?: string;
  demoSpeed?: number;
  demoSeed?: number;
  refreshSeconds?: number;
}

/** Flags shared by `npm start`, `guardia serve|status|alerts|watch` and the Electron app. */
export const launchFlags = {
  config: { type: 'string' },
  pack: { type: 'string' },
  env: { type: 'string' },
  prometheus: { type: 'string' },
  alertmanager: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'demo-speed': { type: 'string' },
  'demo-seed': { type: 'string' },
  refresh: { type: 'string' },
} as const;

function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new GuardiaError('cli.bad-flag', `--${flag} needs a positive number, got "${raw}"`);
  return n;
}

function httpUrl(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // fall through to the error below
  }
  throw new GuardiaError('cli.bad-flag', `--${flag} needs an http(s) URL, got "${raw}"`);
}

/** Reads launch flags from parsed values (CLI) or raw argv (Electron), with GUARDIA_CONFIG as fallback. */
export function launchOptionsFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const v = values as Record<string, string | string[] | undefined>;
  return {
    configFile: (v.config as string | undefined) ?? env.GUARDIA_CONFIG ?? undefined,
    packDir: v.pack as string | undefined,
    environment: v.env as string | undefined,
    prometheus: httpUrl('prometheus', v.prometheus as string | undefined),
    alertmanagers: ((v.alertmanager as string[] | undefined) ?? []).map((u) => httpUrl('alertmanager', u)!),
    kubeconfig: v.kubeconfig as string | undefined,
    context: v.context as string | undefined,
    demoSpeed: positiveNumber('demo-speed', v['demo-speed'] as string | undefined),
    demoSeed: positiveNumber('demo-seed', v['demo-seed'] as string | undefined),
    refreshSeconds: positiveNumber('refresh', v.refresh as string | undefined),
  };
}

/** Electron passes its own switches too; unknown ones are ignored here. */
export function parseLaunchArgs(argv: string[]): LaunchOptions {
  const { values } = parseArgs({ args: argv, options: launchFlags, strict: false, allowPositionals: true });
  return launchOptionsFrom(values);
}
