import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { SeverityId } from '../../../../shared/pack';
import { clipText } from '../../components/external-text';
import { SeverityBadge } from '../../components/severity-badge';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useCoreNow } from '../../lib/use-now';
import { useGuardia } from '../../store/guardia-context';
import { AlertDetail } from './alert-detail';
import { RulesPanel } from './rules-panel';
import { SilencesPanel } from './silences-panel';
import { StaleNotice } from '../metrics/stale-notice';
import {
  activeAlerts,
  countBySeverity,
  filterAlerts,
  groupAlerts,
  severityOrder,
  sortAlerts,
  type AlertSort,
} from './alerts-selectors';

/** Fixed row heights: let the virtualizer place thousands of rows (an alert storm) without measuring. */
const rowHeight = 58;
const groupHeight = 30;

/** All active alerts: filter, sort, a virtualized list, and the selected alert's details. */
export function AlertsView() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const now = useCoreNow(5000);
  const alertsById = useGuardia((s) => s.alertsById);
  const selected = useGuardia((s) => s.selectedAlert);
  const select = useGuardia((s) => s.openAlert);
  const [text, setText] = useState('');
  const [severities, setSeverities] = useState<ReadonlySet<SeverityId>>(() => new Set());
  const [sortBy, setSortBy] = useState<AlertSort>('severity');
  const [reversed, setReversed] = useState(false);
  const [grouped, setGrouped] = useState(true);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [showSilences, setShowSilences] = useState(false);
  const [showRules, setShowRules] = useState(false);

  const all = useMemo(() => activeAlerts(alertsById), [alertsById]);
  const counts = useMemo(() => countBySeverity(all), [all]);
  const visible = useMemo(
    () => sortAlerts(filterAlerts(all, { text, severities }), sortBy, reversed),
    [all, text, severities, sortBy, reversed],
  );
  const items = useMemo(
    () => (grouped ? groupAlerts(visible, collapsed) : visible.map((alert) => ({ kind: 'alert' as const, alert }))),
    [grouped, visible, collapsed],
  );
  const current = (selected ? alertsById[selected] : undefined) ?? visible[0];
  const toggleGroup = (name: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]!.kind === 'group' ? groupHeight : rowHeight),
    overscan: 8,
    getItemKey: (index) => {
      const item = items[index]!;
      return item.kind === 'group' ? `group:${item.name}` : item.alert.fingerprint;
    },
  });

  const toggleSeverity = (severity: SeverityId) =>
    setSeverities((prev) => {
      const next = new Set(prev);
      if (next.has(severity)) next.delete(severity);
      else next.add(severity);
      return next;
    });

  return (
    <div className="view alerts-view" data-testid="alerts-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('alerts.title')}</h1>
        <span className="count-chip" data-testid="alerts-count">
          {t('alerts.count', { shown: visible.length, total: all.length })}
        </span>
        <button type="button" className="btn btn-small" data-testid="open-silences" onClick={() => setShowSilences(true)}>
          {t('silences.open')}
        </button>
        <button type="button" className="btn btn-small" data-testid="open-rules" onClick={() => setShowRules(true)}>
          {t('rules.open')}
        </button>
        <div className="toolbar-spacer" />
        <input
          className="input"
          type="search"
          placeholder={t('alerts.filter')}
          aria-label={t('alerts.filterLabel')}
          data-testid="alert-filter"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="segmented" role="group" aria-label={t('alerts.severityFilter')}>
          {severityOrder.map((severity) => (
            <button
              key={severity}
              type="button"
              data-testid={`severity-filter-${severity}`}
              className={`sev-toggle sev-toggle-${severity.toLowerCase()} ${severities.has(severity) ? 'is-active' : ''}`}
              aria-pressed={severities.has(severity)}
              onClick={() => toggleSeverity(severity)}
            >
              {severity} <span className="muted">{counts[severity]}</span>
            </button>
          ))}
        </div>
        <label className="sort">
          <span className="muted small">{t('alerts.sortBy')}</span>
          <select className="select" data-testid="alert-sort" value={sortBy} onChange={(e) => setSortBy(e.target.value as AlertSort)}>
            <option value="severity">{t('alerts.sort.severity')}</option>
            <option value="start">{t('alerts.sort.start')}</option>
            <option value="name">{t('alerts.sort.name')}</option>
          </select>
        </label>
        <label className="sort">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} data-testid="alert-group-toggle" />
          <span className="muted small">{t('alerts.groupBy')}</span>
        </label>
        <button
          type="button"
          className="btn btn-small"
          data-testid="alert-sort-direction"
          aria-pressed={reversed}
          aria-label={t('alerts.reverse')}
          title={t('alerts.reverse')}
          onClick={() => setReversed((r) => !r)}
        >
          {reversed ? '↑' : '↓'}
        </button>
      </div>
      <StaleNotice source="alerts" />
      {showSilences ? <SilencesPanel onClose={() => setShowSilences(false)} /> : null}
      {showRules ? <RulesPanel onClose={() => setShowRules(false)} /> : null}
      <div className="master-detail">
        <div className="list-pane card" ref={scrollRef} data-testid="alert-list">
          {visible.length === 0 ? (
            <p className="empty">{all.length === 0 ? t('alerts.none') : t('alerts.noMatch')}</p>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = items[item.index]!;
                if (row.kind === 'group') {
                  return (
                    <button
                      key={item.key}
                      type="button"
                      className={`alert-group-row sev-edge-${row.severity.toLowerCase()}`}
                      data-testid="alert-group"
                      data-group={row.name}
                      aria-expanded={!row.collapsed}
                      style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: groupHeight, transform: `translateY(${item.start}px)` }}
                      onClick={() => toggleGroup(row.name)}
                    >
                      <span aria-hidden="true">{row.collapsed ? '▸' : '▾'}</span>
                      <SeverityBadge severity={row.severity} />
                      <span>{clipText(row.name, 200)}</span>
                      <span className="muted">{row.count}</span>
                      {row.silenced > 0 ? <span className="tag">{`${row.silenced} ${t('alerts.silenced')}`}</span> : null}
                    </button>
                  );
                }
                const alert = row.alert;
                const active = current?.fingerprint === alert.fingerprint;
                return (
                  <button
                    key={item.key}
                    type="button"
                    className={`alert-row sev-edge-${alert.severity.toLowerCase()} ${active ? 'is-selected' : ''} ${alert.silenced || alert.inhibited ? 'is-muted' : ''}`}
                    data-testid="alert-row"
                    data-fingerprint={alert.fingerprint}
                    aria-current={active ? 'true' : undefined}
                    style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: rowHeight, transform: `translateY(${item.start}px)` }}
                    onClick={() => select(alert.fingerprint)}
                  >
                    <SeverityBadge severity={alert.severity} />
                    <span className="alert-main">
                      <span className="alert-name">
                        {clipText(alert.name, 200)}
                        {alert.state === 'pending' ? <span className="tag">{t('alerts.state.pending')}</span> : null}
                        {alert.silenced ? <span className="tag" data-testid="alert-silenced">{t('alerts.silenced')}</span> : null}
                        {alert.inhibited ? <span className="tag">{t('alerts.inhibited')}</span> : null}
                      </span>
                      <span className="alert-summary">{clipText(alert.summary, 300)}</span>
                    </span>
                    <span className="alert-age" title={fmt.dateTime(alert.startsAt)}>
                      {fmt.duration(now - alert.startsAt)}
                    </span>
                  </button>
                );
              })}
            </div>
          )}
        </div>
        <div className="detail-pane card">
          {current ? <AlertDetail alert={current} now={now} /> : <p className="empty">{t('alerts.select')}</p>}
        </div>
      </div>
    </div>
  );
}
