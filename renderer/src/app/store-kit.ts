// What every slice is built with: the calls to main, time, and the store's three signals (a push
// event arrived, the route changed, the push channel came back). A slice subscribes to the
// signals it cares about when it is created, so each area's reactions live in its own file.
import type { StateCreator } from 'zustand/vanilla';
import type { PushEventMap, PushEventName, PushMessage } from '../../../shared/ipc-wire.ts';
import type { Bridge, Call } from './bridge.ts';
import type { Timers } from './scheduling.ts';
import type { Route, SessionSlice } from './session-slice.ts';
import type { ToastsSlice } from './toasts-slice.ts';
import type { AnswersSlice, AttendeesSlice, EventsSlice } from '../events/state.ts';
import type { DeskSlice, DoorSlice } from '../desk/state.ts';
import type { PrintingSlice, PrintJobLedger, TemplatesSlice } from '../printing/state.ts';
import type { StorageSlice } from '../storage/state.ts';
import type { VenueSlice } from '../venue/state.ts';
import type { ListsSlice } from '../lists/state.ts';
import type { GlanceSlice } from '../glance/state.ts';
import type { KioskSlice } from '../kiosk/state.ts';

/** The one store: every slice's state and actions side by side. */
export type BadgeDeskStore = SessionSlice &
  EventsSlice &
  AttendeesSlice &
  AnswersSlice &
  DeskSlice &
  DoorSlice &
  PrintingSlice &
  TemplatesSlice &
  ToastsSlice &
  StorageSlice &
  VenueSlice &
  ListsSlice &
  GlanceSlice &
  KioskSlice;

/** Why slices hear of a route: the operator went there, or the snapshot (re)loaded while there. */
export type RouteCause = 'navigate' | 'load';

export interface StoreSignals {
  onPush<K extends PushEventName>(event: K, handler: (payload: PushEventMap[K]) => void): void;
  onRoute(handler: (route: Route, cause: RouteCause) => void): void;
  /** Pushes may have been missed: re-read what is on screen. */
  onReconnect(handler: () => void): void;
}

/** The sending side of the signals: the session slice emits them (start, load, navigate). */
export interface SignalEmitter {
  push(message: PushMessage): void;
  route(route: Route, cause: RouteCause): void;
  reconnect(): void;
}

export interface StoreKit {
  bridge: Bridge;
  call: Call;
  /** `call` for an admin action: a FORBIDDEN refusal means the admin lock returned, so the session is re-read. */
  adminCall: Call;
  timers: Timers;
  signals: StoreSignals;
  emit: SignalEmitter;
  /** Print jobs as this window learns of them; the printing slice and the desk's print line read it. */
  printJobs: PrintJobLedger;
  /** A fresh id per desk action, so a retried call cannot record twice. */
  newActionId(): string;
}

/** A slice: zustand's slices pattern, with the kit of the store it belongs to. */
export type SliceCreator<Slice> = (kit: StoreKit) => StateCreator<BadgeDeskStore, [], [], Slice>;

type Handlers = { [K in PushEventName]?: ((payload: PushEventMap[K]) => void)[] };

/** Handlers run in the order the slices registered them (the composition order in store.ts). */
export function createSignals(): { signals: StoreSignals; emit: SignalEmitter } {
  const pushHandlers: Handlers = {};
  const routeHandlers: ((route: Route, cause: RouteCause) => void)[] = [];
  const reconnectHandlers: (() => void)[] = [];
  return {
    signals: {
      onPush(event, handler) {
        const list = (pushHandlers[event] ??= []) as ((payload: PushEventMap[typeof event]) => void)[];
        list.push(handler);
      },
      onRoute: (handler) => void routeHandlers.push(handler),
      onReconnect: (handler) => void reconnectHandlers.push(handler),
    },
    emit: {
      push(message) {
        const list = (pushHandlers[message.event] ?? []) as ((payload: unknown) => void)[];
        for (const handler of list) handler(message.payload);
      },
      route(route, cause) {
        for (const handler of routeHandlers) handler(route, cause);
      },
      reconnect() {
        for (const handler of reconnectHandlers) handler();
      },
    },
  };
}
