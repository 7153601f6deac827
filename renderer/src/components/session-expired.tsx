import { useI18n } from '../i18n/use-i18n';

/** Shown instead of the app after a 401: the token of this tab is no longer valid. */
export function SessionExpired() {
  const { t } = useI18n();
  return (
    <div className="fullscreen-message" role="alertdialog" aria-labelledby="session-title" data-testid="session-expired">
      <div className="message-box">
        <h1 id="session-title">{t('session.expiredTitle')}</h1>
        <p>{t('session.expiredBody')}</p>
        <p className="hint">{t('session.expiredHint')}</p>
        <pre className="mono">guardia serve</pre>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          {t('session.reload')}
        </button>
      </div>
    </div>
  );
}
