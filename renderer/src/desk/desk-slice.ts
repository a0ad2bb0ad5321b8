// The check-in desk: the search field and its results, Enter (shared/desk-enter.ts: only a person
// someone chose is admitted), check-ins, undos and badges printed without a check-in one after
// another, the answer panel (desk-feedback.ts) and the recent check-in log. A scanned or camera
// code's path, and what it may be, in desk-enter-path.ts.
import type { Attendee } from '../../../shared/types.ts';
import type { CheckInOutcome, UndoOutcome } from '../../../shared/desk.ts';
import { describeCheckInOutcome, describeUndoOutcome } from '../../../shared/desk.ts';
import { decideEnter } from '../../../shared/desk-enter.ts';
import { glanceOfTone } from '../../../shared/glance.ts';
import { BridgeError } from '../app/bridge.ts';
import { isStorageErrorCode } from '../../../shared/errors.ts';
import { errorMessage, formatClock } from '../ui/format.ts';
import { replaceById } from '../app/lists.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import { countsArrivals, deskPassageOf, failedTitle } from './desk-passage.ts';
import { DeskSearch } from './desk-search.ts';
import type { FirstBadgeResult } from '../venue/state.ts';
import type { SliceCreator } from '../app/store-kit.ts';
import type { DeskFeedbackInput, DeskPrintLine } from './desk-feedback.ts';
import type { DeskSlice, DeskState } from './desk-types.ts';
import { createEnterPath } from './desk-enter-path.ts';
import {
  answerActions,
  checkInPrintLine,
  followPrintLine,
  panelSubject,
  printOnlyFeedback,
  reprintFeedback,
  settledPrintLine,
} from './desk-feedback.ts';

export type { DeskFeedback, DeskFeedbackTone, DeskPrintLine } from './desk-feedback.ts';
export type { DeskResults, DeskSlice, DeskState } from './desk-types.ts';

export const DESK_LOG_LIMIT = 20;
const LOG_REFRESH_MS = 150;
/** Re-reading the results after an attendee change waits a little longer than after a check-in. */
const RESULTS_AFTER_ATTENDEES_MS = 250;
const RESULTS_AFTER_CHECK_INS_MS = 150;
/** How long the desk waits for a check-in's print job before it looks the job up itself. */
const PRINT_LINE_WAIT_MS = 5000;

const closedSearch = {
  query: '',
  results: null,
  highlight: null,
  searchError: null,
} satisfies Partial<DeskState>;

export const createDeskSlice: SliceCreator<DeskSlice> =
  ({ call, adminCall, timers, signals, printJobs, newActionId }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    const throttle = new Throttle(timers);
    const search = new DeskSearch(call, timers);
    /** Check-ins and undos run one after another, in the order they were asked for. */
    let deskChain: Promise<void> = Promise.resolve();
    let lastFeedbackId = 0;

    const patchDesk = (eventId: number, patch: (d: DeskState) => Partial<DeskState>) => {
      set((s) => (s.desk && s.desk.eventId === eventId ? { desk: { ...s.desk, ...patch(s.desk) } } : {}));
    };

    const refreshLogNow = (eventId: number) =>
      refreshes.run(`log:${eventId}`, async () => {
        if (get().desk?.eventId !== eventId) return;
        try {
          const log = await call('desk.log', { eventId, limit: DESK_LOG_LIMIT });
          patchDesk(eventId, () => ({ log, logError: null }));
        } catch (err) {
          patchDesk(eventId, () => ({ logError: errorMessage(err) }));
          throw err;
        }
      });

    /** Searches the field's text and shows the answer, unless a newer search or a clear came first. */
    const runSearch = (eventId: number, query: string) =>
      search
        .run(eventId, query, (answer) =>
          patchDesk(eventId, (d) => {
            if (d.query !== query) return {};
            if ('error' in answer) return { searchError: errorMessage(answer.error) };
            const { rows, more } = answer.result;
            // A refresh of the same text keeps the choice on the same person; new text, or that
            // person gone, leaves no one chosen: Enter must never land on someone not chosen.
            let highlight: number | null = null;
            if (d.results && d.results.query === query && d.highlight !== null) {
              const current = d.results.rows[d.highlight];
              const index = current ? rows.findIndex((r) => r.id === current.id) : -1;
              highlight = index >= 0 ? index : null;
            }
            return { results: { query, rows, more }, highlight, searchError: null };
          }),
        )
        .catch(() => undefined);

    const clearSearch = (eventId: number) => {
      search.cancel();
      patchDesk(eventId, () => closedSearch);
    };

    /** Re-reads the results on screen (their check-in markers or names changed). */
    const refreshResults = (eventId: number) => {
      const desk = get().desk;
      if (!desk || desk.eventId !== eventId || !desk.results || desk.results.query !== desk.query) return;
      void runSearch(eventId, desk.query);
    };

    const showFeedback = (eventId: number, feedback: DeskFeedbackInput): number => {
      const id = ++lastFeedbackId;
      patchDesk(eventId, () => ({ feedback: { ...feedback, id } }));
      return id;
    };

    const afterDeskAction = (eventId: number) => {
      void refreshLogNow(eventId);
      get().refreshEventSoon(eventId);
      get().refreshStatsSoon(eventId);
    };

    /** Queues a desk call behind the ones before it: never two at once, never one lost. */
    const enqueue = (eventId: number, run: () => Promise<void>): Promise<void> => {
      patchDesk(eventId, (d) => ({ pending: d.pending + 1 }));
      const next = deskChain
        .then(run)
        .finally(() => patchDesk(eventId, (d) => ({ pending: Math.max(0, d.pending - 1) })));
      deskChain = next.catch(() => undefined);
      return next;
    };

    /** The print line of a check-in that queued a badge: its job if main named it or a push brought it. */
    const printLineFor = (outcome: Extract<CheckInOutcome, { kind: 'checked_in' }>, afterJobId: number) =>
      checkInPrintLine(
        outcome,
        afterJobId,
        get().settings,
        get().printers,
        printJobs.recentCheckInJob(outcome.attendee.id),
      );

    /** No job showed up for the desk's print line: look it up once, else say so. */
    const settlePrintLine = (eventId: number, feedbackId: number) => {
      timers.setTimeout(() => {
        const line = get().desk?.feedback?.print;
        if (get().desk?.feedback?.id !== feedbackId || !line || line.job) return;
        const apply = (patch: Pick<DeskPrintLine, 'job' | 'note'>) =>
          patchDesk(eventId, (d) =>
            d.feedback && d.feedback.id === feedbackId && d.feedback.print && !d.feedback.print.job
              ? { feedback: { ...d.feedback, print: { ...d.feedback.print, ...patch } } }
              : {},
          );
        call('print.jobs', { eventId, limit: 100 }).then(
          (jobs) => {
            printJobs.see(jobs);
            apply(settledPrintLine(line, jobs));
          },
          () => apply({ job: null, note: 'Could not follow the badge; see the Print queue' }),
        );
      }, PRINT_LINE_WAIT_MS);
    };

    /** Check-ins refused because the station could not save them, waiting for the storage to take writes again. */
    let unsaved: {
      eventId: number;
      actionId: string;
      input: { code?: string; attendeeId?: number; confirm?: true; override?: string };
      subject: string;
    }[] = [];
    const countUnsaved = (eventId: number) =>
      patchDesk(eventId, () => ({ unsaved: unsaved.filter((u) => u.eventId === eventId).length }));

    const passageOf = (eventId: number) => deskPassageOf(get().settings, eventId);

    const checkIn = async (
      eventId: number,
      input: { code?: string; attendeeId?: number; confirm?: true; override?: string },
      subject: string,
    ) => {
      let outcome: CheckInOutcome;
      const afterJobId = printJobs.highestIdSeen;
      const actionId = newActionId();
      try {
        // An override is the admin's: a refusal of it (the lock came back) re-reads the session.
        outcome = await (input.override ? adminCall : call)('desk.checkIn', { eventId, actionId, ...input });
      } catch (err) {
        // Shown as failed, never as done. Not saved because of the storage: tried again by itself.
        const notSaved = err instanceof BridgeError && isStorageErrorCode(err.code);
        if (notSaved) {
          unsaved.push({ eventId, actionId, input, subject });
          countUnsaved(eventId);
        }
        const title = failedTitle(passageOf(eventId).exit, notSaved);
        const detail = notSaved
          ? `${errorMessage(err)} This check-in is tried again by itself then.`
          : errorMessage(err);
        showFeedback(eventId, { tone: 'error', title, subject, detail, undoable: null });
        return;
      }
      const view = describeCheckInOutcome(outcome, formatClock);
      // The badge prints on its own: the answer shows now, the print line follows the job's pushes.
      const print = outcome.kind === 'checked_in' ? printLineFor(outcome, afterJobId) : null;
      const feedbackId = showFeedback(eventId, {
        ...view,
        ...answerActions(outcome, print),
        notFound: outcome.kind === 'not_found',
        print,
        // Every check-in's outcome shows at a glance, by its tone: green in, amber look, red no.
        glance: glanceOfTone(view.tone),
      });
      if (print && !print.job && !print.priorPrint) settlePrintLine(eventId, feedbackId);
      if (outcome.kind !== 'not_found') get().replaceDeskRow(outcome.attendee);
      if (outcome.kind === 'checked_in' && !outcome.list && outcome.attendee.status === 'ATTENDING')
        get().adjustCheckedIn(eventId, 1);
      afterDeskAction(eventId);
    };

    const undo = async (eventId: number, attendee: Attendee) => {
      let outcome: UndoOutcome;
      try {
        outcome = await call('desk.undo', { eventId, attendeeId: attendee.id, actionId: newActionId() });
      } catch (err) {
        showFeedback(eventId, {
          tone: 'error',
          title: 'Undo failed',
          subject: attendee.fullName,
          detail: errorMessage(err),
          undoable: null,
        });
        return;
      }
      // The answer's text (and whether the badge it queued was taken back) comes from shared/desk.ts.
      showFeedback(eventId, { ...describeUndoOutcome(outcome), undoable: null });
      if (
        outcome.kind === 'undone' &&
        countsArrivals(passageOf(eventId)) &&
        outcome.attendee.status === 'ATTENDING'
      )
        get().adjustCheckedIn(eventId, -1);
      get().replaceDeskRow(outcome.attendee);
      afterDeskAction(eventId);
    };

    /** The storage takes writes again: the refused check-ins go in, in their order, each under its own action id (once). */
    const saveUnsaved = () => {
      const waiting = unsaved;
      unsaved = [];
      for (const u of waiting) {
        void enqueue(u.eventId, async () => {
          try {
            const outcome = await call('desk.checkIn', {
              eventId: u.eventId,
              actionId: u.actionId,
              ...u.input,
            });
            const who = outcome.kind === 'not_found' ? u.subject : outcome.attendee.fullName;
            if (outcome.kind === 'checked_in') get().toast(`Saved now: ${who} is checked in`, 'success');
            else get().toast(`${who}: ${describeCheckInOutcome(outcome, formatClock).title}`, 'info');
            if (outcome.kind === 'checked_in' && outcome.attendee.status === 'ATTENDING')
              get().adjustCheckedIn(u.eventId, 1);
            if (outcome.kind !== 'not_found') get().replaceDeskRow(outcome.attendee);
            afterDeskAction(u.eventId);
          } catch (err) {
            if (err instanceof BridgeError && isStorageErrorCode(err.code)) unsaved.push(u);
            else get().toast(`${u.subject}: check-in failed (${errorMessage(err)})`, 'error');
          }
          countUnsaved(u.eventId);
        }).catch(() => undefined);
      }
    };
    signals.onPush('storageChanged', (status) => {
      if (status.state === 'ok' && unsaved.length > 0) saveUnsaved();
    });

    const openDesk = (eventId: number) => {
      search.cancel();
      set({
        desk: {
          eventId,
          ...closedSearch,
          pending: 0,
          feedback: null,
          log: null,
          logError: null,
          unsaved: unsaved.filter((u) => u.eventId === eventId).length,
          selectQuery: 0,
        },
      });
      void refreshLogNow(eventId);
    };

    const closeDesk = () => {
      if (!get().desk) return;
      search.cancel();
      set({ desk: null });
    };

    /** Jobs that arrived: the print line follows the newest job of its check-in. */
    printJobs.onJobs((jobs) =>
      set((s) => {
        const feedback = s.desk?.feedback;
        const line = feedback?.print;
        if (!s.desk || !feedback || !line) return {};
        const next = followPrintLine(line, jobs);
        return next === line ? {} : { desk: { ...s.desk, feedback: { ...feedback, print: next } } };
      }),
    );
    signals.onPush('attendeesChanged', ({ eventId, attendeeIds }) => {
      const desk = get().desk;
      if (desk?.eventId !== eventId) return;
      throttle.soon(`results:${eventId}`, RESULTS_AFTER_ATTENDEES_MS, () => refreshResults(eventId));
      // A name in Recent check-ins changed (a badge-name correction here or at another desk).
      const changed = new Set(attendeeIds);
      if (desk.log?.some((e) => changed.has(e.attendeeId)))
        throttle.soon(`log:${eventId}`, LOG_REFRESH_MS, () => void refreshLogNow(eventId));
    });
    signals.onPush('checkinsChanged', ({ eventId }) => {
      if (get().desk?.eventId !== eventId) return;
      throttle.soon(`log:${eventId}`, LOG_REFRESH_MS, () => void refreshLogNow(eventId));
      throttle.soon(`results:${eventId}`, RESULTS_AFTER_CHECK_INS_MS, () => refreshResults(eventId));
    });
    signals.onReconnect(() => {
      const desk = get().desk;
      if (!desk) return;
      void refreshLogNow(desk.eventId);
      refreshResults(desk.eventId);
    });
    signals.onRoute((route, cause) => {
      if (route.name === 'desk') {
        if (get().desk?.eventId !== route.eventId) openDesk(route.eventId);
      } else if (cause === 'navigate') {
        closeDesk();
      }
    });

    /** The panel's person admitted after the operator's word: a flag confirmed, or an admin's override. */
    const admitPicked = (attendee: Attendee, word: { confirm: true } | { override: string }) => {
      const desk = get().desk;
      if (!desk) return Promise.resolve();
      return enqueue(desk.eventId, () =>
        checkIn(desk.eventId, { attendeeId: attendee.id, ...word }, attendee.fullName),
      );
    };

    const { checkInInput, keepQuery, showRefusedEnter, refuseScan, enterScanned } = createEnterPath({
      get,
      search,
      patchDesk,
      clearSearch,
      showFeedback,
      enqueue,
      checkIn,
    });

    return {
      desk: null,

      deskType(text) {
        const desk = get().desk;
        if (!desk) return;
        if (text.trim() === '') {
          search.cancel();
          patchDesk(desk.eventId, () => ({ ...closedSearch, query: text }));
          return;
        }
        patchDesk(desk.eventId, () => ({ query: text }));
        // For the latest text only, once the keystrokes pause.
        search.afterPause(() => {
          const latest = get().desk;
          if (latest && latest.query.trim() !== '') void runSearch(latest.eventId, latest.query);
        });
      },

      deskMove(delta) {
        const desk = get().desk;
        if (!desk || !desk.results || desk.results.query !== desk.query) return;
        const n = desk.results.rows.length;
        if (n === 0) return;
        patchDesk(desk.eventId, (d) => ({
          highlight: d.highlight === null ? (delta > 0 ? 0 : n - 1) : (((d.highlight + delta) % n) + n) % n,
        }));
      },

      deskClear() {
        const desk = get().desk;
        if (desk) clearSearch(desk.eventId);
      },

      deskEnter(text) {
        const desk = get().desk;
        const code = text.trim();
        if (!desk || code === '') return Promise.resolve();
        const { eventId, results, highlight } = desk;
        const refused = refuseScan(eventId, text, false);
        if (refused) {
          clearSearch(eventId);
          return refused;
        }
        const subject = panelSubject(code);
        if (results && results.query === text) {
          // Results for exactly this text: the rule decides now, with the operator's choice.
          const decision = decideEnter({ ...results, query: text, chosen: highlight });
          if (decision.kind === 'check_in') {
            // The field is cleared at once: whatever is typed or scanned next belongs to the next person.
            clearSearch(eventId);
            return enqueue(eventId, () => checkIn(eventId, checkInInput(decision), subject));
          }
          keepQuery(eventId, decision);
          return enqueue(eventId, async () => void showRefusedEnter(eventId, text, decision));
        }
        // A scanner types faster than results arrive.
        return enterScanned(eventId, text);
      },

      deskScan(text, decoded = {}) {
        const desk = get().desk;
        if (!desk || text.trim() === '') return Promise.resolve();
        // The camera's code takes a scanner's path: as a scanner's Enter, it clears the field.
        const refused = refuseScan(desk.eventId, text, decoded.binary === true);
        if (refused) return refused;
        return enterScanned(desk.eventId, text);
      },

      deskCheckIn(attendee) {
        const desk = get().desk;
        if (!desk) return Promise.resolve();
        clearSearch(desk.eventId);
        return enqueue(desk.eventId, () =>
          checkIn(desk.eventId, { attendeeId: attendee.id }, attendee.fullName),
        );
      },

      async deskPrintBadge(attendee) {
        const desk = get().desk;
        let result: FirstBadgeResult = { kind: 'failed', message: 'The desk is closed' };
        if (!desk) return result;
        // The search stays for a check-in that may follow, selected: a scan replaces it.
        if (desk.query !== '') patchDesk(desk.eventId, (d) => ({ selectQuery: d.selectQuery + 1 }));
        await enqueue(desk.eventId, async () => {
          try {
            result = await get().printFirstBadge(attendee);
          } catch (err) {
            result = { kind: 'failed', message: errorMessage(err) };
          }
          showFeedback(desk.eventId, printOnlyFeedback(attendee, result, formatClock));
        });
        return result;
      },

      deskReprinted(attendee, job) {
        const desk = get().desk;
        if (desk) showFeedback(desk.eventId, reprintFeedback(attendee, job, formatClock));
      },

      deskOverride: (attendee, reason) => admitPicked(attendee, { override: reason }),

      deskConfirm: (attendee) => admitPicked(attendee, { confirm: true }),

      deskAction(eventId, run) {
        if (get().desk?.eventId !== eventId) return run().then(() => undefined);
        return enqueue(eventId, async () => {
          const feedback = await run();
          if (feedback) showFeedback(eventId, feedback);
          afterDeskAction(eventId);
        });
      },

      deskUndo(attendee) {
        const desk = get().desk;
        if (!desk) return Promise.resolve();
        return enqueue(desk.eventId, () => undo(desk.eventId, attendee));
      },

      exportCheckIns(eventId) {
        return adminCall('desk.exportCsv', { eventId });
      },

      replaceDeskRow(attendee) {
        patchDesk(attendee.eventId, (d) =>
          d.results ? { results: { ...d.results, rows: replaceById(d.results.rows, attendee) } } : {},
        );
      },
    };
  };
