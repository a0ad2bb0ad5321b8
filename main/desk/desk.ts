// The check-in desk: search, check-in and undo on the append-only log, statistics, the CSV
// export. Purely local: nothing here waits on a provider, so the desk works the same with the
// network down (the sync engine's failures never reach these calls).
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { MirrorStore } from '../db/store.ts';
import type { DeskStore } from '../db/desk-store.ts';
import { foldForSearch, toMatchExpression, toNameMatchExpression } from '../db/search-text.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import type {
  CheckInLogEntry,
  CheckInOutcome,
  CheckInStats,
  DeskSearchResult,
  UndoBadge,
  UndoOutcome,
} from '../../shared/desk.ts';
import type { PriorPrint } from '../../shared/venue.ts';
import { isSameTicketCode } from '../../shared/ticket-code.ts';
import { checkInLogCsv } from './csv.ts';
import type { GroupCheckInOutcome, GroupUndoOutcome } from '../../shared/door.ts';
import { checkInGroup, undoGroup, type DeskDoorHooks, type GroupParts } from './group-checkin.ts';
import { checkOverride, decideListEntry, exitTime, lastExit, listRefOf, requireList } from './passages.ts';

export interface DeskDeps {
  store: MirrorStore;
  deskStore: DeskStore;
  clock: Clock;
  events: CoreEvents;
  /** The event must exist (throws a typed NOT_FOUND otherwise). */
  requireEvent(eventId: number): { id: number; name: string };
  /**
   * The data folder's health: asked before a write (refuses at once where the folder is known to
   * be read-only or gone), told of each write that worked, and of each that failed, which it
   * answers with the typed storage error (STORAGE_FULL...) when that is what it was.
   */
  storage?: { beforeWrite(): void; written(): void; failed(err: unknown): unknown };
  /** After a check-in is committed (auto-print). Its failure never undoes or fails the check-in. */
  onCheckedIn?(actor: Actor, attendee: Attendee): PrintJob | null;
  /** The venue's earliest first print of this attendee at any desk, or null (the print pre-check). */
  priorPrintOf?(attendeeId: number): PriorPrint | null;
  /** Current check-ins by desk, across the venue. */
  checkedInByDesk?(eventId: number): { stationName: string; checkedIn: number }[];
  /** After log rows are committed: the venue writes them into its document in the same tick. */
  onRecorded?(eventId: number, actionIds: readonly string[]): void;
  /** After an undo is committed: takes back the badge its check-in queued, if it has not printed. */
  onCheckInUndone?(attendee: Attendee): UndoBadge | null;
  /** Which clock the export's times come from (this station's, and how far from the providers'). */
  clockNote?(): string;
  /** The door's part of a check-in (main/desk/door.ts): linked walk-ins, orders, flags, double admissions. */
  door?: DeskDoorHooks;
}

export const DEFAULT_SEARCH_LIMIT = 20;
const MIN_RANKED_CHARS = 3;

const stationOf = (actor: Actor) => actor.name?.trim() || 'Desk';

export class Desk {
  constructor(private readonly deps: DeskDeps) {}

  search(eventId: number, query: string, limit = DEFAULT_SEARCH_LIMIT): DeskSearchResult {
    this.deps.requireEvent(eventId);
    const match = toMatchExpression(query);
    if (match === null) return { rows: [], more: false };
    // One or two characters match most of a large event: ranking every match would cost tens of
    // milliseconds for nothing, so such a query lists matches in index order instead.
    const ranked = foldForSearch(query).replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_RANKED_CHARS;
    const found = this.deps.deskStore.searchAttendees(
      eventId,
      { match, nameMatch: toNameMatchExpression(query), text: query, ranked },
      limit,
    );
    // A badge-name correction is found by the corrected name too (the provider's stays in the index):
    // typed as the person says it, it comes first.
    const door = this.deps.door;
    if (!door) return found;
    const corrected = door.correctedMatches(eventId, match, limit);
    const ids = new Set(corrected.map((a) => a.id));
    const rows = [...corrected, ...found.rows.filter((a) => !ids.has(a.id))];
    // A person admitted at two desks says so in the results too, with both stamps.
    return {
      rows: rows.slice(0, limit).map((a) => door.withAdmissions(a)),
      more: found.more || rows.length > limit,
    };
  }

  /**
   * One check-in attempt: an exact barcode match of `code` wins (a scan), else `attendeeId`
   * (a person picked a row). The decision and the log row are one transaction, and `actionId`
   * makes a retried call return the first answer instead of recording twice. The entry belongs to
   * `listId` (the main list when none), whose rules decide (shared/lists.ts); an admin may admit over
   * a refusal with a reason (`override`), which the row keeps.
   */
  checkIn(
    actor: Actor,
    input: {
      eventId: number;
      actionId: string;
      code?: string | undefined;
      attendeeId?: number | undefined;
      /** The operator confirmed a person flagged "needs attention" (the confirmation is logged). */
      confirm?: boolean | undefined;
      listId?: string | undefined;
      override?: string | undefined;
    },
  ): CheckInOutcome {
    const { eventId, actionId } = input;
    this.deps.requireEvent(eventId);
    const list = requireList(this.deps.deskStore, eventId, input.listId);
    const override = checkOverride(actor, input.override);
    const station = stationOf(actor);
    const door = this.deps.door;
    const afterCommit: (() => void)[] = [];
    const outcome = this.saving(
      (o) => o.kind === 'checked_in',
      (): CheckInOutcome => {
        const replay = this.replay(actionId, 'check_in', eventId, list.id);
        if (replay) {
          return {
            kind: 'checked_in',
            attendee: replay,
            actionId,
            via: input.code !== undefined && isSameTicketCode(input.code, replay.barcode) ? 'scan' : 'search',
            printJob: null,
            ...listRefOf(list),
          };
        }

        const code = input.code?.trim();
        const scanned = code ? this.deps.deskStore.attendeeByCode(eventId, code) : undefined;
        let attendee = scanned;
        if (!attendee && input.attendeeId !== undefined)
          attendee = this.requireAttendeeOf(eventId, input.attendeeId);
        if (!attendee) return { kind: 'not_found', code: code ?? '' };
        // A walk-in linked to the provider's record of the same person is that person.
        if (door) attendee = door.personOf(attendee);

        if (attendee.status === 'NOT_ATTENDING') return { kind: 'not_attending', attendee };
        if (attendee.status === 'NOT_YET_ATTENDING') return { kind: 'not_yet_attending', attendee };
        const { refusal, at } = decideListEntry(this.deps.deskStore, list, attendee, this.now());
        if (refusal && override === null) {
          // The main list answers as the desk always did.
          if (list.main && refusal.reason === 'already')
            return { kind: 'already_checked_in', attendee: door ? door.withAdmissions(attendee) : attendee };
          return { kind: 'refused', attendee, list: { id: list.id, name: list.name }, refusal };
        }
        // A flagged person is not admitted by a scan or a pick alone: the operator confirms first.
        if (attendee.attention && !input.confirm)
          return { kind: 'needs_confirmation', attendee, reason: attendee.attention };
        this.deps.deskStore.appendCheckIn({
          actionId,
          eventId,
          attendeeId: attendee.id,
          action: 'check_in',
          station,
          at,
          listId: list.id,
          // Logged only where it admitted someone the list refused.
          override: refusal ? override : null,
        });
        if (attendee.attention && door) afterCommit.push(door.confirmed(actor, attendee, actionId, at));
        return {
          kind: 'checked_in',
          attendee: this.deps.store.getAttendee(attendee.id)!,
          actionId,
          via: scanned ? 'scan' : 'search',
          printJob: null,
          ...listRefOf(list),
          ...(refusal && override !== null ? { override } : {}),
        };
      },
    );
    if (outcome.kind === 'checked_in') {
      this.deps.onRecorded?.(eventId, [actionId]);
      for (const f of afterCommit) f();
      this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: [outcome.attendee.id] });
      // A badge prints on arrival: an entry to another list (a workshop) prints none.
      if (!list.main) return outcome;
      const order = door?.orderOf(outcome.attendee) ?? null;
      const withOrder = order ? { ...outcome, order } : outcome;
      try {
        const printJob = this.deps.onCheckedIn?.(actor, outcome.attendee) ?? null;
        const priorPrint = printJob ? null : (this.deps.priorPrintOf?.(outcome.attendee.id) ?? null);
        return { ...withOrder, printJob, ...(priorPrint ? { priorPrint } : {}) };
      } catch {
        // The check-in stands; a printing problem shows in the print queue, not at the door.
      }
      return withOrder;
    }
    if (outcome.kind === 'already_checked_in') {
      // The person came back with the order's other tickets: the rest may still be checked in.
      const order = door?.orderOf(outcome.attendee) ?? null;
      return order ? { ...outcome, order } : outcome;
    }
    return outcome;
  }

  /**
   * A desk in exit mode: records the person leaving `listId` (the main list when none). An exit of
   * someone not inside the list is refused with a typed error, and nothing is written.
   */
  exit(
    actor: Actor,
    input: {
      eventId: number;
      actionId: string;
      code?: string | undefined;
      attendeeId?: number | undefined;
      listId?: string | undefined;
    },
  ): CheckInOutcome {
    const { eventId, actionId } = input;
    this.deps.requireEvent(eventId);
    const list = requireList(this.deps.deskStore, eventId, input.listId);
    const ref = { id: list.id, name: list.name };
    const outcome = this.saving(
      (o) => o.kind === 'exited',
      (): CheckInOutcome => {
        const replay = this.replay(actionId, 'exit', eventId, list.id);
        if (replay) return { kind: 'exited', attendee: replay, actionId, list: ref };
        const code = input.code?.trim();
        let attendee = code ? this.deps.deskStore.attendeeByCode(eventId, code) : undefined;
        if (!attendee && input.attendeeId !== undefined)
          attendee = this.requireAttendeeOf(eventId, input.attendeeId);
        if (!attendee) return { kind: 'not_found', code: code ?? '' };
        if (this.deps.door) attendee = this.deps.door.personOf(attendee);
        const at = exitTime(this.deps.deskStore, list, attendee, this.now());
        if (at === null)
          throw new AppError(
            'INVALID_STATE',
            `${attendee.fullName} is not inside ${list.name}: no entry to close`,
          );
        this.deps.deskStore.appendCheckIn({
          actionId,
          eventId,
          attendeeId: attendee.id,
          action: 'exit',
          station: stationOf(actor),
          at,
          listId: list.id,
        });
        return { kind: 'exited', attendee: this.deps.store.getAttendee(attendee.id)!, actionId, list: ref };
      },
    );
    if (outcome.kind === 'exited') {
      this.deps.onRecorded?.(eventId, [actionId]);
      this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: [outcome.attendee.id] });
    }
    return outcome;
  }

  /**
   * Checks in the people of an order in one step ("Check in all 4"): one transaction, the same
   * rules as one check-in for each, their badges queued together. Member i's log row is
   * `<actionId>.<i>`, so a retried call records nothing twice and an undo of the group finds what it made.
   */
  checkInGroup(
    actor: Actor,
    input: {
      eventId: number;
      actionId: string;
      attendeeIds: readonly number[];
      confirm?: boolean | undefined;
    },
  ): GroupCheckInOutcome {
    return checkInGroup(this.groupParts(), actor, input);
  }

  /** Takes back each check-in a group check-in made (and nothing else), as undo rows `<actionId>.<i>`. */
  undoGroup(
    actor: Actor,
    input: { eventId: number; groupActionId: string; actionId: string },
  ): GroupUndoOutcome {
    return undoGroup(this.groupParts(), actor, input);
  }

  private groupParts(): GroupParts {
    return {
      deps: this.deps,
      now: () => this.now(),
      saving: (wrote, decide) => this.saving(wrote, decide),
      requireAttendeeOf: (eventId, attendeeId) => this.requireAttendeeOf(eventId, attendeeId),
      takeBackBadge: (attendee) => this.takeBackBadge(attendee),
    };
  }

  /**
   * Takes a check-in back, as new log rows (the log is never edited). Each undo row names the
   * check-in it undoes; a person admitted at two desks while they were apart has two check-ins
   * not undone, and the desk's Undo takes back both (rows `<actionId>`, `<actionId>.2`, ...), so
   * "not checked in" is what the operator sees afterwards.
   * It also takes back the badge that check-in queued if it has not started printing (see UndoBadge).
   */
  undo(
    actor: Actor,
    input: { eventId: number; attendeeId: number; actionId: string; listId?: string; exit?: boolean },
  ): UndoOutcome {
    const { eventId, attendeeId, actionId } = input;
    this.deps.requireEvent(eventId);
    const list = requireList(this.deps.deskStore, eventId, input.listId);
    const recorded: string[] = [];
    let person = attendeeId;
    const outcome = this.saving(
      (o) => o.kind === 'undone',
      (): UndoOutcome => {
        // A retried call changes nothing more: what the first call did to the badge is in the queue.
        const replay = this.replay(actionId, 'undo', eventId, list.id);
        if (replay) return { kind: 'undone', attendee: replay, actionId, badge: null };
        const picked = this.requireAttendeeOf(eventId, attendeeId);
        const attendee = this.deps.door ? this.deps.door.personOf(picked) : picked;
        person = attendee.id;
        // At an exit desk, Undo takes back the person's latest exit: they are inside again.
        const undoes = input.exit
          ? [lastExit(this.deps.deskStore, list, attendee)].filter((id) => id !== null)
          : this.deps.deskStore.openCheckIns(person, list.id).map((c) => c.actionId);
        if (undoes.length === 0)
          return input.exit ? { kind: 'not_checked_out', attendee } : { kind: 'not_checked_in', attendee };
        const at = this.now();
        undoes.forEach((undone, i) => {
          const id = i === 0 ? actionId : `${actionId}.${i + 1}`;
          this.deps.deskStore.appendCheckIn({
            actionId: id,
            eventId,
            attendeeId: person,
            action: 'undo',
            station: stationOf(actor),
            at,
            undoes: undone,
            listId: list.id,
          });
          recorded.push(id);
        });
        return { kind: 'undone', attendee: this.deps.store.getAttendee(person)!, actionId, badge: null };
      },
    );
    if (outcome.kind !== 'undone' || recorded.length === 0) return outcome;
    this.deps.onRecorded?.(eventId, recorded);
    this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: [person] });
    // Only the arrival's undo takes its badge back.
    if (!list.main || input.exit) return outcome;
    return { ...outcome, badge: this.takeBackBadge(outcome.attendee) };
  }

  /**
   * Runs synchronously right after the undo's commit, so no print worker can take the badge in
   * between. Its failure never fails the undo: the check-in is taken back either way, and the
   * badge shows in the print queue.
   */
  private takeBackBadge(attendee: Attendee): UndoBadge | null {
    try {
      return this.deps.onCheckInUndone?.(attendee) ?? null;
    } catch {
      return null;
    }
  }

  log(eventId: number, limit: number, beforeId?: number): CheckInLogEntry[] {
    this.deps.requireEvent(eventId);
    const log = this.deps.deskStore.log(eventId, limit, beforeId);
    return this.deps.door ? this.deps.door.markLog(log) : log;
  }

  stats(eventId: number): CheckInStats {
    this.deps.requireEvent(eventId);
    const stats = this.deps.deskStore.stats(eventId);
    const withDesks = this.deps.checkedInByDesk
      ? { ...stats, byDesk: this.deps.checkedInByDesk(eventId) }
      : stats;
    return this.deps.door ? { ...withDesks, ...this.deps.door.stats(eventId) } : withDesks;
  }

  exportCsv(eventId: number): { filename: string; csv: string } {
    const event = this.deps.requireEvent(eventId);
    // The answers the event's settings show at the desk, one column each.
    const desk = this.deps.store.answerSettings(eventId).deskQuestions;
    const byKey = new Map(this.deps.store.eventQuestions(eventId).map((q) => [q.key, q]));
    const questions = desk.map((key) => byKey.get(key)).filter((q) => q !== undefined);
    const csv = checkInLogCsv(
      this.deps.deskStore.exportRows(eventId),
      this.deps.clockNote?.(),
      questions,
      this.deps.deskStore.venue.stationId,
    );
    const stamp = this.now().slice(0, 16).replace(/[:T]/g, '-');
    const slug =
      event.name
        .normalize('NFKD')
        .replace(/[^\w]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .toLowerCase() || 'event';
    return { filename: `check-ins-${slug}-${stamp}.csv`, csv };
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  /** One desk decision and its log write, with the data folder's health told either way (`wrote`: the answer was a write). */
  private saving<T>(wrote: (outcome: T) => boolean, decide: () => T): T {
    const storage = this.deps.storage;
    storage?.beforeWrite();
    let result: T;
    try {
      result = this.deps.deskStore.atomically(decide);
    } catch (err) {
      throw storage ? storage.failed(err) : err;
    }
    if (wrote(result)) storage?.written();
    return result;
  }

  private requireAttendeeOf(eventId: number, attendeeId: number): Attendee {
    const attendee = this.deps.store.getAttendee(attendeeId);
    if (!attendee || attendee.eventId !== eventId)
      throw new AppError('NOT_FOUND', `attendee ${attendeeId} is not on this event`);
    return attendee;
  }

  /** The attendee of an action already recorded under this id; a clash of ids is refused. */
  private replay(
    actionId: string,
    action: 'check_in' | 'undo' | 'exit',
    eventId: number,
    listId: string,
  ): Attendee | undefined {
    const done = this.deps.deskStore.checkInByActionId(actionId);
    if (!done) return undefined;
    if (done.action !== action || done.eventId !== eventId || done.listId !== listId) {
      throw new AppError('CONFLICT', 'this action id was already used for another action');
    }
    return this.deps.store.getAttendee(done.attendeeId)!;
  }
}
