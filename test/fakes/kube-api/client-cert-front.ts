/**
 * Client-certificate (x509) authentication in front of the fake Kubernetes API, kept apart from
 * fake-kube-api.ts: an HTTPS front that asks for a client certificate, verifies it against its own
 * client CA, and maps the certificate's CN to a user as kube-apiserver's `--client-ca-file` does
 * (CN = user name, O = groups). Requests it authenticates reach the fake with that user's bearer token;
 * requests without a certificate pass their Authorization header through unchanged; a certificate the
 * CA did not sign, or a CN with no user, gets the API's 401 Status.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FakeKubeApi } from './fake-kube-api.js';
import { generateServingCert } from './tls.js';

const run = promisify(execFile);

/** A client certificate and its key, as files and PEM text. */
export interface ClientCert {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A running client-certificate front. */
export interface ClientCertFront {
  /** `https://127.0.0.1:PORT`: use it as the kubeconfig's server. */
  url: string;
  /** The front's own serving certificate (its own CA): the kubeconfig's certificate-authority. */
  caFile: string;
  /** Signs a client certificate for `user` (CN) with the front's client CA. */
  issueClientCert(user: string): Promise<ClientCert>;
  /** Writes a kubeconfig (mode 0600) with the client certificate inline (`client-*-data`) or as file paths. */
  writeKubeconfig(opts: { cert: ClientCert; context?: string; inline?: boolean; name?: string }): string;
  stop(): Promise<void>;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

const unauthorized = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });

/**
 * Starts the front on 127.0.0.1 for `api`. `users` maps a certificate CN to a bearer token the fake
 * accepts; by default the fake's own user (`api.user` → `api.token`).
 */
export async function startClientCertFront(api: FakeKubeApi, opts: { users?: Record<string, string> } = {}): Promise<ClientCertFront> {
  const dir = join(api.dir, `client-cert-front-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const serving = await generateServingCert(dir);
  const caKey = join(dir, 'client-ca.key');
  const caCert = join(dir, 'client-ca.crt');
  await openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', caKey, '-out', caCert, '-days', '1', '-subj', '/CN=fake-client-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,digitalSignature',
  ]);
  const users = new Map(Object.entries(opts.users ?? { [api.user]: api.token }));
  const apiCa = readFileSync(api.caFile);
  const sockets = new Set<Socket>();
  let issued = 0;

  const server: Server = createServer(
    { key: serving.key, cert: serving.cert, ca: readFileSync(caCert), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const headers = { ...req.headers };
      delete headers.host;
      const peer = socket.getPeerCertificate();
      if (peer && Object.keys(peer).length > 0) {
        const token = socket.authorized ? users.get(peer.subject?.CN as string) : undefined;
        if (!token) {
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end(unauthorized);
          return;
        }
        headers.authorization = `Bearer ${token}`;
      }
      const target = new URL(req.url ?? '/', api.url);
      const upstream = httpsRequest(target, { method: req.method, headers, ca: apiCa }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (error) => res.destroy(error));
      req.pipe(upstream);
    },
  );
  // pods/exec is a WebSocket upgrade: authenticated the same way, then the two sockets are joined.
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const headers = { ...req.headers };
    delete headers.host;
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    if (peer && Object.keys(peer).length > 0) {
      const token = (req.socket as TLSSocket).authorized ? users.get(peer.subject?.CN as string) : undefined;
      if (!token) {
        socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(unauthorized)}\r\nConnection: close\r\n\r\n${unauthorized}`);
        return;
      }
      headers.authorization = `Bearer ${token}`;
    }
    const upstream = httpsRequest(new URL(req.url ?? '/', api.url), { method: req.method, headers, ca: apiCa });
    upstream.on('upgrade', (res, upSocket, upHead) => {
      const lines = [`HTTP/1.1 101 ${res.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upHead.length) socket.write(upHead);
      if (head.length) upSocket.write(head);
      upSocket.pipe(socket).pipe(upSocket);
      upSocket.on('error', () => socket.destroy());
      socket.on('error', () => upSocket.destroy());
    });
    // Refused before the upgrade (403, 404…): relay the API server's answer as it is.
    upstream.on('response', (res) => {
      const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      res.pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    caFile: serving.certFile,
    async issueClientCert(user) {
      const n = ++issued;
      const keyFile = join(dir, `client-${n}.key`);
      const csr = join(dir, `client-${n}.csr`);
      const certFile = join(dir, `client-${n}.crt`);
      const ext = join(dir, `client-${n}.ext`);
      writeFileSync(ext, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
      await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${user}/O=oncall`]);
      await openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', ext]);
      return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    },
    writeKubeconfig({ cert, context = 'fake-x509', inline = true, name }) {
      const file = join(dir, name ?? `kubeconfig-${context}`);
      const user = inline
        ? { 'client-certificate-data': Buffer.from(cert.cert).toString('base64'), 'client-key-data': Buffer.from(cert.key).toString('base64') }
        : { 'client-certificate': cert.certFile, 'client-key': cert.keyFile };
      const yaml = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake-x509-cluster',
        '  cluster:',
        `    server: ${url}`,
        `    certificate-authority: ${serving.certFile}`,
        'users:',
        `- name: ${context}-user`,
        '  user:',
        ...Object.entries(user).map(([k, v]) => `    ${k}: ${v}`),
        'contexts:',
        `- name: ${context}`,
        '  context:',
        '    cluster: fake-x509-cluster',
        `    user: ${context}-user`,
        '    namespace: production',
        `current-context: ${context}`,
        '',
      ].join('\n');
      writeFileSync(file, yaml, { mode: 0o600 });
      return file;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
