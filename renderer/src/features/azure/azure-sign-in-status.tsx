import type { AzureStatus } from '../../../../shared/azure';
import { useI18n } from '../../i18n/use-i18n';

/**
 * Who is signed in to Azure (from the token's claims: upn for people, the app for service principals),
 * the device code while a device-code sign-in waits, and the sign-in / sign-out buttons.
 */
export function AzureSignInStatus({
  status,
  busy,
  onSignIn,
  onSignOut,
}: {
  status: AzureStatus;
  busy: boolean;
  onSignIn: () => void;
  onSignOut: () => void;
}) {
  const { t } = useI18n();
  if (!status.configured) return <div className="banner banner-warn" data-testid="azure-not-configured">{t('azure.notConfigured')}</div>;
  const who = status.account ? `${status.account.name}${status.account.kind === 'service-principal' ? ` (${t('azure.app')})` : ''}` : null;
  return (
    <div className="card azure-signin" data-testid="azure-signin">
      <div className={`azure-dot azure-dot-${status.state}`} aria-hidden />
      <div className="azure-signin-text">
        <strong data-testid="azure-account">
          {status.state === 'signed-in' && who ? t('azure.signedInAs', { name: who }) : status.state === 'signing-in' ? t('azure.signingIn') : t('azure.signedOut')}
        </strong>
        <span className="muted small">
          {status.demo ? t('azure.demo') : status.method ? t('azure.method', { method: status.method }) : null}
          {status.subscriptionId ? ` · ${status.subscriptionId}` : ''}
          {status.account?.tenantId ? ` · ${status.account.tenantId}` : ''}
        </span>
        <span className="muted small">{t('azure.tokenCache')}</span>
        {status.error ? <span className="azure-error">{status.error}</span> : null}
      </div>
      {status.deviceCode ? (
        <div className="azure-device-code" data-testid="azure-device-code">
          <span className="muted small">{t('azure.deviceCode', { url: status.deviceCode.verificationUri })}</span>
          <code className="azure-code">{status.deviceCode.userCode}</code>
        </div>
      ) : null}
      {!status.demo ? (
        <div className="azure-signin-actions">
          {status.state === 'signed-in' ? (
            <button type="button" className="btn btn-small" onClick={onSignOut} disabled={busy} data-testid="azure-sign-out">
              {t('azure.signOut')}
            </button>
          ) : (
            <button type="button" className="btn btn-small btn-primary" onClick={onSignIn} disabled={busy || status.state === 'signing-in'} data-testid="azure-sign-in">
              {t('azure.signIn')}
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
