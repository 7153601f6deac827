import { createRoot } from 'react-dom/client';
import type { DashboardData } from '../../../../shared/domain';
import { GuardiaApp } from '../../../../renderer/src/app';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import '../../../../renderer/src/styles/base.css';
import '../../../../renderer/src/styles/layout.css';
import '../../../../renderer/src/styles/overview.css';
import '../../../../renderer/src/styles/views.css';
import { createFakeApi, defaultHandlers, fixtureAlerts, fixtureNow, overviewDashboard } from '../fake-api';

/** Preview only (never shipped): the real app on fake data that moves, for screenshots and eyeballing. */
const params = new URLSearchParams(location.search);
const shift = Date.now() - fixtureNow;
const wobble = (base: number, amount: number, i: number) => base * (1 + amount * Math.sin(i / 5) + amount * 0.6 * Math.sin(i / 1.7));
const clamp = (unit: string, v: number) => (unit === 'ratio' ? Math.min(0.9999, v > 0.5 ? 0.9975 + (v - 0.9988) / 40 : v) : v);

function liveDashboard(): DashboardData {
  const data = overviewDashboard();
  return {
    ...data,
    updatedAt: Date.now(),
    panels: data.panels.map((panel) => ({
      ...panel,
      series: panel.series.map((series, n) => ({
        ...series,
        points: series.points.map(
          ([t, v], i) => [t + shift, v === null ? null : clamp(series.unit, wobble(v, 0.08 + n * 0.02, i + n * 7))] as [number, number | null],
        ),
      })),
    })),
  };
}

const handlers = defaultHandlers({ production: params.get('env') !== 'staging' });
handlers['dashboards.get'] = () => ({ ok: true, value: liveDashboard() });
const status = handlers['status.get']!;
handlers['status.get'] = async (req) => {
  const result = await status(req);
  if (!result.ok) return result;
  return {
    ok: true,
    value: {
      ...result.value,
      updatedAt: Date.now(),
      alerts: fixtureAlerts().map((a) => ({ ...a, startsAt: a.startsAt + shift })),
    },
  };
};
const api = createFakeApi(handlers);
const store = createGuardiaStore({ lang: params.get('lang') === 'es' ? 'es' : 'en', connection: 'open' });
if (params.get('view') === 'alerts' || params.get('view') === 'playbooks' || params.get('view') === 'shift') {
  store.getState().setView(params.get('view') as 'alerts');
}

let i = 60;
setInterval(() => {
  i += 1;
  const dash = overviewDashboard();
  const values: Record<string, number> = {};
  for (const panel of dash.panels) {
    panel.series.forEach((series, n) => {
      const base = series.points[series.points.length - 1]![1];
      if (base !== null) values[series.key] = clamp(series.unit, wobble(base, 0.08 + n * 0.02, i + n * 7));
    });
  }
  api.emit('metrics.changed', { time: Date.now(), values, health: [] });
}, 2000);
if (params.get('stale') === '1') {
  setTimeout(() => api.emit('sources.changed', { source: 'prometheus', status: 'stale', since: Date.now() - 240_000, reason: 'connection refused' }), 200);
}

createRoot(document.getElementById('root')!).render(<GuardiaApp api={api} store={store} />);

// ?click=<data-testid>[,<data-testid>…] clicks those elements once rendered, to screenshot dialogs
const clicks = params.get('click')?.split(',') ?? [];
setTimeout(() => {
  for (const id of clicks) document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`)?.click();
}, 500);
