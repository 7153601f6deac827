import { useCallback, useMemo, useState } from 'react';
import type { PlaybookSummary } from '../../../../shared/domain';
import { useFormatters, useI18n, useSaid } from '../../i18n/use-i18n';
import { useGuardia, useSyncActions } from '../../store/guardia-context';
import { ConfirmActionDialog } from './confirm-action-dialog';
import { DiagnosisPanel } from './diagnosis-panel';
import './playbooks.css';

type Action = PlaybookSummary['actions'][number];

/** The pack's playbooks (runbook §7–9): diagnosis commands to read, actions to run behind confirmation. */
export function PlaybooksView() {
  const { t, pick } = useI18n();
  const say = useSaid();
  const playbooks = useGuardia((s) => s.playbooks);
  const status = useGuardia((s) => s.playbooksStatus);
  const error = useGuardia((s) => s.playbooksError);
  const selectedId = useGuardia((s) => s.selectedPlaybook);
  const select = useGuardia((s) => s.openPlaybook);
  const alertsById = useGuardia((s) => s.alertsById);
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  const unfinished = useGuardia((s) => s.unfinishedActions);
  const fmt = useFormatters();
  const { loadPlaybooks } = useSyncActions();
  const [query, setQuery] = useState('');
  const [pending, setPending] = useState<{ playbook: PlaybookSummary; action: Action } | null>(null);
  const closeDialog = useCallback(() => setPending(null), []);

  const firingNames = useMemo(() => new Set(Object.values(alertsById).filter((a) => a.state === 'firing').map((a) => a.name)), [alertsById]);
  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return playbooks;
    return playbooks.filter(
      (p) =>
        p.id.includes(needle) ||
        pick(p.title).toLowerCase().includes(needle) ||
        p.alerts.some((a) => a.toLowerCase().includes(needle)),
    );
  }, [playbooks, query, pick]);
  const current = playbooks.find((p) => p.id === selectedId) ?? shown[0];

  return (
    <div className="view playbooks-view" data-testid="playbooks-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('playbooks.title')}</h1>
        <div className="toolbar-spacer" />
        <input
          className="input"
          type="search"
          placeholder={t('playbooks.search')}
          aria-label={t('playbooks.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {status === 'error' && error ? (
        <div className="banner banner-bad" role="alert">
          <strong>{t('playbooks.loadFailed')}</strong> {t('error.withCode', { message: error.message, code: error.code })}
          <button type="button" className="btn btn-small" onClick={() => void loadPlaybooks()}>
            {t('app.retry')}
          </button>
        </div>
      ) : null}
      {unfinished.length > 0 ? (
        <div className="banner banner-warn unfinished" role="alert" data-testid="unfinished-actions">
          <strong>{t('playbooks.unfinished')}</strong>
          <span className="small">{t('playbooks.unfinishedHint')}</span>
          <ul className="small">
            {unfinished.map((u) => (
              <li key={u.journalId}>
                {fmt.dateTime(u.time)} · <span className="mono">{u.playbookId}/{u.actionId}</span> · {u.target} — {u.summary}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {status === 'ready' && playbooks.length === 0 ? <p className="empty">{t('playbooks.empty')}</p> : null}
      {playbooks.length > 0 ? (
        <div className="master-detail">
          <ul className="list-pane card playbook-list" data-testid="playbook-list">
            {shown.map((p) => {
              const hot = p.alerts.some((a) => firingNames.has(a));
              return (
                <li key={p.id}>
                  <button
                    type="button"
                    className={`playbook-item ${current?.id === p.id ? 'is-selected' : ''}`}
                    data-testid="playbook-item"
                    onClick={() => select(p.id)}
                  >
                    <span className="playbook-title">{pick(p.title)}</span>
                    <span className="muted small">
                      {t('playbooks.section', { section: p.section })} · {p.id}
                    </span>
                    {hot ? <span className="tag tag-hot">{t('playbooks.firingNow')}</span> : null}
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="detail-pane card">
            {current ? (
              <article className="playbook-detail" data-testid="playbook-detail">
                <header>
                  <h2>{pick(current.title)}</h2>
                  <span className="muted small">
                    {t('playbooks.section', { section: current.section })} · <span className="mono">{current.id}</span>
                  </span>
                </header>
                {current.alerts.length > 0 ? (
                  <p className="small">
                    <span className="muted">{t('playbooks.alerts')}: </span>
                    {current.alerts.map((name) => (
                      <span key={name} className={`tag ${firingNames.has(name) ? 'tag-hot' : ''}`}>
                        {name}
                      </span>
                    ))}
                  </p>
                ) : null}
                <DiagnosisPanel key={current.id} playbook={current} />
                <section>
                  <h3>{t('playbooks.actions')}</h3>
                  {readOnly ? <p className="banner banner-warn">{t('playbooks.readOnly')}</p> : null}
                  {current.actions.length === 0 ? <p className="muted">{t('playbooks.noActions')}</p> : null}
                  <ul className="actions">
                    {current.actions.map((action) => (
                      <li key={action.id} className={`action ${action.destructive ? 'is-destructive' : ''}`}>
                        <div className="action-text">
                          <span className="step-title">
                            {pick(action.title)}
                            {action.destructive ? <span className="tag tag-danger">{t('playbooks.destructive')}</span> : null}
                          </span>
                          <code className="command mono">{action.command}</code>
                          {!action.available && action.unavailableReason ? (
                            <span className="muted small" data-testid="action-unavailable">
                              {t('playbooks.unavailable', { reason: say(action.unavailableReason, action.unavailableSaid) })}
                            </span>
                          ) : null}
                        </div>
                        <button
                          type="button"
                          className={`btn ${action.destructive ? 'btn-danger' : 'btn-primary'}`}
                          data-testid={`action-${action.id}`}
                          disabled={readOnly || !action.available}
                          title={action.unavailableReason ? say(action.unavailableReason, action.unavailableSaid) : undefined}
                          onClick={() => setPending({ playbook: current, action })}
                        >
                          {t('playbooks.run')}
                        </button>
                      </li>
                    ))}
                  </ul>
                </section>
              </article>
            ) : (
              <p className="empty">{t('playbooks.select')}</p>
            )}
          </div>
        </div>
      ) : null}
      {pending ? <ConfirmActionDialog playbook={pending.playbook} action={pending.action} onClose={closeDialog} /> : null}
    </div>
  );
}
