// The venue: this desk's venue and the desks in it with their presence (the top bar's
// indicator and Settings → Venue), starting, joining and leaving one, removing a desk and
// rotating the secret, the pairing code for an admin, what happened twice while desks were apart,
// and the print pre-check before a first badge. venueDesksChanged / venueChanged pushes land here.
import type { Attendee } from '../../../shared/types.ts';
import type { PriorPrint, RefusedEntries, VenueConflicts } from '../../../shared/venue-view.ts';
import type { VenueStatus } from '../../../shared/venue-desks.ts';
import type { VenueRotation } from '../../../shared/venue-ipc.ts';
import { errorMessage } from '../ui/format.ts';
import { BridgeError } from '../app/bridge.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import type { PrintBadgeResult } from '../printing/state.ts';
import type { SliceCreator } from '../app/store-kit.ts';

/** A first badge the venue's records say another desk (or this one) already printed. */
export type FirstBadgeResult = PrintBadgeResult | { kind: 'printed_in_venue'; prior: PriorPrint };

export interface VenueSlice {
  /** What `venue.status` answered last: this desk, its venue or none, the desks with presence, desks found nearby. */
  venue: VenueStatus | null;
  /** Why the venue could not be read (e.g. a host without the venue network); null once it reads. */
  venueError: string | null;
  /** The pairing code: it holds the venue secret, so it is read only for an admin on Settings and dropped when the admin lock returns. */
  venueCode: string | null;
  /** Double admissions and double prints, per event, for an admin on Settings (they name attendees: dropped with the admin role). */
  venueConflicts: Record<number, VenueConflicts>;
  /** Entries from other desks that this desk refused, per station, for an admin on Settings; null until read. */
  venueRefused: RefusedEntries[] | null;

  refreshVenue(): Promise<void>;
  startVenue(name: string): Promise<void>;
  /** Joins with a code through a desk's address (picked or typed); null lets main find a desk of that venue nearby. */
  joinVenue(code: string, address: string | null): Promise<void>;
  /** Connects to another desk of this venue by address (when mDNS is blocked). */
  addVenueDesk(address: string): Promise<void>;
  /** Removes a desk and rotates the secret; answers the names of desks the new secret did not reach. */
  removeVenueDesk(stationId: string): Promise<string[]>;
  rotateVenueSecret(): Promise<string[]>;
  leaveVenue(): Promise<void>;
  /**
   * A first badge from the desk: the venue's print records are consulted first, and a badge
   * printed anywhere in the venue answers 'printed_in_venue' (the desk offers a reprint). A
   * pre-check that cannot answer never holds the badge up: the local first-print rule still holds.
   */
  printFirstBadge(attendee: Attendee): Promise<FirstBadgeResult>;
}

/** Presence renews every few seconds on every desk: one re-read per burst of pushes. */
const STATUS_REFRESH_MS = 300;
const CONFLICTS_REFRESH_MS = 500;

export const createVenueSlice: SliceCreator<VenueSlice> =
  ({ call, adminCall, timers, signals }) =>
  (set, get, api) => {
    const refreshes = new Coalescer();
    const throttle = new Throttle(timers);
    // Statuses are numbered when asked for (a read) or when answered (an action, which is newer
    // than any read still on its way); an older one never replaces a newer one.
    let statusTicket = 0;
    let statusShown = 0;

    const onSettings = () => get().route.name === 'settings';
    const isAdminNow = () => get().session.role === 'admin';

    /** Shows a status unless a newer one is shown; reads the code again when the one held went stale. */
    const showStatus = (status: VenueStatus, ticket: number) => {
      if (ticket <= statusShown) return;
      statusShown = ticket;
      const shown = get().venue?.venue ?? null;
      // Another venue, none, or a rotated secret: the code held is not this venue's any more. A relay
      // that came or went changes it too (a BD2 code carries the relay's address).
      const relays = (v: VenueStatus | null) => (v?.relays ?? []).map((r) => r.address).join();
      const codeStale =
        status.venue === null ||
        status.venue.id !== shown?.id ||
        status.venue.epoch !== shown.epoch ||
        relays(status) !== relays(get().venue);
      set({ venue: status, venueError: null, ...(codeStale ? { venueCode: null } : {}) });
      if (get().venueCode === null) void refreshCode();
      // Joining renames a desk whose name another desk has ("Desk 1" → "Desk 2"): the settings follow.
      if (get().phase === 'ready' && status.thisDesk.name !== get().settings.stationName)
        void get().refreshSnapshot();
    };

    const refreshStatusNow = () =>
      refreshes.run('status', async () => {
        const ticket = ++statusTicket;
        try {
          showStatus(await call('venue.status', {}), ticket);
        } catch (err) {
          if (ticket > statusShown) set({ venueError: errorMessage(err) });
          throw err;
        }
      });

    /** The code, for an admin on Settings while this desk is in a venue. */
    const refreshCode = () =>
      refreshes.run('code', async () => {
        if (!isAdminNow() || !onSettings() || !get().venue?.venue) return;
        try {
          const { code } = await adminCall('venue.pairingCode', {});
          // The admin lock may have returned meanwhile.
          set({ venueCode: isAdminNow() ? code : null });
        } catch (err) {
          set({ venueCode: null });
          throw err;
        }
      });

    const refreshConflicts = (eventId: number) =>
      refreshes.run(`conflicts:${eventId}`, async () => {
        if (!isAdminNow() || !onSettings()) return;
        const conflicts = await adminCall('venue.conflicts', { eventId });
        if (isAdminNow()) set((s) => ({ venueConflicts: { ...s.venueConflicts, [eventId]: conflicts } }));
      });

    const refreshRefused = () =>
      refreshes.run('refused', async () => {
        if (!isAdminNow() || !onSettings()) return;
        const refused = await adminCall('venue.refused', {});
        if (isAdminNow()) set({ venueRefused: refused });
      });

    /** What Settings → Venue shows an admin besides the status and the code. */
    const refreshPanel = () => {
      for (const e of get().events) void refreshConflicts(e.id);
      void refreshRefused();
    };

    /** An action's answer is the newest status there is. */
    const afterAction = (status: VenueStatus) => showStatus(status, ++statusTicket);

    const rotation = ({ status, notReached }: VenueRotation) => {
      afterAction(status);
      return notReached;
    };

    signals.onRoute((route, cause) => {
      if (route.name === 'settings') {
        void refreshStatusNow();
        refreshPanel();
      } else if (cause === 'load') {
        void refreshStatusNow();
      }
    });
    signals.onPush('venueDesksChanged', () =>
      throttle.soon('status', STATUS_REFRESH_MS, () => void refreshStatusNow()),
    );
    signals.onPush('venueChanged', ({ eventId }) => {
      if (!onSettings()) return;
      const ids = eventId === null ? get().events.map((e) => e.id) : [eventId];
      for (const id of ids)
        throttle.soon(`conflicts:${id}`, CONFLICTS_REFRESH_MS, () => void refreshConflicts(id));
      throttle.soon('refused', CONFLICTS_REFRESH_MS, () => void refreshRefused());
    });
    signals.onReconnect(() => {
      void refreshStatusNow();
      if (onSettings()) refreshPanel();
    });
    // The code holds the secret and the conflicts name attendees: gone from the window as soon as
    // the admin lock returns, read again when an admin unlocks.
    api.subscribe((s, prev) => {
      if (s.session.role !== 'admin' && prev.session.role === 'admin')
        set({ venueCode: null, venueConflicts: {}, venueRefused: null });
      else if (s.session.role === 'admin' && prev.session.role !== 'admin') {
        void refreshCode();
        refreshPanel();
      }
    });

    return {
      venue: null,
      venueError: null,
      venueCode: null,
      venueConflicts: {},
      venueRefused: null,

      refreshVenue: () => refreshStatusNow(),

      async startVenue(name) {
        afterAction(await adminCall('venue.start', { name }));
      },

      async joinVenue(code, address) {
        afterAction(await adminCall('venue.join', address === null ? { code } : { code, address }));
      },

      async addVenueDesk(address) {
        afterAction(await adminCall('venue.addDesk', { address }));
      },

      async removeVenueDesk(stationId) {
        return rotation(await adminCall('venue.removeDesk', { stationId }));
      },

      async rotateVenueSecret() {
        return rotation(await adminCall('venue.rotateSecret', {}));
      },

      async leaveVenue() {
        afterAction(await adminCall('venue.leave', {}));
      },

      async printFirstBadge(attendee) {
        let prior: PriorPrint | null = null;
        try {
          prior = await call('print.priorPrint', { attendeeId: attendee.id });
        } catch (err) {
          // No venue network on this host, or main could not answer: print as a lone desk would.
          if (!(err instanceof BridgeError)) throw err;
        }
        if (prior) return { kind: 'printed_in_venue', prior };
        return get().printBadge(attendee);
      },
    };
  };
