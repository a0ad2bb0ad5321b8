// An event's registrations in listing order, plus the opaque cursors both providers page with.
//
// Rows are only ever appended (a cancellation keeps its row), so a position in the list is a
// stable bookmark: a cursor says "continue after position P", and rows added while a client
// pages through simply appear on a later page. Every row is listed exactly once.
import { SimulatorError } from './types.ts';

export interface RosterPage<Row> {
  rows: Row[];
  /** The position to continue from. */
  next: number;
  hasMore: boolean;
}

export class Roster<Row extends { readonly id: string }> {
  private readonly rows: Row[] = [];
  private readonly byId = new Map<string, Row>();

  get size(): number {
    return this.rows.length;
  }

  add(row: Row): void {
    if (this.byId.has(row.id)) throw new SimulatorError(`duplicate id ${row.id}`);
    this.rows.push(row);
    this.byId.set(row.id, row);
  }

  get(id: string): Row | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return this.rows.map((row) => row.id);
  }

  all(): readonly Row[] {
    return this.rows;
  }

  count(matches?: (row: Row) => boolean): number {
    if (!matches) return this.rows.length;
    let count = 0;
    for (const row of this.rows) if (matches(row)) count++;
    return count;
  }

  /**
   * Up to `limit` rows from position `from`. Without a filter this is a plain slice; with one it
   * scans forward, and looks one match further to answer `hasMore` truthfully (a last page that
   * is exactly full must not promise another).
   */
  page(from: number, limit: number, matches?: (row: Row) => boolean): RosterPage<Row> {
    if (!matches) {
      const end = Math.min(from + limit, this.rows.length);
      return { rows: this.rows.slice(from, end), next: end, hasMore: end < this.rows.length };
    }
    const rows: Row[] = [];
    let position = from;
    for (; position < this.rows.length && rows.length < limit; position++) {
      const row = this.rows[position] as Row;
      if (matches(row)) rows.push(row);
    }
    let hasMore = false;
    for (let ahead = position; ahead < this.rows.length; ahead++) {
      if (matches(this.rows[ahead] as Row)) {
        hasMore = true;
        break;
      }
    }
    return { rows, next: position, hasMore };
  }
}

/** Where a listing continues: the position in the list and, for Eventbrite, the page number. */
export interface CursorState {
  position: number;
  page: number;
}

/**
 * Cursors are base64url JSON bound to one listing (`scope`, e.g. "attendees:123"), so they look
 * opaque like the real ones and a cursor from another listing is rejected instead of silently
 * paging the wrong list.
 */
export function encodeCursor(scope: string, state: CursorState): string {
  return Buffer.from(JSON.stringify({ s: scope, p: state.position, n: state.page })).toString('base64url');
}

/** The cursor's state, or null when it is not one of ours for this listing. */
export function decodeCursor(scope: string, cursor: string): CursorState | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null) return null;
    const { s, p, n } = decoded as Record<string, unknown>;
    if (s !== scope || !Number.isSafeInteger(p) || !Number.isSafeInteger(n)) return null;
    if ((p as number) < 0 || (n as number) < 1) return null;
    return { position: p as number, page: n as number };
  } catch {
    return null;
  }
}

/** One page of a listing, with the cursor to the next page when there is one. */
export interface ListingPage<Row> {
  rows: Row[];
  /** Where this page started (Eventbrite reports the page number). */
  start: CursorState;
  hasMore: boolean;
  nextCursor?: string;
}

export interface ListingRequest<Row> {
  /** Binds cursors to this listing, e.g. "attendees:123". */
  scope: string;
  /** The cursor the client sent; null for the first page. */
  cursor: string | null;
  limit: number;
  matches?: (row: Row) => boolean;
  /**
   * The repeating-cursor fault: every page claims more, and its next cursor is the one it was
   * asked with (the first page's is the cursor of page two), so a client that follows cursors
   * blindly pages forever.
   */
  repeatCursor?: boolean;
}

/** A page of `roster` from an opaque cursor; null when the cursor is not one of ours for this listing. */
export function pageListing<Row extends { readonly id: string }>(
  roster: Roster<Row>,
  request: ListingRequest<Row>,
): ListingPage<Row> | null {
  let start: CursorState = { position: 0, page: 1 };
  if (request.cursor !== null) {
    const decoded = decodeCursor(request.scope, request.cursor);
    if (!decoded) return null;
    start = decoded;
  }
  const page = roster.page(start.position, request.limit, request.matches);
  const following = () => encodeCursor(request.scope, { position: page.next, page: start.page + 1 });
  if (request.repeatCursor) {
    return { rows: page.rows, start, hasMore: true, nextCursor: request.cursor ?? following() };
  }
  return {
    rows: page.rows,
    start,
    hasMore: page.hasMore,
    nextCursor: page.hasMore ? following() : undefined,
  };
}
