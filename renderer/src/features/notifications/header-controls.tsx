import { useCallback, useEffect, useRef, useState } from 'react';
import type { GuardiaNotification } from '../../../../shared/domain';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { useCoreNow } from '../../lib/use-now';
import './notifications.css';

/** How often the snooze state and on-call shift are refreshed (they change slowly; events refresh them too). */
const refreshMs = 30_000;

/** The Electron window shows OS notifications itself; only browser mode uses the Web Notifications API. */
export function isBrowserMode(): boolean {
  return !(window as unknown as { guardia?: unknown }).guardia;
}

/** Loads `notifications.getState` and `shift.get` now, every 30 s and after each new notification. */
export function useNotificationData(): () => Promise<void> {
  const api = useApi();
  const setState = useGuardia((s) => s.setNotificationState);
  const setShift = useGuardia((s) => s.setShift);
  const latest = useGuardia((s) => s.toasts[0]?.id);
  const load = useCallback(async () => {
    const [state, shift] = await Promise.all([api.invoke('notifications.getState', {}), api.invoke('shift.get', {})]);
    if (state.ok) setState(state.value);
    if (shift.ok) setShift(shift.value);
  }, [api, setState, setShift]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load, latest]);
  return load;
}

/** "Mon 09:00" in the viewer's time zone: enough to place a handoff within the week. */
export function shortDateTime(locale: string, ms: number): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** "On call: Carlos López until Mon 09:00" in the header; "you" when it is me. */
export function OnCallChip() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const shift = useGuardia((s) => s.shift);
  const setView = useGuardia((s) => s.setView);
  if (!shift?.current) return null;
  const mine = shift.myRole !== null;
  const name = shift.current.primary;
  const text = t('shift.chip', { name: mine && shift.me === name ? `${name} (${t('shift.you')})` : name, time: shortDateTime(fmt.locale, shift.current.end) });
  return (
    <button
      type="button"
      className={`oncall-chip ${mine ? 'is-me' : ''}`}
      data-testid="oncall-chip"
      title={`${t('shift.onCall')}: ${text} · ${t('shift.rotation')}`}
      onClick={() => setView('shift')}
    >
      <span className="oncall-label">{t('shift.onCall')}</span>
      <span>{text}</span>
    </button>
  );
}

/** Snooze notifications for the configured minutes (P1 still pierces it by default), or resume. */
export function SnoozeControl() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const state = useGuardia((s) => s.notificationState);
  const setState = useGuardia((s) => s.setNotificationState);
  const [busy, setBusy] = useState(false);
  // Re-rendered every 15 s on core's clock (the demo's runs faster), so an expired snooze turns back into the button.
  const now = useCoreNow(15_000);
  if (!state) return null;
  const snoozed = state.snoozedUntil !== null && state.snoozedUntil > now;
  const act = async (minutes: number) => {
    setBusy(true);
    const result = await api.invoke('notifications.snooze', { minutes });
    setBusy(false);
    if (result.ok) setState(result.value);
  };
  const pierce = state.pierceSnooze.length ? t('notify.pierce', { severities: state.pierceSnooze.join(', ') }) : '';
  return snoozed ? (
    <span className="snooze is-snoozed" data-testid="snooze" data-snoozed="true" title={pierce}>
      <span className="snooze-label">{t('notify.snoozedUntil', { time: fmt.time(state.snoozedUntil!) })}</span>
      <button type="button" className="btn btn-small" data-testid="snooze-resume" disabled={busy} onClick={() => void act(0)}>
        {t('notify.resume')}
      </button>
    </span>
  ) : (
    <button
      type="button"
      className="btn btn-small snooze"
      data-testid="snooze"
      data-snoozed="false"
      title={pierce}
      disabled={busy}
      onClick={() => void act(state.snoozeMinutes)}
    >
      {t('notify.snooze', { minutes: state.snoozeMinutes })}
    </button>
  );
}

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Browser mode: asks for notification permission on a click (browsers refuse to ask without one). */
export function BrowserNotifyButton() {
  const { t } = useI18n();
  const [permission, setPermission] = useState<Permission>(currentPermission);
  if (!isBrowserMode()) return null;
  if (permission === 'granted') {
    return (
      <span className="notify-state is-on" data-testid="notify-permission" data-permission="granted">
        {t('notify.enabled')}
      </span>
    );
  }
  if (permission === 'denied' || permission === 'unsupported') {
    return (
      <span className="notify-state is-off" data-testid="notify-permission" data-permission={permission}>
        {t(permission === 'denied' ? 'notify.denied' : 'notify.unsupported')}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="notify-permission"
      data-permission="default"
      onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}
    >
      {t('notify.enable')}
    </button>
  );
}

/**
 * Browser mode: shows each of core's notifications through the Web Notifications API once the user
 * allowed it; clicking it focuses the tab on that alert. Core decided already; this only displays.
 */
export function BrowserNotificationBridge() {
  const toasts = useGuardia((s) => s.toasts);
  const openAlert = useGuardia((s) => s.openAlert);
  const shown = useRef(new Set<string>());
  useNotificationData();
  useEffect(() => {
    if (!isBrowserMode() || currentPermission() !== 'granted') return;
    for (const toast of toasts) {
      if (shown.current.has(toast.id)) continue;
      shown.current.add(toast.id);
      showBrowserNotification(toast, () => {
        window.focus();
        if (toast.alertFingerprint) openAlert(toast.alertFingerprint);
      });
    }
  }, [toasts, openAlert]);
  return null;
}

function showBrowserNotification(toast: GuardiaNotification, onOpen: () => void): void {
  try {
    const n = new Notification(toast.title, { body: toast.body, tag: toast.id, requireInteraction: toast.severity === 'P1' });
    n.onclick = () => {
      onOpen();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the in-app toast still shows.
  }
}
