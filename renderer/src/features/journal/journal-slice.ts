import type { JournalEntry } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import type { SliceCreator } from '../../store/store';

/** Entries kept in memory; older ones stay in core's journal file. */
export const journalCap = 2000;

/** The shift journal, newest first: `journal.list` then live `journal.changed` entries prepended. */
export type JournalSlice = {
  journal: JournalEntry[];
  journalStatus: 'idle' | 'loading' | 'ready' | 'error';
  journalError: ErrorInfo | null;
  journalLoading(): void;
  setJournal(entries: readonly JournalEntry[]): void;
  journalFailed(error: ErrorInfo): void;
  /** Adds one entry (live event or our own note); an id already present is not duplicated. */
  addJournalEntry(entry: JournalEntry): void;
};

export const createJournalSlice: SliceCreator<JournalSlice> = (set) => ({
  journal: [],
  journalStatus: 'idle',
  journalError: null,
  journalLoading: () => set({ journalStatus: 'loading', journalError: null }),
  setJournal: (entries) =>
    set({
      journal: [...entries].sort((a, b) => b.time - a.time).slice(0, journalCap),
      journalStatus: 'ready',
      journalError: null,
    }),
  journalFailed: (journalError) => set({ journalStatus: 'error', journalError }),
  addJournalEntry: (entry) =>
    set((s) => {
      if (s.journal.some((e) => e.id === entry.id)) return {};
      const journal = [entry, ...s.journal];
      if (journal.length > 1 && entry.time < journal[1]!.time) journal.sort((a, b) => b.time - a.time);
      return { journal: journal.slice(0, journalCap) };
    }),
});
