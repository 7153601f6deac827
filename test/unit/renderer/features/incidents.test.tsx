import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PagingIncident } from '../../../../shared/paging';
import { GuardiaApp } from '../../../../renderer/src/app';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import { createFakeApi, defaultHandlers, fixtureNow, type FakeApi } from '../fake-api';

const me = { id: 'PUSRJUA', name: 'Juan Pérez', email: 'juan.perez@tiendi.pe' };
const maria = { id: 'PUSRMAR', name: 'María García' };

function incident(over: Partial<PagingIncident> & { id: string }): PagingIncident {
  return {
    number: 1000 + Number(over.id.replace(/\D/g, '') || 0),
    title: `[FIRING:1] HighErrorRate ${over.id}`,
    status: 'triggered',
    urgency: 'high',
    service: { id: 'PSVCAPI', name: 'Tiendi API' },
    escalationPolicy: { id: 'PEPTIEN', name: 'Tiendi — guardia' },
    assignees: [{ id: me.id, name: me.name }],
    createdAt: fixtureNow - 60_000,
    updatedAt: fixtureNow - 60_000,
    incidentKey: null,
    htmlUrl: null,
    assignedToMe: true,
    alertFingerprints: [],
    ...over,
  };
}

function pagingApi(opts: { incidents?: PagingIncident[]; configured?: boolean } = {}): FakeApi {
  const incidents = opts.incidents ?? [
    incident({ id: 'P1' }),
    incident({ id: 'P2', status: 'acknowledged' }),
    incident({ id: 'P3', assignees: [maria], assignedToMe: false }),
  ];
  const off = { ok: false as const, error: { code: 'paging.not-configured', message: 'PagerDuty is not configured' } };
  return createFakeApi({
    ...defaultHandlers(),
    'paging.listIncidents': () => (opts.configured === false ? off : { ok: true, value: { incidents, more: false, me, updatedAt: fixtureNow, stale: null } }),
    'paging.getOnCall': () =>
      opts.configured === false
        ? off
        : {
            ok: true,
            value: {
              me,
              now: [{ user: { id: me.id, name: me.name }, level: 1, escalationPolicy: { id: 'PEPTIEN', name: 'Tiendi — guardia' }, schedule: null, start: fixtureNow - 3600_000, end: fixtureNow + 3600_000 }],
              next: [{ user: maria, level: 1, escalationPolicy: { id: 'PEPTIEN', name: 'Tiendi — guardia' }, schedule: null, start: fixtureNow + 3600_000, end: fixtureNow + 7200_000 }],
              myShift: { start: fixtureNow - 3600_000, end: fixtureNow + 3600_000 },
              escalationPolicies: [{ id: 'PEPTIEN', name: 'Tiendi — guardia' }],
              users: [{ id: me.id, name: me.name }, maria],
            },
          },
    'paging.getTimeline': (req) => ({
      ok: true,
      value: {
        incident: incidents.find((i) => i.id === req.id)!,
        entries: [
          { id: 'L1', time: fixtureNow - 60_000, kind: 'trigger', summary: 'Triggered through the API', agent: 'Alertmanager' },
          { id: 'N1', time: fixtureNow - 30_000, kind: 'note', summary: '<b>pool</b> exhausted', agent: me.name },
        ],
      },
    }),
    'paging.acknowledge': (req) => ({
      ok: true,
      value: { journalId: 'j-1', results: (req.ids ?? []).map((id) => ({ id, outcome: 'done' as const, message: 'acknowledged' })) },
    }),
  });
}

function mount(api: FakeApi) {
  const store = createGuardiaStore({ lang: 'en', startedAt: fixtureNow });
  render(<GuardiaApp api={api} store={store} />);
  return { api, store };
}

async function openView() {
  fireEvent.click(screen.getByTestId('nav-incidents'));
  await screen.findAllByTestId('incident-row');
}

const rows = () => screen.getAllByTestId('incident-row').map((r) => r.textContent ?? '');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(fixtureNow + 5_000);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Incidents view', () => {
  it('lists open incidents, filters mine, counts my triggered ones in the nav and applies paging.changed', async () => {
    const { api } = mount(pagingApi());
    await openView();
    expect(rows()).toHaveLength(3);
    expect(screen.getByTestId('nav-incidents-count').textContent).toBe('1');
    fireEvent.click(screen.getByTestId('incidents-scope-mine'));
    expect(rows()).toHaveLength(2);
    fireEvent.click(screen.getByTestId('incidents-status-acknowledged'));
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toMatch(/HighErrorRate P1/);
    act(() =>
      api.emit('paging.changed', {
        incidents: [],
        added: [incident({ id: 'P4', title: 'APIDown' })],
        updated: [],
        removed: ['P1'],
        updatedAt: fixtureNow,
      }),
    );
    expect(rows().map((r) => r.includes('APIDown'))).toEqual([true]);
  });

  it('acknowledges only after the confirmation names the incident, and shows the outcome', async () => {
    const { api } = mount(pagingApi());
    await openView();
    fireEvent.click(screen.getAllByTestId('incident-row')[0]!);
    fireEvent.click(await screen.findByTestId('incident-ack'));
    const dialog = screen.getByTestId('paging-confirm');
    expect(dialog.textContent).toMatch(/#1001 \[FIRING:1\] HighErrorRate P1/);
    expect(dialog.textContent).toMatch(/as Juan Pérez <juan\.perez@tiendi\.pe>/);
    expect(api.calls.filter((c) => c.channel === 'paging.acknowledge')).toHaveLength(0);
    await act(async () => fireEvent.click(within(dialog).getByTestId('paging-confirm-run')));
    const acks = api.calls.filter((c) => c.channel === 'paging.acknowledge');
    expect(acks).toEqual([{ channel: 'paging.acknowledge', req: { ids: ['P1'], confirm: true } }]);
    expect(screen.getByTestId('paging-result').textContent).toMatch(/Done/);
  });

  it('"Ack all mine" acknowledges exactly my triggered incidents', async () => {
    const { api } = mount(pagingApi({ incidents: [incident({ id: 'P1' }), incident({ id: 'P5' }), incident({ id: 'P2', status: 'acknowledged' }), incident({ id: 'P3', assignedToMe: false, assignees: [maria] })] }));
    await openView();
    fireEvent.click(screen.getByTestId('incidents-ack-all-mine'));
    const dialog = screen.getByTestId('paging-confirm');
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(2);
    await act(async () => fireEvent.click(within(dialog).getByTestId('paging-confirm-run')));
    const req = api.calls.find((c) => c.channel === 'paging.acknowledge')!.req as { ids: string[] };
    expect(req.ids.sort()).toEqual(['P1', 'P5']);
  });

  it('shows the timeline with notes as text and who is on call', async () => {
    mount(pagingApi());
    await openView();
    const timeline = await screen.findByTestId('incident-timeline');
    expect(timeline.textContent).toMatch(/<b>pool<\/b> exhausted/);
    expect(timeline.querySelector('b')).toBeNull();
    expect(screen.getByTestId('oncall-now').textContent).toMatch(/L1 Juan Pérez/);
    expect(screen.getByTestId('oncall-next').textContent).toMatch(/L1 María García/);
  });

  it('links an alert to its PagerDuty incident and opens it', async () => {
    const { store } = mount(pagingApi({ incidents: [incident({ id: 'P1' }), incident({ id: 'P7', title: 'APIDown', alertFingerprints: ['a1'] })] }));
    await screen.findAllByTestId('alert-item');
    act(() => store.getState().openAlert('a1'));
    const link = await screen.findByTestId('alert-incident-link');
    expect(link.textContent).toBe('PagerDuty #1007 · Triggered');
    fireEvent.click(link);
    expect(screen.getByTestId('incident-title').textContent).toMatch(/#1007 APIDown/);
  });

  it('says PagerDuty is not configured instead of an empty list', async () => {
    mount(pagingApi({ configured: false }));
    fireEvent.click(screen.getByTestId('nav-incidents'));
    expect((await screen.findByTestId('paging-off')).textContent).toMatch(/connections\.pagerduty/);
  });
});
