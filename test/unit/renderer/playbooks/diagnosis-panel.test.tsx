import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiagnosisRun, StepResult } from '../../../../shared/diagnosis';
import { GuardiaApp } from '../../../../renderer/src/app';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import { createFakeApi, defaultHandlers, fixtureNow } from '../fake-api';

afterEach(() => cleanup());

const step: StepResult = {
  stepId: 'pods',
  system: 'kubernetes',
  command: 'kubectl get pods -n production',
  status: 'ok',
  startedAt: fixtureNow,
  durationMs: 12,
  summary: '3 pods, 1 not ready',
  output: { kind: 'table', columns: ['NAME', 'STATUS'], rows: [['api-1', 'CrashLoopBackOff']], note: null },
};

describe('Playbooks: diagnosis', () => {
  it('shows each step as it is pushed, beside its runbook command, before the run returns', async () => {
    let finish: (run: DiagnosisRun) => void = () => {};
    const handlers = defaultHandlers();
    handlers['playbooks.diagnose'] = () => new Promise((resolve) => (finish = (run) => resolve({ ok: true, value: run })));
    const api = createFakeApi(handlers);
    render(<GuardiaApp api={api} store={createGuardiaStore({ lang: 'en', startedAt: fixtureNow })} />);
    fireEvent.click(await screen.findByTestId('nav-playbooks'));
    fireEvent.click(await screen.findByTestId('run-diagnosis'));
    const row = await screen.findByTestId('step-pods');
    expect(row.getAttribute('data-status')).toBe('pending');
    expect(screen.getByTestId('run-diagnosis').textContent).toBe('Running 0/1…');
    api.emit('playbooks.changed', { runId: 'r1', playbookId: 'high-error-rate', step, done: false });
    await within(row).findByText('3 pods, 1 not ready');
    expect(row.getAttribute('data-status')).toBe('ok');
    expect(within(row).getByText('kubectl get pods -n production').tagName).toBe('CODE');
    // Cells are text: a value from outside never becomes markup.
    expect(within(row).getByTestId('step-table').textContent).toContain('CrashLoopBackOff');
    finish({ runId: 'r1', playbookId: 'high-error-rate', startedAt: fixtureNow, finishedAt: fixtureNow + 40, durationMs: 40, steps: [step], journalId: 'j1' });
    expect((await screen.findByTestId('diagnosis-summary')).textContent).toBe('1/1 steps ok in 40 ms');
    expect(api.calls.filter((c) => c.channel === 'playbooks.diagnose')).toEqual([{ channel: 'playbooks.diagnose', req: { playbookId: 'high-error-rate', params: {} } }]);
  });

  it('keeps Run disabled while the gate says the action is blocked', async () => {
    const handlers = defaultHandlers();
    const base = handlers['playbooks.preview']!;
    handlers['playbooks.preview'] = async (req) => {
      const r = await base(req);
      return r.ok ? { ok: true, value: { ...r.value, dryRun: { ok: false, message: 'deployments.apps "api" not found' }, blocked: 'The server-side dry run failed' } } : r;
    };
    render(<GuardiaApp api={createFakeApi(handlers)} store={createGuardiaStore({ lang: 'en', startedAt: fixtureNow })} />);
    fireEvent.click(await screen.findByTestId('nav-playbooks'));
    fireEvent.click(await screen.findByTestId('action-rollback'));
    const dialog = screen.getByTestId('confirm-dialog');
    fireEvent.change(within(dialog).getByTestId('confirm-input'), { target: { value: 'deployment/api' } });
    expect((await within(dialog).findByTestId('preview-blocked')).textContent).toContain('The server-side dry run failed');
    expect((within(dialog).getByTestId('confirm-run') as HTMLButtonElement).disabled).toBe(true);
  });
});
