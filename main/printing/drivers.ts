// Printer drivers behind one interface: PDF files to a folder, raw ZPL over TCP (port 9100) for
// Zebra-compatible label printers, Brother QL raster over TCP (label-drivers.ts), and the OS
// printer (through Electron, given by the host). A driver opens a session: the printer's own
// account of itself first (label printers say it), then the badge, on the same connection.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadgeLayout } from '../../shared/badge.ts';
import type { Printer, PrinterConfig } from '../../shared/printing.ts';
import type { PrinterStatus } from '../../shared/printer-status.ts';
import { renderPdf } from './render.ts';
import { PrinterUnreachableError, unreachable } from './tcp-link.ts';
import { brotherDriver, zplDriver, type LabelDriverTimes } from './label-drivers.ts';

export { PrinterUnreachableError } from './tcp-link.ts';

export interface BadgeToPrint {
  jobId: number;
  /** For file names and document titles. */
  title: string;
  layout: BadgeLayout;
}

/**
 * What became of a badge sent: printed (with what the printer said after it, where it says), or
 * the printer reported a fault while printing it (it may have come out).
 */
export type SendOutcome =
  { kind: 'printed'; statusAfter?: PrinterStatus } | { kind: 'fault_while_printing'; status: PrinterStatus };

export interface PrinterSession {
  /** What the printer said of itself when asked; null for printers that cannot say (a folder, a system printer). */
  readonly status: PrinterStatus | null;
  /** Why this badge cannot print here as the printer is (the loaded labels do not fit it), or null. */
  refuse(badge: BadgeToPrint): PrinterStatus | null;
  send(badge: BadgeToPrint): Promise<SendOutcome>;
  close(): void;
}

export interface PrinterDriver {
  /** Connects and asks the printer its state; rejects with PrinterUnreachableError when it cannot be reached. */
  open(): Promise<PrinterSession>;
}

/** The operating system's printers, where the host has them (Electron). */
export interface OsPrinting {
  list(): Promise<{ name: string; isDefault: boolean }[]>;
  /** Prints the badge's PDF silently to the device, at the label's exact size, no margins. */
  print(deviceName: string, pdf: Buffer, layout: BadgeLayout): Promise<void>;
}

/** A session for a printer that says nothing of itself: the badge goes straight out. */
function silentSession(print: (badge: BadgeToPrint) => Promise<void>): PrinterSession {
  return {
    status: null,
    refuse: () => null,
    async send(badge) {
      await print(badge);
      return { kind: 'printed' };
    },
    close: () => undefined,
  };
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .toLowerCase() || 'badge'
  );
}

/** A badge file a driver wrote (a PDF printer's folder): the desk keeps a record, to remove it when it forgets the event. */
export type FileWritten = (jobId: number, path: string) => void;

export function pdfFolderDriver(folder: string, written?: FileWritten): PrinterDriver {
  return {
    open: async () =>
      silentSession(async (badge) => {
        const pdf = await renderPdf(badge.layout, badge.title);
        const name = `badge-${String(badge.jobId).padStart(6, '0')}-${slug(badge.title)}.pdf`;
        // Written aside, then renamed: a watcher never sees half a file, and a badge the disk had
        // no room for leaves nothing behind (the part written is removed; the job waits).
        const temp = join(folder, `.${name}.part`);
        try {
          await mkdir(folder, { recursive: true });
          await writeFile(temp, pdf, { flush: true });
          await rename(temp, join(folder, name));
        } catch (err) {
          await rm(temp, { force: true }).catch(() => undefined);
          throw unreachable(err, `cannot write to ${folder}`);
        }
        written?.(badge.jobId, join(folder, name));
      }),
  };
}

export function osDriver(os: OsPrinting | undefined, deviceName: string): PrinterDriver {
  return {
    open: async () =>
      silentSession(async (badge) => {
        if (!os) throw new PrinterUnreachableError('system printers are available only in the desktop app');
        const pdf = await renderPdf(badge.layout, badge.title);
        await os.print(deviceName, pdf, badge.layout);
      }),
  };
}

export function driverFor(
  printer: Pick<Printer, 'config' | 'name'>,
  os: OsPrinting | undefined,
  times?: Partial<LabelDriverTimes>,
  written?: FileWritten,
): PrinterDriver {
  const c: PrinterConfig = printer.config;
  switch (c.kind) {
    case 'pdf_folder':
      return pdfFolderDriver(c.folder, written);
    case 'zpl_tcp':
      return zplDriver(c, times);
    case 'brother_ql':
      return brotherDriver(c, times);
    case 'os':
      return osDriver(os, c.deviceName);
  }
}
