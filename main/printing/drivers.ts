// Printer drivers behind one interface: PDF files to a folder, raw ZPL over TCP (port 9100) for
// Zebra-compatible label printers, and the OS printer (through Electron, given by the host).
import { connect } from 'node:net';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadgeLayout } from '../../shared/badge.ts';
import type { Printer, PrinterConfig } from '../../shared/printing.ts';
import { renderPdf, renderZpl } from './render.ts';
import { storageErrorCode } from '../db/storage-errors.ts';
import { STORAGE_STATE_OF_CODE, STORAGE_PROBLEM_TEXT } from '../../shared/storage.ts';

/**
 * The printer cannot be reached (off, unplugged, no paper path, folder missing): the job stays
 * queued and is tried again, for as long as it takes. Any other failure counts as an attempt.
 */
export class PrinterUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrinterUnreachableError';
  }
}

export interface BadgeToPrint {
  jobId: number;
  /** For file names and document titles. */
  title: string;
  layout: BadgeLayout;
}

export interface PrinterDriver {
  print(badge: BadgeToPrint): Promise<void>;
}

/** The operating system's printers, where the host has them (Electron). */
export interface OsPrinting {
  list(): Promise<{ name: string; isDefault: boolean }[]>;
  /** Prints the badge's PDF silently to the device, at the label's exact size, no margins. */
  print(deviceName: string, pdf: Buffer, layout: BadgeLayout): Promise<void>;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
]);

function unreachable(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && UNREACHABLE_CODES.has(code)) return new PrinterUnreachableError(`${what}: ${code}`);
  // A PDF folder on a full, read-only or vanished disk waits as an unplugged printer does.
  const storage = storageErrorCode(err);
  if (storage)
    return new PrinterUnreachableError(
      `${what}: ${STORAGE_PROBLEM_TEXT[STORAGE_STATE_OF_CODE[storage]].what} (${code})`,
    );
  return err instanceof Error ? err : new Error(String(err));
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

export function pdfFolderDriver(folder: string): PrinterDriver {
  return {
    async print(badge) {
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
    },
  };
}

export function zplTcpDriver(host: string, port: number, dpi: 203 | 300, timeoutMs = 5_000): PrinterDriver {
  return {
    print(badge) {
      const zpl = renderZpl(badge.layout, dpi);
      return new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port });
        // Once every byte has left, a late error (the printer closing rudely, a timeout waiting for
        // it to hang up) does not mean "not printed": retrying then could print the badge twice.
        let flushed = false;
        socket.once('finish', () => (flushed = true));
        socket.setTimeout(timeoutMs, () =>
          socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
        );
        socket.once('error', (err) =>
          flushed ? resolve() : reject(unreachable(err, `label printer ${host}:${port}`)),
        );
        socket.once('connect', () => socket.end(zpl, 'utf8'));
        socket.once('close', (hadError) => {
          if (!hadError) resolve();
        });
      });
    },
  };
}

export function osDriver(os: OsPrinting | undefined, deviceName: string): PrinterDriver {
  return {
    async print(badge) {
      if (!os) throw new PrinterUnreachableError('system printers are available only in the desktop app');
      const pdf = await renderPdf(badge.layout, badge.title);
      await os.print(deviceName, pdf, badge.layout);
    },
  };
}

export function driverFor(printer: Pick<Printer, 'config'>, os: OsPrinting | undefined): PrinterDriver {
  const c: PrinterConfig = printer.config;
  switch (c.kind) {
    case 'pdf_folder':
      return pdfFolderDriver(c.folder);
    case 'zpl_tcp':
      return zplTcpDriver(c.host, c.port, c.dpi);
    case 'os':
      return osDriver(os, c.deviceName);
  }
}
