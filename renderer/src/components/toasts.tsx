import { useEffect } from 'react';
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

/** Core's notifications inside the window (browser mode has no OS notifications of its own). */
export function Toasts() {
  const toasts = useGuardia((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <Toast key={toast.id} toast={toast} />
      ))}
    </div>
  );
}
