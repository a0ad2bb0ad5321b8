// How screens reach the store: the app's entry creates one store (store.ts) and provides it
// through React context; screens read it with selectors through `useStore` and call its actions.
// Screens import this hook, never the store's composition, which imports every feature.
import { createContext, useContext } from 'react';
import { useStore as useZustandStore, type StoreApi } from 'zustand';
import type { SyncedEvent } from '../../../shared/types.ts';
import type { BadgeDeskStore } from './store-kit.ts';

/** The app's store, provided once by the entry (main.tsx) around the shell. */
export const StoreContext = createContext<StoreApi<BadgeDeskStore> | null>(null);

/** The store itself, for reading its state in an event handler rather than while rendering. */
export function useStoreApi(): StoreApi<BadgeDeskStore> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside the StoreContext provider');
  return store;
}

/** A selected piece of the store; the component renders again when it changes. */
export function useStore<T>(selector: (state: BadgeDeskStore) => T): T {
  return useZustandStore(useStoreApi(), selector);
}

/** The event the route points at (event page or its desk), if any. */
export function useCurrentEvent(): SyncedEvent | undefined {
  return useStore((s) => {
    const route = s.route;
    return route.name === 'event' || route.name === 'desk'
      ? s.events.find((e) => e.id === route.eventId)
      : undefined;
  });
}

export const isAdmin = (s: BadgeDeskStore): boolean => s.session.role === 'admin';
