import { useState } from 'react';
import type { GuardiaNotification } from '../../../../shared/domain';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';

/**
 * A notification's actions: Open (focus the alert) and Acknowledge, which names what it will do
 * (ack in PagerDuty, silence in Alertmanager, or stop Guardia's reminders) and asks for a second
 * click as confirmation before core journals and runs it once.
 */
export function ToastActions({ toast, onDone }: { toast: GuardiaNotification; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const openAlert = useGuardia((s) => s.openAlert);
  const setState = useGuardia((s) => s.setNotificationState);
  const [phase, setPhase] = useState<'idle' | 'confirm' | 'busy' | 'done' | 'failed'>('idle');
  const [message, setMessage] = useState('');
  const target = toast.ackTarget ?? null;
  const label = target === 'pagerduty' ? t('toast.ackPagerduty') : target === 'silence' ? t('toast.ackSilence') : t('toast.ackLocal');

  const acknowledge = async () => {
    setPhase('busy');
    const result = await api.invoke('notifications.acknowledge', { notificationId: toast.id });
    if (!result.ok) {
      setPhase('failed');
      setMessage(result.error.message);
      return;
    }
    const failed = result.value.outcomes.find((o) => !o.ok);
    setPhase(failed ? 'failed' : 'done');
    setMessage(failed ? failed.message : (result.value.outcomes[0]?.message ?? ''));
    const state = await api.invoke('notifications.getState', {});
    if (state.ok) setState(state.value);
  };

  return (
    <div className="toast-actions">
      {toast.alertFingerprint ? (
        <button
          type="button"
          className="btn btn-small"
          data-testid="toast-open"
          onClick={() => {
            openAlert(toast.alertFingerprint);
            onDone();
          }}
        >
          {t('toast.open')}
        </button>
      ) : null}
      {target && phase === 'idle' ? (
        <button type="button" className="btn btn-small" data-testid="toast-ack" onClick={() => setPhase('confirm')}>
          {label}
        </button>
      ) : null}
      {target && (phase === 'confirm' || phase === 'busy') ? (
        <button type="button" className="btn btn-small btn-primary" data-testid="toast-ack-confirm" disabled={phase === 'busy'} onClick={() => void acknowledge()}>
          {t('toast.ackConfirm', { action: label })}
        </button>
      ) : null}
      {phase === 'done' ? (
        <span className="ok-text small" data-testid="toast-ack-result" title={message}>
          {t('toast.acked')}
        </span>
      ) : null}
      {phase === 'failed' ? (
        <span className="danger-text small" role="alert" data-testid="toast-ack-result">
          {t('toast.ackFailed', { message })}
        </span>
      ) : null}
    </div>
  );
}
