import { GuardiaError } from '../../../shared/result.js';
import type { AlertSource, GettableAlert } from '../ports.js';
import { apiUrl, requestJson, type HttpOptions } from '../http/http-json.js';

/** Alertmanager API v2 (`/api/v2/alerts`): the source of active, silenced and inhibited alerts. */
export class AlertmanagerClient implements AlertSource {
  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    private readonly http: HttpOptions & { pathPrefix?: string },
  ) {}

  async listAlerts(signal?: AbortSignal): Promise<GettableAlert[]> {
    const url = apiUrl(this.baseUrl, this.http.pathPrefix, '/api/v2/alerts');
    const { status, body } = await requestJson(url, { method: 'GET', signal }, this.http);
    if (status !== 200 || !Array.isArray(body)) {
      throw new GuardiaError('alertmanager.bad-response', `${this.name} answered HTTP ${status} to GET /api/v2/alerts`);
    }
    return body as GettableAlert[];
  }
}
