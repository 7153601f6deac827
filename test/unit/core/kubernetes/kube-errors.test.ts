import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GuardiaError } from '../../../../shared/result.js';
import { describeObject, toKubeError, type KubeOperation } from '../../../../electron/core/kubernetes/kube-errors.js';

const target = { context: 'prod-aks', server: 'https://aks.example:443' };
const scaleOp: KubeOperation = { verb: 'patch', resource: 'deployments', group: 'apps', subresource: 'scale', namespace: 'production', name: 'tiendi-api' };
const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('toKubeError', () => {
  it('401: the credential of the context was rejected', () => {
    const e = toKubeError(new ApiException(401, 'Unauthorized', undefined, {}), scaleOp, target);
    expect(e.code).toBe('kubernetes.unauthorized');
    expect(e.message).toBe(
      'The Kubernetes API (https://aks.example:443) rejected the credential for context "prod-aks" (HTTP 401 Unauthorized) while trying to patch deployments.apps/scale "tiendi-api" in namespace production',
    );
  });

  it('403: names verb, resource, group, object, namespace and context, then the server message', () => {
    const body = status(403, 'Forbidden', 'deployments.apps "tiendi-api" is forbidden: User "me" cannot patch resource "deployments/scale"');
    const e = toKubeError(new ApiException(403, 'Unknown API Status Code!', body, {}), scaleOp, target);
    expect(e.code).toBe('kubernetes.forbidden');
    expect(e.message).toBe(
      'Kubernetes denied "patch" on deployments/scale (API group apps) "tiendi-api" in namespace production, context "prod-aks" (HTTP 403 Forbidden): deployments.apps "tiendi-api" is forbidden: User "me" cannot patch resource "deployments/scale"',
    );
    expect(e.detail).toMatchObject({ httpCode: 403, reason: 'Forbidden', context: 'prod-aks', namespace: 'production' });
  });

  it('other Status errors carry code, reason and message', () => {
    const body = status(422, 'Invalid', 'Scale.autoscaling "tiendi-api" is invalid: spec.replicas: Invalid value: -1');
    const e = toKubeError(new ApiException(422, 'x', body, {}), scaleOp, target);
    expect(e.code).toBe('kubernetes.invalid');
    expect(e.message).toBe(
      'Kubernetes API error on patch deployments.apps/scale "tiendi-api" in namespace production, context "prod-aks": HTTP 422 Invalid: Scale.autoscaling "tiendi-api" is invalid: spec.replicas: Invalid value: -1',
    );
    const plain = toKubeError(new ApiException(502, 'x', '<html>bad gateway</html>', {}), scaleOp, target);
    expect(plain.code).toBe('kubernetes.api');
    expect(plain.message).toContain('HTTP 502 Unknown: <html>bad gateway</html>');
  });

  it('transport failures and cancellation', () => {
    const refused = Object.assign(new Error('request to https://aks.example:443/ failed'), { code: 'ECONNREFUSED' });
    expect(toKubeError(refused, scaleOp, target)).toMatchObject({
      code: 'kubernetes.unreachable',
      message: 'Cannot reach the Kubernetes API of context "prod-aks" (https://aks.example:443) to patch deployments.apps/scale "tiendi-api" in namespace production: ECONNREFUSED: request to https://aks.example:443/ failed',
    });
    const controller = new AbortController();
    controller.abort();
    expect(toKubeError(new Error('aborted'), scaleOp, target, controller.signal).code).toBe('request.cancelled');
    const own = new GuardiaError('kubernetes.no-history', 'x');
    expect(toKubeError(own, scaleOp, target)).toBe(own);
  });

  it('describeObject uses kubectl naming', () => {
    expect(describeObject({ verb: 'list', resource: 'pods', group: '', namespace: 'p' })).toBe('pods');
    expect(describeObject(scaleOp)).toBe('deployments.apps/scale "tiendi-api"');
  });
});
