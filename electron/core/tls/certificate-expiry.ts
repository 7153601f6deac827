import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { GuardiaError } from '../../../shared/result.js';

/** What `openssl s_client … | openssl x509 -noout -dates` shows, plus days left and the chain's verdict. */
export interface CertificateExpiry {
  host: string;
  port: number;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  daysLeft: number;
  /** Whether Node's default CA store trusts the chain for this name ("" when it does). */
  verifyError: string;
}

/**
 * Reads the certificate a server presents for `servername` natively (node:tls), as the runbook's
 * openssl check does, without trusting it: an expired or self-signed certificate is exactly what this
 * step must be able to show.
 */
export function certificateExpiry(
  host: string,
  port: number,
  opts: { servername?: string; timeoutMs?: number; now?: () => number; ca?: string | Buffer } = {},
): Promise<CertificateExpiry> {
  const now = opts.now ?? Date.now;
  return new Promise((resolve, reject) => {
    // SNI carries names only (RFC 6066): an IP address is sent without one.
    const servername = opts.servername ?? (isIP(host) ? undefined : host);
    const socket = connect({ host, port, servername, rejectUnauthorized: false, ca: opts.ca });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new GuardiaError('tls.timeout', `TLS ${host}:${port}: no handshake within ${opts.timeoutMs ?? 10_000} ms`));
    }, opts.timeoutMs ?? 10_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const verifyError = socket.authorizationError ? String(socket.authorizationError) : '';
      socket.end();
      if (!cert || !cert.valid_to) {
        reject(new GuardiaError('tls.no-certificate', `TLS ${host}:${port}: the server presented no certificate`));
        return;
      }
      const notBefore = Date.parse(cert.valid_from);
      const notAfter = Date.parse(cert.valid_to);
      const name = (x: Record<string, unknown> | undefined) => (x ? Object.entries(x).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '');
      resolve({
        host,
        port,
        subject: name(cert.subject as unknown as Record<string, unknown>),
        issuer: name(cert.issuer as unknown as Record<string, unknown>),
        notBefore,
        notAfter,
        daysLeft: Math.floor((notAfter - now()) / 86_400_000),
        verifyError,
      });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new GuardiaError('tls.error', `TLS ${host}:${port}: ${error.message}`));
    });
  });
}
