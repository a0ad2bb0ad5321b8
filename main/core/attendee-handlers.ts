// The attendees, as the core offers them outside the desk: the event page's list (a page at a
// time, filtered and sorted) and the VIP flag, which the venue's desks share.
import type { MirrorStore } from '../db/store.ts';
import type { AttendeeList, AttendeeListPage } from '../desk/attendee-list.ts';
import type { VenueReplica } from '../venue/replica/replica.ts';
import { AppError } from '../../shared/errors.ts';
import type { AttendeeListQuery } from '../../shared/attendee-list.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import { requireEventName } from './guards.ts';

export interface AttendeeHandlersDeps {
  store: MirrorStore;
  attendeeList: AttendeeList;
  /** VIP flags are venue entries: set through the replica, which writes them here too. */
  venueReplica: Pick<VenueReplica, 'setVip'>;
}

export function createAttendeeHandlers({ store, attendeeList, venueReplica }: AttendeeHandlersDeps) {
  const handlers = {
    /** The event page's list: a page of the attendees the query matches, in its sort (by name when none is given). */
    attendeePage(
      eventId: number,
      query: AttendeeListQuery,
      page: { offset: number; limit: number },
    ): AttendeeListPage {
      requireEventName(store, eventId);
      return attendeeList.page(eventId, query, page);
    },

    listAttendees(eventId: number, page: { offset: number; limit: number }): Attendee[] {
      return handlers.attendeePage(eventId, {}, page).rows;
    },

    setVip(actor: Actor, attendeeId: number, vip: boolean): Attendee {
      const attendee = store.getAttendee(attendeeId);
      if (!attendee) throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
      venueReplica.setVip(actor, attendeeId, vip);
      attendeeList.localStateChanged(attendee.eventId);
      return store.getAttendee(attendeeId)!;
    },
  };
  return handlers;
}

export type AttendeeHandlers = ReturnType<typeof createAttendeeHandlers>;
