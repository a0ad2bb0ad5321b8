// Kiosk self check-in, the screen's side (shared/kiosk.ts has the rules and words, main/desk/kiosk.ts
// the look-ups). One screen at a time: "Scan your ticket" (or type an email or order code), a
// question when the kiosk needs the email or the order code, the person's own name to confirm or
// correct, then "checked in, collect your badge at …", or "please see staff". After KIOSK_IDLE_MS
// without input the kiosk goes back to its first screen and forgets the person.
import type { KioskPerson, KioskStaffReason, KioskStatus } from '../../../shared/kiosk.ts';
import { KIOSK_IDLE_MS, kioskOutcomeReason } from '../../../shared/kiosk.ts';
import { errorMessage } from '../ui/format.ts';
import type { TimerHandle } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export type KioskScreen =
  | { kind: 'start' }
  | { kind: 'looking' }
  | { kind: 'askEmail' }
  | { kind: 'askOrder'; email: string }
  | { kind: 'confirm'; person: KioskPerson }
  | { kind: 'checkingIn'; person: KioskPerson }
  | { kind: 'done'; name: string; badgeQueued: boolean }
  | { kind: 'staff'; reason: KioskStaffReason }
  | { kind: 'failed'; message: string };

/** Screens that take a code or an email: the first, the questions, and the answers (the next person scans there). */
export function acceptsCode(screen: KioskScreen): boolean {
  return screen.kind !== 'looking' && screen.kind !== 'confirm' && screen.kind !== 'checkingIn';
}

export interface KioskSlice {
  /** The kiosk this station is, null when it is a desk; undefined until main said. */
  kiosk: KioskStatus | null | undefined;
  kioskScreen: KioskScreen;
  /** Bumped per screen, so the live region says each one. */
  kioskScreenId: number;
  /** What was typed or scanned on the first screen or a question's. `binary`: the camera read bytes, not text. */
  kioskSubmit(text: string, decoded?: { binary?: boolean }): Promise<void>;
  /** The person confirmed the name on their badge (as shown, or corrected). */
  kioskConfirm(name: { firstName: string; lastName: string }): Promise<void>;
  /** "Start again", "Next person", Escape: the first screen, no one on it. */
  kioskRestart(): void;
  /** A key or a touch: the 20 seconds start again. */
  kioskActivity(): void;
  /** An admin turns this station into a kiosk for one event. */
  startKiosk(eventId: number, collectAt: string): Promise<void>;
  /** Leaving needs the admin PIN (main checks it). */
  leaveKiosk(pin: string): Promise<void>;
}

export const createKioskSlice: SliceCreator<KioskSlice> =
  ({ call, adminCall, timers, signals, newActionId }) =>
  (set, get) => {
    let idle: TimerHandle | null = null;
    const stopIdle = () => {
      if (idle !== null) timers.clearTimeout(idle);
      idle = null;
    };
    const armIdle = () => {
      stopIdle();
      if (get().kioskScreen.kind === 'start') return;
      idle = timers.setTimeout(() => {
        idle = null;
        show({ kind: 'start' });
      }, KIOSK_IDLE_MS);
    };
    const show = (screen: KioskScreen) => {
      set((s) => ({ kioskScreen: screen, kioskScreenId: s.kioskScreenId + 1 }));
      armIdle();
    };

    const refresh = () =>
      call('kiosk.status', {}).then(
        (kiosk) => set({ kiosk }),
        () => set({ kiosk: null }),
      );
    signals.onRoute((_route, cause) => {
      if (cause === 'load') void refresh();
    });
    signals.onReconnect(() => void refresh());

    return {
      kiosk: undefined,
      kioskScreen: { kind: 'start' },
      kioskScreenId: 0,

      async kioskSubmit(text, decoded = {}) {
        const kiosk = get().kiosk;
        const screen = get().kioskScreen;
        const typed = text.trim();
        if (!kiosk || typed === '') return;
        if (!acceptsCode(screen)) return;
        if (decoded.binary) return show({ kind: 'staff', reason: 'not_found' });
        show({ kind: 'looking' });
        try {
          const found = await call(
            'kiosk.find',
            screen.kind === 'askOrder'
              ? { eventId: kiosk.eventId, text: screen.email, orderCode: typed.slice(0, 200) }
              : { eventId: kiosk.eventId, text: typed.slice(0, 500) },
          );
          switch (found.kind) {
            case 'person':
              return show({ kind: 'confirm', person: found.person });
            case 'ask_order_code':
              return show({ kind: 'askOrder', email: typed });
            case 'ask_email':
              return show({ kind: 'askEmail' });
            case 'see_staff':
              return show({ kind: 'staff', reason: found.reason });
          }
        } catch (err) {
          show({ kind: 'failed', message: errorMessage(err) });
        }
      },

      async kioskConfirm(name) {
        const kiosk = get().kiosk;
        const screen = get().kioskScreen;
        if (!kiosk || screen.kind !== 'confirm') return;
        const { person } = screen;
        const firstName = name.firstName.trim();
        const lastName = name.lastName.trim();
        const changed = firstName !== (person.firstName ?? '') || lastName !== (person.lastName ?? '');
        show({ kind: 'checkingIn', person });
        try {
          const { outcome, badgeQueued } = await call('kiosk.checkIn', {
            eventId: kiosk.eventId,
            attendeeId: person.attendeeId,
            actionId: newActionId(),
            ...(changed
              ? {
                  correction: {
                    actionId: newActionId(),
                    firstName,
                    lastName: lastName === '' ? null : lastName,
                  },
                }
              : {}),
          });
          const reason = kioskOutcomeReason(outcome);
          if (reason !== null || outcome.kind !== 'checked_in')
            return show({ kind: 'staff', reason: reason ?? 'not_valid' });
          show({ kind: 'done', name: outcome.attendee.fullName, badgeQueued });
        } catch (err) {
          show({ kind: 'failed', message: errorMessage(err) });
        }
      },

      kioskRestart() {
        show({ kind: 'start' });
      },

      kioskActivity() {
        armIdle();
      },

      async startKiosk(eventId, collectAt) {
        const kiosk = await adminCall('kiosk.start', { eventId, collectAt });
        // An admin who leaves the station as a kiosk leaves it locked.
        await call('session.lock', {}).catch(() => undefined);
        set({ kiosk });
        show({ kind: 'start' });
      },

      async leaveKiosk(pin) {
        await call('kiosk.leave', { pin });
        stopIdle();
        set({ kiosk: null, kioskScreen: { kind: 'start' } });
        get().navigate({ name: 'events' });
      },
    };
  };
