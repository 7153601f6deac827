import { GuardiaError } from '../../../shared/result.js';
import { apiUrl, requestJson, type HttpOptions } from '../http/http-json.js';
import type { StatusPagePort, StatusPageUpdate } from '../ports.js';

/** The Statuspage (Atlassian) component status for each of the runbook's StatusUpdate statuses. */
const componentStatus: Record<StatusPageUpdate['status'], string> = {
  operational: 'operational',
  degraded: 'degraded_performance',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
};

/**
 * A Statuspage-style REST connector: `POST {base}/pages/{pageId}/incidents` with the update as an
 * incident body and the component's status. The API key comes from the keychain through `auth`
 * (header `Authorization: OAuth KEY`), never from a file.
 */
export class StatuspageClient implements StatusPagePort {
  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    private readonly pageId: string,
    /** Pack component name (API, Web, Payments) → the provider's component id. */
    private readonly componentIds: Record<string, string>,
    private readonly http: HttpOptions,
  ) {}

  async postUpdate(update: StatusPageUpdate, signal?: AbortSignal): Promise<string> {
    const componentId = this.componentIds[update.component];
    const incident = {
      name: `${update.component}: ${update.status.replace('_', ' ')}`,
      status: update.status === 'operational' ? 'resolved' : 'investigating',
      body: update.message,
      ...(componentId ? { component_ids: [componentId], components: { [componentId]: componentStatus[update.status] } } : {}),
    };
    const url = apiUrl(this.baseUrl, undefined, `/pages/${encodeURIComponent(this.pageId)}/incidents`);
    const r = await requestJson(url, { method: 'POST', body: JSON.stringify({ incident }), contentType: 'application/json', signal }, this.http);
    if (r.status < 200 || r.status >= 300) {
      throw new GuardiaError('statuspage.rejected', `${this.name} refused the update: HTTP ${r.status} at ${url.pathname}`);
    }
    const id = (r.body as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw new GuardiaError('statuspage.bad-response', `${this.name} answered without an incident id`);
    return id;
  }
}
