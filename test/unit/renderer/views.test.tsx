import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GuardiaApp } from '../../../renderer/src/app';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import { alert, createFakeApi, defaultHandlers, fixtureNow, type FakeApi } from './fake-api';

function mount(api: FakeApi = createFakeApi()) {
  const store = createGuardiaStore({ lang: 'en', startedAt: fixtureNow });
  render(<GuardiaApp api={api} store={store} />);
  return { api, store };
}

beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 960 });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(fixtureNow + 5_000);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Alerts view', () => {
  it('filters by text and severity and sorts', async () => {
    mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-alerts'));
    const names = () => screen.getAllByTestId('alert-row').map((r) => r.getAttribute('data-fingerprint'));
    expect(names()).toEqual(['a2', 'a1', 'a3']);
    fireEvent.change(screen.getByTestId('alert-filter'), { target: { value: 'postgres' } });
    expect(names()).toEqual(['a2']);
    fireEvent.change(screen.getByTestId('alert-filter'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('severity-filter-P4'));
    expect(names()).toEqual(['a3']);
    fireEvent.click(screen.getByTestId('severity-filter-P4'));
    fireEvent.change(screen.getByTestId('alert-sort'), { target: { value: 'name' } });
    expect(names()).toEqual(['a3', 'a2', 'a1']);
    fireEvent.click(screen.getByTestId('alert-sort-direction'));
    expect(names()).toEqual(['a1', 'a2', 'a3']);
  });

  it('virtualizes an alert storm and applies alerts.changed deltas', async () => {
    const { api } = mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-alerts'));
    const storm = Array.from({ length: 2000 }, (_, i) => alert({ fingerprint: `s${i}`, name: `PodCrashLooping${i}`, severity: 'P3' }));
    act(() => api.emit('alerts.changed', { firing: storm, resolved: [], active: 2003, updatedAt: fixtureNow }));
    expect(screen.getByTestId('alerts-count').textContent).toBe('2003 of 2003');
    expect(screen.getAllByTestId('alert-row').length).toBeLessThan(60);
    act(() => api.emit('alerts.changed', { firing: [], resolved: storm, active: 3, updatedAt: fixtureNow }));
    expect(screen.getAllByTestId('alert-row')).toHaveLength(3);
    expect(screen.getByTestId('nav-alerts').textContent).toContain('3');
  });
});

describe('Playbooks view', () => {
  it('asks for the target name before running an action, then shows the result', { timeout: 15_000 }, async () => {
    const { api } = mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-playbooks'));
    const detail = await screen.findByTestId('playbook-detail');
    expect(within(detail).getByText('kubectl get pods -n production').tagName).toBe('CODE');
    fireEvent.click(within(detail).getByTestId('action-rollback'));
    const dialog = screen.getByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('kubectl rollout undo deployment/api -n production');
    expect(dialog.textContent).toContain('on deployment/api in environment Producción AKS');
    expect(dialog.textContent).toContain('This is PRODUCTION.');
    const run = within(dialog).getByTestId('confirm-run') as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('confirm-input'), { target: { value: 'deployment/ap' } });
    expect(run.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('confirm-input'), { target: { value: 'deployment/api' } });
    // The gate's preview (RBAC, server dry run, diff) must be in before Run enables.
    expect((await within(dialog).findByTestId('preview-diff')).textContent).toContain('api:1.4.1');
    expect(run.disabled).toBe(false);
    fireEvent.click(run);
    // Headlamp's cancel window: nothing is sent while the countdown runs.
    expect(await within(dialog).findByTestId('countdown')).toBeTruthy();
    expect(api.calls.filter((c) => c.channel === 'playbooks.act')).toEqual([]);
    const result = await screen.findByTestId('action-result', {}, { timeout: 8000 });
    expect(result.textContent).toContain('deployment "api" rolled back');
    expect(api.calls.filter((c) => c.channel === 'playbooks.act')).toEqual([
      {
        channel: 'playbooks.act',
        // The object the confirmation showed travels with the request: core refuses if it changed.
        req: { playbookId: 'high-error-rate', actionId: 'rollback', confirm: 'deployment/api', dryRun: false, params: {}, expectObject: 'deployment/api' },
      },
    ]);
    fireEvent.click(screen.getByTestId('confirm-close'));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  });

  it('when the object moved since the confirmation, offers to review the new one and asks for the name again', { timeout: 15_000 }, async () => {
    const handlers = defaultHandlers();
    let object = 'pod/api-7d9f-a1';
    const preview = handlers['playbooks.preview']!;
    handlers['playbooks.preview'] = (req) => {
      const r = preview(req) as { ok: true; value: { where: { object: string } } };
      return { ...r, value: { ...r.value, where: { ...r.value.where, object } } } as ReturnType<typeof preview>;
    };
    handlers['playbooks.act'] = (req) =>
      req.expectObject === object
        ? { ok: true, value: { journalId: 'j-7', outcome: 'done', message: `ran in ${object}` } }
        : { ok: false, error: { code: 'playbooks.target-changed', message: `Not sent: the confirmation showed ${req.expectObject}, but it would now run on ${object}` } };
    mount(createFakeApi(handlers));
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-playbooks'));
    const detail = await screen.findByTestId('playbook-detail');
    fireEvent.click(within(detail).getByTestId('action-rollback'));
    const dialog = screen.getByTestId('confirm-dialog');
    fireEvent.change(within(dialog).getByTestId('confirm-input'), { target: { value: 'deployment/api' } });
    await within(dialog).findByTestId('preview-diff');
    object = 'pod/api-8c1e-b2'; // a rollout replaced the pod while the countdown ran
    fireEvent.click(within(dialog).getByTestId('confirm-run'));
    expect((await within(dialog).findByTestId('action-result', {}, { timeout: 8000 })).textContent).toContain('would now run on pod/api-8c1e-b2');
    fireEvent.click(within(dialog).getByTestId('confirm-review-again'));
    // The new object is shown, and the name must be typed again before anything can run.
    await waitFor(() => expect(dialog.textContent).toContain('pod/api-8c1e-b2'));
    expect((within(dialog).getByTestId('confirm-input') as HTMLInputElement).value).toBe('');
    expect((within(dialog).getByTestId('confirm-run') as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for the values the runbook leaves open and for the chosen name as confirmation', async () => {
    const { api } = mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-playbooks'));
    fireEvent.click(await screen.findByTestId('action-delete-pod'));
    const dialog = screen.getByTestId('confirm-dialog');
    const confirm = within(dialog).getByTestId('confirm-input') as HTMLInputElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('param-pod'), { target: { value: 'Bad Name' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('param-pod'), { target: { value: 'api-7d9f-x2' } });
    expect(confirm.disabled).toBe(false);
    expect(dialog.textContent).toContain('Type api-7d9f-x2 to confirm');
    fireEvent.change(confirm, { target: { value: 'api-7d9f-x2' } });
    fireEvent.click(within(dialog).getByTestId('confirm-dry-run'));
    expect((await screen.findByTestId('action-result')).textContent).toContain('Dry run finished');
    expect(api.calls.find((c) => c.channel === 'playbooks.act')!.req).toEqual({
      playbookId: 'high-error-rate',
      actionId: 'delete-pod',
      confirm: 'api-7d9f-x2',
      dryRun: true,
      params: { pod: 'api-7d9f-x2' },
    });
  });

  it('disables an action core says is unavailable and says why', async () => {
    mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-playbooks'));
    const button = (await screen.findByTestId('action-flush-cache')) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId('action-unavailable').textContent).toBe(
      'Unavailable: Needs a redis connection, which this environment does not have',
    );
    // Core's sentence comes with its key: the Spanish UI says it in Spanish.
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'es' } });
    await waitFor(() => expect(screen.getByTestId('action-unavailable').textContent).toContain('Necesita una conexión redis, que este entorno no tiene'));
  });

  it('shows the error core returns, without retrying', async () => {
    const handlers = defaultHandlers();
    handlers['playbooks.act'] = () => ({ ok: false, error: { code: 'forbidden', message: 'RBAC denies rollout undo' } });
    const { api } = mount(createFakeApi(handlers));
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-playbooks'));
    fireEvent.click(await screen.findByTestId('action-rollback'));
    fireEvent.change(screen.getByTestId('confirm-input'), { target: { value: 'deployment/api' } });
    fireEvent.click(screen.getByTestId('confirm-dry-run'));
    expect((await screen.findByTestId('action-result')).textContent).toContain('RBAC denies rollout undo (forbidden)');
    expect(api.calls.filter((c) => c.channel === 'playbooks.act')).toHaveLength(1);
  });
});

describe('Shift view', () => {
  it('lists the journal, adds a note, and prepends live entries', async () => {
    const { api } = mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.click(screen.getByTestId('nav-shift'));
    expect(screen.getAllByTestId('journal-entry')).toHaveLength(1);
    fireEvent.change(screen.getByTestId('note-input'), { target: { value: 'Rolled back api, watching errors' } });
    fireEvent.click(screen.getByTestId('note-submit'));
    await waitFor(() => expect(screen.getAllByTestId('journal-entry')).toHaveLength(2));
    expect(screen.getAllByTestId('journal-entry')[0]!.textContent).toContain('Rolled back api, watching errors');
    expect((screen.getByTestId('note-input') as HTMLTextAreaElement).value).toBe('');
    act(() =>
      api.emit('journal.changed', {
        id: 'live-1',
        time: fixtureNow + 1000,
        actor: 'guardia',
        environment: 'production',
        source: 'alertmanager',
        kind: 'alert.resolved',
        summary: 'HighErrorRate resolved',
        data: {},
      }),
    );
    expect(screen.getAllByTestId('journal-entry')[0]!.textContent).toContain('HighErrorRate resolved');
  });
});
