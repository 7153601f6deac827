import { chromium, expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { startGuardiaServe, type GuardiaServer } from './guardia-serve.js';

let server: GuardiaServer;
let foreign: Server;
let foreignUrl: string;

/**
 * What a hostile page on another origin tries against Guardia's API, in the worst case where it
 * even knows the token. Each attempt records whether it could read anything. Runs in the browser.
 */
const attackPage = (api: string, token: string) => `<!doctype html><title>evil</title><script>
(async () => {
  const out = {};
  const attempt = async (name, fn) => {
    try { out[name] = 'read:' + (await fn()); } catch (e) { out[name] = 'blocked:' + e.name; }
  };
  await attempt('withToken', async () => (await fetch('${api}/api/invoke/app.getInfo', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ${token}' }, body: '{}' })).text());
  await attempt('simplePost', async () => (await fetch('${api}/api/invoke/app.getInfo', {
    method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).text());
  await attempt('noCorsWrite', async () => {
    const r = await fetch('${api}/api/invoke/journal.addNote', { method: 'POST', mode: 'no-cors',
      headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ text: 'written-by-a-foreign-page' }) });
    return r.type === 'opaque' ? (await r.text()) === '' ? '' : 'opaque-with-body' : await r.text();
  });
  await attempt('events', () => new Promise((resolve, reject) => {
    const es = new EventSource('${api}/api/events');
    es.onmessage = (e) => resolve(e.data);
    es.onerror = () => { es.close(); reject(new DOMException('no stream', 'NetworkError')); };
  }));
  window.__results = out;
})();
</script>`;

test.beforeAll(async () => {
  server = await startGuardiaServe({ env: { GUARDIA_LOG_LEVEL: 'debug' } });
  foreign = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackPage(server.baseUrl, server.token));
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()));
  const address = foreign.address();
  foreignUrl = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (foreign ? foreign.close(() => resolve()) : resolve()));
  await server?.stop();
});

const invoke = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...headers },
    body: JSON.stringify(body),
  });

test('a page on a foreign origin cannot read the API or the event stream, nor write to the journal, even knowing the token', async ({ page }) => {
  await page.goto(foreignUrl);
  await expect.poll(() => page.evaluate('window.__results'), { timeout: 15_000 }).toBeTruthy();
  const results = await page.evaluate<Record<string, string>>('window.__results');
  expect(results.withToken).toMatch(/^blocked:/);
  expect(results.simplePost).toMatch(/^blocked:/);
  expect(results.events).toMatch(/^blocked:/);
  // no-cors gives an opaque, unreadable answer; the server must also have refused the write itself.
  expect(results.noCorsWrite).toBe('read:');
  const journal = (await (await invoke('journal.list', {})).json()) as { ok: boolean; value: { entries: Array<{ summary: string }> } };
  expect(journal.ok).toBe(true);
  expect(JSON.stringify(journal.value.entries)).not.toContain('written-by-a-foreign-page');
});

test('token on every request and the event stream, no CORS headers, Origin and Host checked', async () => {
  expect((await invoke('app.getInfo', {})).status).toBe(200);
  expect((await invoke('app.getInfo', {}, { Authorization: '' })).status).toBe(401);
  expect((await invoke('app.getInfo', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await fetch(`${server.baseUrl}/api/events`)).status).toBe(401);
  const preflight = await fetch(`${server.baseUrl}/api/invoke/app.getInfo`, {
    method: 'OPTIONS',
    headers: { Origin: foreignUrl.slice(0, -1), 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
  });
  expect(preflight.status).toBe(403);
  expect([...preflight.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
  const ok = await invoke('app.getInfo', {});
  expect([...ok.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
});

test('DNS rebinding: a foreign name resolving to 127.0.0.1 gets 403 for the page and the API', async () => {
  const port = new URL(server.baseUrl).port;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
  try {
    const page = await browser.newPage();
    const response = await page.goto(`http://rebind.test:${port}/`);
    expect(response?.status()).toBe(403);
    // Now "same origin" with the server as far as the browser knows: still refused, token or not.
    const status = await page.evaluate<number>(
      `fetch('/api/invoke/app.getInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ${server.token}' }, body: '{}' }).then((r) => r.status)`,
    );
    expect(status).toBe(403);
  } finally {
    await browser.close();
  }
});

test('the token is never logged, even at debug level and after refused requests', async () => {
  await invoke('app.getInfo', {}, { Authorization: `Bearer ${server.token}x` });
  await invoke('nope.nothing', {});
  const [first, ...rest] = server.logs().split('\n');
  expect(first).toContain(server.token);
  expect(rest.join('\n')).not.toContain(server.token);
  expect(rest.join('\n').length).toBeGreaterThan(0);
});
