import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { journalEntrySchema, type JournalEntry } from '../../../shared/domain.js';

export type JournalDraft = Omit<JournalEntry, 'id' | 'time' | 'data'> & { data?: Record<string, unknown>; time?: number };

/** A line that could not be read back (e.g. torn by a crash mid-write): reported, never dropped silently. */
export interface JournalDamage {
  file: string;
  line: number;
  reason: string;
}

/**
 * The shift journal: append-only JSON lines, fsync'd before `append` resolves, so an action journaled
 * as started survives a crash. One file per shift (named by the shift's start date); appends are
 * serialized so concurrent writers never interleave lines.
 */
export class Journal {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(entry: JournalEntry) => void>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number,
    /** Maps a time to the shift file it belongs to. */
    private readonly shiftKey: (time: number) => string = (t) => new Date(t).toISOString().slice(0, 10),
  ) {}

  onAppend(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(draft: JournalDraft): Promise<JournalEntry> {
    const entry = journalEntrySchema.parse({
      ...draft,
      id: randomUUID(),
      time: draft.time ?? this.now(),
      data: draft.data ?? {},
    });
    const write = this.queue.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const handle = await open(join(this.dir, `shift-${this.shiftKey(entry.time)}.jsonl`), 'a', 0o600);
      try {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.queue = write.catch(() => {});
    return write.then(() => {
      for (const listener of this.listeners) listener(entry);
      return entry;
    });
  }

  /** Every entry in every shift file, oldest first, plus any lines that could not be parsed. */
  async readAll(): Promise<{ entries: JournalEntry[]; damage: JournalDamage[] }> {
    await this.queue;
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.startsWith('shift-') && f.endsWith('.jsonl')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], damage: [] };
      throw error;
    }
    const entries: JournalEntry[] = [];
    const damage: JournalDamage[] = [];
    for (const name of files) {
      const file = join(this.dir, name);
      const text = await readFile(file, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        if (line === '') return;
        const torn = index === lines.length - 1; // no trailing newline: the write never finished
        try {
          entries.push(journalEntrySchema.parse(JSON.parse(line)));
        } catch (error) {
          damage.push({
            file,
            line: index + 1,
            reason: torn ? 'incomplete last line (the process stopped while writing it)' : (error as Error).message,
          });
        }
      });
    }
    entries.sort((a, b) => a.time - b.time);
    return { entries, damage };
  }

  async list(limit: number): Promise<JournalEntry[]> {
    const { entries } = await this.readAll();
    return entries.slice(-limit).reverse();
  }

  /** Entries with `from <= time <= to`, oldest first, plus every damaged line (damage is never hidden by a range). */
  async readRange(from: number, to: number): Promise<{ entries: JournalEntry[]; damage: JournalDamage[] }> {
    const { entries, damage } = await this.readAll();
    return { entries: entries.filter((e) => e.time >= from && e.time <= to), damage };
  }
}
