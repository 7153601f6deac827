import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpApi, takeSessionToken, tokenStorageKey } from '../../../renderer/src/api/http-api';

type Call = { url: string; init: RequestInit };

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A streaming SSE response whose body the test writes to. */
function sseResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('takeSessionToken', () => {
  it('takes the token from #token=, keeps it in sessionStorage and removes it from the URL', () => {
    window.history.replaceState(null, '', '/index.html?x=1#token=s3cr3t');
    expect(takeSessionToken()).toBe('s3cr3t');
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?x=1');
    expect(sessionStorage.getItem(tokenStorageKey)).toBe('s3cr3t');
    // a reload of the tab (no fragment any more) still finds it
    expect(takeSessionToken()).toBe('s3cr3t');
  });

  it('is null when neither the URL nor the session has one', () => {
    expect(takeSessionToken()).toBeNull();
  });
});

describe('createHttpApi', () => {
  it('POSTs /api/invoke/<channel> with the JSON body and the bearer token, returning the Result', async () => {
    const calls: Call[] = [];
    const api = createHttpApi({
      token: 'tok',
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init! });
        return jsonResponse({ ok: true, value: { entries: [] } });
      },
    });
    const result = await api.invoke('journal.list', { limit: 5 });
    expect(result).toEqual({ ok: true, value: { entries: [] } });
    expect(calls[0]!.url).toBe('/api/invoke/journal.list');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"limit":5}');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('passes error Results through and reports a 401 as an expired session', async () => {
    const onUnauthorized = vi.fn();
    let status = 400;
    const api = createHttpApi({
      token: 'tok',
      onUnauthorized,
      fetch: async () => jsonResponse({ ok: false, error: { code: 'bad-request', message: 'nope' } }, status),
    });
    expect(await api.invoke('status.get', {})).toEqual({ ok: false, error: { code: 'bad-request', message: 'nope' } });
    status = 401;
    const expired = await api.invoke('status.get', {});
    expect(expired.ok).toBe(false);
    expect(!expired.ok && expired.error.code).toBe('unauthorized');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('turns a network failure into an error Result', async () => {
    const api = createHttpApi({ token: 'tok', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await api.invoke('status.get', {})).toEqual({ ok: false, error: { code: 'network', message: 'Failed to fetch' } });
  });

  it('reads events from GET /api/events with the bearer token and dispatches them by name', async () => {
    const stream = sseResponse();
    const calls: Call[] = [];
    const states: string[] = [];
    const api = createHttpApi({
      token: 'tok',
      onConnection: (s) => states.push(s),
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init! });
        return stream.response;
      },
    });
    const got: unknown[] = [];
    const off = api.on('journal.changed', (entry) => got.push(entry.summary));
    await tick();
    stream.write('event: journal.changed\ndata: {"summary":"one"}\n\n: keep-alive\n\nevent: slos.changed\ndata: {}\n\n');
    stream.write('event: journal.changed\ndata: {"summary":');
    stream.write('"two"}\n\n');
    await vi.waitFor(() => expect(got).toEqual(['one', 'two']));
    expect(calls[0]!.url).toBe('/api/events');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((calls[0]!.init.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect(states).toEqual(['connecting', 'open']);
    off();
    expect((calls[0]!.init.signal as AbortSignal).aborted).toBe(true);
  });

  it('reconnects with backoff when the stream drops, and asks for a resync', async () => {
    const streams = [sseResponse(), sseResponse()];
    let n = 0;
    const onReconnected = vi.fn();
    const states: string[] = [];
    const api = createHttpApi({
      token: 'tok',
      backoff: { initialMs: 5, maxMs: 20 },
      onReconnected,
      onConnection: (s) => states.push(s),
      fetch: async () => {
        n += 1;
        if (n === 2) throw new TypeError('connection refused');
        return streams[n === 1 ? 0 : 1]!.response;
      },
    });
    const got: string[] = [];
    const off = api.on('journal.changed', (e) => got.push(e.summary));
    await tick();
    streams[0]!.close();
    await vi.waitFor(() => expect(n).toBe(3));
    await vi.waitFor(() => expect(onReconnected).toHaveBeenCalledTimes(1));
    streams[1]!.write('event: journal.changed\ndata: {"summary":"after"}\n\n');
    await vi.waitFor(() => expect(got).toEqual(['after']));
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
    off();
  });

  it('stops reconnecting after a 401 on the stream', async () => {
    let n = 0;
    const onUnauthorized = vi.fn();
    const api = createHttpApi({
      token: 'old',
      backoff: { initialMs: 1, maxMs: 2 },
      onUnauthorized,
      fetch: async () => {
        n += 1;
        return new Response('unauthorized', { status: 401 });
      },
    });
    api.on('metrics.changed', () => {});
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(n).toBe(1);
  });

  it('without a token reports the session as expired instead of calling the server', async () => {
    const fetch = vi.fn();
    const onUnauthorized = vi.fn();
    const api = createHttpApi({ token: null, fetch, onUnauthorized });
    const result = await api.invoke('app.getInfo', {});
    expect(result.ok).toBe(false);
    expect(fetch).not.toHaveBeenCalled();
    expect(onUnauthorized).toHaveBeenCalled();
  });
});
