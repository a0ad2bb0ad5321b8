// Whether another desk or the relay holds every check-in this desk made, before this desk forgets
// an event: the desk asks its peers, on the directory's stateless channel, for the count and a
// digest of the log entries its station wrote into the event's document; every node (a desk's or
// a relay's) that has that document loaded answers from it. The asking desk compares the answer
// with its own list of those entries (from its SQLite): equal, that node holds every one.
import { createHash, randomBytes } from 'node:crypto';
import type * as Y from 'yjs';
import { z } from 'zod';
import { STATION_ID, VENUE_MAPS, parseVenueDocumentName } from '../../../shared/venue.ts';

export interface EntriesDigest {
  count: number;
  digest: string;
}

/** One node's answer: what it holds of the station's entries (null: not that document), and who it is. */
export interface HoldingsAnswer {
  stationId: string | null;
  deskName: string;
  relay: boolean;
  held: EntriesDigest | null;
}

/** The count and digest of a set of action ids, whatever their order. */
export function entriesDigest(actionIds: readonly string[]): EntriesDigest {
  const sorted = [...actionIds].sort();
  return {
    count: sorted.length,
    digest: createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 32),
  };
}

/** The log entries (check-ins, exits, undos) of the document that this station wrote. */
export function stationEntriesIn(doc: Y.Doc, stationId: string): EntriesDigest {
  const ids: string[] = [];
  for (const [actionId, entry] of doc.getMap(VENUE_MAPS.checkins).entries()) {
    if ((entry as { stationId?: unknown } | null)?.stationId === stationId) ids.push(actionId);
  }
  return entriesDigest(ids);
}

const requestId = z.string().regex(/^[0-9a-f]{24}$/);
const holdsRequest = z
  .object({
    type: z.literal('holds-request'),
    requestId,
    document: z.string().max(300),
    stationId: z.string().regex(STATION_ID),
  })
  .strict();
const holdsAnswer = z
  .object({
    type: z.literal('holds-answer'),
    requestId,
    deskName: z.string().min(1).max(60),
    relay: z.boolean(),
    held: z
      .object({
        count: z.number().int().min(0),
        digest: z.string().regex(/^[0-9a-f]{32}$/),
      })
      .strict()
      .nullable(),
  })
  .strict();

export interface HoldingsOptions {
  /** Sends a stateless message to every connected peer; returns how many it reached. */
  send(payload: string): number;
  /** The document of this name as this node has it loaded now, or null. */
  loaded(documentName: string): Y.Doc | null;
  deskName(): string;
  relay: boolean;
}

export class Holdings {
  private readonly pending = new Map<string, (answer: HoldingsAnswer) => void>();

  constructor(private readonly options: HoldingsOptions) {}

  /**
   * Asks every connected peer what it holds of `stationId`'s entries in the document; resolves
   * with the answers that came within `timeoutMs`, or as soon as one satisfies `enough`.
   */
  ask(
    documentName: string,
    stationId: string,
    timeoutMs: number,
    enough: (answer: HoldingsAnswer) => boolean = () => false,
  ): Promise<HoldingsAnswer[]> {
    const id = randomBytes(12).toString('hex');
    const answers: HoldingsAnswer[] = [];
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(answers);
      };
      const timer = setTimeout(finish, timeoutMs);
      this.pending.set(id, (answer) => {
        answers.push(answer);
        if (enough(answer)) finish();
      });
      const payload = JSON.stringify({
        type: 'holds-request',
        requestId: id,
        document: documentName,
        stationId,
      });
      if (this.options.send(payload) === 0) finish();
    });
  }

  /** A holds-request (answered from the loaded document) or a holds-answer; false when neither. */
  handle(stationId: string | null, parsed: unknown, reply: (payload: string) => void): boolean {
    const type = (parsed as { type?: unknown } | null)?.type;
    if (type === 'holds-answer') {
      const answer = holdsAnswer.safeParse(parsed);
      if (answer.success) {
        const { deskName, relay, held } = answer.data;
        this.pending.get(answer.data.requestId)?.({ stationId, deskName, relay, held });
      }
      return true;
    }
    if (type !== 'holds-request') return false;
    const request = holdsRequest.safeParse(parsed);
    if (!request.success) return true;
    const doc = parseVenueDocumentName(request.data.document)
      ? this.options.loaded(request.data.document)
      : null;
    reply(
      JSON.stringify({
        type: 'holds-answer',
        requestId: request.data.requestId,
        deskName: this.options.deskName().slice(0, 60) || 'Desk',
        relay: this.options.relay,
        held: doc ? stationEntriesIn(doc, request.data.stationId) : null,
      }),
    );
    return true;
  }
}
