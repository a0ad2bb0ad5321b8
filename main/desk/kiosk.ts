// Kiosk self check-in (shared/kiosk.ts): one person found by a scanned code, an email or an order
// code, never a list; their check-in through the desk's own (so lists, the door and the venue
// apply as at any desk), logged under "<station> (kiosk)"; a name they corrected is a badge-name
// correction made at the kiosk; and their badge, printed at once.
import type { MirrorStore } from '../db/store.ts';
import type { DeskStore } from '../db/desk-store.ts';
import type { KioskStore } from '../db/kiosk-store.ts';
import type { Desk } from './desk.ts';
import type { Door } from './door.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { AppError } from '../../shared/errors.ts';
import { kioskQueryOf, kioskVerdict, type KioskFind } from '../../shared/kiosk.ts';
import { screenScannedCode } from '../../shared/scanned-code.ts';
import type { KioskCheckInResult } from '../../shared/station-ipc.ts';

export interface KioskDeps {
  store: MirrorStore;
  deskStore: DeskStore;
  kioskStore: KioskStore;
  desk: Desk;
  door: Door;
  printing: {
    canPrint(): boolean;
    printedBefore(attendeeId: number): boolean;
    printFirst(actor: Actor, attendeeId: number): PrintJob;
  };
}

export class Kiosk {
  constructor(private readonly deps: KioskDeps) {}

  /** What a kiosk user typed or scanned names: one person, a question, or "see staff". */
  find(eventId: number, text: string, orderCode?: string): KioskFind {
    const event = this.deps.store.getEvent(eventId);
    if (!event) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
    const query = kioskQueryOf(text);
    if (query.kind === 'name') return { kind: 'ask_email' };
    if (query.kind === 'code') {
      if (screenScannedCode(query.code, event).kind === 'refused')
        return { kind: 'see_staff', reason: 'not_found' };
      const scanned = this.deps.deskStore.attendeeByCode(eventId, query.code);
      if (scanned) return kioskVerdict(scanned);
      // Not a ticket's code: an order's, when the order holds one person.
      const ids = this.deps.kioskStore.peopleOfOrder(eventId, query.code);
      if (ids.length === 1) return this.verdictOf(ids[0]!);
      return ids.length > 1 ? { kind: 'ask_email' } : { kind: 'see_staff', reason: 'not_found' };
    }
    let people = this.deps.kioskStore.peopleWithEmail(eventId, query.email);
    if (orderCode !== undefined && orderCode.trim() !== '')
      people = people.filter((p) => p.orderId === orderCode.trim());
    else if (people.length > 1) return { kind: 'ask_order_code' };
    if (people.length !== 1) return { kind: 'see_staff', reason: 'not_found' };
    return this.verdictOf(people[0]!.id);
  }

  /**
   * The person confirmed the name on their badge (or corrected it) and is checked in. A correction
   * is kept first, so the badge prints with it. Refusals come back as the desk's outcomes.
   */
  checkIn(
    actor: Actor,
    input: {
      eventId: number;
      attendeeId: number;
      actionId: string;
      /** The check-in list the kiosk admits to (its rules decide, as at any desk). */
      listId: string;
      correction?: { actionId: string; firstName: string | null; lastName: string | null } | undefined;
    },
  ): KioskCheckInResult {
    const attendee = this.requireAttendeeOf(input.eventId, input.attendeeId);
    // The kiosk checks in only the person it found, as it found them: no one staff must see first.
    if (kioskVerdict(attendee).kind !== 'person') {
      return {
        outcome: this.deps.desk.checkIn(actor, {
          eventId: input.eventId,
          actionId: input.actionId,
          attendeeId: attendee.id,
          listId: input.listId,
        }),
        badgeQueued: false,
      };
    }
    const c = input.correction;
    if (c && (c.firstName !== attendee.firstName || (c.lastName ?? null) !== attendee.lastName)) {
      this.deps.door.correctName(actor, {
        attendeeId: attendee.id,
        actionId: c.actionId,
        firstName: c.firstName ?? '',
        lastName: c.lastName,
        company: attendee.company,
      });
    }
    const outcome = this.deps.desk.checkIn(actor, {
      eventId: input.eventId,
      actionId: input.actionId,
      attendeeId: attendee.id,
      listId: input.listId,
    });
    if (outcome.kind !== 'checked_in') return { outcome, badgeQueued: false };
    if (outcome.printJob) return { outcome, badgeQueued: true };
    // This station does not print at check-in: the kiosk prints the badge itself, once.
    const { printing } = this.deps;
    if (!printing.canPrint() || printing.printedBefore(attendee.id)) return { outcome, badgeQueued: false };
    const job = printing.printFirst(actor, attendee.id);
    return { outcome: { ...outcome, printJob: job }, badgeQueued: true };
  }

  private verdictOf(attendeeId: number): KioskFind {
    const a = this.deps.store.getAttendee(attendeeId);
    return a ? kioskVerdict(a) : { kind: 'see_staff', reason: 'not_found' };
  }

  private requireAttendeeOf(eventId: number, attendeeId: number): Attendee {
    const a = this.deps.store.getAttendee(attendeeId);
    if (!a || a.eventId !== eventId) throw new AppError('NOT_FOUND', 'no such person at this event');
    return a;
  }
}
