import type { ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n';

/**
 * A dashboard card. A panel whose query failed shows its error here, in place, while the rest of the
 * dashboard keeps updating; warnings (partial data, dropped series) are a small note under the title.
 */
export function PanelCard(props: {
  title: ReactNode;
  actions?: ReactNode;
  error?: string | null;
  warnings?: readonly string[];
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { title, actions, error, warnings, className, testId, children } = props;
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      <header className="card-head">
        <h2 className="card-title">{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      {warnings && warnings.length > 0 ? (
        <p className="card-warnings" data-testid="panel-warnings" title={t('panel.warnings')}>
          <span aria-hidden="true">⚠</span> {warnings.join(' · ')}
        </p>
      ) : null}
      {error ? (
        <div className="card-error" role="alert" data-testid="panel-error">
          <strong>{t('panel.error')}</strong>
          <span className="mono">{error}</span>
        </div>
      ) : (
        children
      )}
    </section>
  );
}
