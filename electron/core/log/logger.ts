import type { Logger } from '../ports.js';

/**
 * Secrets must never reach a log line or an error message. Every secret core resolves is registered
 * here, and every line written is scrubbed of all registered values before it leaves the process.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    // Very short values would redact ordinary words; keychain secrets are never that short.
    if (secret.length < 4) return;
    this.secrets.add(secret);
    // Redaction runs on JSON text (log lines, contract results, events): a secret with a quote,
    // backslash or control character appears there escaped, once or twice (an error body quoted in a message).
    const once = JSON.stringify(secret).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    this.secrets.add(once);
    this.secrets.add(twice);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON-lines logger to a writable sink (stderr by default), redacting registered secrets. */
export function createLogger(opts: {
  level?: LogLevel;
  redactor: Redactor;
  write?: (line: string) => void;
  now?: () => number;
}): Logger {
  const min = order[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const now = opts.now ?? Date.now;
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    const line = JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...fields }, errorReplacer);
    write(`${opts.redactor.redact(line)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that drops everything (tests that do not inspect logs). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
