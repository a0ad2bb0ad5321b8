// Printers and the print queue, as both sides see them. Pure.
import type { BrotherModel } from './brother.ts';

export const PRINTER_KINDS = ['pdf_folder', 'zpl_tcp', 'brother_ql', 'os'] as const;
export type PrinterKind = (typeof PRINTER_KINDS)[number];

export const PRINTER_KIND_LABEL: Record<PrinterKind, string> = {
  pdf_folder: 'PDF files to a folder',
  zpl_tcp: 'Label printer (ZPL over TCP 9100)',
  brother_ql: 'Brother QL label printer (raster over TCP 9100)',
  os: 'System printer',
};

export type PrinterConfig =
  | { kind: 'pdf_folder'; folder: string }
  | { kind: 'zpl_tcp'; host: string; port: number; dpi: 203 | 300 }
  | { kind: 'brother_ql'; host: string; port: number; model: BrotherModel }
  | { kind: 'os'; deviceName: string };

export interface Printer {
  id: number;
  name: string;
  config: PrinterConfig;
  createdAt: string;
  /** False where this host cannot drive it (a system printer in the browser host). */
  available: boolean;
}

/**
 * queued -> printing -> printed | failed; a job found "printing" after a crash becomes
 * may_have_printed and waits for a person (print again, or mark it printed) instead of
 * printing a second copy by itself.
 */
export const PRINT_JOB_STATES = [
  'queued',
  'printing',
  'printed',
  'failed',
  'may_have_printed',
  'cancelled',
] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

/** Why the job exists. A badge prints once (check_in / manual / batch); every further copy is a reprint, with who and why. */
export type PrintJobReason = 'check_in' | 'manual' | 'batch' | 'reprint' | 'test';

/**
 * Where a job may print. A test print is for its printer alone; every badge is the station's, and
 * goes to the next free printer of the station's pool (its printer and the printers that share its
 * badges), passing over a stopped one. The job's printer is where it printed, or was last meant to.
 */
export type PrintJobDispatch = 'printer' | 'pool';

export function printJobDispatch(job: Pick<PrintJob, 'reason'>): PrintJobDispatch {
  return job.reason === 'test' ? 'printer' : 'pool';
}

/** Label printers say their state (paper out, head open, the labels loaded); a folder or a system printer does not. */
export function printerTellsStatus(config: PrinterConfig): boolean {
  return config.kind === 'zpl_tcp' || config.kind === 'brother_ql';
}

export interface PrintJob {
  id: number;
  eventId: number | null;
  attendeeId: number | null;
  attendeeName: string | null;
  printerId: number;
  printerName: string;
  reason: PrintJobReason;
  state: PrintJobState;
  /** The last failure (kept while the job waits for a retry). */
  error: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  requestedBy: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  printedAt: string | null;
}

export interface PrintQueueSummary {
  queued: number;
  printing: number;
  failed: number;
  mayHavePrinted: number;
}

export const PRINT_JOB_STATE_LABEL: Record<PrintJobState, string> = {
  queued: 'Queued',
  printing: 'Printing',
  printed: 'Printed',
  failed: 'Failed',
  may_have_printed: 'May have printed',
  cancelled: 'Cancelled',
};

/**
 * The standing notice of a station whose check-ins print no badge: no printer chosen for it (or
 * the chosen one is gone), or printing at check-in turned off. The desk and the print queue say it
 * once, as a line that stays, never per check-in. Null when badges print at check-in.
 */
export function badgesNotPrintingText(
  station: { printerId: number | null; autoPrint: boolean },
  printerExists = true,
): string | null {
  if (station.printerId === null || !printerExists)
    return 'Badges are not printing at this desk — set a printer in Settings';
  if (!station.autoPrint)
    return 'Badges are not printing at this desk — turn on “Print a badge at check-in” in Settings';
  return null;
}
