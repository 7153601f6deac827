import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatuspageClient } from '../../../../electron/core/statuspage/statuspage-client.js';

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A fake of Statuspage's "create incident" endpoint (POST /v1/pages/{page_id}/incidents). */
async function fakeStatuspage(status = 201) {
  const requests: Array<{ path: string; auth: string | undefined; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { id: 'p31zjtct2jer', status: 'investigating' } : { error: 'Unauthorized' }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`, requests };
}

describe('StatuspageClient', () => {
  it('posts the update as an incident with the component’s status, authenticated from the keychain', async () => {
    const fake = await fakeStatuspage();
    const client = new StatuspageClient('Status page', fake.url, 'pg1', { API: 'cmp-api' }, { connection: 'Status page', timeoutMs: 2000, auth: async () => ({ header: 'OAuth k3y' }) });
    const id = await client.postUpdate({ component: 'API', status: 'major_outage', message: 'Investigando', timestamp: 1 });
    expect(id).toBe('p31zjtct2jer');
    expect(fake.requests).toEqual([
      {
        path: '/v1/pages/pg1/incidents',
        auth: 'OAuth k3y',
        body: { incident: expect.objectContaining({ status: 'investigating', body: 'Investigando', component_ids: ['cmp-api'], components: { 'cmp-api': 'major_outage' } }) },
      },
    ]);
  });

  it('says the provider refused, with the HTTP status and without the key', async () => {
    const fake = await fakeStatuspage(401);
    const client = new StatuspageClient('Status page', fake.url, 'pg1', {}, { connection: 'Status page', timeoutMs: 2000, auth: async () => ({ header: 'OAuth s3cret' }) });
    const error = await client.postUpdate({ component: 'Web', status: 'degraded', message: 'x', timestamp: 1 }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/refused the update: HTTP 401/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});
