import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A self-signed serving certificate; the certificate is its own CA (what kubeconfig's certificate-authority names). */
export interface ServingCert {
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/**
 * Generates a P-256 key and a one-day self-signed certificate for 127.0.0.1 and localhost with the
 * `openssl` CLI (there is no X.509 writer in node:crypto). Go's TLS stack (kubectl) needs the IP SAN.
 */
export async function generateServingCert(dir: string): Promise<ServingCert> {
  const keyFile = join(dir, 'apiserver.key');
  const certFile = join(dir, 'apiserver.crt');
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=fake-kube-apiserver',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('The fake Kubernetes API needs the openssl CLI to make its certificate');
    throw new Error(`openssl could not make the fake API's certificate: ${e.stderr ?? e.message}`);
  }
  return { keyFile, certFile, key: await readFile(keyFile), cert: await readFile(certFile) };
}
