import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A pass-through HTTP proxy on a fixed loopback port, so a test can make "the server" misbehave
 * (`mode.fault` answers instead of it), disappear (`mode.target` null: connections are dropped, as when
 * the process is killed) and come back (a new target) while the client keeps the same URL.
 */
export interface HttpProxy {
  server: Server;
  url: string;
  mode: { target: string | null; fault: ((req: IncomingMessage, res: ServerResponse) => void) | null };
}

export function startHttpProxy(): Promise<HttpProxy> {
  const mode: HttpProxy['mode'] = { target: null, fault: null };
  const server = createServer((req, res) => {
    if (mode.fault) return mode.fault(req, res);
    if (!mode.target) return void req.socket.destroy();
    const upstream = request(new URL(req.url ?? '/', mode.target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    // Upstream gone (killed): the caller sees a dropped connection, as it would without the proxy.
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, mode, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}
