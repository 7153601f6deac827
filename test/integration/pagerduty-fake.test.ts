import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagerDutyAcceptHeader, startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';

/** The fake must refuse what PagerDuty refuses, in PagerDuty's envelope, or a passing client test proves nothing. */
let fake: FakePagerDuty;

const good = { Accept: pagerDutyAcceptHeader, 'Content-Type': 'application/json', Authorization: 'Token token=test-token' };

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(fake.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; code: number; errors?: string[] } } & Record<string, unknown> };
}

beforeAll(async () => {
  fake = await startFakePagerDuty();
  fake.checkResponses = true;
});
afterAll(() => fake.close());

describe('fake PagerDuty request validation', () => {
  it('answers a well-formed request', async () => {
    const r = await call('GET', '/users/me', good);
    expect(r.status).toBe(200);
    expect((r.body.user as { email: string }).email).toBe('juan.perez@tiendi.pe');
  });

  it('refuses a missing or wrong Accept header', async () => {
    const { Accept: _, ...noAccept } = good;
    const missing = await call('GET', '/incidents', noAccept);
    expect(missing.status).toBe(400);
    expect(missing.body.error?.errors?.join()).toMatch(/Accept/);
    const wrong = await call('GET', '/incidents', { ...good, Accept: 'application/json' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.errors?.join()).toMatch(/version=2/);
  });

  it('refuses a bearer token or an unknown key with 401 in the error envelope', async () => {
    const bearer = await call('GET', '/incidents', { ...good, Authorization: 'Bearer test-token' });
    expect(bearer.status).toBe(401);
    expect(bearer.body.error).toMatchObject({ message: 'Unauthorized', code: 2006 });
    const unknown = await call('GET', '/incidents', { ...good, Authorization: 'Token token=nope' });
    expect(unknown.status).toBe(401);
  });

  it('refuses a write without From, or with an email that is not a user', async () => {
    const incident = fake.triggerIncident({ title: 'HighErrorRate' });
    const body = { incidents: [{ id: incident.id, type: 'incident_reference', status: 'acknowledged' }] };
    const missing = await call('PUT', '/incidents', good, body);
    expect(missing.status).toBe(400);
    expect(missing.body.error?.errors?.join()).toMatch(/"From" header is required/);
    const stranger = await call('PUT', '/incidents', { ...good, From: 'nobody@example.com' }, body);
    expect(stranger.status).toBe(400);
    expect(fake.incidents.get(incident.id)!.status).toBe('triggered');
  });

  it('refuses unknown and ill-typed query parameters', async () => {
    const unbracketed = await call('GET', '/incidents?statuses=triggered', good);
    expect(unbracketed.status).toBe(400);
    expect(unbracketed.body.error?.errors?.join()).toMatch(/Unknown query parameter "statuses"/);
    const badEnum = await call('GET', '/incidents?statuses[]=open', good);
    expect(badEnum.status).toBe(400);
    const badLimit = await call('GET', '/incidents?limit=many', good);
    expect(badLimit.status).toBe(400);
  });

  it('refuses a body outside the schema', async () => {
    const incident = fake.triggerIncident({ title: 'APIDown' });
    const r = await call('PUT', '/incidents', { ...good, From: 'juan.perez@tiendi.pe' }, { incidents: [{ id: incident.id, status: 'ack' }] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ message: 'Invalid Input Provided', code: 2001 });
    expect(r.body.error?.errors?.join()).toMatch(/type/);
    const snooze = await call('POST', `/incidents/${incident.id}/snooze`, { ...good, From: 'juan.perez@tiendi.pe' }, { duration: 0 });
    expect(snooze.status).toBe(400);
  });

  it('answers an unknown endpoint with 404 and caps limit at 100', async () => {
    const missing = await call('GET', '/nothing-here', good);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe(2100);
    const page = await call('GET', '/incidents?limit=500&total=true', good);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ limit: 100, offset: 0, more: false });
    expect(typeof page.body.total).toBe('number');
  });

  it('serves 429 on demand, with and without ratelimit headers', async () => {
    fake.rateLimitNext(1, { headers: true, resetSeconds: 7 });
    const withHeaders = await fetch(`${fake.url}/incidents`, { headers: good });
    expect(withHeaders.status).toBe(429);
    expect(withHeaders.headers.get('ratelimit-reset')).toBe('7');
    fake.rateLimitNext(1, { headers: false });
    const bare = await fetch(`${fake.url}/incidents`, { headers: good });
    expect(bare.status).toBe(429);
    expect(bare.headers.get('ratelimit-reset')).toBeNull();
    expect(((await bare.json()) as { error: { code: number } }).error.code).toBe(2020);
  });

  it('shapes its answers as the OpenAPI description says', async () => {
    const incident = fake.triggerIncident({ title: 'DatabaseDown', serviceId: 'PSVCDB0' });
    const writer = { ...good, From: 'juan.perez@tiendi.pe' };
    await call('POST', `/incidents/${incident.id}/notes`, writer, { note: { content: 'Pool at 100/100' } });
    await call('GET', '/incidents?statuses[]=triggered&statuses[]=acknowledged&date_range=all', good);
    await call('GET', `/incidents/${incident.id}`, good);
    await call('GET', `/incidents/${incident.id}/notes`, good);
    await call('GET', '/oncalls?since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z', good);
    await call('GET', '/escalation_policies', good);
    await call('GET', '/users/me', good);
    expect(fake.responseProblems).toEqual([]);
  });
});
