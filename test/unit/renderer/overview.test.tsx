import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GuardiaApp } from '../../../renderer/src/app';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import { createFakeApi, defaultHandlers, fixtureNow, hostileText, type FakeApi } from './fake-api';

function mount(api: FakeApi = createFakeApi()) {
  const store = createGuardiaStore({ lang: 'en', startedAt: fixtureNow });
  const view = render(<GuardiaApp api={api} store={store} />);
  return { api, store, ...view };
}

/** jsdom has no layout: give scroll containers a size so the virtualized alert list renders rows. */
function stubLayout() {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 960 });
}

beforeEach(() => {
  stubLayout();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(fixtureNow + 5_000);
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Overview', () => {
  it('shows the seven SLOs with targets, current values, status and budget', async () => {
    mount();
    const rows = await screen.findAllByTestId('slo-row');
    expect(rows).toHaveLength(7);
    const availability = rows[0]!;
    expect(within(availability).getByText('≥ 99.9%')).toBeTruthy();
    expect(within(availability).getByTestId('slo-current').textContent).toBe('99.85%');
    expect(within(availability).getByTestId('slo-budget').textContent).toContain('over budget by 50%');
    expect(availability.getAttribute('data-status')).toBe('breached');
    expect(within(rows[1]!).getByText('< 500 ms')).toBeTruthy();
    expect(within(rows[1]!).getByTestId('slo-current').textContent).toBe('320 ms');
    expect(within(rows[4]!).getByTestId('slo-budget').textContent).toContain('60% left');
    expect(rows[5]!.getAttribute('data-status')).toBe('unknown');
  });

  it('shows the headline numbers, health, environment and worst severity', async () => {
    mount();
    expect((await screen.findByTestId('stat-rps')).textContent).toBe('1,259 req/s');
    expect(screen.getByTestId('stat-success-rate').textContent).toBe('99.88%');
    expect(screen.getByTestId('stat-error-rate').textContent).toBe('0.12%');
    expect(screen.getByTestId('stat-p50').textContent).toBe('120 ms');
    expect(screen.getByTestId('stat-p95').textContent).toBe('320 ms');
    expect(screen.getByTestId('stat-p99').textContent).toBe('810 ms');
    expect(screen.getByTestId('health-api').getAttribute('data-status')).toBe('up');
    expect(screen.getByTestId('health-db').getAttribute('data-status')).toBe('down');
    expect(screen.getByTestId('health-queue').getAttribute('data-status')).toBe('unknown');
    expect(screen.getByTestId('env-name').textContent).toContain('Producción AKS');
    expect(screen.getByTestId('env-name').getAttribute('data-production')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('worst-severity').getAttribute('data-severity')).toBe('P1'));
  });

  it('switches language from the header, including pack text, and remembers it', async () => {
    mount();
    expect(await screen.findByRole('heading', { name: 'Service level objectives' })).toBeTruthy();
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'es' } });
    expect(screen.getByRole('heading', { name: 'Objetivos de nivel de servicio' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Service level objectives' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Tiendi - Resumen' })).toBeTruthy();
    expect(screen.getByTestId('nav-alerts').textContent).toContain('Alertas');
    expect(screen.getAllByTestId('slo-row')[0]!.textContent).toContain('Disponibilidad');
    expect(document.documentElement.lang).toBe('es');
    expect(localStorage.getItem('guardia.lang')).toBe('es');
  });

  it('renders alert annotations as literal text, never as HTML', async () => {
    const { container } = mount();
    const item = (await screen.findAllByTestId('alert-item')).find((el) => el.textContent?.includes('HighErrorRate'))!;
    expect(within(item).getByText(hostileText)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows a failing panel error in place while the other panels keep working', async () => {
    mount();
    const failing = await screen.findByTestId('panel-p95-by-endpoint');
    expect(within(failing).getByTestId('panel-error').textContent).toContain('Prometheus: query timed out after 30s');
    expect(within(screen.getByTestId('panel-errors-by-endpoint')).queryByTestId('panel-error')).toBeNull();
    expect(within(screen.getByTestId('panel-success-error')).getByTestId('panel-warnings').textContent).toContain('2 samples missing');
  });

  it('updates tiles and health from metrics.changed', async () => {
    const { api } = mount();
    await screen.findByTestId('stat-rps');
    await waitFor(() => expect(api.listenerCount('metrics.changed')).toBe(1));
    act(() => {
      api.emit('metrics.changed', {
        time: fixtureNow + 15_000,
        values: { 'http.rps|total': 2000, 'http.latency.p95|p95': 0.75, 'unknown|x': 1 },
        health: [{ id: 'db', label: { es: 'Base de datos', en: 'Database' }, status: 'up' }],
      });
    });
    expect(screen.getByTestId('stat-rps').textContent).toBe('2,000 req/s');
    expect(screen.getByTestId('stat-p95').textContent).toBe('750 ms');
    expect(screen.getByTestId('health-db').getAttribute('data-status')).toBe('up');
  });

  it('marks the data stale after 3× refreshSeconds without metrics, and when a source is stale', async () => {
    const { api } = mount();
    const indicator = await screen.findByTestId('last-updated');
    await waitFor(() => expect(indicator.textContent).toBe('updated 5s ago'));
    expect(indicator.getAttribute('data-stale')).toBe('false');

    act(() => {
      api.emit('sources.changed', { source: 'prometheus', status: 'stale', since: fixtureNow, reason: 'connection refused' });
    });
    expect(indicator.getAttribute('data-stale')).toBe('true');
    expect(indicator.textContent).toMatch(/^stale since \d\d:\d\d · prometheus: connection refused$/);

    act(() => {
      api.emit('sources.changed', { source: 'prometheus', status: 'ok', since: null, reason: null });
    });
    expect(indicator.getAttribute('data-stale')).toBe('false');

    // the indicator re-evaluates every second on its own, without any event arriving
    vi.setSystemTime(fixtureNow + 46_000);
    await waitFor(() => expect(indicator.getAttribute('data-stale')).toBe('true'), { timeout: 2500 });
    expect(indicator.textContent).toContain('no metrics for 46s');
  });

  it('opens the alert from the Overview with its details; the runbook is a link only when https', async () => {
    mount();
    const items = await screen.findAllByTestId('alert-item');
    expect(items.map((i) => i.getAttribute('data-fingerprint'))).toEqual(['a2', 'a1', 'a3']);
    expect(items[0]!.textContent).toContain('for 3m');
    fireEvent.click(items[1]!);
    const detail = await screen.findByTestId('alert-detail');
    const link = within(detail).getByTestId('runbook-link');
    expect(link.getAttribute('href')).toBe('https://wiki.tiendi.pe/runbooks/high-error-rate');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noreferrer');
    expect(within(detail).getByText(hostileText)).toBeTruthy();
    expect(within(detail).getByText('service')).toBeTruthy();

    fireEvent.click(screen.getAllByTestId('alert-row').find((r) => r.textContent?.includes('DatabaseDown'))!);
    expect(within(screen.getByTestId('alert-detail')).queryByTestId('runbook-link')).toBeNull();
  });

  it('shows the session-expired message when the server answers 401', async () => {
    const handlers = defaultHandlers();
    handlers['app.getInfo'] = () => ({ ok: false, error: { code: 'unauthorized', message: 'Session expired' } });
    mount(createFakeApi(handlers));
    const message = await screen.findByTestId('session-expired');
    expect(message.textContent).toContain('guardia serve');
  });
});
