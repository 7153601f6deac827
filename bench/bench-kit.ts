/** Shared helpers for bench/*.bench.ts: timing and the one output line the runner reads. */

export interface BenchRow {
  name: string;
  /** What the figure is compared with, measured in the same run (e.g. "amtool alert query: 412 ms"). */
  reference: string;
  figure: string;
  /** figure ÷ reference (lower is better unless the name says otherwise). */
  ratio: number | null;
}

export function report(row: BenchRow): void {
  process.stdout.write(`BENCH ${JSON.stringify(row)}\n`);
}

/** Median wall time in ms of `runs` calls (after one warm-up call). */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Event-loop stalls: a 10 ms timer records how late each tick fires (in ms). Unlike
 * `monitorEventLoopDelay`, pausing really excludes a window: Node's monitor keeps its last tick across
 * disable/enable, so the whole paused window would count as one stall.
 */
export function stallMonitor(resolutionMs = 10) {
  const lateMs: number[] = [];
  let last: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    const now = performance.now();
    if (last !== null) lateMs.push(Math.max(0, now - last - resolutionMs));
    last = now;
  };
  const sorted = () => [...lateMs].sort((a, b) => a - b);
  return {
    resume() {
      last = null;
      timer ??= setInterval(tick, resolutionMs);
    },
    pause() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    reset() {
      lateMs.length = 0;
    },
    get max() {
      return lateMs.length ? Math.max(...lateMs) : 0;
    },
    percentile(p: number) {
      const s = sorted();
      return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
    },
  };
}
