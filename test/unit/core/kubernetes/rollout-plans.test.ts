import * as k8s from '@kubernetes/client-node';
import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  equalIgnoreHash,
  planEnvPatch,
  planRollback,
  restartPatch,
  rfc3339,
  selectorString,
} from '../../../../electron/core/kubernetes/rollout-plans.js';

const template = (image: string, hash?: string): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'api', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'api', image, env: [{ name: 'A', value: '1' }] }] },
});

const deployment = (image: string, extra: Partial<V1Deployment> = {}): V1Deployment => ({
  metadata: {
    name: 'api',
    uid: 'd-uid',
    annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: { selector: { matchLabels: { app: 'api' } }, template: template(image) },
  ...extra,
});

const rs = (name: string, image: string, revision: string | undefined, created: string, owner = 'd-uid'): V1ReplicaSet => ({
  metadata: {
    name,
    creationTimestamp: new Date(created),
    annotations: {
      ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision }),
      'deployment.kubernetes.io/desired-replicas': '3',
      'kubernetes.io/change-cause': `cause of ${name}`,
    },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: owner, controller: true }],
  },
  spec: { selector: { matchLabels: { app: 'api', 'pod-template-hash': name } }, template: template(image, name) },
});

describe('planRollback (kubectl rollout undo)', () => {
  const d = deployment('api:2');
  const sets = [rs('h1', 'api:1', '1', '2026-01-01T00:00:00Z'), rs('h2', 'api:2', '2', '2026-02-01T00:00:00Z')];

  it('patches template and annotations from the second-highest revision, without pod-template-hash', () => {
    const plan = planRollback(d, sets);
    expect(plan).toEqual({
      action: 'patch',
      toRevision: 1,
      patch: [
        {
          op: 'replace',
          path: '/spec/template',
          value: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1', env: [{ name: 'A', value: '1' }] }] } },
        },
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: {
            'deployment.kubernetes.io/revision': '2',
            'kubectl.kubernetes.io/last-applied-configuration': '{}',
            'kubernetes.io/change-cause': 'cause of h1',
          },
        },
      ],
    });
  });

  it('ignores ReplicaSets the deployment does not control and unparsable revisions', () => {
    const foreign = rs('x', 'api:9', '9', '2026-03-01T00:00:00Z', 'other');
    const garbage = rs('g', 'api:8', 'eight', '2026-03-01T00:00:00Z');
    expect(planRollback(d, [...sets, foreign, garbage])).toMatchObject({ toRevision: 1 });
  });

  it('fails without a previous revision, and for a paused deployment', () => {
    expect(() => planRollback(d, [sets[1]!])).toThrow('no rollout history found for deployment api');
    expect(() => planRollback(deployment('api:2', { spec: { ...d.spec!, paused: true } }), sets)).toThrow(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/api' and try again",
    );
  });

  it('skips when the previous template already matches (ignoring the hash label)', () => {
    expect(planRollback(deployment('api:1'), sets)).toEqual({ action: 'skip', toRevision: 1 });
    expect(equalIgnoreHash(template('a', 'x'), template('a'))).toBe(true);
    expect(equalIgnoreHash({ metadata: { labels: {} }, spec: { containers: [] } }, { spec: { containers: [] } })).toBe(true);
  });
});

describe('selectorString', () => {
  it('renders like metav1.LabelSelectorAsSelector(...).String()', () => {
    expect(
      selectorString({
        matchLabels: { tier: 'backend', app: 'api' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'canary'] },
          { key: 'beta', operator: 'Exists' },
          { key: 'zz', operator: 'DoesNotExist' },
          { key: 'track', operator: 'NotIn', values: ['b', 'a'] },
        ],
      }),
    ).toBe('app=api,beta,env in (canary,prod),tier=backend,track notin (a,b),!zz');
  });
});

describe('restartPatch (kubectl rollout restart)', () => {
  it('sets restartedAt to the RFC 3339 second of now', () => {
    const now = new Date('2026-11-30T10:11:12.345Z');
    expect(restartPatch(deployment('a'), now)).toEqual({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339(now) } } } },
    });
    expect(rfc3339(now)).toMatch(/^2026-11-30T\d\d:11:12(Z|[+-]\d\d:\d\d)$/);
    expect(new Date(rfc3339(now)).getTime()).toBe(Date.parse('2026-11-30T10:11:12Z'));
  });

  it('refuses a paused deployment and a second restart within the same second', () => {
    expect(() => restartPatch(deployment('a', { spec: { ...deployment('a').spec!, paused: true } }), new Date())).toThrow(
      "can't restart paused deployment api (run rollout resume first)",
    );
    const now = new Date();
    const d = deployment('a');
    d.spec!.template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': rfc3339(now) };
    expect(() => restartPatch(d, now)).toThrow('if restart has already been triggered within the past second');
  });
});

describe('planEnvPatch (kubectl set env)', () => {
  const withEnv = (): V1Deployment => {
    const d = deployment('a');
    d.spec!.template.spec!.containers = [
      {
        name: 'api',
        image: 'a',
        env: [
          { name: 'A', value: '1' },
          { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'sidecar', image: 's' },
    ];
    return d;
  };

  it('sends only changed entries, with $setElementOrder keeping existing order and appending new ones', () => {
    expect(planEnvPatch(withEnv(), { B: '3', C: '4', A: '1' })).toEqual({
      container: 'api',
      patch: {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'api' }, { name: 'sidecar' }],
              containers: [
                {
                  name: 'api',
                  '$setElementOrder/env': [{ name: 'A' }, { name: 'SECRET' }, { name: 'B' }, { name: 'C' }],
                  env: [
                    { name: 'B', value: '3' },
                    { name: 'C', value: '4' },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });

  it('drops valueFrom when a literal value replaces it, and treats "" as no value', () => {
    const plan = planEnvPatch(withEnv(), { SECRET: 'plain', A: '' });
    const c = (plan.patch as { spec: { template: { spec: { containers: Array<{ env: unknown }> } } } }).spec.template.spec.containers[0]!;
    expect(c.env).toEqual([
      { name: 'A', value: null },
      { name: 'SECRET', value: 'plain', valueFrom: null },
    ]);
  });

  it('targets a named container, with no order directive for a container without env', () => {
    const plan = planEnvPatch(withEnv(), { X: '1' }, 'sidecar');
    expect(plan.container).toBe('sidecar');
    expect((plan.patch as { spec: { template: { spec: { containers: unknown[] } } } }).spec.template.spec.containers).toEqual([
      { name: 'sidecar', env: [{ name: 'X', value: '1' }] },
    ]);
  });

  it('returns no patch when nothing changes, and rejects bad names and unknown containers', () => {
    expect(planEnvPatch(withEnv(), { A: '1' }).patch).toBeNull();
    expect(() => planEnvPatch(withEnv(), { '1A': 'x' })).toThrow('invalid environment variable name "1A"');
    expect(() => planEnvPatch(withEnv(), {})).toThrow('at least one environment variable must be provided');
    expect(() => planEnvPatch(withEnv(), { A: '2' }, 'nope')).toThrow('deployment api has no container "nope" (containers: api, sidecar)');
  });
});

describe('client-node models', () => {
  it('name every field of a pod template as the API does, so JSON.stringify gives the wire form', () => {
    const lib = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Array<{ name: string; baseName: string; type: string }> }>;
    const renamed: string[] = [];
    const seen = new Set<string>();
    const walk = (type: string) => {
      const base = type.replace(/^Array<(.*)>$/, '$1').replace(/^\{ \[key: string\]: (.*); \}$/, '$1');
      const model = lib[base];
      if (!model?.getAttributeTypeMap || seen.has(base)) return;
      seen.add(base);
      for (const a of model.getAttributeTypeMap()) {
        if (a.name !== a.baseName) renamed.push(`${base}.${a.name}`);
        walk(a.type);
      }
    };
    walk('V1PodTemplateSpec');
    expect(seen.size).toBeGreaterThan(50);
    expect(renamed).toEqual([]);
  });
});
