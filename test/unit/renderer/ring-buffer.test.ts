import { describe, expect, it } from 'vitest';
import { appendSample, RingBuffer } from '../../../renderer/src/lib/ring-buffer';

describe('RingBuffer', () => {
  it('keeps only the newest `capacity` samples, oldest first', () => {
    const buffer = new RingBuffer(3);
    for (let i = 1; i <= 5; i += 1) buffer.push(i * 1000, i);
    expect(buffer.size).toBe(3);
    expect(buffer.toArray()).toEqual([
      [3000, 3],
      [4000, 4],
      [5000, 5],
    ]);
    expect(buffer.at(0)).toEqual([3000, 3]);
    expect(buffer.at(-1)).toEqual([5000, 5]);
    expect(buffer.at(3)).toBeUndefined();
  });

  it('keeps gaps as null and reports the newest non-gap value', () => {
    const buffer = new RingBuffer(4);
    buffer.push(1, 10);
    buffer.push(2, null);
    expect(buffer.toArray()).toEqual([
      [1, 10],
      [2, null],
    ]);
    expect(buffer.lastValue()).toBe(10);
    expect(new RingBuffer(2).lastValue()).toBeNull();
  });

  it('builds from history longer than its capacity', () => {
    const history = Array.from({ length: 300 }, (_, i) => [i, i] as const);
    const buffer = RingBuffer.from(history, 240);
    expect(buffer.size).toBe(240);
    expect(buffer.at(0)).toEqual([60, 60]);
    expect(buffer.lastValue()).toBe(299);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });

  it('memory stays fixed over a long shift of ticks', () => {
    const buffer = new RingBuffer(240);
    for (let i = 0; i < 12 * 60 * 4; i += 1) buffer.push(i * 15_000, Math.sin(i));
    expect(buffer.size).toBe(240);
    expect(buffer.at(-1)![0]).toBe((12 * 60 * 4 - 1) * 15_000);
  });
});

describe('appendSample', () => {
  it('appends every tick when ticks are at least the minimum step apart', () => {
    const buffer = new RingBuffer(10);
    for (let t = 0; t < 5; t += 1) appendSample(buffer, t * 15_000, t, 3_750);
    expect(buffer.size).toBe(5);
  });

  it('coalesces ticks closer than the step so a long range keeps its span', () => {
    const buffer = RingBuffer.from(
      [
        [0, 1],
        [360_000, 2],
      ],
      240,
    );
    const minStep = 360_000;
    appendSample(buffer, 375_000, 3, minStep); // first live tick: far enough from the point before the last
    appendSample(buffer, 390_000, 4, minStep); // replaces it
    appendSample(buffer, 405_000, 5, minStep);
    expect(buffer.toArray()).toEqual([
      [0, 1],
      [360_000, 2],
      [405_000, 5],
    ]);
    appendSample(buffer, 720_000, 6, minStep);
    appendSample(buffer, 735_000, 7, minStep);
    expect(buffer.toArray().map(([t]) => t)).toEqual([0, 360_000, 720_000, 735_000]);
  });

  it('drops out-of-order samples and replaces a duplicate timestamp', () => {
    const buffer = new RingBuffer(5);
    appendSample(buffer, 1000, 1, 0);
    appendSample(buffer, 2000, 2, 0);
    appendSample(buffer, 1500, 99, 0);
    appendSample(buffer, 2000, 3, 0);
    expect(buffer.toArray()).toEqual([
      [1000, 1],
      [2000, 3],
    ]);
  });
});
