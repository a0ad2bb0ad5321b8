// The door's part of every check-in (DeskDoorHooks, main/desk/group-checkin.ts): a walk-in linked
// to the provider's record is admitted as that person, a person admitted at two desks carries the
// stamps of both, an order with several people offers them all, a flagged person's confirmed
// check-in is logged, and Recent check-ins and the statistics mark walk-ins and double admissions.
import type { MirrorStore } from '../db/store.ts';
import type { DoorStore } from '../db/door-store.ts';
import type { VenueStore } from '../db/venue-store.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { CheckInLogEntry } from '../../shared/desk.ts';
import { MAX_REASON_CHARS, admissibleInGroup, isWalkInId, type OrderGroup } from '../../shared/door.ts';
import type { DoorRecorder } from './door-record.ts';
import type { DeskDoorHooks } from './group-checkin.ts';

export interface DoorHooksDeps {
  store: MirrorStore;
  doorStore: DoorStore;
  venueStore: VenueStore;
  recorder: DoorRecorder;
}

export class DoorCheckInHooks implements DeskDoorHooks {
  constructor(private readonly deps: DoorHooksDeps) {}

  personOf(attendee: Attendee): Attendee {
    if (!attendee.linkedTo) return attendee;
    const person = this.deps.venueStore.personIdOf(attendee.id);
    return person === attendee.id ? attendee : (this.deps.store.getAttendee(person) ?? attendee);
  }

  withAdmissions(attendee: Attendee): Attendee {
    // Every read marks a double admission (admittedTwice): a person admitted once costs no query.
    if (!attendee.admittedTwice) return attendee;
    const open = this.deps.venueStore.openCheckIns(attendee.id);
    if (new Set(open.map((c) => c.stationId)).size < 2) return attendee;
    return { ...attendee, admittedAt: open.map((c) => ({ at: c.at, station: c.station })) };
  }

  orderOf(attendee: Attendee): OrderGroup | null {
    if (attendee.orderId === null) return null;
    const members = this.deps.doorStore.orderMembers(attendee.eventId, attendee.orderId);
    if (members.length < 2) return null;
    return {
      orderId: attendee.orderId,
      members: members.map((m) => ({
        attendee: m,
        admissible: admissibleInGroup(m),
      })),
    };
  }

  confirmed(actor: Actor, attendee: Attendee, checkInActionId: string, at: string): () => void {
    const { recorder } = this.deps;
    return recorder.stage(
      recorder.entry(
        actor,
        attendee.eventId,
        'confirmations',
        checkInActionId,
        {
          attendee: attendee.providerAttendeeId,
          reason: (attendee.attention ?? 'needs attention').slice(0, MAX_REASON_CHARS),
        },
        undefined,
        at,
      ),
    );
  }

  correctedMatches(eventId: number, match: string, limit: number): Attendee[] {
    return this.deps.doorStore.correctedMatches(eventId, match, limit);
  }

  markLog(log: CheckInLogEntry[]): CheckInLogEntry[] {
    const people = new Map<number, Attendee | undefined>();
    return log.map((e) => {
      if (!people.has(e.attendeeId)) {
        const a = this.deps.store.getAttendee(e.attendeeId);
        people.set(e.attendeeId, a ? this.withAdmissions(this.personOf(a)) : undefined);
      }
      const person = people.get(e.attendeeId);
      const pid = this.deps.venueStore.providerAttendeeIdOf(e.attendeeId);
      return {
        ...e,
        ...(person?.admittedAt ? { admittedAt: person.admittedAt } : {}),
        ...(pid !== undefined && isWalkInId(pid) ? { walkIn: true } : {}),
      };
    });
  }

  stats(eventId: number) {
    return {
      walkIns: this.deps.doorStore.walkInCounts(eventId),
      doubleAdmissions: this.deps.venueStore.doubleAdmissions(eventId).length,
      checkInsElsewhere: this.deps.venueStore.checkInsElsewhere(eventId),
    };
  }
}
