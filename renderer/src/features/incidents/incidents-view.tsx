import { useEffect, useMemo, useState } from 'react';
import type { PagingIncident, PagingStatus } from '../../../../shared/paging';
import type { ErrorInfo } from '../../../../shared/result';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia, useSyncActions } from '../../store/guardia-context';
import { ConfirmPagingDialog } from './confirm-paging-dialog';
import { IncidentDetail, incidentLabel } from './incident-detail';
import { filterIncidents, myTriggered, pagingStatuses } from './incidents-selectors';
import { OnCallStrip } from './on-call-strip';
import './incidents.css';
import { clipText } from '../../components/external-text';

/**
 * PagerDuty incidents: mine or all, by status; "ack all mine"; the selected incident with its
 * actions and timeline; who is on call now and next. Open incidents stay live through
 * `paging.changed`; resolved ones are fetched when that filter is on.
 */
export function IncidentsView() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const { reload } = useSyncActions();
  const byId = useGuardia((s) => s.pagingIncidents);
  const status = useGuardia((s) => s.pagingStatus);
  const error = useGuardia((s) => s.pagingError);
  const selected = useGuardia((s) => s.selectedIncident);
  const select = useGuardia((s) => s.openIncident);
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  const [scope, setScope] = useState<'mine' | 'all'>('all');
  const [statuses, setStatuses] = useState<ReadonlySet<PagingStatus>>(() => new Set<PagingStatus>(['triggered', 'acknowledged']));
  const [resolved, setResolved] = useState<PagingIncident[]>([]);
  const [resolvedError, setResolvedError] = useState<ErrorInfo | null>(null);
  const [ackAll, setAckAll] = useState<PagingIncident[] | null>(null);
  const wantResolved = statuses.has('resolved');

  useEffect(() => {
    if (!wantResolved || status !== 'ready') return;
    let live = true;
    void api.invoke('paging.listIncidents', { scope: 'all', statuses: ['resolved'] }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setResolved(r.value.incidents);
        setResolvedError(null);
      } else setResolvedError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, wantResolved, status]);

  const open = useMemo(() => Object.values(byId), [byId]);
  const visible = useMemo(
    () => filterIncidents([...open, ...(wantResolved ? resolved.filter((r) => !byId[r.id]) : [])], { scope, statuses }),
    [open, resolved, byId, wantResolved, scope, statuses],
  );
  const mineWaiting = useMemo(() => myTriggered(open), [open]);
  const current = (selected ? (byId[selected] ?? resolved.find((r) => r.id === selected)) : undefined) ?? visible[0];

  const toggle = (s: PagingStatus) =>
    setStatuses((prev) => {
      const next = new Set(prev);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });

  if (status === 'off') {
    return (
      <div className="view incidents-view" data-testid="incidents-view">
        <h1 className="view-title">{t('paging.title')}</h1>
        <p className="banner" data-testid="paging-off">
          {t('paging.notConfigured')}
        </p>
      </div>
    );
  }

  return (
    <div className="view incidents-view" data-testid="incidents-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('paging.title')}</h1>
        <span className="count-chip" data-testid="incidents-count">
          {t('paging.count', { shown: visible.length })}
        </span>
        <div className="toolbar-spacer" />
        <div className="segmented" role="group" aria-label={t('paging.scope')}>
          {(['mine', 'all'] as const).map((s) => (
            <button key={s} type="button" className={scope === s ? 'is-active' : ''} aria-pressed={scope === s} data-testid={`incidents-scope-${s}`} onClick={() => setScope(s)}>
              {t(`paging.${s}`)}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label={t('paging.statusFilter')}>
          {pagingStatuses.map((s) => (
            <button key={s} type="button" className={statuses.has(s) ? 'is-active' : ''} aria-pressed={statuses.has(s)} data-testid={`incidents-status-${s}`} onClick={() => toggle(s)}>
              {t(`paging.status.${s}`)}
            </button>
          ))}
        </div>
        {!readOnly ? (
          <button type="button" className="btn btn-primary" data-testid="incidents-ack-all-mine" disabled={mineWaiting.length === 0} onClick={() => setAckAll(mineWaiting)}>
            {t('paging.ackAllMine', { count: mineWaiting.length })}
          </button>
        ) : null}
      </div>

      <OnCallStrip />

      {status === 'error' && error ? (
        <div className="banner banner-bad" role="alert" data-testid="paging-error">
          <strong>{t('paging.loadFailed')}</strong> {t('error.withCode', { message: error.message, code: error.code })}
          <button type="button" className="btn btn-small" onClick={() => void reload()}>
            {t('paging.retry')}
          </button>
        </div>
      ) : null}
      {resolvedError ? (
        <div className="banner banner-bad" role="alert">
          {t('error.withCode', { message: resolvedError.message, code: resolvedError.code })}
        </div>
      ) : null}

      <div className="incidents-split">
        <ul className="incident-list card" data-testid="incident-list" aria-label={t('paging.title')}>
          {visible.length === 0 ? <li className="muted incident-empty">{status === 'idle' ? t('app.loading') : t('paging.empty')}</li> : null}
          {visible.map((i) => (
            <li key={i.id}>
              <button
                type="button"
                className={`incident-row ${current?.id === i.id ? 'is-selected' : ''} ${i.assignedToMe ? 'is-mine' : ''}`}
                data-testid="incident-row"
                aria-current={current?.id === i.id ? 'true' : undefined}
                onClick={() => select(i.id)}
              >
                <span className={`paging-status paging-status-${i.status}`}>{t(`paging.status.${i.status}`)}</span>
                <span className="incident-row-main">
                  <span className="incident-row-title">
                    <span className="mono muted">#{i.number}</span> {clipText(i.title, 300)}
                  </span>
                  <span className="incident-row-meta muted small">
                    {i.service.name} · {i.assignees.map((a) => a.name).join(', ') || '—'} · {fmt.time(i.createdAt)}
                    {i.urgency === 'high' ? ` · ${t('paging.urgency.high')}` : ''}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        {current ? <IncidentDetail key={current.id} incident={current} /> : <p className="muted">{t('paging.selectHint')}</p>}
      </div>

      {ackAll ? (
        <ConfirmPagingDialog
          action={t('paging.acknowledge')}
          targets={ackAll.map(incidentLabel)}
          // Exactly the incidents the user confirmed, not whatever became theirs since.
          run={() => api.invoke('paging.acknowledge', { ids: ackAll.map((i) => i.id), confirm: true })}
          onClose={() => setAckAll(null)}
        />
      ) : null}
    </div>
  );
}
