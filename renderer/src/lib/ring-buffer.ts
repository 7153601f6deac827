/** One sample of a live series: [time ms, value], null marks a gap. */
export type Point = readonly [time: number, value: number | null];

/**
 * Fixed-capacity circular buffer of samples. Live series grow every tick for a whole shift; a ring
 * keeps memory and chart work constant (the oldest sample is dropped) instead of an ever-growing array.
 * Values live in typed arrays; NaN stands for null so a gap survives the round trip.
 */
export class RingBuffer {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Builds a buffer pre-filled with history (oldest first); only the newest `capacity` points are kept. */
  static from(points: readonly Point[], capacity: number): RingBuffer {
    const buffer = new RingBuffer(capacity);
    for (const [t, v] of points.slice(-capacity)) buffer.push(t, v);
    return buffer;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a sample, overwriting the oldest when full. */
  push(time: number, value: number | null): void {
    const index = (this.start + this.count) % this.capacity;
    this.times[index] = time;
    this.values[index] = value ?? Number.NaN;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Replaces the newest sample (used to coalesce samples closer together than the display step). */
  replaceLast(time: number, value: number | null): void {
    if (this.count === 0) {
      this.push(time, value);
      return;
    }
    const index = (this.start + this.count - 1) % this.capacity;
    this.times[index] = time;
    this.values[index] = value ?? Number.NaN;
  }

  /** The i-th sample, 0 = oldest; negative indexes count from the newest (-1 = newest). */
  at(i: number): Point | undefined {
    const j = i < 0 ? this.count + i : i;
    if (j < 0 || j >= this.count) return undefined;
    const index = (this.start + j) % this.capacity;
    const value = this.values[index]!;
    return [this.times[index]!, Number.isNaN(value) ? null : value];
  }

  /** The newest sample that is not a gap, so a stat tile keeps showing a value across one missed scrape. */
  lastValue(): number | null {
    for (let j = this.count - 1; j >= 0; j -= 1) {
      const value = this.values[(this.start + j) % this.capacity]!;
      if (!Number.isNaN(value)) return value;
    }
    return null;
  }

  /** Samples oldest first. */
  toArray(): Point[] {
    const out: Point[] = [];
    for (let j = 0; j < this.count; j += 1) out.push(this.at(j)!);
    return out;
  }
}

/**
 * Appends a live sample so committed points stay about `minStepMs` apart: while the newest point is
 * closer than a step to the one before it, the next sample replaces it instead of adding a point. A 24 h chart fed every 15 s thus keeps its
 * 24 h span inside a fixed capacity, while a 15 m chart gets every tick. Out-of-order samples are dropped.
 */
export function appendSample(buffer: RingBuffer, time: number, value: number | null, minStepMs: number): void {
  const last = buffer.at(-1);
  if (last && time < last[0]) return;
  if (last && time === last[0]) {
    buffer.replaceLast(time, value);
    return;
  }
  const previous = buffer.at(-2);
  // the newest point is provisional while it sits closer than a step to the one before it
  if (last && previous && last[0] - previous[0] < minStepMs) buffer.replaceLast(time, value);
  else buffer.push(time, value);
}
