import { useEffect, useState } from 'react';
import type { GuardiaNotification } from '../../../shared/domain';
import { useFormatters, useI18n } from '../i18n/use-i18n';
import { useGuardia } from '../store/guardia-context';
import { ToastActions } from '../features/notifications/toast-actions';
import { clipText } from './external-text';
import { SeverityBadge } from './severity-badge';

/** How long a non-critical toast stays; P1 stays until dismissed. */
const toastMs = 10_000;

function Toast({ toast }: { toast: GuardiaNotification }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const dismiss = useGuardia((s) => s.dismissToast);
  const openAlert = useGuardia((s) => s.openAlert);
  useEffect(() => {
    if (toast.severity === 'P1') return;
    const id = setTimeout(() => dismiss(toast.id), toastMs);
    return () => clearTimeout(id);
  }, [toast.id, toast.severity, dismiss]);
  return (
    <div className={`toast toast-${toast.severity.toLowerCase()}`} role="status" data-testid="toast">
      <SeverityBadge severity={toast.severity} />
      <button
        type="button"
        className="toast-body"
        onClick={() => {
          if (toast.alertFingerprint) openAlert(toast.alertFingerprint);
          dismiss(toast.id);
        }}
      >
        <strong>{clipText(toast.title, 200)}</strong>
        <span>{clipText(toast.body, 300)}</span>
        <time>{fmt.time(toast.time)}</time>
      </button>
      <ToastActions toast={toast} onDone={() => dismiss(toast.id)} />
      <button type="button" className="toast-close" aria-label={t('toast.dismiss')} onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

/** Toasts shown at once; more collapse into one line, so an incident does not bury the panels. */
const visibleToasts = 3;

/** Core's notifications inside the window (browser mode has no OS notifications of its own). */
export function Toasts() {
  const { t } = useI18n();
  const toasts = useGuardia((s) => s.toasts);
  const [expanded, setExpanded] = useState(false);
  if (toasts.length === 0) return null;
  // The newest on top of the pile, P1s before the rest: the worst news is the one never hidden.
  const ordered = [...toasts].sort((a, b) => Number(b.severity === 'P1') - Number(a.severity === 'P1') || b.time - a.time);
  const shown = expanded ? ordered : ordered.slice(0, visibleToasts);
  const hidden = ordered.length - shown.length;
  return (
    <div className="toasts" aria-live="polite">
      {shown.map((toast) => (
        <Toast key={toast.id} toast={toast} />
      ))}
      {hidden > 0 ? (
        <button type="button" className="toast-more" data-testid="toast-more" onClick={() => setExpanded(true)}>
          {t('toast.more', { count: hidden })}
        </button>
      ) : expanded && ordered.length > visibleToasts ? (
        <button type="button" className="toast-more" onClick={() => setExpanded(false)}>
          {t('toast.fewer')}
        </button>
      ) : null}
    </div>
  );
}
