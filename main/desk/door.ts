// The door's actions: walk-ins registered at the desk and admitted through the desk's own check-in,
// badge-name corrections, notes and "needs attention" flags, links of a walk-in to the provider's
// record, the event's walk-in setting, and the admin's review. Each action is a door entry
// (shared/door-entries.ts) kept by the recorder (door-record.ts): in SQLite first, then in the venue's
// document, so every desk converges on the same state. The door's part of each check-in is
// door-hooks.ts. Nothing here ever reaches a provider, and nothing here writes a provider's row.
import type { MirrorStore } from '../db/store.ts';
import type { DoorStore } from '../db/door-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { EVENT_SUBJECT, ticketSubject } from '../../shared/door-entries.ts';
import {
  MAX_COMPANY_CHARS,
  MAX_NAME_CHARS,
  MAX_NOTE_CHARS,
  MAX_REASON_CHARS,
  NAME_CORRECTED_REASON,
  WALK_IN_ID,
  checkDoorText,
  checkEmail,
  duplicateWalkIns,
  isWalkInId,
  walkInIdOf,
  walkInTicketChoices,
  type DoorReview,
  type WalkInChoices,
  type WalkInResult,
  type TextCheck,
} from '../../shared/door.ts';
import type { Desk } from './desk.ts';
import type { DoorRecorder } from './door-record.ts';

/** What the door asks of printing (main/printing/printing.ts, given by the core). */
export interface DoorPrinting {
  /** Whether this station has a printer to print on. */
  canPrint(): boolean;
  /** Whether the person's badge came out of a printer already (here, or at a desk of the venue). */
  printedBefore(attendeeId: number): boolean;
  printFirst(actor: Actor, attendeeId: number): PrintJob;
  reprint(actor: Actor, attendeeId: number, note: string): PrintJob;
}

export interface DoorDeps {
  store: MirrorStore;
  doorStore: DoorStore;
  desk: Desk;
  recorder: DoorRecorder;
  requireEvent(eventId: number): { id: number; name: string };
  printing?: DoorPrinting;
}

export interface WalkInInput {
  eventId: number;
  /** The desk's action id: the walk-in's id and its check-in's, so a retried call registers once. */
  actionId: string;
  firstName: string;
  lastName: string;
  email?: string | null | undefined;
  company?: string | null | undefined;
  ticketName: string;
}

function requireAdmin(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN', `only a workspace admin may ${what}`);
}

function valid(check: TextCheck): string | null {
  if (!check.ok) throw new AppError('INVALID_INPUT', check.reason);
  return check.value;
}

export class Door {
  private readonly recorder: DoorRecorder;

  constructor(private readonly deps: DoorDeps) {
    this.recorder = deps.recorder;
  }

  // ---- walk-ins ----

  /** The ticket types a walk-in may get, and whether the event takes walk-ins now. */
  walkInChoices(eventId: number): WalkInChoices {
    this.deps.requireEvent(eventId);
    return {
      enabled: this.deps.doorStore.walkInsEnabled(eventId),
      tickets: walkInTicketChoices(this.deps.doorStore.ticketNames(eventId)),
    };
  }

  /**
   * Registers a person at the door, then checks them in through the desk's own check-in (and so
   * prints their badge with their ticket's template where the station prints at check-in; where
   * it does not, the badge is printed at once all the same when the station has a printer).
   */
  registerWalkIn(actor: Actor, input: WalkInInput): WalkInResult {
    const { eventId, actionId } = input;
    this.deps.requireEvent(eventId);
    const walkInId = walkInIdOf(actionId);
    if (!WALK_IN_ID.test(walkInId))
      throw new AppError('INVALID_INPUT', 'an action id is 8 to 64 letters, digits or dashes');
    const known = this.deps.doorStore.entry('walkIns', walkInId);
    if (known && known.eventId !== eventId)
      throw new AppError('CONFLICT', 'this action id was already used for another action');
    if (!known) {
      const firstName = valid(
        checkDoorText(input.firstName, {
          label: 'The first name',
          max: MAX_NAME_CHARS,
          required: true,
          name: true,
        }),
      )!;
      const lastName = valid(
        checkDoorText(input.lastName, {
          label: 'The last name',
          max: MAX_NAME_CHARS,
          required: true,
          name: true,
        }),
      )!;
      const email = valid(checkEmail(input.email));
      const company = valid(
        checkDoorText(input.company, { label: 'The company', max: MAX_COMPANY_CHARS, required: false }),
      );
      if (!this.deps.doorStore.walkInsEnabled(eventId))
        throw new AppError('INVALID_STATE', 'an admin turned walk-ins off for this event');
      // A forgotten event takes no one's details again on this desk.
      if (this.deps.store.eventForgotten(eventId))
        throw new AppError(
          'INVALID_STATE',
          'this event was forgotten on this desk: it takes no walk-ins here',
        );
      const tickets = walkInTicketChoices(this.deps.doorStore.ticketNames(eventId));
      if (!tickets.includes(input.ticketName))
        throw new AppError(
          'INVALID_INPUT',
          `this event has no ticket type "${input.ticketName.slice(0, 200)}"`,
        );
      this.recorder.record(actor, eventId, 'walkIns', walkInId, {
        firstName,
        lastName,
        email,
        company,
        ticketName: input.ticketName,
      });
    }
    const attendeeId = this.deps.doorStore.attendeeIdOf(eventId, walkInId)!;
    const checkIn = this.deps.desk.checkIn(actor, { eventId, actionId, attendeeId });
    let printJob = checkIn.kind === 'checked_in' ? checkIn.printJob : null;
    const printing = this.deps.printing;
    if (checkIn.kind === 'checked_in' && !printJob && !checkIn.priorPrint && printing?.canPrint()) {
      try {
        if (!printing.printedBefore(attendeeId)) printJob = printing.printFirst(actor, attendeeId);
      } catch {
        // The walk-in is in; a printing problem shows in the print queue, not at the door.
      }
    }
    return { attendee: this.deps.store.getAttendee(attendeeId)!, checkIn, printJob };
  }

  /** Turns walk-ins on or off for the event (an admin's call, shared by the venue's desks). */
  setWalkInsEnabled(actor: Actor, input: { eventId: number; actionId: string; enabled: boolean }): boolean {
    requireAdmin(actor, 'turn walk-ins on or off');
    this.deps.requireEvent(input.eventId);
    this.recorder.record(
      actor,
      input.eventId,
      'doorSettings',
      input.actionId,
      { walkIns: input.enabled },
      EVENT_SUBJECT,
    );
    return this.deps.doorStore.walkInsEnabled(input.eventId);
  }

  // ---- badge-name corrections ----

  /**
   * Corrects the name and company a badge prints; the provider's record stays as it is. With
   * `reprint`, the badge prints again: a reprint with the reason "name corrected" when it came out
   * before (the guard against a second first print stays), else its first print.
   */
  correctName(
    actor: Actor,
    input: {
      attendeeId: number;
      actionId: string;
      firstName: string;
      lastName?: string | null | undefined;
      company?: string | null | undefined;
      reprint?: boolean | undefined;
    },
  ): { attendee: Attendee; printJob: PrintJob | null } {
    const attendee = this.requireCorrectable(input.attendeeId);
    const badge = {
      firstName: valid(
        checkDoorText(input.firstName, {
          label: 'The first name',
          max: MAX_NAME_CHARS,
          required: true,
          name: true,
        }),
      )!,
      lastName: valid(
        checkDoorText(input.lastName, {
          label: 'The last name',
          max: MAX_NAME_CHARS,
          required: false,
          name: true,
        }),
      ),
      company: valid(
        checkDoorText(input.company, { label: 'The company', max: MAX_COMPANY_CHARS, required: false }),
      ),
    };
    const provider = attendee.correction?.provider ?? attendee;
    this.recorder.record(actor, attendee.eventId, 'corrections', input.actionId, {
      attendee: attendee.providerAttendeeId,
      badge,
      base: { fullName: provider.fullName.slice(0, 400), company: provider.company?.slice(0, 400) ?? null },
    });
    let printJob: PrintJob | null = null;
    const printing = this.deps.printing;
    if (input.reprint && printing) {
      printJob = printing.printedBefore(attendee.id)
        ? printing.reprint(actor, attendee.id, NAME_CORRECTED_REASON)
        : printing.printFirst(actor, attendee.id);
    }
    return { attendee: this.deps.store.getAttendee(attendee.id)!, printJob };
  }

  /** Clears a correction: the badge prints the provider's record again. */
  clearCorrection(actor: Actor, input: { attendeeId: number; actionId: string }): Attendee {
    const attendee = this.requireCorrectable(input.attendeeId);
    const provider = attendee.correction?.provider ?? attendee;
    this.recorder.record(actor, attendee.eventId, 'corrections', input.actionId, {
      attendee: attendee.providerAttendeeId,
      badge: null,
      base: { fullName: provider.fullName.slice(0, 400), company: provider.company?.slice(0, 400) ?? null },
    });
    return this.deps.store.getAttendee(attendee.id)!;
  }

  /** A person another desk removed (or the provider cancelled, or linked to another record) has no badge to correct. */
  private requireCorrectable(attendeeId: number): Attendee {
    const attendee = this.requireAttendee(attendeeId);
    if (attendee.linkedTo)
      throw new AppError(
        'INVALID_STATE',
        `${attendee.fullName} was linked to the registration of the same person: correct that one`,
      );
    if (attendee.status === 'NOT_ATTENDING')
      throw new AppError(
        'INVALID_STATE',
        `${attendee.fullName} was removed or cancelled (${attendee.providerStatus ?? 'not attending'}): there is no badge to correct`,
      );
    return attendee;
  }

  // ---- what staff must notice (admins) ----

  /** A note on a person, or on a ticket type; null or empty text clears it. */
  setNote(
    actor: Actor,
    input: {
      eventId: number;
      actionId: string;
      attendeeId?: number | undefined;
      ticketName?: string | undefined;
      text: string | null;
    },
  ): null {
    requireAdmin(actor, 'set notes');
    this.deps.requireEvent(input.eventId);
    const text = valid(
      checkDoorText(input.text, { label: 'The note', max: MAX_NOTE_CHARS, required: false }),
    );
    if ((input.attendeeId === undefined) === (input.ticketName === undefined))
      throw new AppError('INVALID_INPUT', 'a note is on a person or on a ticket type');
    if (input.attendeeId !== undefined) {
      const a = this.requireAttendee(input.attendeeId);
      if (a.eventId !== input.eventId)
        throw new AppError('INVALID_INPUT', 'this person is not of this event');
      this.recorder.record(actor, input.eventId, 'notes', input.actionId, {
        attendee: a.providerAttendeeId,
        text,
      });
    } else {
      const ticketName = input.ticketName!;
      if (!walkInTicketChoices(this.deps.doorStore.ticketNames(input.eventId)).includes(ticketName))
        throw new AppError('INVALID_INPUT', `this event has no ticket type "${ticketName.slice(0, 200)}"`);
      this.recorder.record(
        actor,
        input.eventId,
        'notes',
        input.actionId,
        { ticketName, text },
        ticketSubject(ticketName),
      );
    }
    return null;
  }

  /** Flags a person "needs attention" with a reason (null clears it): a scan alone no longer admits them. */
  setAttention(
    actor: Actor,
    input: { attendeeId: number; actionId: string; reason: string | null },
  ): Attendee {
    requireAdmin(actor, 'flag people');
    const a = this.requireAttendee(input.attendeeId);
    const reason = valid(
      checkDoorText(input.reason, { label: 'The reason', max: MAX_REASON_CHARS, required: false }),
    );
    this.recorder.record(actor, a.eventId, 'flags', input.actionId, {
      attendee: a.providerAttendeeId,
      reason,
    });
    return this.deps.store.getAttendee(a.id)!;
  }

  // ---- links ----

  /**
   * Links a walk-in to the provider's record of the same person (or to another walk-in): one person,
   * one admission, the walk-in's check-in kept. `attendeeId: null` unlinks it.
   */
  link(actor: Actor, input: { walkInId: number; attendeeId: number | null; actionId: string }): Attendee {
    requireAdmin(actor, 'link walk-ins');
    const walkIn = this.requireAttendee(input.walkInId);
    if (!isWalkInId(walkIn.providerAttendeeId))
      throw new AppError('INVALID_INPUT', `${walkIn.fullName} is not a walk-in: only a walk-in is linked`);
    let target: Attendee | null = null;
    if (input.attendeeId !== null) {
      target = this.requireAttendee(input.attendeeId);
      if (target.eventId !== walkIn.eventId)
        throw new AppError('INVALID_INPUT', 'these two people are of different events');
      if (target.id === walkIn.id)
        throw new AppError('INVALID_INPUT', 'a walk-in cannot be linked to itself');
    }
    this.recorder.record(actor, walkIn.eventId, 'links', input.actionId, {
      walkIn: walkIn.providerAttendeeId,
      attendee: target?.providerAttendeeId ?? null,
    });
    return this.deps.store.getAttendee(target?.id ?? walkIn.id)!;
  }

  /** What the admin reviews: walk-ins that may be one person, walk-ins the provider now lists, the setting. */
  review(actor: Actor, eventId: number): DoorReview {
    requireAdmin(actor, 'review walk-ins');
    this.deps.requireEvent(eventId);
    const walkIns = this.deps.doorStore.walkIns(eventId);
    const suggestions = walkIns.flatMap((w) =>
      w.email
        ? this.deps.doorStore
            .providerPeopleWithEmail(eventId, w.email)
            .map((p) => ({ walkIn: w, attendeeId: p.id, fullName: p.fullName }))
        : [],
    );
    return {
      eventId,
      duplicates: duplicateWalkIns(walkIns),
      suggestions,
      walkInsEnabled: this.deps.doorStore.walkInsEnabled(eventId),
    };
  }

  private requireAttendee(attendeeId: number): Attendee {
    const a = this.deps.store.getAttendee(attendeeId);
    if (!a) throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
    return a;
  }
}
