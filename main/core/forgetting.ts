// "Forget this event on this desk" (shared/forget.ts has the rules and texts, main/db/forget-store.ts
// the SQL): an admin's action, the retention rule (N days after the event ends, at start and
// daily), and the desk's removal from the venue. Before anything is removed the desk makes sure
// no check-in made here exists only here: another desk or the relay holds every one (it asks
// them, and keeps the answer: a removed desk can no longer ask), or an admin took the CSV. A badge
// still waiting to print holds the forgetting back. Then the event's live sync and venue document
// stop, the files the desk wrote go, the rows become anonymous shells, and the file is compacted.
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import {
  checkInsSafe,
  forgetDueAt,
  unheldText,
  type CheckInsHeld,
  type ForgetCheck,
  type ForgetDue,
  type ForgetOutcome,
  type ForgetReason,
  type ForgetRefusal,
} from '../../shared/forget.ts';
import type { Actor, ProviderKind } from '../../shared/types.ts';
import type { ForgetStore } from '../db/forget-store.ts';
import type { MirrorStore } from '../db/store.ts';
import { isoTime, type Clock } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { VenueNetwork } from '../venue/net/venue-network.ts';
import { entriesDigest } from '../venue/net/holdings.ts';
import type { SqliteDocumentPersistence } from '../venue/replica/persistence.ts';
import type { VenueReplica } from '../venue/replica/replica.ts';
import { requireAdmin } from './guards.ts';

/** How long the desk waits for the venue's answers on what they hold of its check-ins. */
const HOLDINGS_TIMEOUT_MS = 3_000;
/** How often the desk asks the venue about check-ins no answer covers yet (a removed desk can no longer ask). */
const HOLDINGS_INTERVAL_MS = 30_000;
/** The retention rule runs at start and then this often. */
const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** A badge PDF's name starts with its job id (main/printing/drivers.ts). */
const BADGE_FILE = /^badge-(\d+)-.*\.pdf$/;

export interface ForgettingOptions {
  holdingsTimeoutMs?: number;
  holdingsIntervalMs?: number;
  retentionIntervalMs?: number;
}

export interface ForgettingDeps {
  forgetStore: ForgetStore;
  store: MirrorStore;
  stationId: string;
  clock: Clock;
  events: CoreEvents;
  network: VenueNetwork | null;
  persistence: SqliteDocumentPersistence;
  replica: VenueReplica;
  engine: SyncEngine;
  /** The folders of this desk's PDF printers now (badges written before they were recorded are found there). */
  pdfFolders(): string[];
  /** The event's check-in log as CSV (the desk's export). */
  exportCsv(eventId: number): { filename: string; csv: string };
  /** The station's setting: forget events this many days after they end. */
  forgetAfterDays(): number;
  /** A write that may meet a full or read-only disk: the desk's banner says so, the caller goes on. */
  tolerateStorage(fn: () => void): void;
  options?: ForgettingOptions;
}

interface EventRef {
  id: number;
  name: string;
  provider: ProviderKind;
  providerEventId: string;
}

export class Forgetting {
  /** One forgetting at a time: an admin's, the retention rule's and a removal's never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The CSV exports of the last minutes by file name: a file the desktop app then saves is recorded. */
  private readonly exports = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(private readonly deps: ForgettingDeps) {
    deps.network?.onRemoved((venueId) => {
      // The events it follows now, before the desk leaves the venue (which detaches them); then,
      // after the removal's own work, they are forgotten.
      const following = deps.replica.attachedEventIds();
      setImmediate(() => void this.forgetVenue(venueId, following).catch(() => undefined));
    });
  }

  /** Runs the retention rule now and daily, and asks the venue about unconfirmed check-ins now and then. */
  start(): void {
    if (this.closed || this.timers.length > 0) return;
    const o = this.deps.options ?? {};
    const retention = setInterval(
      () => void this.runRetention().catch(() => undefined),
      o.retentionIntervalMs ?? RETENTION_INTERVAL_MS,
    );
    const holdings = setInterval(
      () => void this.confirmAll().catch(() => undefined),
      o.holdingsIntervalMs ?? HOLDINGS_INTERVAL_MS,
    );
    retention.unref();
    holdings.unref();
    this.timers = [retention, holdings];
    void this.runRetention().catch(() => undefined);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  // ---- the admin's action ----

  /** What forgetting the event would remove and keep, and whether the check-ins made here are held elsewhere. */
  async check(actor: Actor, eventId: number): Promise<ForgetCheck> {
    requireAdmin(actor);
    const event = this.requireEvent(eventId);
    const { forgetStore } = this.deps;
    const forgotten = forgetStore.forgotten(eventId);
    if (!forgotten) await this.confirm(event);
    const counts = forgetStore.counts(eventId);
    const files = forgotten ? [] : await this.filesOf(eventId);
    return {
      eventId,
      eventName: event.name,
      forgotten,
      removes: {
        people: counts.people,
        venueDocuments: counts.venueDocuments,
        badgeFiles: files.filter((f) => f.kind === 'badge_pdf').length,
        csvFiles: files.filter((f) => f.kind === 'csv').length,
      },
      keeps: { attending: counts.attending, checkedIn: counts.checkedIn, logEntries: counts.logEntries },
      held: this.held(eventId),
      waitingPrints: forgetStore.waitingPrints(eventId),
    };
  }

  /**
   * The check-in log as CSV for the admin to keep before forgetting: it counts as holding every
   * check-in made here so far, and is not one of the files the desk removes (it is not recorded).
   */
  exportCheckIns(actor: Actor, eventId: number): { filename: string; csv: string } {
    requireAdmin(actor);
    const event = this.requireEvent(eventId);
    const forgotten = this.deps.forgetStore.forgotten(eventId);
    if (forgotten)
      refuse(
        { refusal: 'forgotten', forgotten },
        'INVALID_STATE',
        'this event was already forgotten on this desk',
      );
    const { filename, csv } = this.deps.exportCsv(event.id);
    const kept = filename.replace(/\.csv$/, '-kept-before-forgetting.csv');
    const { actionIds, throughId } = this.deps.forgetStore.ownActions(eventId, this.deps.stationId);
    if (actionIds.length > 0)
      this.deps.forgetStore.recordHeld(eventId, {
        throughId,
        made: actionIds.length,
        kind: 'csv',
        by: kept,
        at: this.now(),
      });
    return { filename: kept, csv };
  }

  /** Forgets the event on this desk, or refuses (typed) and changes nothing. */
  async forget(actor: Actor, eventId: number): Promise<ForgetOutcome> {
    requireAdmin(actor);
    return this.serialized(async () => {
      const event = this.requireEvent(eventId);
      const forgotten = this.deps.forgetStore.forgotten(eventId);
      if (forgotten)
        refuse(
          { refusal: 'forgotten', forgotten },
          'INVALID_STATE',
          'this event was already forgotten on this desk',
        );
      const blocked = await this.blocker(event);
      if (blocked) throw blocked.error;
      return this.forgetNow(event, 'admin');
    });
  }

  // ---- the retention rule, and the desk's removal ----

  /** Forgets every event past the retention setting; those held back say why. Returns how many it forgot. */
  runRetention(): Promise<number> {
    return this.serialized(async () => {
      await this.removeLeftoverFiles();
      const days = this.deps.forgetAfterDays();
      const now = this.deps.clock.now();
      const due = this.deps.forgetStore
        .remembered()
        .filter((e) => {
          const at = forgetDueAt(e, days);
          return at !== null && at <= now;
        })
        .map((e) => e.id);
      return this.forgetAll(due, 'retention');
    });
  }

  /** This desk was removed from the venue: it forgets the venue's events, after the same checks. */
  forgetVenue(venueId: string, following: readonly number[] = []): Promise<number> {
    return this.serialized(() => {
      const ids = new Set([
        ...this.deps.forgetStore.eventsWithDocumentsOf(venueId),
        ...following,
        ...this.deps.replica.attachedEventIds(),
      ]);
      return this.forgetAll([...ids], 'removed');
    });
  }

  // ---- files the desk wrote ----

  /** A badge PDF was written for a print job: recorded with the job's event. */
  badgeWritten(jobId: number, path: string): void {
    this.deps.tolerateStorage(() => this.deps.forgetStore.recordBadgeFile(jobId, path, this.now()));
  }

  /** The desk produced this CSV of the event (the file the desktop app may then save). */
  noteExport(eventId: number, filename: string): void {
    this.exports.set(filename, eventId);
    // A handful at most: the exports of the last moments, not a history.
    if (this.exports.size > 20) this.exports.delete(this.exports.keys().next().value!);
  }

  /** The desktop app saved a download: when it is one of the desk's CSV exports, it is recorded. */
  csvSaved(filename: string, path: string): void {
    const eventId = this.exports.get(filename);
    if (eventId === undefined) return;
    this.deps.tolerateStorage(() => this.deps.forgetStore.recordFile(eventId, 'csv', path, this.now()));
  }

  // ---- internals ----

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async forgetAll(ids: number[], reason: Exclude<ForgetReason, 'admin'>): Promise<number> {
    let forgotten = 0;
    for (const id of ids) {
      if (this.closed) break;
      const event = this.deps.store.getEvent(id);
      if (!event || this.deps.forgetStore.forgotten(id)) continue;
      const ref = { id, name: event.name, provider: event.provider, providerEventId: event.providerEventId };
      const blocked = await this.blocker(ref);
      if (blocked) {
        const previous = this.deps.forgetStore.due(id);
        const due: ForgetDue = {
          reason,
          since: previous?.reason === reason ? previous.since : this.now(),
          blockedBy: blocked.by,
          detail: blocked.error.message,
        };
        this.deps.forgetStore.setDue(id, due);
        this.deps.events.emit('syncChanged', { eventId: id });
        continue;
      }
      await this.forgetNow(ref, reason);
      forgotten += 1;
    }
    return forgotten;
  }

  /** Why the event cannot be forgotten now (a typed error, and what holds it back), or null. */
  private async blocker(event: EventRef): Promise<{ error: AppError; by: ForgetDue['blockedBy'] } | null> {
    const { forgetStore, engine } = this.deps;
    const waiting = forgetStore.waitingPrints(event.id);
    if (waiting > 0)
      return {
        error: refusalError(
          { refusal: 'print-waiting', waiting },
          'INVALID_STATE',
          `${waiting === 1 ? 'a badge' : `${waiting} badges`} of this event ${waiting === 1 ? 'is' : 'are'} waiting to print: print or cancel ${waiting === 1 ? 'it' : 'them'} in the print queue first`,
        ),
        by: 'print-waiting',
      };
    if (engine.activeJob(event.id))
      return {
        error: new AppError('CONFLICT', 'a sync of this event is running: forget it once the sync has ended'),
        by: 'sync-running',
      };
    await this.confirm(event);
    const held = this.held(event.id);
    if (!checkInsSafe(held))
      return {
        error: refusalError(
          { refusal: 'not-held', held },
          'INVALID_STATE',
          held.kind === 'not-held'
            ? `${unheldText(held)}: export the CSV first`
            : 'the check-ins made on this desk are held nowhere else: export the CSV first',
        ),
        by: 'not-held',
      };
    return null;
  }

  private async forgetNow(event: EventRef, reason: ForgetReason): Promise<ForgetOutcome> {
    const { forgetStore, persistence, replica, network, engine, events } = this.deps;
    // Nothing may write the event's people again: its live sync stops, its venue document is
    // refused (not loaded, stored or served) and released.
    await engine.stopEvent(event.id);
    persistence.forget(event.provider, event.providerEventId);
    await replica.forget(event.id);
    const venueId = network?.venueId;
    if (network && venueId)
      network.forgetDocument({ venueId, provider: event.provider, providerEventId: event.providerEventId });
    // The files first: once the event reads as forgotten, nothing of it is left to read, in the
    // files or in the database's bytes (the scrub and the compaction run in one turn).
    const files = await this.removeFiles(event.id);
    const at = this.now();
    const scrubbed = forgetStore.scrub(event.id, reason, at);
    forgetStore.compact();
    events.emit('eventForgotten', { eventId: event.id });
    return {
      eventId: event.id,
      forgotten: { at, reason },
      removed: { people: scrubbed.people, venueDocuments: scrubbed.venueDocuments, files },
    };
  }

  /**
   * Asks the venue what it holds of the check-ins made here that no answer covers yet, and keeps
   * a matching answer (another desk's, or the relay's): every one of them is held there.
   */
  private async confirm(event: EventRef): Promise<void> {
    const { forgetStore, network, stationId } = this.deps;
    if (!network?.venueId) return;
    if (this.held(event.id).kind !== 'not-held') return;
    const { actionIds, throughId } = forgetStore.ownActions(event.id, stationId);
    if (actionIds.length === 0) return;
    const mine = entriesDigest(actionIds);
    const holds = (a: { held: { count: number; digest: string } | null }) =>
      a.held?.count === mine.count && a.held.digest === mine.digest;
    const answers = await network.askHoldings(
      { provider: event.provider, providerEventId: event.providerEventId },
      this.deps.options?.holdingsTimeoutMs ?? HOLDINGS_TIMEOUT_MS,
      holds,
    );
    let holder = answers.find(holds);
    let covered = { throughId, made: actionIds.length };
    if (!holder) {
      // A check-in made meanwhile reached the peers before they answered: compared with the desk's list now.
      const now = forgetStore.ownActions(event.id, stationId);
      const later = entriesDigest(now.actionIds);
      holder = answers.find((a) => a.held?.count === later.count && a.held.digest === later.digest);
      covered = { throughId: now.throughId, made: now.actionIds.length };
    }
    if (!holder) return;
    const by = holder;
    this.deps.tolerateStorage(() =>
      forgetStore.recordHeld(event.id, {
        throughId: covered.throughId,
        made: covered.made,
        kind: by.relay ? 'relay' : 'desk',
        by: by.deskName,
        at: this.now(),
      }),
    );
  }

  /** Every event with check-ins no answer covers yet, asked about in turn (the background timer). */
  private async confirmAll(): Promise<void> {
    if (this.closed || !this.deps.network?.venueId) return;
    for (const id of this.deps.forgetStore.eventsWithUnheldCheckIns(this.deps.stationId)) {
      const event = this.deps.store.getEvent(id);
      if (!event || this.closed) continue;
      await this.confirm({
        id,
        name: event.name,
        provider: event.provider,
        providerEventId: event.providerEventId,
      });
    }
  }

  private held(eventId: number): CheckInsHeld {
    const network = this.deps.network;
    const why = !network?.venueId
      ? 'this desk is in no venue'
      : 'no desk or relay of the venue answered with all of them';
    return this.deps.forgetStore.held(eventId, this.deps.stationId, why);
  }

  /** The files of the event on record, and its badge PDFs found in the PDF printers' folders. */
  private async filesOf(
    eventId: number,
  ): Promise<{ kind: 'badge_pdf' | 'csv'; path: string; id: number | null }[]> {
    const recorded = this.deps.forgetStore.files(eventId);
    const jobs = new Set(this.deps.forgetStore.printJobIds(eventId));
    const known = new Set(recorded.map((f) => f.path));
    const folders = new Set([
      ...this.deps.pdfFolders(),
      ...recorded.filter((f) => f.kind === 'badge_pdf').map((f) => dirname(f.path)),
    ]);
    const found: { kind: 'badge_pdf'; path: string; id: null }[] = [];
    if (jobs.size > 0) {
      for (const folder of folders) {
        const names = await readdir(folder).catch(() => [] as string[]);
        for (const name of names) {
          const m = BADGE_FILE.exec(name);
          const path = join(folder, name);
          if (m && jobs.has(Number(m[1])) && !known.has(path))
            found.push({ kind: 'badge_pdf', path, id: null });
        }
      }
    }
    return [...recorded, ...found];
  }

  /** Removes the event's files; returns how many are gone. One that cannot be removed stays on record. */
  private async removeFiles(eventId: number): Promise<number> {
    let removed = 0;
    for (const file of await this.filesOf(eventId)) {
      try {
        await rm(file.path, { force: true });
        removed += 1;
        if (file.id !== null) {
          const id = file.id;
          this.deps.tolerateStorage(() => this.deps.forgetStore.fileRemoved(id));
        }
      } catch {
        // Kept on record: the retention pass tries again.
      }
    }
    return removed;
  }

  private async removeLeftoverFiles(): Promise<void> {
    for (const id of this.deps.forgetStore.forgottenWithFiles()) await this.removeFiles(id);
  }

  private requireEvent(eventId: number): EventRef {
    const event = this.deps.store.getEvent(eventId);
    if (!event) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
    return {
      id: event.id,
      name: event.name,
      provider: event.provider,
      providerEventId: event.providerEventId,
    };
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }
}

function refusalError(details: ForgetRefusal, code: 'INVALID_STATE', message: string): AppError {
  return new AppError(code, message, details);
}

function refuse(details: ForgetRefusal, code: 'INVALID_STATE', message: string): never {
  throw refusalError(details, code, message);
}
