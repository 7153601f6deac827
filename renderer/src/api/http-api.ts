import type { EventChannel, InvokeChannel } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import type { ConnectionState, GuardiaApi } from './client';
import { SseParser, type SseMessage } from './sse-parser';

/** sessionStorage key: the token survives reloads of this tab but not the browser session. */
export const tokenStorageKey = 'guardia.token';

export type HttpApiOptions = {
  /** Origin prefix of the loopback server; '' = the origin that served this page. */
  baseUrl?: string;
  /** Defaults to the token taken from the URL fragment or sessionStorage. */
  token?: string | null;
  fetch?: typeof fetch;
  /** The server answered 401: the token is missing, wrong or from an earlier `guardia serve`. */
  onUnauthorized?: () => void;
  onConnection?: (state: ConnectionState) => void;
  /** The event stream came back after a drop: deltas were missed, so callers reload snapshots. */
  onReconnected?: () => void;
  backoff?: { initialMs: number; maxMs: number };
};

/**
 * Reads the per-launch token `guardia serve` put in the URL fragment (`#token=…`), keeps it in
 * sessionStorage and removes it from the address bar (history.replaceState) so it does not linger in
 * history, screenshots or a copied URL. The fragment is never sent to the server by the browser.
 */
export function takeSessionToken(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeSessionStorage(),
  hist: Pick<History, 'replaceState' | 'state'> = history,
): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token) {
    try {
      storage?.setItem(tokenStorageKey, token);
    } catch {
      /* storage disabled: the token still works for this page load */
    }
    params.delete('token');
    const rest = params.toString();
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
    return token;
  }
  try {
    return storage?.getItem(tokenStorageKey) ?? null;
  } catch {
    return null;
  }
}

function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function failure(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const value = body as { ok: unknown; error?: unknown };
  if (value.ok === true) return 'value' in value;
  return value.ok === false && typeof value.error === 'object' && value.error !== null;
}

/**
 * Browser-mode transport for `guardia serve`: `POST /api/invoke/<channel>` with a JSON body, and one
 * shared Server-Sent Events stream from `GET /api/events`, both with `Authorization: Bearer <token>`.
 * The stream reconnects with exponential backoff (jittered, capped) until a 401 says the session is over.
 */
export function createHttpApi(options: HttpApiOptions = {}): GuardiaApi {
  const base = options.baseUrl ?? '';
  const token = options.token === undefined ? takeSessionToken() : options.token;
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let unauthorized = false;
  let running = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;
  let lastEventId: string | null = null;
  /** Bumped by start/stop so a loop left over from an earlier subscription exits instead of doubling up. */
  let generation = 0;

  const headers = (extra: Record<string, string>) => ({ ...extra, Authorization: `Bearer ${token ?? ''}` });

  const markUnauthorized = () => {
    if (unauthorized) return;
    unauthorized = true;
    stop();
    options.onConnection?.('unauthorized');
    options.onUnauthorized?.();
  };

  const dispatch = (message: SseMessage) => {
    const set = listeners.get(message.event);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.data);
    } catch {
      return;
    }
    for (const cb of [...set]) {
      try {
        cb(payload);
      } catch (error) {
        console.error(`guardia: listener for ${message.event} failed`, error);
      }
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function readStream(gen: number): Promise<void> {
    let attempt = 0;
    let openedBefore = false;
    const live = () => running && gen === generation;
    while (live()) {
      controller = new AbortController();
      const parser = new SseParser();
      try {
        const extra: Record<string, string> = { Accept: 'text/event-stream' };
        if (lastEventId) extra['Last-Event-ID'] = lastEventId;
        const res = await fetchImpl(`${base}/api/events`, {
          method: 'GET',
          headers: headers(extra),
          signal: controller.signal,
          cache: 'no-store',
          credentials: 'omit',
        });
        if (!live()) return;
        if (res.status === 401) {
          markUnauthorized();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        attempt = 0;
        options.onConnection?.('open');
        if (openedBefore) options.onReconnected?.();
        openedBefore = true;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done || !live()) break;
          for (const message of parser.feed(decoder.decode(value, { stream: true }))) dispatch(message);
          lastEventId = parser.lastEventId ?? lastEventId;
        }
      } catch {
        /* network error or abort: fall through to the backoff below */
      }
      if (!live()) return;
      options.onConnection?.('reconnecting');
      const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
      const delay = Math.max(parser.retryMs ?? 0, exp * (0.8 + Math.random() * 0.4));
      attempt += 1;
      await sleep(delay);
    }
  }

  function start() {
    if (running || unauthorized) return;
    if (!token) {
      markUnauthorized();
      return;
    }
    running = true;
    generation += 1;
    options.onConnection?.('connecting');
    void readStream(generation);
  }

  function stop() {
    running = false;
    generation += 1;
    controller?.abort();
    controller = null;
    wake?.();
  }

  return {
    async invoke(channel: InvokeChannel, req: unknown) {
      if (!token) {
        markUnauthorized();
        return failure('unauthorized', 'No session token');
      }
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
          body: JSON.stringify(req ?? {}),
          cache: 'no-store',
          credentials: 'omit',
        });
      } catch (error) {
        return failure('network', error instanceof Error ? error.message : String(error));
      }
      if (res.status === 401) {
        markUnauthorized();
        return failure('unauthorized', 'Session expired');
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return failure(res.ok ? 'bad-response' : `http-${res.status}`, `HTTP ${res.status} ${res.statusText}`.trim());
      }
      if (isResult(body)) return body as Result<never>;
      return failure(res.ok ? 'bad-response' : `http-${res.status}`, `HTTP ${res.status}: unexpected response`);
    },
    on(event: EventChannel, cb: (payload: never) => void) {
      const fn = cb as (payload: unknown) => void;
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn);
      start();
      return () => {
        set.delete(fn);
        const remaining = [...listeners.values()].reduce((n, s) => n + s.size, 0);
        if (remaining === 0) stop();
      };
    },
  } as GuardiaApi;
}
