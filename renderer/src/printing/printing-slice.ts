// Printing: the configured printers, the print queue (its page and the top bar's counts),
// printing one badge or a batch, and following a batch's progress. Print job pushes land here.
import type { Attendee } from '../../../shared/types.ts';
import type { Printer, PrinterConfig, PrintJob, PrintQueueSummary } from '../../../shared/printing.ts';
import type { PrinterStatus } from '../../../shared/printer-status.ts';
import { errorMessage } from '../ui/format.ts';
import { BridgeError } from '../app/bridge.ts';
import { MirroredList, upsertById } from '../app/lists.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import {
  followBatch,
  mergeBatchJobs,
  newerJob,
  PRINT_QUEUE_LIMIT,
  upsertJobs,
  type BatchProgress,
} from './print-jobs.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export type { BatchProgress } from './print-jobs.ts';

/** The print queue page's jobs, newest first. */
export interface PrintQueueState {
  jobs: PrintJob[] | null;
  error: string | null;
}

export type PrintBadgeResult =
  | { kind: 'queued'; job: PrintJob }
  | { kind: 'already_printed'; message: string }
  | { kind: 'failed'; message: string };

export interface PrintingSlice {
  /** The configured printers; null until the first answer. */
  printers: Printer[] | null;
  /** What each label printer last said of itself (paper out, ready, the labels loaded), by printer id. */
  printerStatuses: Record<number, PrinterStatus>;
  /** Counts of the print queue (the top bar's badge); null until the first answer. */
  printSummary: PrintQueueSummary | null;
  /** The print queue page, while it is open. */
  printQueue: PrintQueueState | null;
  /** Batches queued from event pages in this session, by event. */
  batches: Record<number, BatchProgress>;

  refreshPrinters(): Promise<void>;
  addPrinter(name: string, config: PrinterConfig): Promise<Printer>;
  removePrinter(printerId: number): Promise<void>;
  testPrinter(printerId: number): Promise<PrintJob>;
  /** Asks a label printer its state now (admin). */
  checkPrinterStatus(printerId: number): Promise<PrinterStatus>;
  systemPrinters(): Promise<{ name: string; isDefault: boolean }[]>;

  /**
   * The first badge of a person. 'already_printed' when main refuses a second copy (a reprint
   * needs a reason, see reprintBadge); other failures are toasted and answer 'failed'.
   */
  printBadge(attendee: Attendee): Promise<PrintBadgeResult>;
  reprintBadge(attendee: Attendee, note: string): Promise<PrintJob>;
  printBatch(
    eventId: number,
    options: { vipOnly: boolean; ticketName: string | null },
  ): Promise<{ queued: number; alreadyPrinted: number }>;
  dismissBatch(eventId: number): void;
  retryPrintJob(job: PrintJob): Promise<void>;
  cancelPrintJob(job: PrintJob): Promise<void>;
  markPrintJobPrinted(job: PrintJob): Promise<void>;
  refreshPrintQueue(): Promise<void>;
}

/** print.jobs answers at most this many rows. */
const PRINT_JOBS_MAX = 500;
const SUMMARY_REFRESH_MS = 400;

export const createPrintingSlice: SliceCreator<PrintingSlice> =
  ({ call, adminCall, timers, signals, printJobs }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    const throttle = new Throttle(timers);

    const printerList = new MirroredList(
      'printers',
      () => call('printers.list', {}),
      () => get().printers,
      (list) => set({ printers: list }),
    );
    // The printers' states are a help beside the list: a failed read leaves the last ones (pushes follow).
    const refreshStatusesNow = () =>
      refreshes
        .run('printerStatuses', async () => {
          const views = await call('printers.status', {});
          set({ printerStatuses: Object.fromEntries(views.map((v) => [v.printerId, v.status])) });
        })
        .catch(() => undefined);
    const refreshPrintersNow = () =>
      Promise.all([printerList.refresh(), refreshStatusesNow()]).then(() => undefined);
    const receiveStatus = (printerId: number, status: PrinterStatus) =>
      set((s) => ({ printerStatuses: { ...s.printerStatuses, [printerId]: status } }));

    const refreshSummaryNow = () =>
      refreshes.run('printSummary', async () => {
        set({ printSummary: await call('print.summary', {}) });
      });

    const refreshSummarySoon = () =>
      throttle.soon('printSummary', SUMMARY_REFRESH_MS, () => void refreshSummaryNow());

    const refreshQueueNow = () =>
      refreshes.run('printQueue', async () => {
        if (!get().printQueue) return;
        try {
          const jobs = await call('print.jobs', { limit: PRINT_QUEUE_LIMIT });
          printJobs.see(jobs);
          set((s) => {
            if (!s.printQueue) return {};
            // A push applied while this read was on its way is newer than the read: keep it.
            const current = new Map((s.printQueue.jobs ?? []).map((j) => [j.id, j] as const));
            return { printQueue: { jobs: jobs.map((j) => newerJob(current.get(j.id), j)), error: null } };
          });
        } catch (err) {
          set((s) => (s.printQueue ? { printQueue: { ...s.printQueue, error: errorMessage(err) } } : {}));
          throw err;
        }
      });

    /** Reads the event's batch jobs: follows a batch this window started, or finds one still printing. */
    const refreshBatch = (eventId: number, count?: number) =>
      refreshes.run(`batch:${eventId}`, async () => {
        const jobs = (await call('print.jobs', { eventId, limit: PRINT_JOBS_MAX })).filter(
          (j) => j.reason === 'batch',
        );
        printJobs.see(jobs);
        set((s) => {
          const next = followBatch(eventId, s.batches[eventId], jobs, count);
          return next ? { batches: { ...s.batches, [eventId]: next } } : {};
        });
      });

    const removeBatch = (eventId: number) =>
      set((s) => {
        if (!s.batches[eventId]) return {};
        const batches = { ...s.batches };
        delete batches[eventId];
        return { batches };
      });

    const receiveJob = (job: PrintJob) => {
      printJobs.receive(job);
      refreshSummarySoon();
    };

    const jobAction = async (run: () => Promise<PrintJob>, failure: string) => {
      try {
        receiveJob(await run());
      } catch (err) {
        get().toast(`${failure}: ${errorMessage(err)}`, 'error');
        void refreshQueueNow();
      }
    };

    printJobs.onJobs((jobs) =>
      set((s) => {
        const patch: Partial<PrintingSlice> = {};
        if (s.printQueue?.jobs)
          patch.printQueue = { ...s.printQueue, jobs: upsertJobs(s.printQueue.jobs, jobs) };
        let batches = s.batches;
        for (const eventId of new Set(jobs.map((j) => j.eventId))) {
          const batch = eventId !== null ? batches[eventId] : undefined;
          if (batch)
            batches = { ...batches, [batch.eventId]: { ...batch, jobs: mergeBatchJobs(batch, jobs) } };
        }
        if (batches !== s.batches) patch.batches = batches;
        return patch;
      }),
    );
    signals.onPush('printJobChanged', ({ job }) => receiveJob(job));
    signals.onPush('printerStatusChanged', ({ printerId, status }) => receiveStatus(printerId, status));
    signals.onReconnect(() => {
      const route = get().route;
      if (route.name === 'event') void refreshBatch(route.eventId);
      void refreshPrintersNow();
      void refreshSummaryNow();
      if (get().printQueue) void refreshQueueNow();
    });
    signals.onRoute((route, cause) => {
      if (cause === 'load') {
        // Printing is beside the point of starting: the desk works while these load (or fail).
        void refreshPrintersNow();
        void refreshSummaryNow();
        if (route.name === 'printQueue') void refreshQueueNow();
      } else if (route.name === 'printQueue') {
        if (!get().printQueue) set({ printQueue: { jobs: null, error: null } });
        void refreshQueueNow();
        void refreshSummaryNow();
      } else {
        if (get().printQueue) set({ printQueue: null });
        if (route.name === 'settings') void refreshPrintersNow();
      }
      if (route.name === 'event') void refreshBatch(route.eventId);
    });

    return {
      printers: null,
      printerStatuses: {},
      printSummary: null,
      printQueue: null,
      batches: {},

      refreshPrinters() {
        return refreshPrintersNow();
      },

      async addPrinter(name, config) {
        const printer = await adminCall('printers.add', { name, config });
        printerList.edit((list) => upsertById(list, printer));
        return printer;
      },

      async removePrinter(printerId) {
        await adminCall('printers.remove', { printerId });
        printerList.edit((list) => list.filter((p) => p.id !== printerId));
        // The station may have printed on it: main clears that choice.
        if (get().settings.printerId === printerId) void get().refreshSnapshot();
      },

      async testPrinter(printerId) {
        const job = await adminCall('printers.test', { printerId });
        receiveJob(job);
        return job;
      },

      async checkPrinterStatus(printerId) {
        const view = await adminCall('printers.checkStatus', { printerId });
        receiveStatus(view.printerId, view.status);
        return view.status;
      },

      systemPrinters() {
        return adminCall('printers.system', {});
      },

      async printBadge(attendee) {
        try {
          const job = await call('print.badge', { attendeeId: attendee.id });
          receiveJob(job);
          get().toast(`Printing badge of ${attendee.fullName} on ${job.printerName}`, 'success');
          return { kind: 'queued', job };
        } catch (err) {
          if (err instanceof BridgeError && err.code === 'CONFLICT')
            return { kind: 'already_printed', message: err.message };
          const message = errorMessage(err);
          get().toast(`Could not print the badge of ${attendee.fullName}: ${message}`, 'error');
          return { kind: 'failed', message };
        }
      },

      async reprintBadge(attendee, note) {
        const job = await call('print.reprint', { attendeeId: attendee.id, note });
        receiveJob(job);
        get().toast(`Reprinting badge of ${attendee.fullName} on ${job.printerName}`, 'success');
        return job;
      },

      async printBatch(eventId, options) {
        // Followed from before the call: the jobs' "queued" pushes can arrive before the answer.
        set((s) => ({
          batches: {
            ...s.batches,
            [eventId]: { eventId, total: null, alreadyPrinted: 0, jobs: {}, minJobId: null },
          },
        }));
        let result: { queued: number; alreadyPrinted: number };
        try {
          result = await adminCall('print.batch', { eventId, ...options });
        } catch (err) {
          removeBatch(eventId);
          throw err;
        }
        if (result.queued === 0) {
          removeBatch(eventId);
        } else {
          set((s) => {
            const batch = s.batches[eventId];
            return batch
              ? {
                  batches: {
                    ...s.batches,
                    [eventId]: { ...batch, total: result.queued, alreadyPrinted: result.alreadyPrinted },
                  },
                }
              : {};
          });
          void refreshBatch(eventId, result.queued);
        }
        refreshSummarySoon();
        return result;
      },

      dismissBatch(eventId) {
        removeBatch(eventId);
      },

      retryPrintJob(job) {
        return jobAction(() => call('print.retry', { jobId: job.id }), 'Could not retry');
      },

      cancelPrintJob(job) {
        return jobAction(() => call('print.cancel', { jobId: job.id }), 'Could not cancel');
      },

      markPrintJobPrinted(job) {
        return jobAction(() => call('print.markPrinted', { jobId: job.id }), 'Could not mark it printed');
      },

      async refreshPrintQueue() {
        await Promise.all([refreshQueueNow(), refreshSummaryNow()]);
      },
    };
  };
