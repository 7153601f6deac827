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
 * as started survives a crash. One file per shift (named by the shift's start date). Appends are
 * group-committed: everything queued while a write is in flight goes out in the next single
 * write + fsync, in call order, so an alert storm costs a few fsyncs rather than one per alert.
 */
export class Journal {
  private pending: Array<{ entry: JournalEntry; done: (error?: unknown) => void }> = [];
  private flushing: Promise<void> | null = null;
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
    const written = new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
    this.flushing ??= this.flush();
    return written.then(() => {
      for (const listener of this.listeners) listener(entry);
      return entry;
    });
  }

  /** Writes batches until nothing is pending; each batch is one write and one fsync per shift file. */
  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      const byFile = new Map<string, typeof batch>();
      for (const item of batch) {
        const file = join(this.dir, `shift-${this.shiftKey(item.entry.time)}.jsonl`);
        const items = byFile.get(file);
        if (items) items.push(item);
        else byFile.set(file, [item]);
      }
      for (const [file, items] of byFile) {
        try {
          await mkdir(this.dir, { recursive: true, mode: 0o700 });
          const handle = await open(file, 'a', 0o600);
          try {
            await handle.write(items.map((i) => `${JSON.stringify(i.entry)}\n`).join(''));
            await handle.sync();
          } finally {
            await handle.close();
          }
          for (const i of items) i.done();
        } catch (error) {
          for (const i of items) i.done(error);
        }
      }
    }
    this.flushing = null;
  }

  /** Every entry in every shift file, oldest first, plus any lines that could not be parsed. */
  async readAll(): Promise<{ entries: JournalEntry[]; damage: JournalDamage[] }> {
    while (this.flushing) await this.flushing;
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
