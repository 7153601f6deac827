import { useMemo } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useGuardia, useSyncActions } from '../../store/guardia-context';
import { groupPanels, newestTime } from '../metrics/metrics-selectors';
import { ActiveAlertsCard } from './active-alerts-card';
import { HealthRow } from './health-row';
import { MetricChart } from './metric-chart';
import { SloTable } from './slo-table';
import { StaleNotice } from '../metrics/stale-notice';
import { StatTiles } from './stat-tiles';

/** Chart ranges offered above the Overview, in minutes. */
export const rangeOptions = [15, 60, 360, 1440, 10080] as const;

function RangeSelect() {
  const { t } = useI18n();
  const rangeMinutes = useGuardia((s) => s.rangeMinutes);
  const dashboardId = useGuardia((s) => s.dashboardId);
  const { loadDashboard } = useSyncActions();
  return (
    <div className="segmented" role="group" aria-label={t('overview.range')}>
      {rangeOptions.map((minutes) => (
        <button
          key={minutes}
          type="button"
          data-testid={`range-${minutes}`}
          className={rangeMinutes === minutes ? 'is-active' : ''}
          aria-pressed={rangeMinutes === minutes}
          disabled={!dashboardId}
          onClick={() => dashboardId && void loadDashboard(dashboardId, minutes)}
        >
          {t(`range.${minutes}`)}
        </button>
      ))}
    </div>
  );
}

function DashboardSelect() {
  const { t, pick } = useI18n();
  const dashboards = useGuardia((s) => s.info?.dashboards);
  const dashboardId = useGuardia((s) => s.dashboardId);
  const rangeMinutes = useGuardia((s) => s.rangeMinutes);
  const { loadDashboard } = useSyncActions();
  if (!dashboards || dashboards.length < 2) return null;
  return (
    <select
      className="select"
      data-testid="dashboard-select"
      aria-label={t('overview.dashboard')}
      value={dashboardId ?? ''}
      onChange={(e) => void loadDashboard(e.target.value, rangeMinutes)}
    >
      {dashboards.map((d) => (
        <option key={d.id} value={d.id}>
          {pick(d.title)}
        </option>
      ))}
    </select>
  );
}

/**
 * The screen an on-call engineer keeps open: health, headline numbers, request/latency charts, the
 * SLO table and active alerts, then the per-endpoint breakdowns. Every panel fails on its own.
 */
export function OverviewView() {
  const { t, pick } = useI18n();
  const panels = useGuardia((s) => s.panels);
  const buffers = useGuardia((s) => s.buffers);
  const version = useGuardia((s) => s.seriesVersion);
  const rangeMinutes = useGuardia((s) => s.rangeMinutes);
  const status = useGuardia((s) => s.dashboardStatus);
  const error = useGuardia((s) => s.dashboardError);
  const title = useGuardia((s) => s.dashboardTitle);
  const hasDashboards = useGuardia((s) => (s.info ? s.info.dashboards.length > 0 : true));
  const multipleDashboards = useGuardia((s) => (s.info?.dashboards.length ?? 0) > 1);
  const lastMetricsAt = useGuardia((s) => s.lastMetricsAt);
  const { reload } = useSyncActions();

  // eslint-disable-next-line react-hooks/exhaustive-deps -- version is the change signal of the mutable buffers
  const newest = useMemo(() => newestTime(buffers), [buffers, version]);
  const windowEnd = newest ?? lastMetricsAt ?? 0;
  const windowStart = windowEnd - rangeMinutes * 60_000;
  const { aggregate, breakdown } = useMemo(() => groupPanels(panels), [panels]);

  return (
    <div className="view overview" data-testid="overview">
      <div className="view-toolbar">
        <h1 className="view-title">{title && !multipleDashboards ? pick(title) : t('overview.title')}</h1>
        <DashboardSelect />
        <div className="toolbar-spacer" />
        {status === 'loading' ? <span className="muted small">{t('overview.loadingDashboard')}</span> : null}
        <RangeSelect />
      </div>

      <HealthRow />
      <StaleNotice source="metrics" />

      {status === 'error' && error ? (
        <div className="banner banner-bad" role="alert" data-testid="dashboard-error">
          <strong>{t('overview.dashboardFailed')}</strong> <span className="mono">{t('error.withCode', { message: error.message, code: error.code })}</span>
          <button type="button" className="btn btn-small" onClick={() => void reload()}>
            {t('app.retry')}
          </button>
        </div>
      ) : null}
      {!hasDashboards ? <p className="empty">{t('overview.noDashboard')}</p> : null}

      <StatTiles panels={panels} windowStart={windowStart} />

      {aggregate.length > 0 ? (
        <div className="chart-grid">
          {aggregate.map((panel) => (
            <MetricChart key={panel.id} panel={panel} windowStart={windowStart} windowEnd={windowEnd} />
          ))}
        </div>
      ) : null}

      <div className="split">
        <SloTable />
        <ActiveAlertsCard />
      </div>

      {breakdown.length > 0 ? (
        <div className="chart-grid chart-grid-wide">
          {breakdown.map((panel) => (
            <MetricChart key={panel.id} panel={panel} windowStart={windowStart} windowEnd={windowEnd} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
