import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long one slice of a big batch may hold the event loop before it lets timers, IPC and SSE run. */
export const sliceBudgetMs = 8;

/**
 * `items.map(fn)` that gives the event loop back whenever a slice has run `budgetMs`: a poll of 10,000
 * alerts is work in many short turns, never one long stall of every panel, IPC answer and timer.
 * A signal aborted between slices stops it with the signal's reason.
 */
export async function mapSliced<T, U>(
  items: readonly T[],
  fn: (item: T, index: number) => U,
  { budgetMs = sliceBudgetMs, signal }: { budgetMs?: number; signal?: AbortSignal } = {},
): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    // Checking the clock costs more than most items: look every 64.
    if ((i & 63) === 63 && performance.now() - sliceStart > budgetMs) {
      await nextTurn();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    out[i] = fn(items[i]!, i);
  }
  return out;
}
