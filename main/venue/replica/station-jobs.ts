// Badges sent to print stations, between an event's document and the desks' print queues
// (shared/station-jobs.ts holds the schema, shared/print-stations.ts the rules):
// - every entry a peer wrote is checked (checkStationJobRequest / checkStationJobReport) before
//   anything is done with it; an entry that fails, names a station that is not a desk of the venue,
//   sends a badge to a desk that does not offer its printers, or speaks for a desk it is not from,
//   is refused and counted, and nothing stored changes;
// - a request sent to this desk goes to its print queue (the hooks: main/printing/print-stations.ts
//   through main/core), and the station's word on it is written back under (job, epoch);
// - a station's word on a badge this desk sent updates the sent row;
// - this desk's own entries are kept in SQLite first and written here; one a peer changed or
//   deleted is written again from SQLite.
// Requests that reach a station while it was off (found at attach, not taken before) go back.
import type * as Y from 'yjs';
import type { MirrorStore } from '../../db/store.ts';
import type { VenueStore } from '../../db/venue-store.ts';
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { HANDED_BACK, type ReceivedRequest, type StationWord } from '../../../shared/print-stations.ts';
import {
  STATION_JOB_MAPS,
  STATION_JOB_VERSION,
  checkStationJobReport,
  checkStationJobRequest,
  stationStateKey,
  type StationJobReport,
  type StationJobRequest,
} from '../../../shared/station-jobs.ts';
import { LOCAL_ORIGIN, type AttachmentOf } from './attachment.ts';
import type { RefusalCounts } from './refusals.ts';
import { entryStationName } from './entries.ts';

/** What the station-job log needs of the desk around it (main/core wires printing and the network half). */
export interface StationJobHooks {
  /** The name this desk offers its printers under, or null when it offers none. */
  offering(): string | null;
  /** This desk's name in the venue (the sender's name a request carries). */
  deskName(): string;
  /** Whether a station id is a desk of the venue (its directory), this one included. */
  isVenueDesk(stationId: string): boolean;
  /** A badge sent to this station: its job, or the word to write when it is not taken. */
  received(r: ReceivedRequest): { job: PrintJob } | { word: StationWord };
  /** The request of a badge this station may hold changed: copies not sent here now go back. */
  moved(job: string, current: { epoch: number; toHere: boolean }): void;
  /** A station's word on a badge this desk sent (`refused`: from a desk it was not sent to). */
  answered(report: {
    job: string;
    epoch: number;
    station: string;
    word: StationWord;
    at: string;
  }): 'applied' | 'stale' | 'refused';
  /** This desk's print queue rows of the event that travel (sent from here, or received here). */
  jobsOfEvent(eventId: number, route: 'sent' | 'received'): PrintJob[];
  /** The station's word on its copy of a badge. */
  wordOf(job: PrintJob): StationWord;
}

export interface StationJobLogDeps {
  stationId: string;
  store: MirrorStore;
  venueStore: VenueStore;
  clock: Clock;
  events: CoreEvents;
  refusals: RefusalCounts;
  attachmentOf: AttachmentOf;
  hooks: StationJobHooks;
}

type StationJobMaps = { requests: Y.Map<unknown>; states: Y.Map<unknown> };

function mapsOf(doc: Y.Doc): StationJobMaps {
  return { requests: doc.getMap(STATION_JOB_MAPS.requests), states: doc.getMap(STATION_JOB_MAPS.states) };
}

interface Change {
  key: string;
  value: unknown;
  old: unknown;
}

export class StationJobLog {
  constructor(private readonly deps: StationJobLogDeps) {}

  /** Follows every remote change of the event's station-job maps; returns the function that stops. */
  observe(eventId: number, doc: Y.Doc): () => void {
    const maps = mapsOf(doc);
    const follow = (map: Y.Map<unknown>, apply: (changes: Change[], deleted: string[]) => void) => {
      const observer = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.origin === LOCAL_ORIGIN) return;
        const changes: Change[] = [];
        const deleted: string[] = [];
        event.changes.keys.forEach((change, key) => {
          if (change.action === 'delete') deleted.push(key);
          else changes.push({ key, value: map.get(key), old: change.oldValue });
        });
        apply(changes, deleted);
      };
      map.observe(observer);
      return () => map.unobserve(observer);
    };
    const offs = [
      follow(maps.requests, (changes, deleted) => {
        for (const c of changes) this.receiveRequest(eventId, c);
        if (deleted.length) this.restore(eventId, deleted.length);
      }),
      follow(maps.states, (changes, deleted) => {
        for (const c of changes) this.receiveReport(eventId, c);
        if (deleted.length) this.restore(eventId, deleted.length);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /**
   * At attach, both ways: this desk's requests and words into the document (the document may be
   * older than SQLite); the stations' words on this desk's badges into SQLite; and requests sent
   * to this station that it never took (it was off) go back.
   */
  reconcile(eventId: number, doc: Y.Doc): void {
    const maps = mapsOf(doc);
    this.writeOwn(eventId, doc);
    const taken = new Set(
      this.deps.hooks
        .jobsOfEvent(eventId, 'received')
        .map((j) => stationStateKey(j.station!.jobId, j.station!.epoch)),
    );
    maps.requests.forEach((value, key) => {
      const check = checkStationJobRequest(key, value);
      if (!check.ok || check.entry.from === this.deps.stationId) return;
      if (check.entry.to === this.deps.stationId) {
        const sending = stationStateKey(check.entry.job, check.entry.epoch);
        if (!taken.has(sending) && !maps.states.has(sending))
          this.writeWord(eventId, check.entry, { state: 'returned', detail: HANDED_BACK.offWhenSent });
      } else this.deps.hooks.moved(check.entry.job, { epoch: check.entry.epoch, toHere: false });
    });
    maps.states.forEach((value, key) => this.receiveReport(eventId, { key, value, old: undefined }, true));
  }

  /** A badge this desk sends (or sends elsewhere): its request into its event's document. */
  publishRequest(job: PrintJob): void {
    if (job.eventId === null) return;
    const a = this.deps.attachmentOf(job.eventId);
    const request = this.requestOf(job);
    if (!a || !request) return;
    a.doc.transact(() => mapsOf(a.doc).requests.set(request.job, request), LOCAL_ORIGIN);
  }

  /** This station's word on a badge a desk sent it, into the event's document when it changed. */
  publishWord(job: PrintJob): void {
    if (job.eventId === null || job.station?.direction !== 'received') return;
    const a = this.deps.attachmentOf(job.eventId);
    if (!a) return;
    const report = this.reportOf(job.station.jobId, job.station.epoch, this.deps.hooks.wordOf(job));
    if (report) this.write(a.doc, report);
  }

  /** Why this station no longer holds the claim on a badge sent to it: the document sends it elsewhere now. */
  claimLost(job: PrintJob): string | null {
    if (job.eventId === null || job.station?.direction !== 'received') return null;
    const a = this.deps.attachmentOf(job.eventId);
    if (!a) return HANDED_BACK.moved;
    const check = checkStationJobRequest(job.station.jobId, mapsOf(a.doc).requests.get(job.station.jobId));
    if (!check.ok || check.entry.to !== this.deps.stationId || check.entry.epoch !== job.station.epoch)
      return HANDED_BACK.moved;
    return null;
  }

  // ---- remote entries ----

  private receiveRequest(eventId: number, c: Change): void {
    const check = checkStationJobRequest(c.key, c.value);
    if (!check.ok) return this.refuse(eventId, check.stationId, check.reason);
    const r = check.entry;
    if (r.from === this.deps.stationId) return this.ownEntryBack(eventId, 'sent', r.job, r.epoch);
    if (c.old !== undefined) {
      // A badge sent elsewhere is the same request with the next epoch, from the same desk.
      const before = checkStationJobRequest(c.key, c.old);
      if (before.ok && (before.entry.from !== r.from || before.entry.epoch >= r.epoch))
        return this.refuse(eventId, r.from, 'a badge request was changed by a desk that did not send it');
    }
    if (!this.deps.hooks.isVenueDesk(r.to) || !this.deps.hooks.isVenueDesk(r.from))
      return this.refuse(eventId, r.from, 'names a station that does not exist');
    if (r.to !== this.deps.stationId) {
      this.deps.hooks.moved(r.job, { epoch: r.epoch, toHere: false });
      return;
    }
    if (this.deps.hooks.offering() === null)
      return this.refuse(eventId, r.from, 'names a desk that is not a print station');
    this.deps.hooks.moved(r.job, { epoch: r.epoch, toHere: true });
    const outcome = this.deps.hooks.received({
      eventId,
      attendeeId: this.deps.store.findAttendeeByProviderId(eventId, r.attendee)?.id,
      job: r.job,
      epoch: r.epoch,
      from: r.from,
      fromName: r.fromName,
      reason: r.reason,
      by: r.by,
      note: r.note,
    });
    // A job taken wrote its word when it was queued (publishWord); one not taken says why.
    if ('word' in outcome) this.writeWord(eventId, r, outcome.word);
  }

  private receiveReport(eventId: number, c: Change, atAttach = false): void {
    const check = checkStationJobReport(c.key, c.value);
    if (!check.ok) return this.refuse(eventId, check.stationId, check.reason);
    const r = check.entry;
    if (r.station === this.deps.stationId) {
      if (!atAttach) this.ownEntryBack(eventId, 'received', r.job, r.epoch);
      return;
    }
    if (!this.deps.hooks.isVenueDesk(r.station))
      return this.refuse(eventId, r.station, 'names a station that does not exist');
    const { state, condition, detail } = r;
    const outcome = this.deps.hooks.answered({
      job: r.job,
      epoch: r.epoch,
      station: r.station,
      word: { state, condition, detail },
      at: r.at,
    });
    if (outcome === 'refused')
      this.refuse(eventId, r.station, 'a word on a badge from a desk it was not sent to');
  }

  private refuse(eventId: number, stationId: string | null, reason: string): void {
    this.deps.refusals.refuse(stationId, reason);
    this.deps.events.emit('venueChanged', { eventId });
  }

  /**
   * An entry in this desk's name came from a peer: an older copy of one of its own (a document
   * restored from before a crash) is simply written again from SQLite; one this desk never wrote
   * is refused and counted.
   */
  private ownEntryBack(eventId: number, route: 'sent' | 'received', job: string, epoch: number): void {
    const ours = this.deps.hooks
      .jobsOfEvent(eventId, route)
      .some((j) => j.station!.jobId === job && (route === 'sent' || j.station!.epoch === epoch));
    if (!ours) this.refuse(eventId, null, 'an entry in this desk’s name that it did not write');
    this.later(eventId);
  }

  /** Entries are never deleted: counted, and this desk's own written again. */
  private restore(eventId: number, n: number): void {
    this.deps.refusals.refuse(
      null,
      `${n} print-station entr${n === 1 ? 'y was' : 'ies were'} deleted from the document`,
    );
    this.deps.events.emit('venueChanged', { eventId });
    this.later(eventId);
  }

  /** After the current transaction's observers: this desk's entries of the event, written again. */
  private later(eventId: number): void {
    queueMicrotask(() => {
      const a = this.deps.attachmentOf(eventId);
      if (a) this.writeOwn(eventId, a.doc);
    });
  }

  // ---- this desk's entries ----

  /** This desk's requests and words of the event, where the document lacks them or holds another value. */
  private writeOwn(eventId: number, doc: Y.Doc): void {
    const maps = mapsOf(doc);
    const entries: [Y.Map<unknown>, string, object][] = [];
    for (const job of this.deps.hooks.jobsOfEvent(eventId, 'sent')) {
      const request = this.requestOf(job);
      if (request) entries.push([maps.requests, request.job, request]);
    }
    for (const job of this.deps.hooks.jobsOfEvent(eventId, 'received')) {
      const report = this.reportOf(job.station!.jobId, job.station!.epoch, this.deps.hooks.wordOf(job));
      if (report) entries.push([maps.states, stationStateKey(report.job, report.epoch), report]);
    }
    // A word's time is when it was written: the same word written again later is the same word.
    const changed = entries.filter(
      ([map, key, value]) => !sameEntry(withoutTime(map.get(key)), withoutTime(value)),
    );
    if (changed.length)
      doc.transact(() => changed.forEach(([map, key, value]) => map.set(key, value)), LOCAL_ORIGIN);
  }

  private writeWord(eventId: number, request: StationJobRequest, word: StationWord): void {
    const a = this.deps.attachmentOf(eventId);
    const report = this.reportOf(request.job, request.epoch, word);
    if (a && report) this.write(a.doc, report);
  }

  private write(doc: Y.Doc, report: StationJobReport): void {
    const states = mapsOf(doc).states;
    const key = stationStateKey(report.job, report.epoch);
    if (sameEntry(withoutTime(states.get(key)), withoutTime(report))) return;
    doc.transact(() => states.set(key, report), LOCAL_ORIGIN);
  }

  private requestOf(job: PrintJob): StationJobRequest | null {
    const s = job.station;
    if (s?.direction !== 'sent' || s.stationId === null || job.attendeeId === null || job.reason === 'test')
      return null;
    const attendee = this.deps.venueStore.providerAttendeeIdOf(job.attendeeId);
    if (attendee === undefined) return null;
    const by = clean(job.requestedBy, 80);
    const note = job.note === null ? undefined : clean(job.note, 200);
    return {
      v: STATION_JOB_VERSION,
      job: s.jobId,
      epoch: s.epoch,
      attendee,
      from: this.deps.stationId,
      fromName: entryStationName(this.deps.hooks.deskName()),
      to: s.stationId,
      toName: entryStationName(s.stationName),
      reason: job.reason,
      // When the badge was asked for: the same on every sending, so a request written again is the same.
      at: job.createdAt,
      ...(by ? { by } : {}),
      ...(note ? { note } : {}),
    };
  }

  private reportOf(job: string, epoch: number, word: StationWord): StationJobReport | null {
    const name = this.deps.hooks.offering();
    return {
      v: STATION_JOB_VERSION,
      job,
      epoch,
      station: this.deps.stationId,
      stationName: entryStationName(name ?? this.deps.hooks.deskName()),
      state: word.state,
      ...(word.state === 'held' ? { condition: word.condition ?? 'error' } : {}),
      ...(word.detail ? { detail: word.detail.slice(0, 300) } : {}),
      at: isoTime(this.deps.clock.now()),
    };
  }
}

/** Plain text an entry may carry: control characters out, trimmed, cut. */
function clean(text: string, max: number): string | undefined {
  const t = text
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, max)
    .trim();
  return t || undefined;
}

/** A station's word without the time it was written; requests keep theirs (it never changes). */
function withoutTime(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('state' in value)) return value;
  const { at: _at, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** Two entries are the same entry when their JSON with sorted keys is. */
function sameEntry(a: unknown, b: unknown): boolean {
  const sorted = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, x]) => [k, sorted(x)]),
        )
      : v;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}
