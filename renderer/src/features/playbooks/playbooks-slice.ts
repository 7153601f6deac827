import type { PlaybookSummary } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import type { SliceCreator } from '../../store/store';

/** The pack's playbooks, loaded once (`playbooks.list`). */
export type PlaybooksSlice = {
  playbooks: PlaybookSummary[];
  playbooksStatus: 'idle' | 'loading' | 'ready' | 'error';
  playbooksError: ErrorInfo | null;
  playbooksLoading(): void;
  setPlaybooks(playbooks: PlaybookSummary[]): void;
  playbooksFailed(error: ErrorInfo): void;
};

export const createPlaybooksSlice: SliceCreator<PlaybooksSlice> = (set) => ({
  playbooks: [],
  playbooksStatus: 'idle',
  playbooksError: null,
  playbooksLoading: () => set({ playbooksStatus: 'loading', playbooksError: null }),
  setPlaybooks: (playbooks) => set({ playbooks, playbooksStatus: 'ready', playbooksError: null }),
  playbooksFailed: (playbooksError) => set({ playbooksStatus: 'error', playbooksError }),
});
