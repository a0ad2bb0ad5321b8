// A printer's state as it says it (Zebra's host status, Brother's status reply) and in words.
// Pure: the queue holds jobs on these conditions, and the print queue and Settings say them the
// same way.

export const PRINTER_CONDITIONS = [
  'ready',
  /** The printer answered with something we cannot read, or did not answer the question: printed to all the same. */
  'unknown',
  'unreachable',
  'paper_out',
  'head_open',
  'cover_open',
  'paused',
  'buffer_full',
  'jammed',
  'feed_error',
  /** The loaded labels do not fit the badge (its template's size). */
  'wrong_media',
  'error',
] as const;
export type PrinterCondition = (typeof PRINTER_CONDITIONS)[number];

/** What is loaded in a label printer that says so (Brother). */
export interface LoadedMedia {
  /** The roll, in words ("62 mm endless", "62 × 100 mm die-cut"). */
  label: string;
  widthMm: number;
  /** 0 for endless rolls. */
  lengthMm: number;
  twoColour: boolean;
}

export interface PrinterStatus {
  condition: PrinterCondition;
  /** Extra words for the condition: the connection error, the labels a badge needs, the printer's own error. */
  detail: string | null;
  media: LoadedMedia | null;
  /** When the printer was last asked (ISO). */
  checkedAt: string;
}

/** A printer's last known status (printers.status and the printerStatusChanged push). */
export interface PrinterStatusView {
  printerId: number;
  status: PrinterStatus;
}

/** Conditions under which a badge is sent anyway: the printer is ready, or cannot tell. */
export function canPrintOn(condition: PrinterCondition): boolean {
  return condition === 'ready' || condition === 'unknown';
}

/**
 * The state in words, with what to do: "Paper out at Zebra 1 — load labels". The printer's name is
 * text: the renderer shows it as text, never as HTML.
 */
export function printerStatusText(
  printerName: string,
  status: Pick<PrinterStatus, 'condition' | 'detail'>,
): string {
  const detail = status.detail ? ` (${status.detail})` : '';
  switch (status.condition) {
    case 'ready':
      return `${printerName} is ready`;
    case 'unknown':
      return `${printerName}: status unknown${detail} — badges are sent to it anyway`;
    case 'unreachable':
      return `${printerName} is not answering${detail} — check its power and network`;
    case 'paper_out':
      return `Paper out at ${printerName} — load labels`;
    case 'head_open':
      return `Print head open at ${printerName} — close the head`;
    case 'cover_open':
      return `Cover open at ${printerName} — close the cover`;
    case 'paused':
      return `${printerName} is paused — press its Pause button`;
    case 'buffer_full':
      return `${printerName} is busy (its buffer is full) — badges wait until it catches up`;
    case 'jammed':
      return `Label jam at ${printerName} — clear the jam`;
    case 'feed_error':
      return `Labels cannot feed at ${printerName} — check the roll`;
    case 'wrong_media':
      return `Wrong labels in ${printerName}${status.detail ? `: ${status.detail}` : ''}`;
    case 'error':
      return `${printerName} reports an error${detail} — switch it off and on`;
  }
}
