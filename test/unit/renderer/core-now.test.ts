import { describe, expect, it } from 'vitest';
import { coreNow } from '../../../renderer/src/lib/use-now';

describe('coreNow', () => {
  it('extrapolates core’s clock from the last tick, not from this machine’s clock', () => {
    // The demo's clock runs ahead: core said 12:10:00 when this machine read 12:00:00.
    const core = Date.UTC(2026, 10, 30, 12, 10, 0);
    const received = Date.UTC(2026, 10, 30, 12, 0, 0);
    expect(coreNow(received + 4000, core, received)).toBe(core + 4000);
  });
  it('falls back to the wall clock before the first tick', () => {
    expect(coreNow(123, null, null)).toBe(123);
  });
});
