import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeContexts } from '../../../shared/kubernetes';
import { KubeContextChip } from '../../../renderer/src/features/kubernetes/kube-context-chip';
import { GuardiaProvider } from '../../../renderer/src/store/guardia-context';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import type { SyncActions } from '../../../renderer/src/store/sync';
import { createFakeApi } from './fake-api';

function contexts(active: string, opts: { production?: boolean; readOnly?: boolean; allowed?: boolean } = {}): KubeContexts {
  return {
    environment: { id: 'production', name: 'Producción', production: opts.production ?? true, readOnly: opts.readOnly ?? false },
    active,
    sources: ['/home/me/.kube/config'],
    contexts: [
      { name: 'tiendi-prod', server: 'https://prod:6443', namespace: 'production', user: 'oncall', exec: null, active: active === 'tiendi-prod' },
      {
        name: 'tiendi-prod-aad',
        server: 'https://prod:6443',
        namespace: 'production',
        user: 'aad',
        exec: { command: 'kubelogin', path: '/usr/local/bin/kubelogin', allowed: opts.allowed ?? false },
        active: active === 'tiendi-prod-aad',
      },
    ],
    problem: null,
  };
}

function mount(initial: KubeContexts) {
  let state = initial;
  const api = createFakeApi({
    'kubernetes.listContexts': () => ({ ok: true, value: state }),
    'kubernetes.useContext': (req) => {
      state = contexts(req.context, { production: state.environment.production, readOnly: state.environment.readOnly });
      return { ok: true, value: state };
    },
    'kubernetes.allowExec': (req) => {
      state = contexts(state.active!, { allowed: true });
      return { ok: true, value: { command: 'kubelogin', path: req.command, addedAt: '2026-11-30T04:00:00Z' } };
    },
  });
  const loadPlaybooks = vi.fn(async () => {});
  render(
    <GuardiaProvider store={createGuardiaStore({ lang: 'en' })} api={api} actions={{ loadPlaybooks } as unknown as SyncActions}>
      <KubeContextChip />
    </GuardiaProvider>,
  );
  return { api, loadPlaybooks };
}

afterEach(cleanup);

describe('the Kubernetes context in the header', () => {
  it('shows the active context in production colours, marked read-only when it is', async () => {
    mount(contexts('tiendi-prod', { readOnly: true }));
    const chip = await screen.findByTestId('kube-context-chip');
    expect(chip.textContent).toContain('tiendi-prod');
    expect(chip.className).toContain('kube-production');
    expect(chip.getAttribute('data-read-only')).toBe('true');
    expect(chip.textContent).toContain('read-only');
    fireEvent.click(chip);
    expect(screen.getByTestId('kube-menu').textContent).toContain('Read-only: playbook actions are disabled in this environment.');
  });

  it('switches context and reloads the playbooks, whose availability depends on it', async () => {
    const { api, loadPlaybooks } = mount(contexts('tiendi-prod', { production: false }));
    const chip = await screen.findByTestId('kube-context-chip');
    expect(chip.className).toContain('kube-other');
    fireEvent.click(chip);
    fireEvent.click(screen.getByTestId('kube-use-tiendi-prod-aad'));
    await waitFor(() => expect(screen.getByTestId('kube-context-chip').textContent).toContain('tiendi-prod-aad'));
    expect(api.calls.filter((c) => c.channel === 'kubernetes.useContext').map((c) => c.req)).toEqual([{ context: 'tiendi-prod-aad' }]);
    expect(loadPlaybooks).toHaveBeenCalled();
  });

  it('allows an exec plugin only after a second, explicit confirmation naming its path', async () => {
    const { api } = mount(contexts('tiendi-prod'));
    fireEvent.click(await screen.findByTestId('kube-context-chip'));
    const item = screen.getByTestId('kube-item-tiendi-prod-aad');
    expect(item.textContent).toContain('exec plugin kubelogin — /usr/local/bin/kubelogin');
    fireEvent.click(within(item).getByTestId('kube-allow-tiendi-prod-aad'));
    expect(api.calls.some((c) => c.channel === 'kubernetes.allowExec')).toBe(false);
    expect(item.textContent).toContain('Guardia will run /usr/local/bin/kubelogin');
    fireEvent.click(within(item).getByTestId('kube-allow-confirm'));
    await waitFor(() => expect(screen.getByTestId('kube-item-tiendi-prod-aad').textContent).toContain('allowed'));
    expect(api.calls.filter((c) => c.channel === 'kubernetes.allowExec').map((c) => c.req)).toEqual([{ command: '/usr/local/bin/kubelogin' }]);
  });
});
