import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startServer, type GuardiaServer } from '../../../../electron/core/server/http-server.js';
import { silentLogger } from '../../../../electron/core/log/logger.js';
import { makeCore } from '../../../helpers/core-fixture.js';
import type { Core } from '../../../../electron/core/core.js';

/** Raw HTTP so tests can send any Host/Origin header (fetch forbids some). */
function call(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('browser-mode server', () => {
  let server: GuardiaServer;
  let core: Core;
  const token = 'test-token-0123456789';
  beforeAll(async () => {
    ({ core } = await makeCore());
    const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Guardia</title>');
    server = await startServer({ core, rendererDir: dir, port: 0, token, logger: silentLogger });
  });
  afterAll(async () => server.close());

  const host = () => ({ Host: `127.0.0.1:${server.port}` });
  const json = { 'Content-Type': 'application/json' };

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers contract calls with the token', async () => {
    const r = await call(server.port, '/api/invoke/app.getInfo', { ...host(), ...json, Authorization: `Bearer ${token}` }, 'POST', '{}');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.ok).toBe(true);
    expect(body.value.pack.id).toBe('tiendi');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses requests without or with a wrong token (401)', async () => {
    expect((await call(server.port, '/api/invoke/app.getInfo', { ...host(), ...json }, 'POST', '{}')).status).toBe(401);
    const wrong = await call(server.port, '/api/invoke/app.getInfo', { ...host(), ...json, Authorization: 'Bearer nope' }, 'POST', '{}');
    expect(wrong.status).toBe(401);
    expect((await call(server.port, '/api/events', host())).status).toBe(401);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding), even with the token', async () => {
    const auth = { ...json, Authorization: `Bearer ${token}` };
    const origin = await call(server.port, '/api/invoke/app.getInfo', { ...host(), ...auth, Origin: 'https://evil.example' }, 'POST', '{}');
    expect(origin.status).toBe(403);
    const rebinding = await call(server.port, '/api/invoke/app.getInfo', { Host: `evil.example:${server.port}`, ...auth }, 'POST', '{}');
    expect(rebinding.status).toBe(403);
  });

  it('answers a cross-origin preflight with 403 and no CORS headers', async () => {
    const preflight = await call(server.port, '/api/invoke/app.getInfo', {
      ...host(),
      Origin: 'http://localhost:1',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    }, 'OPTIONS');
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const events = await call(server.port, '/api/events', { ...host(), Origin: 'http://localhost:1', Authorization: `Bearer ${token}` });
    expect(events.status).toBe(403);
  });

  it('returns contract errors as Result values naming the problem', async () => {
    const auth = { ...host(), ...json, Authorization: `Bearer ${token}` };
    const unknown = JSON.parse((await call(server.port, '/api/invoke/nope.nothing', auth, 'POST', '{}')).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'contract.unknown-channel' } });
    const invalid = JSON.parse((await call(server.port, '/api/invoke/journal.addNote', auth, 'POST', '{"text": 5}')).body);
    expect(invalid.ok).toBe(false);
    expect(invalid.error.message).toMatch(/text/);
    expect((await call(server.port, '/api/invoke/app.getInfo', { ...auth, 'Content-Type': 'text/plain' }, 'POST', '{}')).status).toBe(415);
  });

  it('serves the renderer with a strict CSP and never outside its folder', async () => {
    const page = await call(server.port, '/', host());
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).not.toContain("script-src 'self' 'unsafe-inline'");
    expect((await call(server.port, '/../package.json', host())).status).toBe(404);
    expect((await call(server.port, '/%2e%2e/%2e%2e/etc/passwd', host())).status).toBe(404);
  });

  it('streams core events as SSE to a client with the token', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { ...host(), Authorization: `Bearer ${token}` } },
        (res) => {
          let data = '';
          res.on('data', (c) => {
            data += c;
            if (data.includes('event: journal.changed')) {
              req.destroy();
              resolve(data);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
      setTimeout(() => void core.invoke('journal.addNote', { text: 'hello from test' }), 100);
    });
    expect(received).toContain('event: journal.changed');
    expect(received).toContain('hello from test');
  });
});
