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
