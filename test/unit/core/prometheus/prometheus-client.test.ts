import { describe, expect, it } from 'vitest';
import { maxPointsPerSeries, stepFor } from '../../../../electron/core/prometheus/prometheus-client.js';
import { apiUrl } from '../../../../electron/core/http/http-json.js';

describe('Prometheus range step', () => {
  it('keeps every range under the 11,000-point limit', () => {
    const end = Date.UTC(2026, 10, 30);
    for (const days of [1 / 96, 1, 7, 30, 365]) {
      const start = end - days * 86_400_000;
      const step = stepFor(start, end, 1);
      expect((end - start) / 1000 / step + 1).toBeLessThanOrEqual(maxPointsPerSeries);
    }
  });
  it('keeps the wanted step when it is already coarse enough', () => {
    expect(stepFor(0, 15 * 60_000, 15)).toBe(15);
  });
});

describe('API URLs', () => {
  it('joins base path, prefix (Thanos/Mimir) and API path', () => {
    expect(apiUrl('http://mimir:8080/', '/prometheus', '/api/v1/query').href).toBe('http://mimir:8080/prometheus/api/v1/query');
    expect(apiUrl('http://p:9090/sub', undefined, '/api/v1/query').href).toBe('http://p:9090/sub/api/v1/query');
  });
});
