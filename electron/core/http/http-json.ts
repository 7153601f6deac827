import { GuardiaError } from '../../../shared/result.js';

/** A credential resolved from the keychain at request time (never stored on the connector). */
export type AuthProvider = () => Promise<{ header: string } | null>;

export interface HttpOptions {
  /** Used in error messages: which connection failed. */
  connection: string;
  timeoutMs: number;
  auth?: AuthProvider;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

/**
 * fetch with a per-request timeout, caller cancellation, auth from the keychain and errors that name
 * the connection and the URL's path (never its credentials). Returns the parsed JSON body.
 */
export async function requestJson(
  url: URL,
  init: { method: 'GET' | 'POST' | 'DELETE'; body?: string; contentType?: string; signal?: AbortSignal },
  opts: HttpOptions,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (init.contentType) headers['Content-Type'] = init.contentType;
  const auth = opts.auth ? await opts.auth() : null;
  if (auth) headers.Authorization = auth.header;
  const where = `${opts.connection} (${url.origin}${url.pathname})`;
  let response: Response;
  try {
    response = await (opts.fetchImpl ?? fetch)(url, { method: init.method, body: init.body, headers, signal });
  } catch (error) {
    if (init.signal?.aborted) throw new GuardiaError('request.cancelled', `Request to ${where} was cancelled`);
    if (timeout.aborted) {
      throw new GuardiaError('request.timeout', `${where} did not answer within ${opts.timeoutMs} ms`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new GuardiaError(
      'request.unreachable',
      `Cannot reach ${where}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  // The body can fail too (connection cut mid-body, timeout while streaming): name the source then as well.
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (init.signal?.aborted) throw new GuardiaError('request.cancelled', `Request to ${where} was cancelled`);
    if (timeout.aborted) throw new GuardiaError('request.timeout', `${where} did not finish answering within ${opts.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new GuardiaError(
      'request.truncated',
      `${where} answered HTTP ${response.status} but the connection broke mid-body: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new GuardiaError(
        'request.bad-response',
        `${where} answered HTTP ${response.status} with a body that is not JSON: ${truncate(text, 200)}`,
      );
    }
  }
  return { status: response.status, body, headers: response.headers };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** Joins a base URL, an optional path prefix (Thanos/Mimir) and an API path. */
export function apiUrl(base: string, prefix: string | undefined, path: string): URL {
  const url = new URL(base);
  const parts = [url.pathname, prefix ?? '', path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  url.pathname = `/${parts.join('/')}`;
  return url;
}
