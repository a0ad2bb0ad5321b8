// Whole orders at the desk: "Check in all 4" checks in the people of an order in one transaction,
// each by the rules of one check-in (a linked walk-in is its person, a cancelled or pending person is
// not admitted, a flagged one only when the operator confirmed), and queues their badges together.
// Member i's log row is `<actionId>.<i>` (1-based, in the order given), so a retried call records
// nothing twice, and an undo of the group takes back exactly the check-ins it made.
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { CheckInLogEntry, CheckInStats, UndoBadge } from '../../shared/desk.ts';
import type {
  GroupCheckInOutcome,
  GroupMemberResult,
  GroupUndoOutcome,
  OrderGroup,
} from '../../shared/door.ts';
import type { DeskDeps } from './desk.ts';

/** Most people one group check-in takes: above any real order, a bound on one transaction. */
export const MAX_GROUP = 100;

/** The door's part of a check-in, given to the desk by main/desk/door.ts. */
export interface DeskDoorHooks {
  /** The person whose admission this attendee's check-in is: a linked walk-in's person, else the attendee. */
  personOf(attendee: Attendee): Attendee;
  /** The attendee with the stamps of a double admission (admittedAt), when admitted at two desks or more. */
  withAdmissions(attendee: Attendee): Attendee;
  /** The other people of the attendee's order, when it has several; null otherwise. */
  orderOf(attendee: Attendee): OrderGroup | null;
  /**
   * Logs, in the check-in's transaction, that the operator confirmed a flagged person's check-in;
   * returns what to do once it is committed (the venue document).
   */
  confirmed(actor: Actor, attendee: Attendee, checkInActionId: string, at: string): () => void;
  /** People whose corrected badge name or company matches the desk's search (an FTS5 expression). */
  correctedMatches(eventId: number, match: string, limit: number): Attendee[];
  /** Recent check-ins, with double admissions and walk-ins marked. */
  markLog(log: CheckInLogEntry[]): CheckInLogEntry[];
  /** The door's figures of the event's statistics. */
  stats(eventId: number): Pick<CheckInStats, 'walkIns' | 'doubleAdmissions' | 'checkInsElsewhere'>;
}

/** What the group functions use of the desk. */
export interface GroupParts {
  deps: DeskDeps;
  now(): string;
  saving<T>(wrote: (outcome: T) => boolean, decide: () => T): T;
  requireAttendeeOf(eventId: number, attendeeId: number): Attendee;
  takeBackBadge(attendee: Attendee): UndoBadge | null;
}

const memberActionId = (actionId: string, i: number) => `${actionId}.${i + 1}`;
const stationOf = (actor: Actor) => actor.name?.trim() || 'Desk';

export function checkInGroup(
  p: GroupParts,
  actor: Actor,
  input: { eventId: number; actionId: string; attendeeIds: readonly number[]; confirm?: boolean | undefined },
): GroupCheckInOutcome {
  const { eventId, actionId } = input;
  const { deps } = p;
  deps.requireEvent(eventId);
  const ids = [...new Set(input.attendeeIds)];
  if (ids.length === 0 || ids.length > MAX_GROUP)
    throw new AppError('INVALID_INPUT', `a group check-in takes 1 to ${MAX_GROUP} people`);
  const door = deps.door;
  const recorded: string[] = [];
  const admitted: Attendee[] = [];
  const afterCommit: (() => void)[] = [];
  const outcome = p.saving(
    () => recorded.length > 0,
    (): GroupCheckInOutcome => {
      // Every person first: one of another event refuses the whole group, with nothing written.
      const people = ids.map((id) => p.requireAttendeeOf(eventId, id));
      const at = p.now();
      const results = people.map((picked, i) => {
        const memberId = memberActionId(actionId, i);
        const done = deps.deskStore.checkInByActionId(memberId);
        if (done) {
          if (done.action !== 'check_in' || done.eventId !== eventId)
            throw new AppError('CONFLICT', 'this action id was already used for another action');
          return {
            attendee: deps.store.getAttendee(done.attendeeId)!,
            result: 'checked_in' as const,
            actionId: memberId,
          };
        }
        const attendee = door ? door.personOf(picked) : picked;
        const refused = (result: GroupMemberResult) => ({ attendee, result, actionId: null });
        if (attendee.status === 'NOT_ATTENDING') return refused('not_attending');
        if (attendee.status === 'NOT_YET_ATTENDING') return refused('not_yet_attending');
        if (attendee.checkedIn) return refused('already_checked_in');
        if (attendee.attention && !input.confirm) return refused('needs_confirmation');
        deps.deskStore.appendCheckIn({
          actionId: memberId,
          eventId,
          attendeeId: attendee.id,
          action: 'check_in',
          station: stationOf(actor),
          at,
        });
        if (attendee.attention && door) afterCommit.push(door.confirmed(actor, attendee, memberId, at));
        recorded.push(memberId);
        const now = deps.store.getAttendee(attendee.id)!;
        admitted.push(now);
        return { attendee: now, result: 'checked_in' as const, actionId: memberId };
      });
      return { actionId, results, printJobs: [] };
    },
  );
  if (recorded.length === 0) return outcome;
  deps.onRecorded?.(eventId, recorded);
  for (const f of afterCommit) f();
  deps.events.emit('checkinsChanged', { eventId, attendeeIds: admitted.map((a) => a.id) });
  // The badges as one batch: queued one after another, straight after the commit.
  const printJobs: number[] = [];
  for (const a of admitted) {
    try {
      const job = deps.onCheckedIn?.(actor, a);
      if (job) printJobs.push(job.id);
    } catch {
      // The check-ins stand; a printing problem shows in the print queue, not at the door.
    }
  }
  return { ...outcome, printJobs };
}

export function undoGroup(
  p: GroupParts,
  actor: Actor,
  input: { eventId: number; groupActionId: string; actionId: string },
): GroupUndoOutcome {
  const { eventId, groupActionId, actionId } = input;
  const { deps } = p;
  deps.requireEvent(eventId);
  const recorded: string[] = [];
  const undone: Attendee[] = [];
  p.saving(
    () => recorded.length > 0,
    () => {
      let found = 0;
      for (let i = 0; i < MAX_GROUP; i++) {
        const checkIn = deps.deskStore.checkInByActionId(memberActionId(groupActionId, i));
        if (!checkIn) continue;
        if (checkIn.action !== 'check_in' || checkIn.eventId !== eventId)
          throw new AppError('INVALID_INPUT', 'this is not a group check-in of this event');
        found++;
        const undoId = memberActionId(actionId, i);
        if (deps.deskStore.checkInByActionId(undoId)) continue; // a retried call: done already
        // Only a check-in still in force is taken back; one undone meanwhile (at any desk) stays as it is.
        const open = deps.deskStore.openCheckIns(checkIn.attendeeId);
        if (!open.some((c) => c.actionId === checkIn.actionId)) continue;
        deps.deskStore.appendCheckIn({
          actionId: undoId,
          eventId,
          attendeeId: checkIn.attendeeId,
          action: 'undo',
          station: stationOf(actor),
          at: p.now(),
          undoes: checkIn.actionId,
        });
        recorded.push(undoId);
        undone.push(deps.store.getAttendee(checkIn.attendeeId)!);
      }
      if (found === 0) throw new AppError('NOT_FOUND', 'no group check-in has this action id');
    },
  );
  if (recorded.length > 0) {
    deps.onRecorded?.(eventId, recorded);
    deps.events.emit('checkinsChanged', { eventId, attendeeIds: undone.map((a) => a.id) });
    for (const a of undone) p.takeBackBadge(a);
  }
  return { actionId, undone };
}
