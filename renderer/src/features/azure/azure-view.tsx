import { useCallback, useEffect, useState } from 'react';
import type { AksUpgrade, AzureQueryResult, AzureStatus } from '../../../../shared/azure';
import type { InvokeResponse } from '../../../../shared/contract';
import type { ErrorInfo } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { AksUpgradeCard } from './aks-upgrade-card';
import { AzureSignInStatus } from './azure-sign-in-status';
import { KqlResult } from './kql-result';
import './azure.css';

type Query = InvokeResponse<'azure.listQueries'>['queries'][number];
const keyOf = (q: Pick<Query, 'playbookId' | 'stepId'>) => `${q.playbookId}/${q.stepId}`;

/**
 * Azure: who is signed in, the pack's KQL and Azure Monitor steps to run one by one (results as a
 * table and, for time series, a chart), and the guided AKS upgrade. Azure actions on the database
 * run from Playbooks, through the same confirmation as every other action.
 */
export function AzureView() {
  const { t, pick } = useI18n();
  const api = useApi();
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  const [status, setStatus] = useState<AzureStatus | null>(null);
  const [queries, setQueries] = useState<Query[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, AzureQueryResult>>({});
  const [errors, setErrors] = useState<Record<string, ErrorInfo>>({});
  const [running, setRunning] = useState<string | null>(null);
  const [upgrade, setUpgrade] = useState<AksUpgrade | null>(null);
  const [busy, setBusy] = useState(false);
  const [viewError, setViewError] = useState<ErrorInfo | null>(null);

  const run = useCallback(
    async (q: Pick<Query, 'playbookId' | 'stepId'>) => {
      const key = keyOf(q);
      setRunning(key);
      const r = await api.invoke('azure.runQuery', { playbookId: q.playbookId, stepId: q.stepId });
      setRunning((k) => (k === key ? null : k));
      if (r.ok) {
        setResults((m) => ({ ...m, [key]: r.value }));
        setErrors(({ [key]: _, ...rest }) => rest);
      } else setErrors((m) => ({ ...m, [key]: r.error }));
    },
    [api],
  );

  useEffect(() => {
    let live = true;
    void (async () => {
      const [s, q, u] = await Promise.all([api.invoke('azure.getStatus', {}), api.invoke('azure.listQueries', {}), api.invoke('azure.getUpgrade', {})]);
      if (!live) return;
      if (s.ok) setStatus(s.value);
      if (q.ok) {
        setQueries(q.value.queries);
        const first = q.value.queries[0];
        if (first) {
          setSelected((cur) => cur ?? keyOf(first));
          if (s.ok && s.value.state === 'signed-in') void run(first);
        }
      }
      if (u.ok) setUpgrade(u.value);
      else setViewError(u.error);
    })();
    const off = api.on('azure.changed', (e) => {
      setStatus(e.status);
      if (e.upgrade) setUpgrade(e.upgrade);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, run]);

  const current = queries.find((q) => keyOf(q) === selected) ?? null;
  // Selecting a query runs it once (read-only, like opening a dashboard); "Run" runs it again.
  const select = (q: Query) => {
    setSelected(keyOf(q));
    if (!results[keyOf(q)] && status?.state === 'signed-in') void run(q);
  };

  const signIn = async () => {
    setBusy(true);
    const r = await api.invoke('azure.signIn', {});
    setBusy(false);
    if (r.ok) setStatus(r.value);
    else setViewError(r.error);
  };
  const signOut = async () => {
    setBusy(true);
    const r = await api.invoke('azure.signOut', {});
    setBusy(false);
    if (r.ok) setStatus(r.value);
  };
  const control = async (command: 'start' | 'resume' | 'pause', confirm: string) => {
    const r = await api.invoke('azure.controlUpgrade', { command, confirm });
    if (r.ok) setUpgrade(r.value);
    else setViewError(r.error);
  };

  const result = current ? results[keyOf(current)] : undefined;
  const error = current ? errors[keyOf(current)] : undefined;
  return (
    <div className="view azure-view" data-testid="azure-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('azure.title')}</h1>
      </div>
      {status ? <AzureSignInStatus status={status} busy={busy} onSignIn={() => void signIn()} onSignOut={() => void signOut()} /> : null}
      {viewError ? (
        <div className="banner banner-bad" role="alert">
          {t('error.withCode', { message: viewError.message, code: viewError.code })}
        </div>
      ) : null}
      <div className="master-detail azure-main">
        <ul className="list-pane card azure-query-list" data-testid="azure-query-list">
          <li className="azure-list-head">{t('azure.queries')}</li>
          {queries.length === 0 ? <li className="muted small">{t('azure.noQueries')}</li> : null}
          {queries.map((q) => (
            <li key={keyOf(q)}>
              <button
                type="button"
                className={`playbook-item ${selected === keyOf(q) ? 'is-selected' : ''}`}
                onClick={() => select(q)}
                data-testid="azure-query-item"
              >
                <span className="playbook-title">{pick(q.title)}</span>
                <span className="muted small">
                  <span className={`tag azure-kind-${q.kind}`}>{q.kind === 'logs' ? t('azure.kindLogs') : t('azure.kindMetrics')}</span> {q.playbookId}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <section className="detail-pane card azure-detail">
          {current ? (
            <>
              <div className="card-head">
                <h2 className="card-title">{pick(current.title)}</h2>
                <div className="card-actions">
                  <button type="button" className="btn btn-small" onClick={() => void run(current)} disabled={running === keyOf(current) || !status?.configured} data-testid="azure-run">
                    {running === keyOf(current) ? t('azure.running') : t('azure.run')}
                  </button>
                </div>
              </div>
              <pre className="command azure-command">{current.command}</pre>
              {error ? (
                <div className="banner banner-bad" role="alert" data-testid="azure-query-error">
                  {t('error.withCode', { message: error.message, code: error.code })}
                </div>
              ) : null}
              {result ? <KqlResult result={result} /> : null}
            </>
          ) : (
            <p className="empty">{t('azure.select')}</p>
          )}
        </section>
      </div>
      <section className="card azure-upgrade-card">
        <div className="card-head">
          <h2 className="card-title">{t('azure.upgrade')}</h2>
        </div>
        <AksUpgradeCard upgrade={upgrade} readOnly={readOnly} onControl={(c, confirm) => void control(c, confirm)} />
      </section>
    </div>
  );
}
