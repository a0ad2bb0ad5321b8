// The renderer's store: a snapshot of the app from `app.snapshot`, then kept current by push
// events. One slice per area (see create.ts); components read it with selectors through
// `useStore` and call its actions. Only store/ talks to the bridge.
import { create } from 'zustand';
import type { SyncedEvent } from '../../../shared/types.ts';
import { getTransport } from '../bridge.ts';
import { badgeDeskState } from './create.ts';
import type { BadgeDeskStore } from './kit.ts';

export { createBadgeDeskStore, type StoreOptions } from './create.ts';
export type { BadgeDeskStore } from './kit.ts';
export type { Route, SettingsSection } from './session.ts';
export type { StatsEntry } from './events.ts';
export { PAGE_SIZE, type AttendeeCache, type AttendeePageEntry } from './attendees.ts';
export type { DeskFeedback, DeskFeedbackTone, DeskPrintLine, DeskResults, DeskState } from './desk.ts';
export type { BatchProgress, PrintBadgeResult, PrintQueueState } from './printing.ts';
export type { ToastItem, ToastTone } from './toasts.ts';
export { SALVAGED_SHOWN, type SalvagedList } from './storage.ts';
export type { FirstBadgeResult } from './venue.ts';

/** The app's store, over the Electron preload's bridge or the browser host. */
export const useStore = create<BadgeDeskStore>()(badgeDeskState(getTransport()));

/** The event the route points at (event page or its desk), if any. */
export function useCurrentEvent(): SyncedEvent | undefined {
  return useStore((s) => {
    const route = s.route;
    return route.name === 'event' || route.name === 'desk' ? s.events.find((e) => e.id === route.eventId) : undefined;
  });
}

export const isAdmin = (s: BadgeDeskStore): boolean => s.session.role === 'admin';
