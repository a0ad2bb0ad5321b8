// The path a code takes to the core, shared by the desk's Enter and its camera: the screen of what
// may be looked up at all (shared/scanned-code.ts), then the search and the Enter rule
// (shared/desk-enter.ts) with no choice made when a scanner or the camera is faster than the
// results, and what the panel says when no one is admitted. Built by the desk slice with its queue.
import type { EnterDecision } from '../../../shared/desk-enter.ts';
import { decideEnter } from '../../../shared/desk-enter.ts';
import { screenScannedCode } from '../../../shared/scanned-code.ts';
import type { BadgeDeskStore } from '../app/store-kit.ts';
import type { DeskSearch } from './desk-search.ts';
import type { DeskFeedbackInput } from './desk-feedback.ts';
import { notFoundFeedback, panelSubject, severalMatchFeedback } from './desk-feedback.ts';
import type { DeskState } from './desk-types.ts';
import { refusedScanFeedback } from './scan-feedback.ts';

type Refused = Exclude<EnterDecision, { kind: 'check_in' }>;

export interface EnterPathDeps {
  get(): BadgeDeskStore;
  search: DeskSearch;
  patchDesk(eventId: number, patch: (d: DeskState) => Partial<DeskState>): void;
  clearSearch(eventId: number): void;
  showFeedback(eventId: number, feedback: DeskFeedbackInput): number;
  /** The desk's queue: one call after another, in the order asked. */
  enqueue(eventId: number, run: () => Promise<void>): Promise<void>;
  checkIn(eventId: number, input: { code?: string; attendeeId?: number }, subject: string): Promise<void>;
}

export function createEnterPath(deps: EnterPathDeps) {
  const { get, search, patchDesk, clearSearch, showFeedback, enqueue, checkIn } = deps;

  /** What the core is asked for an admission: a ticket code goes along so the core matches it as a scan. */
  const checkInInput = (decision: Extract<EnterDecision, { kind: 'check_in' }>) =>
    decision.code === null
      ? { attendeeId: decision.attendeeId }
      : { code: decision.code, attendeeId: decision.attendeeId };

  /** Enter admitted no one: the text stays. On "several match" the choice moves to the first row; on "not found" the text is selected, so the next keystroke replaces it. */
  const keepQuery = (eventId: number, decision: Refused) => {
    if (decision.kind === 'choose') patchDesk(eventId, () => ({ highlight: decision.highlight }));
    else if (decision.kind === 'not_found') patchDesk(eventId, (d) => ({ selectQuery: d.selectQuery + 1 }));
  };

  /** What the panel says when Enter admitted no one ("not found" is red at a glance). */
  const showRefusedEnter = (eventId: number, text: string, decision: Refused) => {
    if (decision.kind === 'choose')
      showFeedback(eventId, severalMatchFeedback(text, decision.matches, decision.more));
    else if (decision.kind === 'not_found')
      showFeedback(eventId, { ...notFoundFeedback(text), glance: 'refused' });
  };

  /**
   * A code the desk must not look up (binary, too long, a link, another event's): said as "not
   * found" or "another event", and nothing else happens. Else null.
   */
  const refuseScan = (eventId: number, text: string, binary: boolean): Promise<void> | null => {
    const event = get().events.find((e) => e.id === eventId);
    if (!event) return null;
    const verdict = screenScannedCode(text, event, { binary });
    if (verdict.kind === 'code') return null;
    return enqueue(
      eventId,
      async () => void showFeedback(eventId, refusedScanFeedback(verdict.reason, text)),
    );
  };

  /**
   * A scanned code, with no choice made (none could be): the field is cleared at once, and the
   * search's answer for this text decides, as decideEnter does for a scanner's Enter.
   */
  const enterScanned = (eventId: number, text: string): Promise<void> => {
    const code = text.trim();
    const subject = panelSubject(code);
    const answer = search.find(eventId, text).then(
      (r) => r,
      () => null,
    );
    clearSearch(eventId);
    return enqueue(eventId, async () => {
      const found = await answer;
      // The search failed: the core looks the code up itself (it admits an exact code only).
      if (found === null) return checkIn(eventId, { code }, subject);
      const decision = decideEnter({ ...found, query: text, chosen: null });
      if (decision.kind === 'check_in') return checkIn(eventId, checkInInput(decision), subject);
      // Nobody admitted: the text comes back with its results, unless something was typed since.
      patchDesk(eventId, (d) =>
        d.query === '' ? { query: text, results: { query: text, ...found }, searchError: null } : {},
      );
      if (get().desk?.query === text) keepQuery(eventId, decision);
      showRefusedEnter(eventId, text, decision);
    });
  };

  return { checkInInput, keepQuery, showRefusedEnter, refuseScan, enterScanned };
}
