// Who may open a document of this desk: every connection names its desk (the Hocuspocus token).
// A desk of another protocol, a document of another venue, a desk an admin removed, or this desk
// itself are refused, with a reason the other side shows.
import { parseVenueDocumentName } from '../../../../shared/venue.ts';
import { directoryDocumentName } from '../document-server.ts';

/** The venue protocol: the document schema and the messages between desks. */
export const VENUE_PROTOCOL = 1;
/** The refusal a removed desk hears from the venue's desks (it learns of its removal from it too). */
export const REMOVED_REFUSAL = 'this desk was removed from the venue';

/** Raised by the server's hooks; Hocuspocus sends `reason` to the peer's provider. */
export class PeerRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a desk says about itself on every connection (the Hocuspocus token) and in presence. */
export interface DeskIdentity {
  stationId: string;
  deskName: string;
  /** The app's version, named in a mismatch message. */
  appVersion: string;
  /** The venue protocol (document schema and messages); desks of different protocols are refused. */
  protocol: number;
}

const TOKEN_MAX_CHARS = 2_000;

function parseToken(token: string): DeskIdentity | null {
  if (token.length > TOKEN_MAX_CHARS) return null;
  try {
    const t = JSON.parse(token) as Partial<DeskIdentity>;
    if (typeof t.stationId !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(t.stationId)) return null;
    if (typeof t.deskName !== 'string' || t.deskName.length === 0 || t.deskName.length > 60) return null;
    if (typeof t.appVersion !== 'string' || t.appVersion.length > 40) return null;
    if (typeof t.protocol !== 'number' || !Number.isInteger(t.protocol)) return null;
    return { stationId: t.stationId, deskName: t.deskName, appVersion: t.appVersion, protocol: t.protocol };
  } catch {
    return null;
  }
}

/** The refusal a desk of another protocol gets, naming both versions. */
export function versionMismatchMessage(server: DeskIdentity, client: DeskIdentity): string {
  return (
    `version mismatch: ${client.deskName} runs Badge Desk ${client.appVersion} (venue protocol ${client.protocol}), ` +
    `${server.deskName} runs Badge Desk ${server.appVersion} (venue protocol ${server.protocol}); update both desks to the same version`
  );
}

/** This desk as the admission rule sees it: who it is, its venue (null: none), the desks removed from it. */
export interface AdmittingDesk {
  identity: DeskIdentity;
  venueId: string | null;
  removedStations: ReadonlySet<string>;
}

/** The desk a token names, admitted to the document, or why not. */
export function admit(
  token: string,
  documentName: string,
  here: AdmittingDesk,
): { peer: DeskIdentity } | { refused: string } {
  const peer = parseToken(token);
  if (!peer) return { refused: 'not a Badge Desk desk' };
  if (peer.protocol !== here.identity.protocol)
    return { refused: versionMismatchMessage(here.identity, peer) };
  const { venueId } = here;
  const isOurs =
    venueId !== null &&
    (documentName === directoryDocumentName(venueId) ||
      parseVenueDocumentName(documentName)?.venueId === venueId);
  if (!isOurs) return { refused: 'that document is not one of this venue' };
  if (here.removedStations.has(peer.stationId)) return { refused: REMOVED_REFUSAL };
  if (peer.stationId === here.identity.stationId) return { refused: 'a desk does not connect to itself' };
  return { peer };
}
