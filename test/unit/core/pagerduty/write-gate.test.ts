import { describe, expect, it } from 'vitest';
import { StatusBatcher, WriteGate } from '../../../../electron/core/pagerduty/write-gate.js';

/** A write that stays in flight until the test releases it. */
function controllable() {
  const sent: string[][] = [];
  const releases: Array<() => void> = [];
  const send = (ids: string[]) =>
    new Promise<Map<string, string>>((resolve) => {
      sent.push(ids);
      releases.push(() => resolve(new Map(ids.map((id) => [id, `ok ${id}`]))));
    });
  return { sent, releases, send };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WriteGate and StatusBatcher', () => {
  it('keeps one write in flight and merges clicks made meanwhile into one request', async () => {
    const gate = new WriteGate();
    const { sent, releases, send } = controllable();
    const acks = new StatusBatcher(gate, 'ack', send);
    const first = acks.submit(['A']);
    await tick();
    const later = [acks.submit(['B']), acks.submit(['C']), acks.submit(['B']), acks.submit(['A'])];
    await tick();
    expect(sent).toEqual([['A']]);
    releases[0]!();
    expect(await first).toEqual(['ok A']);
    await tick();
    // The A clicked during the first write shares its result; B and C go out together, once.
    expect(sent).toEqual([['A'], ['B', 'C']]);
    releases[1]!();
    expect(await Promise.all(later)).toEqual([['ok B'], ['ok C'], ['ok B'], ['ok A']]);
    expect(gate.maxInFlight).toBe(1);
  });

  it('shares an identical pending write and runs different ones one after another', async () => {
    const gate = new WriteGate();
    let running = 0;
    let calls = 0;
    const write = async () => {
      calls += 1;
      running += 1;
      expect(running).toBe(1);
      await tick();
      running -= 1;
      return calls;
    };
    const [a, b, c] = await Promise.all([gate.run('note:x', write), gate.run('note:x', write), gate.run('note:y', write)]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
    expect(c).toBe(2);
  });

  it('goes on after a failed write', async () => {
    const gate = new WriteGate();
    await expect(gate.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run('b', async () => 'next')).toBe('next');
  });
});
