import type { InvokeResponse } from '../../../../shared/contract';
import type { GuardiaNotification } from '../../../../shared/domain';
import type { SliceCreator } from '../../store/store';

/**
 * Toasts kept until dismissed (the view shows a few and "N more"); core already coalesces storms, this
 * only bounds memory. Past it the oldest non-P1 goes first: a P1 is never pushed out by lesser news.
 */
export const maxToasts = 50;

/** Snooze, on-call filter and pending acknowledgements, as `notifications.getState` returns them. */
export type NotificationStateView = InvokeResponse<'notifications.getState'>;
/** Who is on call now and next (`shift.get`). */
export type ShiftView = InvokeResponse<'shift.get'>;

/** In-window notifications (`notifications.changed`), the snooze state and the on-call shift. */
export type NotificationsSlice = {
  toasts: GuardiaNotification[];
  notificationState: NotificationStateView | null;
  shift: ShiftView | null;
  pushToast(notification: GuardiaNotification): void;
  dismissToast(id: string): void;
  setNotificationState(state: NotificationStateView): void;
  setShift(shift: ShiftView): void;
};

export const createNotificationsSlice: SliceCreator<NotificationsSlice> = (set) => ({
  toasts: [],
  notificationState: null,
  shift: null,
  pushToast: (notification) =>
    set((s) => {
      const toasts = [notification, ...s.toasts.filter((t) => t.id !== notification.id)];
      while (toasts.length > maxToasts) {
        const oldestLesser = toasts.findLastIndex((t) => t.severity !== 'P1');
        toasts.splice(oldestLesser >= 0 ? oldestLesser : toasts.length - 1, 1);
      }
      return { toasts };
    }),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setNotificationState: (notificationState) => set({ notificationState }),
  setShift: (shift) => set({ shift }),
});
