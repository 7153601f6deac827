import { describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../../electron/core/journal/journal.js';

const draft = (summary: string) => ({ actor: 'ana', environment: 'demo', source: 'user', kind: 'note' as const, summary });

describe('Journal', () => {
  it('appends JSON lines that read back in order, newest first in list()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    let t = Date.UTC(2026, 10, 30, 12);
    const journal = new Journal(dir, () => (t += 1000));
    await Promise.all(['one', 'two', 'three'].map((s) => journal.append(draft(s))));
    const [file] = await readdir(dir);
    const lines = (await readFile(join(dir, file!), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).summary)).toEqual(['one', 'two', 'three']);
    expect((await journal.list(2)).map((e) => e.summary)).toEqual(['three', 'two']);
  });

  it('reports a torn last line instead of dropping it silently, and keeps the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const journal = new Journal(dir, () => Date.UTC(2026, 10, 30, 12));
    await journal.append(draft('kept'));
    const [file] = await readdir(dir);
    await appendFile(join(dir, file!), '{"id":"x","time":17');
    const { entries, damage } = await journal.readAll();
    expect(entries.map((e) => e.summary)).toEqual(['kept']);
    expect(damage).toHaveLength(1);
    expect(damage[0]!.line).toBe(2);
    expect(damage[0]!.reason).toMatch(/incomplete last line/);
  });

  it('tells listeners about each entry after it is on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const journal = new Journal(dir, Date.now);
    const seen: string[] = [];
    journal.onAppend((e) => seen.push(e.summary));
    await journal.append(draft('hello'));
    expect(seen).toEqual(['hello']);
  });
});

describe('Journal group commit', () => {
  it('writes appends made together in call order, each resolved only once on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const journal = new Journal(dir, () => Date.UTC(2026, 10, 30, 12));
    const summaries = [...Array(500)].map((_, i) => `alert ${i}`);
    const written = await Promise.all(summaries.map((s) => journal.append(draft(s))));
    expect(written.map((e) => e.summary)).toEqual(summaries);
    const [file] = await readdir(dir);
    const lines = (await readFile(join(dir, file!), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).summary)).toEqual(summaries);
  });

  it('reports a write that could not reach the disk to its caller instead of resolving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const blocked = join(dir, 'not-a-dir');
    await appendFile(blocked, 'x');
    const broken = new Journal(join(blocked, 'journal'), Date.now);
    const seen: string[] = [];
    broken.onAppend((e) => seen.push(e.summary));
    await expect(broken.append(draft('lost?'))).rejects.toThrow();
    expect(seen).toEqual([]);
  });
});
