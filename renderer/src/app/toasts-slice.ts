// Toasts: short messages in the corner, each dismissed by itself after a while (errors stay longer).
import type { TimerHandle } from './scheduling.ts';
import type { SliceCreator } from './store-kit.ts';

export type ToastTone = 'info' | 'success' | 'error';
export interface ToastItem {
  id: number;
  text: string;
  tone: ToastTone;
}

export interface ToastsSlice {
  toasts: ToastItem[];
  toast(text: string, tone?: ToastTone): void;
  dismissToast(id: number): void;
}

export const TOAST_MS = 6000;
/** At most this many toasts show; a new one pushes the oldest out. */
const MAX_TOASTS = 4;

export const createToastsSlice: SliceCreator<ToastsSlice> =
  ({ timers }) =>
  (set, get) => {
    let lastId = 0;
    const dismissTimers = new Map<number, TimerHandle>();
    return {
      toasts: [],

      toast(text, tone = 'info') {
        const id = ++lastId;
        set((s) => ({ toasts: [...s.toasts.slice(-(MAX_TOASTS - 1)), { id, text, tone }] }));
        dismissTimers.set(
          id,
          timers.setTimeout(() => get().dismissToast(id), tone === 'error' ? TOAST_MS + 3000 : TOAST_MS),
        );
      },

      dismissToast(id) {
        const timer = dismissTimers.get(id);
        if (timer !== undefined) timers.clearTimeout(timer);
        dismissTimers.delete(id);
        set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
      },
    };
  };
