import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../ports.js';
import type { Core } from '../core.js';

/** Content-Security-Policy for the renderer: no inline or remote scripts, nothing framed, only our origin. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // recharts and React set style attributes; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const maxBodyBytes = 1_000_000;
const heartbeatMs = 15_000;

export interface GuardiaServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** A random token per launch, unless GUARDIA_TOKEN pins one (tests, scripted use). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Browser mode: serves the built renderer and the contract on 127.0.0.1 only. Every API request and
 * the event stream need the per-launch token (Authorization: Bearer); requests from another Origin or
 * with a Host that is not ours (DNS rebinding) are refused; no CORS headers are ever sent.
 */
export async function startServer(opts: {
  core: Core;
  rendererDir: string;
  port: number;
  token: string;
  logger: Logger;
}): Promise<GuardiaServer> {
  const { core, logger } = opts;
  const expected = Buffer.from(opts.token);
  const streams = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const tokenOk = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) return false;
    const given = Buffer.from(match[1]!);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(text);
  };

  const refuse = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { ok: false, error: { code, message } });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      logger.error('request failed', { path: req.url?.split('?')[0], error });
      if (!res.headersSent) refuse(res, 500, 'internal', 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) return refuse(res, 403, 'http.bad-host', `Host "${host}" is not this server`);
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && !allowedOrigins.has(requestOrigin)) {
      return refuse(res, 403, 'http.bad-origin', 'Requests from other origins are refused');
    }
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) {
      if (!tokenOk(req)) return refuse(res, 401, 'http.unauthorized', 'Missing or wrong token');
      if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res);
      const invoke = /^\/api\/invoke\/([a-zA-Z0-9._-]+)$/.exec(url.pathname);
      if (invoke && req.method === 'POST') return invokeChannel(invoke[1]!, req, res);
      return refuse(res, 404, 'http.not-found', `No API at ${req.method} ${url.pathname}`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'http.method', 'Method not allowed');
    return staticFile(url.pathname, res);
  }

  async function invokeChannel(channel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    // Requiring JSON keeps simple cross-site form posts out even before the Origin check.
    if (!type.startsWith('application/json')) {
      return refuse(res, 415, 'http.content-type', 'Send the request as application/json');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) return refuse(res, 413, 'http.too-large', 'Request body over 1 MB');
      chunks.push(chunk as Buffer);
    }
    let body: unknown = {};
    if (size > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return refuse(res, 400, 'http.bad-json', 'Request body is not valid JSON');
      }
    }
    const result = await core.invoke(channel, body);
    send(res, 200, result);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = core.subscribe((event) => {
      res.write(`event: ${event.channel}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('error', end);
  }

  async function staticFile(pathname: string, res: ServerResponse): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'http.bad-path', 'Bad path');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(opts.rendererDir, rel));
    if (!file.startsWith(normalize(opts.rendererDir) + sep)) return refuse(res, 404, 'http.not-found', 'Not found');
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      return refuse(res, 404, 'http.not-found', `Not found: ${rel}`);
    }
    const data = await readFile(file);
    res.writeHead(200, {
      'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'no-cache',
    });
    res.end(data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  return {
    url: origin,
    port,
    token: opts.token,
    close: async () => {
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
