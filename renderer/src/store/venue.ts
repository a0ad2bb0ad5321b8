// The venue panel's state (issue 16): the venue, its desks with presence, discovered desks,
// refusals, and the pairing code (admins only, fetched when asked for, never kept after a lock).
import type { VenueStatus } from '../../../shared/venue-desks.ts';
import { Coalescer } from './scheduling.ts';
import type { SliceCreator } from './kit.ts';

export interface VenueSlice {
  /** Null until read, or where the host has no venue network ('unavailable'). */
  venue: VenueStatus | null;
  venueUnavailable: string | null;
  pairingCode: string | null;
  refreshVenue(): Promise<void>;
  startVenue(name: string): Promise<void>;
  joinVenue(code: string, address: string): Promise<void>;
  addVenueDesk(address: string): Promise<void>;
  removeVenueDesk(stationId: string): Promise<string[]>;
  rotateVenueSecret(): Promise<string[]>;
  showPairingCode(): Promise<void>;
  hidePairingCode(): void;
}

export const createVenueSlice: SliceCreator<VenueSlice> =
  ({ call, adminCall, signals }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    const read = () =>
      refreshes.run('venue', async () => {
        try {
          set({ venue: await call('venue.status', {}), venueUnavailable: null });
        } catch (err) {
          set({ venue: null, venueUnavailable: (err as Error).message });
        }
      });
    signals.onPush('venueDesksChanged', () => void read());
    signals.onReconnect(() => void read());
    signals.onRoute((_route, cause) => {
      if (cause === 'load') void read();
    });
    signals.onPush('sessionChanged', (info) => {
      if (info.role !== 'admin') set({ pairingCode: null });
    });
    return {
      venue: null,
      venueUnavailable: null,
      pairingCode: null,
      refreshVenue: read,
      async startVenue(name) {
        set({ venue: await adminCall('venue.start', { name }) });
      },
      async joinVenue(code, address) {
        set({ venue: await adminCall('venue.join', { code, address }) });
        await get().reload();
      },
      async addVenueDesk(address) {
        set({ venue: await adminCall('venue.addDesk', { address }) });
      },
      async removeVenueDesk(stationId) {
        const { status, notReached } = await adminCall('venue.removeDesk', { stationId });
        set({ venue: status, pairingCode: null });
        return notReached;
      },
      async rotateVenueSecret() {
        const { status, notReached } = await adminCall('venue.rotateSecret', {});
        set({ venue: status, pairingCode: null });
        return notReached;
      },
      async showPairingCode() {
        set({ pairingCode: (await adminCall('venue.pairingCode', {})).code });
      },
      hidePairingCode() {
        set({ pairingCode: null });
      },
    };
  };
