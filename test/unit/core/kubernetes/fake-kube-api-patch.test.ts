/**
 * The fake API server's patch engine must behave like apimachinery's, or the kubectl-vs-Guardia
 * comparisons in test/integration/kubernetes.test.ts would prove nothing. Cases follow
 * strategicpatch's documented semantics and RFC 6902 / 7386.
 */
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, schemas } from '../../../fakes/kube-api/patch.js';

const doc = () => ({
  metadata: { name: 'd', finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'api', image: 'api:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'envoy', image: 'envoy:1' },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
      },
    },
  },
});

const envOf = (d: Record<string, unknown>) =>
  ((d.spec as { template: { spec: { containers: Array<{ name: string; env?: unknown }> } } }).template.spec.containers[0]!.env);

describe('strategic merge patch (fake API server)', () => {
  it('merges containers and env by name; without $setElementOrder new items come first', () => {
    const out = applyStrategicMergePatch(
      doc(),
      { spec: { template: { spec: { containers: [{ name: 'api', env: [{ name: 'C', value: '3' }, { name: 'A', value: '9' }] }] } } } },
      schemas.deployment,
    );
    expect(envOf(out)).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '9' },
      { name: 'B', value: '2' },
    ]);
    const containers = (out.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers;
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['api=api:1', 'envoy=envoy:1']);
  });

  it('$setElementOrder fixes the order (what kubectl set env sends)', () => {
    const out = applyStrategicMergePatch(
      doc(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'api' }, { name: 'envoy' }],
              containers: [{ name: 'api', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }], env: [{ name: 'C', value: '3' }] }],
            },
          },
        },
      },
      schemas.deployment,
    );
    expect(envOf(out)).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
  });

  it('null deletes a field, $patch delete removes a list item, $patch replace replaces a map', () => {
    const out = applyStrategicMergePatch(
      doc(),
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'envoy', $patch: 'delete' }, { name: 'api', env: [{ name: 'B', value: null }] }],
              volumes: [{ name: 'v', $patch: 'delete' }],
            },
          },
        },
        metadata: { $patch: 'replace', name: 'd' },
      },
      schemas.deployment,
    );
    expect(out.metadata).toEqual({ name: 'd' });
    expect(envOf(out)).toEqual([{ name: 'A', value: '1' }, { name: 'B' }]);
    expect((out.spec as { template: { spec: Record<string, unknown[]> } }).template.spec.containers).toHaveLength(1);
    expect((out.spec as { template: { spec: Record<string, unknown[]> } }).template.spec.volumes).toEqual([]);
  });

  it('lists without a merge key are replaced; primitive merge lists are unions; $deleteFromPrimitiveList removes', () => {
    const out = applyStrategicMergePatch(
      { ...doc(), spec: { ...doc().spec, tolerations: [{ key: 'a' }] } },
      { spec: { tolerations: [{ key: 'b' }] }, metadata: { finalizers: ['b'] } },
      schemas.deployment,
    );
    expect((out.spec as { tolerations: unknown }).tolerations).toEqual([{ key: 'b' }]);
    // As in apimachinery's mergeSlice: items only in the patch go before server-only ones.
    expect((out.metadata as { finalizers: string[] }).finalizers).toEqual(['b', 'a']);
    const removed = applyStrategicMergePatch(out, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, schemas.deployment);
    expect((removed.metadata as { finalizers: string[] }).finalizers).toEqual(['b']);
    expect(
      (applyStrategicMergePatch(out, { metadata: { finalizers: ['a'] } }, schemas.deployment).metadata as { finalizers: string[] }).finalizers,
    ).toEqual(['b', 'a']);
  });
});

describe('JSON patch and merge patch (fake API server)', () => {
  it('applies RFC 6902 operations and reports missing paths and failed tests as 422', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'replace', path: '/metadata/name', value: 'e' },
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
      { op: 'add', path: '/metadata/finalizers/-', value: 'z' },
      { op: 'remove', path: '/metadata/finalizers/0' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/alias' },
      { op: 'move', from: '/metadata/alias', path: '/metadata/moved' },
      { op: 'test', path: '/metadata/moved', value: 'e' },
    ]);
    expect(out.metadata).toEqual({ name: 'e', labels: { a: 'b' }, finalizers: ['z'], moved: 'e' });
    expect(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(/missing/);
    expect(() => applyJsonPatch(doc(), [{ op: 'test', path: '/metadata/name', value: 'x' }])).toThrow('test failed');
  });

  it('applies RFC 7386 merge patches', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: null, e: 3 }, d: [2] })).toEqual({ a: { c: 2, e: 3 }, d: [2] });
  });
});
