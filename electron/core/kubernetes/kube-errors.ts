import { ApiException } from '@kubernetes/client-node';
import { GuardiaError } from '../../../shared/result.js';

/** What a request was doing, for error messages (RBAC's vocabulary: verb, resource, API group). */
export interface KubeOperation {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  resource: string;
  group: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

/** Where a request went: the kubeconfig context and its server. */
export interface KubeTarget {
  context: string;
  server: string;
}

interface StatusLike {
  kind?: string;
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
}

function parseStatus(body: unknown): StatusLike | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
    }
  }
  return typeof value === 'object' && value !== null ? (value as StatusLike) : undefined;
}

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const codeByStatus: Record<number, string> = {
  401: 'kubernetes.unauthorized',
  403: 'kubernetes.forbidden',
  404: 'kubernetes.not-found',
  409: 'kubernetes.conflict',
  422: 'kubernetes.invalid',
};

/** `deployments.apps/scale "tiendi-api"` — the object a request addressed, in kubectl's naming. */
export function describeObject(op: KubeOperation): string {
  const gr = op.group ? `${op.resource}.${op.group}` : op.resource;
  const sub = op.subresource ? `/${op.subresource}` : '';
  return op.name ? `${gr}${sub} "${op.name}"` : `${gr}${sub}`;
}

/**
 * Turns a failed client-node call into a GuardiaError that names the context, namespace and object:
 * API errors carry the HTTP code, the Status reason and message; 401 says the context's credential
 * was rejected; 403 names the verb and resource that RBAC denied; transport failures say the API
 * could not be reached.
 */
export function toKubeError(error: unknown, op: KubeOperation, target: KubeTarget, signal?: AbortSignal): GuardiaError {
  if (error instanceof GuardiaError) return error;
  const where = `namespace ${op.namespace}, context "${target.context}"`;
  const object = describeObject(op);
  if (error instanceof ApiException) {
    const code = error.code;
    const status = parseStatus(error.body);
    const reason = status?.reason || reasonByCode[code] || 'Unknown';
    const message = status?.message || '(no message)';
    const detail = { httpCode: code, reason, message, context: target.context, namespace: op.namespace, object };
    if (code === 401) {
      return new GuardiaError(
        'kubernetes.unauthorized',
        `The Kubernetes API (${target.server}) rejected the credential for context "${target.context}" ` +
          `(HTTP 401 Unauthorized) while trying to ${op.verb} ${object} in namespace ${op.namespace}`,
        detail,
      );
    }
    if (code === 403) {
      const resource = op.subresource ? `${op.resource}/${op.subresource}` : op.resource;
      return new GuardiaError(
        'kubernetes.forbidden',
        `Kubernetes denied "${op.verb}" on ${resource}${op.group ? ` (API group ${op.group})` : ''}` +
          `${op.name ? ` "${op.name}"` : ''} in ${where} (HTTP 403 Forbidden): ${message}`,
        detail,
      );
    }
    return new GuardiaError(
      codeByStatus[code] ?? 'kubernetes.api',
      `Kubernetes API error on ${op.verb} ${object} in ${where}: HTTP ${code} ${reason}: ${message}`,
      detail,
    );
  }
  const e = error as { name?: string; type?: string; code?: string; message?: string };
  if (signal?.aborted || e.name === 'AbortError' || e.type === 'aborted') {
    return new GuardiaError('request.cancelled', `Kubernetes request (${op.verb} ${object} in ${where}) was cancelled`);
  }
  return new GuardiaError(
    'kubernetes.unreachable',
    `Cannot reach the Kubernetes API of context "${target.context}" (${target.server}) to ${op.verb} ${object} in ` +
      `namespace ${op.namespace}: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`,
  );
}
