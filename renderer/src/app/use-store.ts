// The renderer's store: a snapshot of the app from `app.snapshot`, then kept current by push
// events. One slice per area (see create.ts); components read it with selectors through
// `useStore` and call its actions. Only store/ talks to the bridge.
import { create } from 'zustand';
import type { SyncedEvent } from '../../../shared/types.ts';
import { getTransport } from './bridge.ts';
import { badgeDeskState } from './store.ts';
import type { BadgeDeskStore } from './store-kit.ts';

export { createBadgeDeskStore, type StoreOptions } from './store.ts';
export type { BadgeDeskStore } from './store-kit.ts';
export type { Route, SettingsSection } from './session-slice.ts';
export type { StatsEntry } from '../events/events-slice.ts';
export { PAGE_SIZE, type AttendeeCache, type AttendeePageEntry } from '../events/attendees-slice.ts';
export type { DeskFeedback, DeskFeedbackTone, DeskPrintLine, DeskResults, DeskState } from '../desk/desk-slice.ts';
export type { BatchProgress, PrintBadgeResult, PrintQueueState } from '../printing/printing-slice.ts';
export type { ToastItem, ToastTone } from './toasts-slice.ts';
export { SALVAGED_SHOWN, type SalvagedList } from '../storage/storage-slice.ts';
export type { FirstBadgeResult } from '../venue/venue-slice.ts';

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
