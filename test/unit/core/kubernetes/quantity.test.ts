import { describe, expect, it } from 'vitest';
import { addQuantities, milliValue, normalizeQuantity, parseQuantity, unitValue } from '../../../../electron/core/kubernetes/quantity.js';

describe('Kubernetes quantities', () => {
  it('canonicalizes as the API server and kubectl write them (resource.Quantity.String)', () => {
    const cases: Array<[string, string]> = [
      ['2Gi', '2Gi'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['1.5Gi', '1536Mi'],
      ['0.5', '500m'],
      ['1000m', '1'],
      ['1500m', '1500m'],
      ['100m', '100m'],
      ['2000', '2k'],
      ['12e6', '12e6'],
      ['1e3', '1e3'],
      ['0', '0'],
      ['512Ki', '512Ki'],
      ['1023Ki', '1023Ki'],
      ['100', '100'],
      ['1k', '1k'],
      ['0.1Gi', '107374182400m'],
      ['1n', '1n'],
      ['0.0000000001', '1n'],
    ];
    for (const [input, canonical] of cases) expect([input, normalizeQuantity(input)]).toEqual([input, canonical]);
  });

  it('rejects what is not a quantity, naming it', () => {
    for (const bad of ['lots', '1GB', '', '1.2.3', 'Mi'])
      expect(() => parseQuantity(bad)).toThrow(`"${bad}" is not a Kubernetes quantity`);
  });

  it('rounds milli and unit values up, as kubectl top prints them, and adds exactly', () => {
    expect(milliValue(parseQuantity('31000000n'))).toBe(31);
    expect(milliValue(parseQuantity('31000001n'))).toBe(32);
    expect(unitValue(parseQuantity('262144Ki'))).toBe(268435456);
    const sum = addQuantities([parseQuantity('250m'), parseQuantity('0.1'), parseQuantity('612000000n')]);
    expect(milliValue(sum)).toBe(962);
  });
});
