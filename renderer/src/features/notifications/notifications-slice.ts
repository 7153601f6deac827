import type { GuardiaNotification } from '../../../../shared/domain';
import type { SliceCreator } from '../../store/store';

/** Toasts shown at most at once; core already coalesces storms, this only bounds the screen. */
export const maxToasts = 4;

/** In-window notifications (`notifications.changed`), for browser mode where there is no OS toast. */
export type NotificationsSlice = {
  toasts: GuardiaNotification[];
  pushToast(notification: GuardiaNotification): void;
  dismissToast(id: string): void;
};

export const createNotificationsSlice: SliceCreator<NotificationsSlice> = (set) => ({
  toasts: [],
  pushToast: (notification) =>
    set((s) => ({
      toasts: [notification, ...s.toasts.filter((t) => t.id !== notification.id)].slice(0, maxToasts),
    })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
});
