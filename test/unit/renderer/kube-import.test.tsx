import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportPreviewDto, KubeContextInfoDto } from '../../../shared/kube-import';
import { KubeContextsCard } from '../../../renderer/src/features/kube-import/kube-contexts-card';
import { GuardiaProvider } from '../../../renderer/src/store/guardia-context';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import type { SyncActions } from '../../../renderer/src/store/sync';
import { createFakeApi } from './fake-api';

const diff = '--- /home/me/.kube/config\n+++ /home/me/.kube/config (secrets removed)\n@@ -9,3 +9,2 @@\n users:\n - name: admin\n-  token: ‹hidden, 40 characters›\n';

const contexts: KubeContextInfoDto[] = [
  {
    name: 'tiendi-prod',
    file: '/home/me/.kube/config',
    imported: false,
    server: 'https://prod:6443',
    namespace: 'production',
    user: 'admin',
    credentials: 'plain-file',
    details: [{ what: 'token', at: null }],
    warning: 'secrets in a plain file',
  },
  {
    name: 'tiendi-aad',
    file: '/home/me/.kube/config',
    imported: false,
    server: 'https://prod:6443',
    namespace: null,
    user: 'aad',
    credentials: 'exec',
    details: [{ what: 'exec', at: 'kubelogin' }],
    warning: null,
  },
  {
    name: 'tiendi-staging',
    file: '/home/me/.config/guardia/kubeconfig',
    imported: true,
    server: 'https://staging:6443',
    namespace: null,
    user: 'tiendi-staging',
    credentials: 'keychain',
    details: [{ what: 'keychain', at: 'kube.tiendi-staging.token' }],
    warning: null,
  },
];

const preview: ImportPreviewDto = {
  context: 'tiendi-prod',
  file: '/home/me/.kube/config',
  server: 'https://prod:6443',
  namespace: 'production',
  secrets: [{ kind: 'token', entry: 'kube.tiendi-prod.token', from: 'token in the file', at: null }],
  exec: null,
  guardiaKubeconfig: '/home/me/.config/guardia/kubeconfig',
  removalDiff: diff,
  filesLeft: [],
  sharedWith: ['tiendi-prod-2'],
  notes: [],
};

function mount() {
  const api = createFakeApi({
    'kube.listContexts': () => ({ ok: true, value: { contexts, kubeconfigs: ['/home/me/.kube/config'], guardiaKubeconfig: '/home/me/.config/guardia/kubeconfig' } }),
    'kube.previewImport': () => ({ ok: true, value: preview }),
    'kube.importContext': (req) => ({
      ok: true,
      value: {
        context: req.context,
        stored: preview.secrets,
        exec: null,
        guardiaKubeconfig: preview.guardiaKubeconfig,
        removedFrom: req.removeFromOriginal ? preview.file : null,
        backup: req.removeFromOriginal ? `${preview.file}.guardia-backup-1` : null,
        filesLeft: [],
        notes: [],
      },
    }),
    'kube.checkContext': (req) =>
      req.context === 'tiendi-staging'
        ? {
            ok: false,
            error: {
              code: 'kubernetes.unauthorized',
              message: 'The Kubernetes API (https://staging:6443) rejected the credential for context "tiendi-staging" (HTTP 401 Unauthorized)',
            },
          }
        : { ok: true, value: { context: req.context, namespace: 'production', pods: 7 } },
    'kube.setToken': (req) => ({ ok: true, value: { context: req.context, entry: `kube.${req.context}.token` } }),
  });
  const store = createGuardiaStore({ lang: 'en' });
  render(
    <GuardiaProvider store={store} api={api} actions={{} as SyncActions}>
      <KubeContextsCard />
    </GuardiaProvider>,
  );
  return api;
}

afterEach(cleanup);

describe('Kubernetes contexts in Settings', () => {
  it('shows where each context keeps its credentials and warns about plain files', async () => {
    mount();
    const rows = await screen.findAllByTestId('kube-context');
    expect(rows.map((r) => [r.getAttribute('data-context'), r.getAttribute('data-credentials')])).toEqual([
      ['tiendi-prod', 'plain-file'],
      ['tiendi-aad', 'exec'],
      ['tiendi-staging', 'keychain'],
    ]);
    expect(rows[0]!.textContent).toContain('token in the file');
    expect(within(rows[0]!).getByTestId('kube-context-warning').textContent).toContain('plain file (/home/me/.kube/config)');
    expect(rows[1]!.textContent).toContain('exec kubelogin');
    expect(within(rows[2]!).getByTestId('kube-replace-token')).toBeTruthy();
    expect(within(rows[2]!).queryByTestId('kube-import')).toBeNull();
  });

  it('imports without touching the original unless asked, and sends the diff it showed when asked', async () => {
    const api = mount();
    fireEvent.click(within((await screen.findAllByTestId('kube-context'))[0]!).getByTestId('kube-import'));
    const dialog = await screen.findByTestId('kube-import-dialog');
    await within(dialog).findByText('kube.tiendi-prod.token');
    const remove = within(dialog).getByTestId('kube-import-remove') as HTMLInputElement;
    expect(remove.checked).toBe(false);
    expect(within(dialog).queryByTestId('kube-diff')).toBeNull();

    fireEvent.click(remove);
    expect(within(dialog).getByTestId('kube-diff').textContent).toContain('-  token: ‹hidden, 40 characters›');
    expect(dialog.textContent).toContain('tiendi-prod-2');
    fireEvent.click(within(dialog).getByTestId('kube-import-run'));
    await within(dialog).findByTestId('kube-import-result');
    expect(api.calls.find((c) => c.channel === 'kube.importContext')?.req).toEqual({ context: 'tiendi-prod', removeFromOriginal: true, shownDiff: diff });
    expect(dialog.textContent).toContain('/home/me/.kube/config.guardia-backup-1');
  });

  it('"Test" shows the pod count, or the rejected context with the way out', async () => {
    mount();
    const rows = await screen.findAllByTestId('kube-context');
    fireEvent.click(within(rows[0]!).getByTestId('kube-check'));
    expect((await within(rows[0]!).findByTestId('kube-check-result')).textContent).toBe('Works: 7 pods in namespace production.');
    expect(within(rows[2]!).queryByTestId('kube-import')).toBeNull();
    fireEvent.click(within(rows[2]!).getByTestId('kube-check'));
    const failed = await within(rows[2]!).findByTestId('kube-check-result');
    expect(failed.textContent).toContain('context "tiendi-staging" (HTTP 401 Unauthorized)');
    expect(failed.textContent).toContain('use “Replace token”, or import the context again');
    expect(within(rows[2]!).getByTestId('kube-import').textContent).toBe('Import again…');
  });

  it('replaces a token write-only: sent once, never shown again', async () => {
    const api = mount();
    fireEvent.click(within((await screen.findAllByTestId('kube-context'))[2]!).getByTestId('kube-replace-token'));
    const input = (await screen.findByTestId('kube-token-input')) as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'new-token-value' } });
    fireEvent.click(screen.getByTestId('kube-token-save'));
    await waitFor(() => expect(screen.getByTestId('kube-token-saved').textContent).toContain('kube.tiendi-staging.token'));
    expect(api.calls.filter((c) => c.channel === 'kube.setToken')).toEqual([{ channel: 'kube.setToken', req: { context: 'tiendi-staging', token: 'new-token-value' } }]);
    expect(document.body.textContent).not.toContain('new-token-value');
  });
});
