import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AzureQueryResult, AzureStatus } from '../../../../../shared/azure';
import { AzureView } from '../../../../../renderer/src/features/azure/azure-view';
import { GuardiaProvider } from '../../../../../renderer/src/store/guardia-context';
import { createGuardiaStore } from '../../../../../renderer/src/store/store';
import type { SyncActions } from '../../../../../renderer/src/store/sync';
import { createFakeApi } from '../../fake-api';

const signedOut: AzureStatus = {
  configured: true,
  demo: false,
  method: 'device-code',
  subscriptionId: 'sub-1',
  workspaceId: 'ws-1',
  state: 'signed-out',
  account: null,
  deviceCode: null,
  error: null,
  tokenCache: 'memory',
};

const partial: AzureQueryResult = {
  kind: 'logs',
  status: 'partial',
  partialError: 'PartialError: QueryTimeout',
  tables: [
    {
      name: 'PrimaryResult',
      columns: [{ name: 'ExceptionType', type: 'string' }, { name: 'OuterMessage', type: 'string' }, { name: 'Count', type: 'long' }],
      rows: [['TimeoutError', '<img src=x onerror="window.hacked=1">', 1146]],
    },
  ],
  series: [],
  timespan: 'PT1H',
  truncated: false,
  ranAt: Date.UTC(2026, 10, 30, 4, 0),
};

function mount(status: AzureStatus) {
  const api = createFakeApi({
    'azure.getStatus': () => ({ ok: true, value: status }),
    'azure.signIn': () => ({ ok: true, value: { ...status, state: 'signing-in' } }),
    'azure.listQueries': () => ({
      ok: true,
      value: { queries: [{ playbookId: 'api-down', stepId: 'recent-exceptions', kind: 'logs', title: { es: 'Excepciones', en: 'Recent exceptions' }, command: 'AppExceptions | take 10' }] },
    }),
    'azure.runQuery': () => ({ ok: true, value: partial }),
    'azure.getUpgrade': () => ({ ok: true, value: null }),
  });
  render(
    <GuardiaProvider store={createGuardiaStore({ lang: 'en' })} api={api} actions={{} as SyncActions}>
      <AzureView />
    </GuardiaProvider>,
  );
  return api;
}

afterEach(cleanup);

describe('the Azure view', () => {
  it('shows the device code to type while a device-code sign-in waits, then who signed in', async () => {
    const api = mount(signedOut);
    fireEvent.click(await screen.findByTestId('azure-sign-in'));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'azure.signIn')).toBe(true));
    act(() =>
      api.emit('azure.changed', {
        status: { ...signedOut, state: 'signing-in', deviceCode: { userCode: 'GX7Q-PLMN', verificationUri: 'https://microsoft.com/devicelogin', message: 'To sign in…' } },
        upgrade: null,
      }),
    );
    expect((await screen.findByTestId('azure-device-code')).textContent).toContain('GX7Q-PLMN');
    act(() =>
      api.emit('azure.changed', {
        status: { ...signedOut, state: 'signed-in', account: { name: 'ana@tiendi.pe', kind: 'user', tenantId: 't', expiresAt: null } },
        upgrade: null,
      }),
    );
    expect(screen.getByTestId('azure-account').textContent).toBe('Signed in as ana@tiendi.pe');
    expect(screen.queryByTestId('azure-device-code')).toBeNull();
    expect(screen.getByTestId('azure-sign-out')).toBeTruthy();
  });

  it('runs a KQL step and shows partial results as partial, every cell as text', async () => {
    mount({ ...signedOut, state: 'signed-in', account: { name: 'noc-app', kind: 'service-principal', tenantId: 't', expiresAt: null } });
    const table = await screen.findByTestId('kql-table');
    expect(screen.getByTestId('kql-partial').textContent).toBe('Partial results: PartialError: QueryTimeout');
    expect(table.textContent).toContain('<img src=x onerror="window.hacked=1">');
    expect(table.querySelector('img')).toBeNull();
    expect(table.textContent).toContain('1,146');
  });

  it('says plainly when the environment has no Azure connection', async () => {
    mount({ ...signedOut, configured: false, method: null });
    expect((await screen.findByTestId('azure-not-configured')).textContent).toMatch(/no Azure connection/);
  });
});
