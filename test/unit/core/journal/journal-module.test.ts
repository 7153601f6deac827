import { describe, expect, it } from 'vitest';
import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { shiftCore } from '../handoff/shift-harness.js';

describe('journal over the contract', () => {
  it('writes one file per shift and journal.list surfaces a torn last line as damage', async () => {
    const { demo, call, dir } = await shiftCore();
    demo.goTo(0);
    await call('journal.addNote', { text: 'first' });
    await call('journal.pinResult', { title: 'error rate 35 %', text: 'overview.error-rate = 35.2', source: 'overview' });
    expect(await readdir(dir)).toEqual(['shift-2025-11-24.jsonl']);
    await appendFile(join(dir, 'shift-2025-11-24.jsonl'), '{"id":"torn","ti');
    const list = await call('journal.list', { limit: 10 });
    expect(list.entries.map((e: { summary: string; kind: string }) => [e.kind, e.summary])).toEqual([
      ['pinned', 'error rate 35 %'],
      ['note', 'first'],
    ]);
    expect(list.damage).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/incomplete last line/) })]);
    const md = (await call('handoff.getSummary', { format: 'md', lang: 'en' })).content;
    expect(md).toMatch(/Journal damage[\s\S]*line 3: incomplete last line/);
  });
});
