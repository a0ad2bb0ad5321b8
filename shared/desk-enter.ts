// What Enter in the desk's search field does. Enter admits only a person someone chose: a row
// the operator moved to with ↑ ↓ (or clicked), an exact ticket code (a scanner, or a code typed
// in full), or the only match. Three letters that match several people admit no one: Enter moves
// to the first row and asks the operator to choose. Pure: the desk and its tests use it alike.
import type { Attendee } from './types.ts';
import { isSameTicketCode, looksLikeTicketCode } from './ticket-code.ts';

export const SEVERAL_MATCH_TEXT = 'Several match: choose with ↑ ↓, then Enter';

export interface EnterFacts {
  /** The search field's text. */
  query: string;
  /** The search's answer for exactly this text, best first (an exact ticket code first), whatever their status. */
  rows: readonly Pick<Attendee, 'id' | 'barcode' | 'status'>[];
  /** More rows matched than were answered. */
  more: boolean;
  /** The row the operator moved to with the arrows (an index into `rows`), or null: no choice made. */
  chosen: number | null;
}

export type EnterDecision =
  /**
   * Ask the core to check this person in. `code`: the field's text is this person's ticket code,
   * sent along so the core matches it as a scan (and refuses a cancelled ticket as such).
   */
  | { kind: 'check_in'; attendeeId: number; by: 'choice' | 'code' | 'only_match'; code: string | null }
  /** Several match and no one was chosen: move to the first row and ask. */
  | { kind: 'choose'; highlight: 0; matches: number; more: boolean }
  /** No one matches: said in words for a name, and for a ticket code. */
  | { kind: 'not_found'; looksLikeCode: boolean }
  /** Nothing typed. */
  | { kind: 'nothing' };

/**
 * The Enter rule, in its order: an explicit choice first (the operator looked at that row), then
 * an exact ticket code (a scan wins over names the same text happens to match, and a cancelled
 * ticket's code names that ticket, which the core then refuses), then the only match.
 */
export function decideEnter(facts: EnterFacts): EnterDecision {
  const code = facts.query.trim();
  if (code === '') return { kind: 'nothing' };
  const { rows } = facts;
  const chosen = facts.chosen === null ? undefined : rows[facts.chosen];
  if (chosen) return { kind: 'check_in', attendeeId: chosen.id, by: 'choice', code: null };
  const scanned = rows.find((r) => isSameTicketCode(code, r.barcode));
  if (scanned) return { kind: 'check_in', attendeeId: scanned.id, by: 'code', code };
  if (rows.length === 1 && !facts.more)
    return { kind: 'check_in', attendeeId: rows[0]!.id, by: 'only_match', code: null };
  if (rows.length === 0) return { kind: 'not_found', looksLikeCode: looksLikeTicketCode(code) };
  return { kind: 'choose', highlight: 0, matches: rows.length, more: facts.more };
}

/** The person Enter would admit now, for the row the desk shows as selected; null when Enter would not admit. */
export function enterTarget(facts: EnterFacts): number | null {
  const decision = decideEnter(facts);
  return decision.kind === 'check_in' ? decision.attendeeId : null;
}
