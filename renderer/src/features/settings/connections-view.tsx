import { useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { ConnectionInfo } from '../../../../shared/notifications';
import type { ErrorInfo } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { BrowserNotifyButton, SnoozeControl } from '../notifications/header-controls';
import { KubeContextsCard } from '../kube-import/kube-contexts-card';

type TestResult = InvokeResponse<'connections.test'>;

/** The secret state as a short badge: set, missing, not needed, keychain unavailable, built-in. */
function SecretBadge({ c }: { c: ConnectionInfo }) {
  const { t } = useI18n();
  if (c.builtIn) return <span className="badge badge-muted">{t('settings.builtIn')}</span>;
  if (c.secretName === null) return <span className="badge badge-muted">{t('settings.noSecret')}</span>;
  if (c.secretSet === null) return <span className="badge badge-warn" title={c.keychainError ?? ''}>{t('settings.secretUnknown')}</span>;
  return c.secretSet ? (
    <span className="badge badge-ok" data-testid="secret-set">
      {t('settings.secretSet')}
    </span>
  ) : (
    <span className="badge badge-bad" data-testid="secret-missing">
      {t('settings.secretMissing')}
    </span>
  );
}

/**
 * One connection: test it, and add, replace or remove its keychain secret. The secret field is
 * write-only: what is typed is sent once and the field is cleared; core never sends a secret back.
 */
function ConnectionRow({ initial }: { initial: ConnectionInfo }) {
  // Keyed by id and remounted on reload (see ConnectionsView), so `initial` only seeds the row.
  const { t } = useI18n();
  const api = useApi();
  const [c, setC] = useState(initial);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    const r = await api.invoke('connections.test', { id: c.id });
    setTesting(false);
    if (r.ok) setTest(r.value);
    else setError(r.error);
  };
  const save = async () => {
    const value = secret;
    setSecret('');
    setError(null);
    const r = await api.invoke('connections.setSecret', { id: c.id, secret: value });
    if (r.ok) {
      setC(r.value);
      setEditing(false);
      setNote(t('settings.saved'));
    } else setError(r.error);
  };
  const remove = async () => {
    setConfirmRemove(false);
    setError(null);
    const r = await api.invoke('connections.deleteSecret', { id: c.id });
    if (r.ok) {
      setC(r.value);
      setNote(t('settings.removed'));
    } else setError(r.error);
  };

  return (
    <li className="connection-row" data-testid="connection-row" data-connection={c.id}>
      <div className="connection-main">
        <span className="connection-kind">{c.kind}</span>
        <strong className="connection-name">{c.name}</strong>
        <span className="connection-target muted">{c.target}</span>
        {c.secretName ? <code className="connection-secret-name" title="keychain entry">{c.secretName}</code> : null}
        <SecretBadge c={c} />
      </div>
      <div className="connection-actions">
        <button type="button" className="btn btn-small" data-testid="connection-test" disabled={testing} onClick={() => void runTest()}>
          {testing ? t('settings.testing') : t('settings.test')}
        </button>
        {!c.builtIn && c.secretName ? (
          <>
            <button type="button" className="btn btn-small" data-testid="connection-set-secret" onClick={() => (setEditing(!editing), setNote(null))}>
              {c.secretSet ? t('settings.replaceSecret') : t('settings.setSecret')}
            </button>
            {c.secretSet ? (
              confirmRemove ? (
                <button type="button" className="btn btn-small btn-danger" data-testid="connection-remove-confirm" onClick={() => void remove()}>
                  {t('settings.confirmRemove', { name: c.secretName })}
                </button>
              ) : (
                <button type="button" className="btn btn-small" data-testid="connection-remove" onClick={() => setConfirmRemove(true)}>
                  {t('settings.removeSecret')}
                </button>
              )
            ) : null}
          </>
        ) : null}
      </div>
      {editing ? (
        <form
          className="connection-secret-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (secret) void save();
          }}
        >
          <input
            type="password"
            className="input"
            data-testid="connection-secret-input"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('settings.secretPlaceholder')}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
          <button type="submit" className="btn btn-small btn-primary" data-testid="connection-secret-save" disabled={!secret}>
            {t('settings.save')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => (setEditing(false), setSecret(''))}>
            {t('settings.cancel')}
          </button>
        </form>
      ) : null}
      {test ? (
        <p className={`connection-result ${test.ok ? 'ok-text' : 'danger-text'}`} data-testid="connection-result" data-ok={test.ok ? 'true' : 'false'}>
          {t(test.ok ? 'settings.testOk' : 'settings.testFailed', { ms: test.latencyMs, message: test.message })}
        </p>
      ) : null}
      {note ? <p className="connection-result ok-text">{note}</p> : null}
      {error ? (
        <p className="connection-result danger-text" role="alert">
          {t('error.withCode', { message: error.message, code: error.code })}
        </p>
      ) : null}
    </li>
  );
}

/** Settings: the environment's connections (Settings → Connections) and the notification controls. */
export function ConnectionsView() {
  const { t } = useI18n();
  const api = useApi();
  const state = useGuardia((s) => s.notificationState);
  const [list, setList] = useState<InvokeResponse<'connections.list'> | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    let live = true;
    void api.invoke('connections.list', {}).then((r) => {
      if (!live) return;
      if (r.ok) setList(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <div className="view settings-view" data-testid="settings-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('settings.title')}</h1>
        {list ? <span className="count-chip">{list.connections.length}</span> : null}
      </div>
      <p className="muted small">{t('settings.subtitle')}</p>
      {list?.keychainError ? (
        <div className="banner banner-bad" role="alert" data-testid="keychain-error">
          {t('settings.keychainError', { message: list.keychainError })}
        </div>
      ) : null}
      {error ? (
        <div className="banner banner-bad" role="alert">
          {t('error.withCode', { message: error.message, code: error.code })}
        </div>
      ) : null}
      <section className="card">
        {list && list.connections.length === 0 ? <p className="empty">{t('settings.empty')}</p> : null}
        <ul className="connection-list" data-testid="connection-list">
          {list?.connections.map((c) => <ConnectionRow key={c.id} initial={c} />)}
        </ul>
      </section>
      <KubeContextsCard />
      <section className="card notification-settings">
        <h2 className="card-title">{t('settings.notificationsTitle')}</h2>
        <p className="muted small">{t('settings.notificationsHelp', { minutes: state?.ackWithinMinutes ?? 5 })}</p>
        <div className="notification-controls">
          <SnoozeControl />
          <BrowserNotifyButton />
        </div>
      </section>
    </div>
  );
}
