import { describe, expect, it } from 'vitest';
import { azureError } from '../../../../electron/core/azure/azure-errors.js';

function rest(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
  return { name: 'RestError', message, statusCode, code, response: { headers: { get: (n: string) => headers[n.toLowerCase()] } } };
}

describe('Azure errors say what is wrong, where and what to do', () => {
  it('401: sign in again', () => {
    const e = azureError(rest(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time … is earlier than current UTC time'), 'PostgreSQL flexible server tiendi-prod/tiendi-db', 'postgresRead');
    expect(e.code).toBe('azure.unauthorized');
    expect(e.message).toMatch(/^PostgreSQL flexible server tiendi-prod\/tiendi-db: Azure rejected the access token \(401 ExpiredAuthenticationToken\).*Sign in to Azure again/);
  });

  it('403 AuthorizationFailed names the role the feature needs', () => {
    const e = azureError(rest(403, 'AuthorizationFailed', "does not have authorization to perform action 'Microsoft.OperationalInsights/workspaces/query/read'"), 'Log Analytics workspace w1', 'logs');
    expect(e.code).toBe('azure.forbidden');
    expect(e.message).toContain('It needs Log Analytics Reader on the workspace');
  });

  it('429 on a read says it was retried; on a mutation that it was not, with Azure’s wait', () => {
    expect(azureError(rest(429, 'TooManyRequests', 'slow down', { 'retry-after': '17' }), 'x', 'metrics').message).toMatch(/wait 17 s\. Retried with backoff/);
    expect(azureError(rest(429, 'TooManyRequests', 'slow down', { 'retry-after': '17' }), 'x', 'postgresWrite', true).message).toMatch(/wait 17 s\. The change was not retried/);
  });

  it('5xx on a mutation warns to check the state before running it again', () => {
    const e = azureError(rest(503, 'ServiceUnavailable', 'try later'), 'scaling tiendi-db', 'postgresWrite', true);
    expect(e.code).toBe('azure.unavailable');
    expect(e.message).toMatch(/sent once and not retried: check its state/);
  });

  it('a refused client secret is a sign-in failure with the AADSTS reason, not "not signed in"', () => {
    const e = azureError(
      { name: 'CredentialUnavailableError', message: 'invalid_client: Error(s): 7000215 - Timestamp: x - Description: AADSTS7000215: Invalid client secret provided. - Correlation ID: abc' },
      'Azure sign-in',
      'aksRead',
    );
    expect(e.code).toBe('azure.sign-in-failed');
    expect(e.message).toBe('Azure sign-in: Azure sign-in failed — AADSTS7000215: Invalid client secret provided.');
  });

  it('uses the innermost message of a Log Analytics error envelope', () => {
    const e = azureError(
      { ...rest(400, 'BadArgumentError', 'bad'), details: { error: { code: 'BadArgumentError', message: 'The request had some invalid properties', innererror: { code: 'SemanticError', message: "Failed to resolve 'Nope'" } } } },
      'Log Analytics workspace w1',
      'logs',
    );
    expect(e.code).toBe('azure.bad-query');
    expect(e.message).toContain("The request had some invalid properties: Failed to resolve 'Nope'");
  });
});
