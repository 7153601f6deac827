/** Timer functions, injectable so tests can drive time. */
export type TimerClock = {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Batches items and flushes at most once per `intervalMs` (leading edge immediately, then trailing).
 * Live metrics are applied to the store at most about once a second however fast core pushes, so a
 * burst of ticks costs one render, not one per tick.
 */
export function createCoalescer<T>(flush: (items: T[]) => void, intervalMs: number, clock: TimerClock = realClock) {
  let queue: T[] = [];
  let timer: unknown = null;
  let lastFlush = Number.NEGATIVE_INFINITY;

  const run = () => {
    timer = null;
    lastFlush = clock.now();
    const items = queue;
    queue = [];
    if (items.length > 0) flush(items);
  };

  return {
    push(item: T): void {
      queue.push(item);
      if (timer !== null) return;
      const wait = intervalMs - (clock.now() - lastFlush);
      if (wait <= 0) run();
      else timer = clock.setTimeout(run, wait);
    },
    dispose(): void {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      queue = [];
    },
  };
}
