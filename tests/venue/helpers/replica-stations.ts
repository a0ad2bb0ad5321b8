// Stations of one venue for the data half's tests: each a real mirror database (temp folder) with
// the same event and attendees (same provider ids, other local row ids), its desk wired to a
// VenueReplica, and an in-memory Y.Doc per station. No network: documents are synced with
// Y.encodeStateAsUpdate / Y.applyUpdate, in whatever order a test chooses.
import * as Y from 'yjs';
import { openDeskDb, person, type DeskDb } from '../../helpers/desk-db.ts';
import { Desk } from '../../../main/desk/desk.ts';
import { VenueReplica } from '../../../main/venue/replica/replica.ts';
import type { VenueDocumentKey } from '../../../main/venue/contracts.ts';
import type { Actor } from '../../../shared/types.ts';
import type { ProviderAttendee } from '../../../main/providers/types.ts';

export const VENUE_KEY: VenueDocumentKey = {
  venueId: 'venue-test',
  provider: 'eventbrite',
  providerEventId: 'Conf',
};

export interface VenueStation extends DeskDb {
  replica: VenueReplica;
  /** The desk wired as the core wires it (its log rows go into the document). */
  venueDesk: Desk;
  doc: Y.Doc;
  actor: Actor;
  /** Local attendee ids by provider attendee id. */
  idOf(providerAttendeeId: string): number;
}

/** The same roster on every station: people with provider ids a0, a1, ... */
export function roster(n: number): ProviderAttendee[] {
  return Array.from({ length: n }, (_, i) =>
    person({ providerAttendeeId: `a${i}`, fullName: `Guest ${i}`, barcode: `BC-${i}` }),
  );
}

export function openStation(
  t: { after(fn: () => void): void },
  name: string,
  opts: {
    people?: ProviderAttendee[];
    attach?: boolean;
    dir?: string;
    /** Whether this station polls the event for the venue (default: it holds an account, so yes). */
    isPoller?: () => boolean;
  } = {},
): VenueStation {
  const d = opts.dir ? openDeskDb(t, opts.dir, false) : openDeskDb(t);
  // Each station's local row ids differ: the roster arrives in another order at each.
  const people = opts.people ?? roster(10);
  const shift = people.length ? name.charCodeAt(name.length - 1) % people.length : 0;
  if (!opts.dir) d.put([...people.slice(shift), ...people.slice(0, shift)]);
  const replica = new VenueReplica({
    store: d.store,
    venueStore: d.deskStore.venue,
    clock: d.clock,
    events: d.events,
    ...(opts.isPoller ? { isPoller: opts.isPoller } : {}),
  });
  const venueDesk = new Desk({
    store: d.store,
    deskStore: d.deskStore,
    clock: d.clock,
    events: d.events,
    requireEvent: (id) => ({ id, name: d.store.eventName(id)! }),
    onRecorded: (eventId, ids) => replica.publishCheckIns(eventId, ids),
  });
  const doc = new Y.Doc();
  if (opts.attach !== false) replica.attach(VENUE_KEY, doc);
  return {
    ...d,
    replica,
    venueDesk,
    doc,
    actor: { role: 'operator', name },
    idOf: (pid) => d.store.findAttendeeByProviderId(d.eventId, pid)!.id,
  };
}

/** Brings two documents to the same state, as the network half would once the desks see each other. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'peer');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'peer');
}

let n = 0;
export const actionId = () => `act-${String(++n).padStart(10, '0')}`;
