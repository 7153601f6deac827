import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateExpiry } from '../../../../electron/core/tls/certificate-expiry.js';

let dir: string;
let server: Server;
let port: number;
let opensslEnd: number;
let opensslStart: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardia-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '12', '-subj', '/CN=tiendi.test'], { stdio: 'ignore' });
  const dates = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-dates'], { encoding: 'utf8' });
  opensslStart = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
  opensslEnd = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('certificate expiry, natively (§7.5)', () => {
  it('reads the same notBefore/notAfter as openssl x509 -dates, with days left, even for an untrusted certificate', async () => {
    const c = await certificateExpiry('127.0.0.1', port, { servername: 'tiendi.test' });
    expect(c.notBefore).toBe(opensslStart);
    expect(c.notAfter).toBe(opensslEnd);
    expect(c.daysLeft).toBe(11);
    expect(c.subject).toBe('CN=tiendi.test');
    expect(c.verifyError).toMatch(/SELF_SIGNED|self.signed/i);
  });

  it('counts an expired certificate as negative days', async () => {
    const c = await certificateExpiry('127.0.0.1', port, { now: () => opensslEnd + 3 * 86_400_000 + 1000 });
    expect(c.daysLeft).toBe(-4);
  });

  it('says where a connection failed', async () => {
    await expect(certificateExpiry('127.0.0.1', 1, { timeoutMs: 2000 })).rejects.toThrow(/TLS 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
