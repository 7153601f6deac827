import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GuardiaApp } from '../../../../renderer/src/app';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import type { SloBurn } from '../../../../shared/domain';
import { alert, createFakeApi, defaultHandlers, fixtureNow, sevenSlos } from '../fake-api';

const burn: SloBurn = {
  state: 'critical',
  budgetRatio: 0.001,
  windows: [
    { window: '5m', errorRatio: 0.35, burnRate: 350, events: null },
    { window: '30m', errorRatio: 0.07, burnRate: 70, events: null },
    { window: '1h', errorRatio: 0.035, burnRate: 35, events: 2_600_000 },
    { window: '6h', errorRatio: 0.006, burnRate: 6, events: 16_000_000 },
    { window: '3d', errorRatio: 0.0009, burnRate: 0.9, events: 190_000_000 },
  ],
  conditions: [
    { severity: 'page', factor: 14.4, long: '1h', short: '5m', firing: true, lowTraffic: false },
    { severity: 'page', factor: 6, long: '6h', short: '30m', firing: true, lowTraffic: false },
    { severity: 'ticket', factor: 1, long: '3d', short: '6h', firing: false, lowTraffic: false },
  ],
  exhaustsInMinutes: 0,
};

function handlers() {
  const base = defaultHandlers();
  const slos = sevenSlos().map((s, i) => (i === 0 ? { ...s, burn } : s));
  return {
    ...base,
    'status.get': async (req: never) => {
      const r = await (base['status.get'] as (r: never) => Promise<{ ok: true; value: Record<string, unknown> }>)(req);
      return { ok: true as const, value: { ...r.value, slos } };
    },
    'slos.list': () => ({ ok: true as const, value: { slos, updatedAt: fixtureNow, stale: null } }),
    'slos.getDetail': () => ({
      ok: true as const,
      value: { slo: slos[0]!, budget: [[fixtureNow - 60_000, 55], [fixtureNow, -50]] as Array<[number, number]>, burnRate: [[fixtureNow, 35]] as Array<[number, number]>, stale: null },
    }),
    'silences.preview': () => ({ ok: true as const, value: { alerts: [], total: 3, problem: null } }),
    'silences.create': () => ({ ok: true as const, value: { id: 'sil-1', journalId: 'j-1', matched: 3 } }),
    'alerts.getRunbook': () => ({ ok: true as const, value: { runbook: null } }),
  } as unknown as ReturnType<typeof defaultHandlers>;
}

function mount(h = handlers()) {
  const api = createFakeApi(h);
  const store = createGuardiaStore({ lang: 'en', startedAt: fixtureNow });
  render(<GuardiaApp api={api} store={store} />);
  return api;
}

beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 960 });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(fixtureNow + 5_000);
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('SLO burn state and detail', () => {
  it('shows the burn state in the SLO table and opens the detail with burn rates per window', async () => {
    mount();
    const [row] = await screen.findAllByTestId('slo-row');
    await waitFor(() => expect(within(row!).getByTestId('slo-burn').getAttribute('data-state')).toBe('critical'));
    fireEvent.click(row!);
    const detail = await screen.findByTestId('slo-detail');
    expect(within(detail).getByTestId('slo-detail-state').textContent).toBe('Critical');
    const windows = within(detail).getByTestId('slo-detail-windows');
    expect(within(windows).getAllByTestId('slo-window-burn').map((c) => c.textContent)).toEqual(['350×', '70×', '35×', '6×', '0.9×']);
    expect(within(detail).getByTestId('slo-detail-conditions').querySelectorAll('[data-firing="true"]')).toHaveLength(2);
    expect(within(detail).getByTestId('slo-detail-budget').textContent).toContain('over budget');
    fireEvent.click(within(detail).getByTestId('slo-detail-close'));
    expect(screen.queryByTestId('slo-detail')).toBeNull();
  });
});

describe('silencing an alert', () => {
  it('previews the matches and creates the silence only with the environment typed back', async () => {
    const api = mount();
    fireEvent.click(await screen.findByTestId('nav-alerts'));
    const rows = await screen.findAllByTestId('alert-row');
    fireEvent.click(rows[0]!);
    fireEvent.click(await screen.findByTestId('silence-alert'));
    const dialog = await screen.findByTestId('silence-dialog');
    await waitFor(() => expect(within(dialog).getByTestId('silence-preview-count').textContent).toContain('3'), { timeout: 2000 });
    fireEvent.change(within(dialog).getByTestId('silence-comment'), { target: { value: 'known issue' } });
    const submit = within(dialog).getByTestId('silence-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('silence-confirm'), { target: { value: 'wrong' } });
    expect(submit.disabled).toBe(true);
    const env = 'production'; // the fake's active environment
    fireEvent.change(within(dialog).getByTestId('silence-confirm'), { target: { value: env } });
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await screen.findByTestId('silence-done');
    const create = api.calls.find((c) => c.channel === 'silences.create')!;
    expect(create.req).toMatchObject({ comment: 'known issue', confirm: env, matchers: expect.arrayContaining([expect.objectContaining({ name: 'alertname' })]) });
  });
});

describe('Alertmanager unreachable', () => {
  it('keeps the last alerts and says stale since when, and why, until it recovers', async () => {
    const api = mount();
    fireEvent.click(await screen.findByTestId('nav-alerts'));
    const before = (await screen.findAllByTestId('alert-row')).length;
    expect(screen.queryByTestId('stale-alerts')).toBeNull();
    const since = new Date(2025, 2, 14, 10, 42).getTime();
    act(() => api.emit('sources.changed', { source: 'alerts', status: 'stale', since, reason: 'Cannot reach Alertmanager am-a: ECONNREFUSED' }));
    const notice = await screen.findByTestId('stale-alerts');
    expect(notice.textContent).toContain('stale since 10:42');
    expect(notice.textContent).toContain('ECONNREFUSED');
    expect(screen.getAllByTestId('alert-row')).toHaveLength(before);
    act(() => api.emit('sources.changed', { source: 'alerts', status: 'ok', since: null, reason: null }));
    await waitFor(() => expect(screen.queryByTestId('stale-alerts')).toBeNull());
  });
});

describe('an alert storm of 10,000', () => {
  it('lists every alert grouped, but renders only the rows in view (virtualized)', async () => {
    const storm = Array.from({ length: 10_000 }, (_, i) =>
      alert({ fingerprint: `storm-${i}`, name: `StormAlert${i % 5}`, labels: { alertname: `StormAlert${i % 5}`, instance: `node-${i}` }, startsAt: fixtureNow - i * 1000 }),
    );
    const h = handlers();
    const base = h['status.get'] as unknown as (r: never) => Promise<{ ok: true; value: Record<string, unknown> }>;
    const stormy = {
      ...h,
      'status.get': async (req: never) => ({ ok: true as const, value: { ...(await base(req)).value, alerts: storm } }),
    } as unknown as ReturnType<typeof defaultHandlers>;
    mount(stormy);
    fireEvent.click(await screen.findByTestId('nav-alerts'));
    await waitFor(() => expect(screen.getByTestId('alerts-count').textContent).toBe('10000 of 10000'));
    const rendered = screen.getAllByTestId('alert-row').length + screen.getAllByTestId('alert-group').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(screen.getAllByTestId('alert-group')[0]!.textContent).toContain('2000');
  });
});
