// The store's composition: one Badge Desk store over one transport, made of the kit every slice
// shares and then each feature's slice side by side (zustand's slices pattern). Each feature hands
// its slice over through its state.ts, which holds no screen and no stylesheet, so this stays free
// of React and CSS and tests build fresh stores in Node.
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, ChannelName } from '../../../shared/ipc-contract.ts';
import { BridgeError, connectBridge, type Call, type Transport } from './bridge.ts';
import { realTimers, type Timers } from './scheduling.ts';
import { createSignals, type BadgeDeskStore, type StoreKit } from './store-kit.ts';
import { createSessionSlice } from './session-slice.ts';
import { createToastsSlice } from './toasts-slice.ts';
import { createAnswersSlice, createAttendeesSlice, createEventsSlice } from '../events/state.ts';
import { createDeskSlice, createDoorSlice } from '../desk/state.ts';
import { createPrintingSlice, createTemplatesSlice, PrintJobLedger } from '../printing/state.ts';
import { createStorageSlice } from '../storage/state.ts';
import { createVenueSlice } from '../venue/state.ts';
import { createListsSlice } from '../lists/state.ts';
import { createGlanceSlice } from '../glance/state.ts';
import { createKioskSlice } from '../kiosk/state.ts';

export interface StoreOptions {
  /** Time for throttles, the admin lock's check and toasts; the real clock unless given. */
  timers?: Timers;
  /** Ids for desk actions; random UUIDs unless given. */
  newActionId?: () => string;
}

function randomActionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function badgeDeskState(transport: Transport, options: StoreOptions = {}): StateCreator<BadgeDeskStore> {
  return (set, get, api) => {
    const bridge = connectBridge(transport);
    const timers = options.timers ?? realTimers;
    const adminCall: Call = async <C extends ChannelName>(channel: C, input: ChannelInput<C>) => {
      try {
        return await bridge.call(channel, input);
      } catch (err) {
        if (err instanceof BridgeError && err.code === 'FORBIDDEN') void get().refreshSnapshot();
        throw err;
      }
    };
    const kit: StoreKit = {
      bridge,
      call: bridge.call,
      adminCall,
      timers,
      ...createSignals(),
      printJobs: new PrintJobLedger(timers),
      newActionId: options.newActionId ?? randomActionId,
    };
    // Signal handlers run in this order.
    return {
      ...createSessionSlice(kit)(set, get, api),
      ...createEventsSlice(kit)(set, get, api),
      ...createAttendeesSlice(kit)(set, get, api),
      ...createAnswersSlice(kit)(set, get, api),
      ...createDeskSlice(kit)(set, get, api),
      ...createDoorSlice(kit)(set, get, api),
      ...createPrintingSlice(kit)(set, get, api),
      ...createTemplatesSlice(kit)(set, get, api),
      ...createToastsSlice(kit)(set, get, api),
      ...createStorageSlice(kit)(set, get, api),
      ...createVenueSlice(kit)(set, get, api),
      ...createListsSlice(kit)(set, get, api),
      ...createGlanceSlice(kit)(set, get, api),
      ...createKioskSlice(kit)(set, get, api),
    };
  };
}

/** A fresh store (no React): the app's one store (main.tsx), and what tests build, one per test, over a fake transport. */
export function createBadgeDeskStore(
  transport: Transport,
  options: StoreOptions = {},
): StoreApi<BadgeDeskStore> {
  return createStore<BadgeDeskStore>()(badgeDeskState(transport, options));
}
