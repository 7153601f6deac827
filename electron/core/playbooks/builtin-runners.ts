import { GuardiaError } from '../../../shared/result.js';
import type { CertificateExpiry } from '../tls/certificate-expiry.js';
import { param, reading, table, UnsupportedStepError, type PreviewParts, type StepParams, type StepReading, type StepRunner } from './step-runner.js';
import { say } from '../../../shared/said.js';

/** A runner that only reads; actions of its system are refused with the reason. */
abstract class ReadOnlyRunner {
  async preview(operation: string): Promise<PreviewParts> {
    throw new UnsupportedStepError(`Action "${operation}"`);
  }
  async write(operation: string): Promise<string> {
    throw new UnsupportedStepError(`Action "${operation}"`);
  }
}

/** Runbook steps meant for a person (heap snapshots, calling a provider): shown as instructions. */
export class ManualRunner extends ReadOnlyRunner implements StepRunner {
  readonly system = 'manual' as const;
  unavailable(): string | null {
    return 'A manual step: follow the runbook text';
  }
  async read(_operation: string, params: StepParams): Promise<StepReading> {
    const extra = Object.entries(params).map(([k, v]) => `${k}: ${String(v)}`);
    return reading({ kind: 'text', text: extra.join('\n'), note: null }, say('diag.manual'));
  }
}

/** The §7.5 certificate check, natively; the demo passes a stand-in. */
export class TlsRunner extends ReadOnlyRunner implements StepRunner {
  readonly system = 'tls' as const;
  constructor(private readonly check: (host: string, port: number, signal: AbortSignal) => Promise<CertificateExpiry>) {
    super();
  }
  unavailable(operation: string): string | null {
    return operation === 'certificate.expiry' ? null : `TLS operation "${operation}" is not supported by this connector`;
  }
  async read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading> {
    if (operation !== 'certificate.expiry') throw new UnsupportedStepError(`TLS operation "${operation}"`);
    const host = param(params, 'host', 'certificate.expiry');
    const port = Number(params.port ?? 443);
    const c = await this.check(host, port, signal);
    const row = {
      notBefore: new Date(c.notBefore).toUTCString(),
      notAfter: new Date(c.notAfter).toUTCString(),
      daysLeft: c.daysLeft,
      subject: c.subject,
      issuer: c.issuer,
      verify: c.verifyError || 'ok',
    };
    const summary =
      c.daysLeft < 0
        ? say('diag.tlsExpired', { host, port, days: -c.daysLeft, notAfter: row.notAfter })
        : say('diag.tlsExpires', { host, port, days: c.daysLeft, notAfter: row.notAfter });
    return reading(table(['notBefore', 'notAfter', 'daysLeft', 'subject', 'issuer', 'verify'], [row]), summary);
  }
}

/** A status page fetched over https (curl https://status.niubiz.com.pe); the demo passes a stand-in. */
export class HttpRunner extends ReadOnlyRunner implements StepRunner {
  readonly system = 'http' as const;
  constructor(private readonly fetchStatus: (url: string, signal: AbortSignal) => Promise<{ status: number; ms: number; title: string }> = fetchPage) {
    super();
  }
  unavailable(operation: string): string | null {
    return operation === 'status.check' ? null : `HTTP operation "${operation}" is not supported by this connector`;
  }
  async read(operation: string, params: StepParams, signal: AbortSignal): Promise<StepReading> {
    if (operation !== 'status.check') throw new UnsupportedStepError(`HTTP operation "${operation}"`);
    const url = param(params, 'url', 'status.check');
    if (!url.startsWith('https://')) throw new GuardiaError('playbooks.bad-param', `Only https URLs are fetched, got ${url}`);
    const r = await this.fetchStatus(url, signal);
    return reading(table(['url', 'status', 'ms', 'title'], [{ url, ...r }]), r.title ? say('diag.httpTitle', { url, status: r.status, ms: r.ms, title: r.title }) : say('diag.http', { url, status: r.status, ms: r.ms }));
  }
}

async function fetchPage(url: string, signal: AbortSignal): Promise<{ status: number; ms: number; title: string }> {
  const started = Date.now();
  const res = await fetch(url, { signal, redirect: 'follow' });
  const body = (await res.text()).slice(0, 200_000);
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(body)?.[1]?.trim() ?? '';
  return { status: res.status, ms: Date.now() - started, title };
}
