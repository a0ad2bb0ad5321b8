// The check-in desk: the search field and its results, check-ins and undos one after another,
// the answer panel (with the badge's print line under a check-in) and the recent check-in log.
import type { Attendee } from '../../../shared/types.ts';
import type { CheckInFeedback, CheckInLogEntry, CheckInOutcome, UndoOutcome } from '../../../shared/desk.ts';
import { describeCheckInOutcome, describeUndoOutcome } from '../../../shared/desk.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { BridgeError } from '../app/bridge.ts';
import { isStorageErrorCode } from '../../../shared/errors.ts';
import type { PriorPrint } from '../../../shared/venue-view.ts';
import { errorMessage, formatClock } from '../ui/format.ts';
import { replaceById } from '../app/lists.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import { DeskSearch } from './desk-search.ts';
import { newerJob } from '../printing/state.ts';
import type { SliceCreator } from '../app/store-kit.ts';

/** The results on the desk, and the exact field text they answer. */
export interface DeskResults {
  query: string;
  rows: Attendee[];
  more: boolean;
}

export type DeskFeedbackTone = CheckInFeedback['tone'] | 'info';

export interface DeskFeedback {
  /** Bumped per answer, so the panel can flash even when two answers read alike. */
  id: number;
  tone: DeskFeedbackTone;
  title: string;
  subject: string;
  detail: string | null;
  /** Set when the answer recorded a check-in: the panel offers Undo for this attendee. */
  undoable: Attendee | null;
  /** The badge this check-in sends to the station's printer (auto-print), followed by its job's state. */
  print?: DeskPrintLine | null;
}

/** The desk's "Badge printing on …" line under a check-in. Printing never holds the check-in up. */
export interface DeskPrintLine {
  attendeeId: number;
  printerName: string;
  /** Jobs with a higher id are new since the check-in was asked for. */
  afterJobId: number;
  /** The job main queued for this check-in; null until it shows up. */
  job: PrintJob | null;
  /** Said instead when no job showed up. */
  note: string | null;
  /** The venue already printed this badge (at any desk), so none was queued: the desk offers a reprint. */
  priorPrint: PriorPrint | null;
}

export interface DeskState {
  eventId: number;
  /** The search field's text. */
  query: string;
  results: DeskResults | null;
  /** Index of the highlighted result (Enter checks that one in). */
  highlight: number;
  searchError: string | null;
  /** Check-in or undo calls not answered yet. */
  pending: number;
  feedback: DeskFeedback | null;
  /** Recent check-in log entries, newest first; null until the first answer. */
  log: CheckInLogEntry[] | null;
  logError: string | null;
  /** Check-ins the station could not save (disk full, folder read-only or gone): tried again, with their own action ids, once it can. */
  unsaved: number;
}

export interface DeskSlice {
  /** The check-in desk, while its screen is open. */
  desk: DeskState | null;
  /** The desk's search field changed: search as the operator types. */
  deskType(text: string): void;
  /** Moves the highlight through the results (wraps). */
  deskMove(delta: number): void;
  /** Escape: clears the field, the results and the highlight (the feedback stays). */
  deskClear(): void;
  /** Enter in the search field with its current text: checks in the scanned code or the highlighted result. */
  deskEnter(text: string): Promise<void>;
  /** A click on a result: checks that person in. */
  deskCheckIn(attendee: Attendee): Promise<void>;
  deskUndo(attendee: Attendee): Promise<void>;
  /** The check-in log as CSV (admin). */
  exportCheckIns(eventId: number): Promise<{ filename: string; csv: string }>;
  /** A fresh copy of an attendee from an answer (another slice's): replaces its row in the results. */
  replaceDeskRow(attendee: Attendee): void;
}

export const DESK_LOG_LIMIT = 20;
const LOG_REFRESH_MS = 150;
/** Re-reading the results after an attendee change waits a little longer than after a check-in. */
const RESULTS_AFTER_ATTENDEES_MS = 250;
const RESULTS_AFTER_CHECK_INS_MS = 150;
/** How long the desk waits for a check-in's print job before it looks the job up itself. */
const PRINT_LINE_WAIT_MS = 5000;
/** Longer scanned codes are cut to this in the answer panel. */
const SUBJECT_MAX = 80;

const closedSearch = {
  query: '',
  results: null,
  highlight: 0,
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
            // A refresh of the same text keeps the highlight on the same person.
            let highlight = 0;
            if (d.results && d.results.query === query) {
              const current = d.results.rows[d.highlight];
              const index = current ? rows.findIndex((r) => r.id === current.id) : -1;
              highlight = index >= 0 ? index : Math.min(d.highlight, Math.max(0, rows.length - 1));
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

    const showFeedback = (eventId: number, feedback: Omit<DeskFeedback, 'id'>): number => {
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
    const printLineFor = (
      outcome: Extract<CheckInOutcome, { kind: 'checked_in' }>,
      afterJobId: number,
    ): DeskPrintLine | null => {
      const { autoPrint, printerId } = get().settings;
      if (!autoPrint || printerId === null) return null;
      const pushed = printJobs.recentCheckInJob(outcome.attendee.id);
      // The answer names the queued job; a push may already have moved it further.
      const job = outcome.printJob
        ? newerJob(pushed && pushed.id === outcome.printJob.id ? pushed : undefined, outcome.printJob)
        : pushed && pushed.id > afterJobId
          ? pushed
          : null;
      const printerName = get().printers?.find((p) => p.id === printerId)?.name ?? 'the badge printer';
      return {
        attendeeId: outcome.attendee.id,
        printerName,
        afterJobId,
        job,
        note: null,
        priorPrint: job ? null : (outcome.priorPrint ?? null),
      };
    };

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
            const mine = jobs.filter((j) => j.attendeeId === line.attendeeId).sort((a, b) => b.id - a.id)[0];
            if (mine && mine.id > line.afterJobId) apply({ job: mine, note: null });
            else if (mine && mine.state === 'printed')
              apply({ job: null, note: 'Badge printed before; use Print badge for a reprint' });
            else apply({ job: null, note: 'No badge was queued; see the Print queue' });
          },
          () => apply({ job: null, note: 'Could not follow the badge; see the Print queue' }),
        );
      }, PRINT_LINE_WAIT_MS);
    };

    /** Check-ins refused because the station could not save them, waiting for the storage to take writes again. */
    let unsaved: {
      eventId: number;
      actionId: string;
      input: { code?: string; attendeeId?: number };
      subject: string;
    }[] = [];
    const countUnsaved = (eventId: number) =>
      patchDesk(eventId, () => ({ unsaved: unsaved.filter((u) => u.eventId === eventId).length }));

    const checkIn = async (
      eventId: number,
      input: { code?: string; attendeeId?: number },
      subject: string,
    ) => {
      let outcome: CheckInOutcome;
      const afterJobId = printJobs.highestIdSeen;
      const actionId = newActionId();
      try {
        outcome = await call('desk.checkIn', { eventId, actionId, ...input });
      } catch (err) {
        // Shown as failed, never as done. Not saved because of the storage: tried again by itself.
        const notSaved = err instanceof BridgeError && isStorageErrorCode(err.code);
        if (notSaved) {
          unsaved.push({ eventId, actionId, input, subject });
          countUnsaved(eventId);
        }
        const title = notSaved ? 'Check-in not saved' : 'Check-in failed';
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
        undoable: outcome.kind === 'checked_in' ? outcome.attendee : null,
        print,
      });
      if (print && !print.job && !print.priorPrint) settlePrintLine(eventId, feedbackId);
      if (outcome.kind !== 'not_found') get().replaceDeskRow(outcome.attendee);
      if (outcome.kind === 'checked_in' && outcome.attendee.status === 'ATTENDING')
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
      if (outcome.kind === 'undone' && outcome.attendee.status === 'ATTENDING')
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
        let job = line.job;
        for (const j of jobs) {
          if (j.reason !== 'check_in' || j.attendeeId !== line.attendeeId || j.id <= line.afterJobId)
            continue;
          if (!job || j.id > job.id) job = j;
          else if (j.id === job.id) job = newerJob(job, j);
        }
        return job === line.job
          ? {}
          : { desk: { ...s.desk, feedback: { ...feedback, print: { ...line, job, note: null } } } };
      }),
    );
    signals.onPush('attendeesChanged', ({ eventId }) => {
      if (get().desk?.eventId === eventId)
        throttle.soon(`results:${eventId}`, RESULTS_AFTER_ATTENDEES_MS, () => refreshResults(eventId));
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
        patchDesk(desk.eventId, (d) => ({ highlight: (((d.highlight + delta) % n) + n) % n }));
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
        // Results for exactly this text: Enter means the highlighted one. Otherwise (a scanner types
        // faster than results arrive) the answer for this text decides, and its first row is the pick.
        const pick: Promise<number | undefined> =
          results && results.query === text
            ? Promise.resolve(results.rows[highlight]?.id)
            : search.find(eventId, text).then(
                (r) => r.rows[0]?.id,
                () => undefined,
              );
        // The field is cleared at once: whatever is typed or scanned next belongs to the next person.
        clearSearch(eventId);
        const subject = code.length > SUBJECT_MAX ? `${code.slice(0, SUBJECT_MAX)}…` : code;
        return enqueue(eventId, async () => {
          const attendeeId = await pick;
          await checkIn(eventId, attendeeId === undefined ? { code } : { code, attendeeId }, subject);
        });
      },

      deskCheckIn(attendee) {
        const desk = get().desk;
        if (!desk) return Promise.resolve();
        clearSearch(desk.eventId);
        return enqueue(desk.eventId, () =>
          checkIn(desk.eventId, { attendeeId: attendee.id }, attendee.fullName),
        );
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
