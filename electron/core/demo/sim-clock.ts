import type { Clock } from '../ports.js';

/** The demo's clock: sim time runs `speed` times faster than real time from `startAt`. */
export interface SimClock extends Clock {
  readonly startAt: number;
  readonly speed: number;
}

/** Monotonic wall time in epoch ms, so a system clock change does not warp the simulation. */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * sim now = startAt + (realNow() − realStart) × speed, in whole ms. `sleep` waits real ms: polling
 * keeps its wall-clock pace whatever the speed, and a faster demo simply moves further per poll.
 */
export function createSimClock(opts: { startAt: number; speed: number; realNow: () => number }): SimClock {
  const { startAt, speed, realNow } = opts;
  const realStart = realNow();
  return {
    startAt,
    speed,
    now: () => Math.floor(startAt + (realNow() - realStart) * speed),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
