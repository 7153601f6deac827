import { GuardiaError } from '../../../shared/result.js';

/**
 * Turns what Azure and @azure/identity throw into messages that say what is wrong, where, and what to
 * do — the same wording whether it came from ARM, Log Analytics, Azure Monitor or the token endpoint.
 */

interface RestErrorLike {
  name?: string;
  message: string;
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { headers?: { get(name: string): string | undefined } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The innermost message of an Azure error envelope ({ error: { message, innererror: { message } } }). */
function envelopeMessage(details: unknown): { code?: string; message?: string } {
  if (!isRecord(details)) return {};
  const error = isRecord(details.error) ? details.error : details;
  let message = typeof error.message === 'string' ? error.message : undefined;
  let inner = error.innererror ?? error.innerError;
  while (isRecord(inner)) {
    if (typeof inner.message === 'string') message = `${message ? `${message}: ` : ''}${inner.message}`;
    inner = inner.innererror ?? inner.innerError;
  }
  return { code: typeof error.code === 'string' ? error.code : undefined, message };
}

/** Roles the README asks for, per kind of call, named in 403 messages. */
export const requiredRoles = {
  logs: 'Log Analytics Reader on the workspace',
  metrics: 'Monitoring Reader on the resource (or its resource group)',
  postgresRead: 'Reader on the PostgreSQL flexible server',
  postgresWrite: 'Contributor on the PostgreSQL flexible server',
  aksRead: 'Reader on the AKS cluster',
  aksWrite: 'Azure Kubernetes Service Contributor Role on the cluster',
} as const;
export type AzureCallKind = keyof typeof requiredRoles;

/**
 * A clear GuardiaError for a failed Azure call. `where` names the call ("Log Analytics workspace
 * 1234…", "PostgreSQL server tiendi-db"); `mutation` says it was sent once and not retried.
 */
export function azureError(error: unknown, where: string, kind: AzureCallKind, mutation = false): GuardiaError {
  if (error instanceof GuardiaError) return error;
  const e = (isRecord(error) ? error : { message: String(error) }) as unknown as RestErrorLike;
  const name = e.name ?? '';
  if (name === 'AbortError') return new GuardiaError('azure.cancelled', `${where}: cancelled`);
  // Entra ID refused the credentials (wrong secret, unknown tenant, consent missing): its AADSTS text says why.
  const aadsts = /AADSTS\d+:[^]*?(?= - Correlation ID|$)/.exec(e.message ?? '');
  if (aadsts) return new GuardiaError('azure.sign-in-failed', `${where}: Azure sign-in failed — ${firstLine(aadsts[0])}`);
  if (name === 'CredentialUnavailableError' || name === 'AuthenticationRequiredError') {
    return new GuardiaError('azure.signed-out', `${where}: not signed in to Azure — ${firstLine(e.message)}`);
  }
  if (name === 'AuthenticationError') {
    return new GuardiaError('azure.sign-in-failed', `${where}: Azure sign-in failed — ${firstLine(e.message)}`);
  }
  const status = e.statusCode;
  const env = envelopeMessage(e.details);
  const code = env.code ?? e.code;
  const detail = firstLine(env.message ?? e.message);
  const tag = code ? ` (${status ?? ''}${status ? ' ' : ''}${code})` : status ? ` (${status})` : '';
  const notRetried = mutation ? ' The change was sent once and not retried.' : '';
  switch (true) {
    case status === 401:
      return new GuardiaError(
        'azure.unauthorized',
        `${where}: Azure rejected the access token${tag} — it expired or was revoked. Sign in to Azure again. ${detail}`.trim(),
      );
    case status === 403:
      return new GuardiaError(
        'azure.forbidden',
        `${where}: the signed-in identity lacks permission${tag}. It needs ${requiredRoles[kind]}. ${detail}${notRetried}`.trim(),
      );
    case status === 429: {
      const after = e.response?.headers?.get('retry-after');
      const when = after ? ` Azure asked to wait ${after} s.` : '';
      return new GuardiaError(
        'azure.throttled',
        `${where}: Azure is throttling requests${tag}.${when} ${mutation ? 'The change was not retried: run it again later.' : 'Retried with backoff; try again later.'}`,
      );
    }
    case status !== undefined && status >= 500:
      return new GuardiaError(
        'azure.unavailable',
        `${where}: Azure answered with a server error${tag}: ${detail}.${mutation ? ' The change was sent once and not retried: check its state before running it again.' : ' Retried with backoff.'}`,
      );
    case status === 400 && kind === 'logs':
      return new GuardiaError('azure.bad-query', `${where}: Log Analytics rejected the query${tag}: ${detail}`);
    case status === 404:
      return new GuardiaError('azure.not-found', `${where}: not found${tag}: ${detail}`);
    case status !== undefined:
      return new GuardiaError('azure.failed', `${where}: Azure refused the request${tag}: ${detail}${notRetried}`);
    default:
      return new GuardiaError('azure.unreachable', `${where}: Azure could not be reached — ${detail}${notRetried}`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}
