import type { EventPayload } from '../../../../shared/contract';
import type { DiagnosisRun, StepResult, UnfinishedAction } from '../../../../shared/diagnosis';
import type { PlaybookSummary } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import type { SliceCreator } from '../../store/store';

/** One playbook's latest diagnosis: steps fill in as `playbooks.changed` pushes them. */
export type DiagnosisState = {
  runId: string | null;
  running: boolean;
  startedAt: number;
  steps: Record<string, StepResult>;
  finished: DiagnosisRun | null;
  error: ErrorInfo | null;
};

/** The pack's playbooks (`playbooks.list`), unfinished actions, and each playbook's latest diagnosis. */
export type PlaybooksSlice = {
  playbooks: PlaybookSummary[];
  playbooksStatus: 'idle' | 'loading' | 'ready' | 'error';
  playbooksError: ErrorInfo | null;
  /** Actions journaled as started with no result (a crash mid-action). */
  unfinishedActions: UnfinishedAction[];
  diagnoses: Record<string, DiagnosisState>;
  playbooksLoading(): void;
  setPlaybooks(playbooks: PlaybookSummary[], unfinished?: UnfinishedAction[]): void;
  playbooksFailed(error: ErrorInfo): void;
  diagnosisStarted(playbookId: string, at: number): void;
  applyPlaybooksChanged(payload: EventPayload<'playbooks.changed'>): void;
  diagnosisFinished(playbookId: string, run: DiagnosisRun | null, error?: ErrorInfo): void;
};

export const createPlaybooksSlice: SliceCreator<PlaybooksSlice> = (set) => ({
  playbooks: [],
  playbooksStatus: 'idle',
  playbooksError: null,
  unfinishedActions: [],
  diagnoses: {},
  playbooksLoading: () => set({ playbooksStatus: 'loading', playbooksError: null }),
  setPlaybooks: (playbooks, unfinished = []) => set({ playbooks, unfinishedActions: unfinished, playbooksStatus: 'ready', playbooksError: null }),
  playbooksFailed: (playbooksError) => set({ playbooksStatus: 'error', playbooksError }),
  diagnosisStarted: (playbookId, at) =>
    set((s) => ({ diagnoses: { ...s.diagnoses, [playbookId]: { runId: null, running: true, startedAt: at, steps: {}, finished: null, error: null } } })),
  applyPlaybooksChanged: ({ runId, playbookId, step }) =>
    set((s) => {
      const d = s.diagnoses[playbookId];
      // Only the run this window started (or adopted: another face's run of the same playbook).
      if (!d || !step || (d.runId !== null && d.runId !== runId)) return {};
      return { diagnoses: { ...s.diagnoses, [playbookId]: { ...d, runId, steps: { ...d.steps, [step.stepId]: step } } } };
    }),
  diagnosisFinished: (playbookId, run, error) =>
    set((s) => {
      const d = s.diagnoses[playbookId];
      if (!d) return {};
      const steps = run ? Object.fromEntries(run.steps.map((x) => [x.stepId, x])) : d.steps;
      return { diagnoses: { ...s.diagnoses, [playbookId]: { ...d, running: false, runId: run?.runId ?? d.runId, steps, finished: run, error: error ?? null } } };
    }),
});
