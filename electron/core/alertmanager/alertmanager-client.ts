import { GuardiaError } from '../../../shared/result.js';
import type { AlertSource, GettableAlert, GettableSilence, SilenceMatcher } from '../ports.js';
import { apiUrl, requestJson, truncate, type HttpOptions } from '../http/http-json.js';

/** What `/api/v2/status` says about an Alertmanager: its version and whether it runs in a cluster. */
export interface AlertmanagerStatus {
  version: string | null;
  cluster: { status: string; peers: number } | null;
  uptime: string | null;
}

/**
 * Alertmanager API v2: active, silenced and inhibited alerts (`/api/v2/alerts`), silences
 * (`/api/v2/silences`, `DELETE /api/v2/silence/{id}`) and feature detection (`/api/v2/status`).
 */
export class AlertmanagerClient implements AlertSource {
  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    private readonly http: HttpOptions & { pathPrefix?: string },
  ) {}

  private url(path: string): URL {
    return apiUrl(this.baseUrl, this.http.pathPrefix, path);
  }

  async listAlerts(signal?: AbortSignal): Promise<GettableAlert[]> {
    const { status, body } = await requestJson(this.url('/api/v2/alerts'), { method: 'GET', signal }, this.http);
    if (status !== 200 || !Array.isArray(body)) {
      throw new GuardiaError('alertmanager.bad-response', `${this.name} answered HTTP ${status} to GET /api/v2/alerts`);
    }
    return body as GettableAlert[];
  }

  /** Version and cluster state; throws when the API is not v2 (e.g. a pre-0.16 Alertmanager). */
  async status(signal?: AbortSignal): Promise<AlertmanagerStatus> {
    const { status, body } = await requestJson(this.url('/api/v2/status'), { method: 'GET', signal }, this.http);
    if (status !== 200 || typeof body !== 'object' || body === null) {
      throw new GuardiaError('alertmanager.no-v2', `${this.name} answered HTTP ${status} to GET /api/v2/status: not an Alertmanager API v2`);
    }
    const b = body as { versionInfo?: { version?: string }; cluster?: { status?: string; peers?: unknown[] }; uptime?: string };
    return {
      version: b.versionInfo?.version ?? null,
      cluster: b.cluster ? { status: b.cluster.status ?? 'unknown', peers: b.cluster.peers?.length ?? 0 } : null,
      uptime: b.uptime ?? null,
    };
  }

  async listSilences(signal?: AbortSignal): Promise<GettableSilence[]> {
    const { status, body } = await requestJson(this.url('/api/v2/silences'), { method: 'GET', signal }, this.http);
    if (status !== 200 || !Array.isArray(body)) {
      throw new GuardiaError('alertmanager.bad-response', `${this.name} answered HTTP ${status} to GET /api/v2/silences`);
    }
    return body as GettableSilence[];
  }

  async createSilence(silence: { matchers: SilenceMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }): Promise<string> {
    const { status, body } = await requestJson(
      this.url('/api/v2/silences'),
      { method: 'POST', body: JSON.stringify(silence), contentType: 'application/json' },
      this.http,
    );
    const id = (body as { silenceID?: unknown } | undefined)?.silenceID;
    if (status !== 200 || typeof id !== 'string') {
      throw new GuardiaError('alertmanager.silence-refused', `${this.name} refused the silence (HTTP ${status}): ${truncate(messageOf(body), 300)}`);
    }
    return id;
  }

  async expireSilence(id: string): Promise<void> {
    const { status, body } = await requestJson(this.url(`/api/v2/silence/${encodeURIComponent(id)}`), { method: 'DELETE' }, this.http);
    if (status !== 200) {
      throw new GuardiaError('alertmanager.expire-refused', `${this.name} refused to expire silence ${id} (HTTP ${status}): ${truncate(messageOf(body), 300)}`);
    }
  }
}

function messageOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return JSON.stringify(body ?? '');
}
