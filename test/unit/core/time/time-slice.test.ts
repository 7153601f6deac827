import { describe, expect, it } from 'vitest';
import { mapSliced } from '../../../../electron/core/time/time-slice.js';

const spin = (ms: number) => {
  const t = performance.now();
  while (performance.now() - t < ms);
};

describe('mapSliced', () => {
  it('maps in order and lets a timer run before a long batch ends', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => i);
    let doneWhenTimerRan: number | null = null;
    let done = 0;
    setTimeout(() => (doneWhenTimerRan = done), 0);
    const out = await mapSliced(
      items,
      (n, i) => {
        if (i % 1000 === 0) spin(2); // ~40 ms of work in all
        done++;
        return n * 2;
      },
      { budgetMs: 4 },
    );
    expect(out).toEqual(items.map((n) => n * 2));
    // The timer ran part-way through: the loop was given back, not held for the whole batch.
    expect(doneWhenTimerRan).toBeGreaterThan(0);
    expect(doneWhenTimerRan).toBeLessThan(items.length);
  });

  it('stops between slices when its signal is aborted, with the signal reason', async () => {
    const controller = new AbortController();
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    setTimeout(() => controller.abort(new Error('poll cancelled')), 0);
    let seen = 0;
    const run = mapSliced(items, () => (seen++, spin(0.01)), { budgetMs: 1, signal: controller.signal });
    await expect(run).rejects.toThrow('poll cancelled');
    expect(seen).toBeLessThan(items.length);
  });
});
