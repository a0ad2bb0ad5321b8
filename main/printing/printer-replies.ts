// What label printers answer about themselves, read into one PrinterStatus: Zebra's host status
// (~HS, ZPL II programming guide) and Brother's 32-byte status information (ESC i S, raster
// command reference). An answer that does not read as one is "status unknown", never a guess.
import type { LoadedMedia, PrinterCondition, PrinterStatus } from '../../shared/printer-status.ts';
import { BROTHER_MEDIA, mediaFromReport, type BrotherModel } from '../../shared/brother.ts';

const STX = 0x02;
const ETX = 0x03;

/**
 * The three strings of a ~HS answer (each <STX>…<ETX><CR><LF>), once all have arrived; null while
 * the answer is incomplete.
 */
export function zebraHostStatusStrings(reply: Buffer): string[] | null {
  const strings: string[] = [];
  let at = 0;
  while (strings.length < 3) {
    const start = reply.indexOf(STX, at);
    if (start < 0) return null;
    const end = reply.indexOf(ETX, start + 1);
    if (end < 0) return null;
    strings.push(reply.subarray(start + 1, end).toString('latin1'));
    at = end + 1;
  }
  return strings;
}

/**
 * Zebra's host status: string 1 `aaa,b,c,dddd,eee,f,g,h,iii,j,k,l` (b paper out, c pause, f receive
 * buffer full), string 2 `mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www` (o head up).
 */
export function readZebraHostStatus(strings: string[] | null, checkedAt: string): PrinterStatus {
  const unknown = (detail: string): PrinterStatus => ({
    condition: 'unknown',
    detail,
    media: null,
    checkedAt,
  });
  if (!strings || strings.length < 2) return unknown('no readable host status');
  const one = strings[0]!.split(',');
  const two = strings[1]!.split(',');
  const flag = (fields: string[], i: number) => {
    const v = fields[i]?.trim();
    return v === '1' ? true : v === '0' ? false : null;
  };
  const paperOut = flag(one, 1);
  const paused = flag(one, 2);
  const bufferFull = flag(one, 5);
  const headUp = flag(two, 2);
  if (one.length !== 12 || two.length !== 11 || [paperOut, paused, bufferFull, headUp].includes(null))
    return unknown('host status not understood');
  const condition: PrinterCondition = paperOut
    ? 'paper_out'
    : headUp
      ? 'head_open'
      : paused
        ? 'paused'
        : bufferFull
          ? 'buffer_full'
          : 'ready';
  return { condition, detail: null, media: null, checkedAt };
}

export const BROTHER_STATUS_LENGTH = 32;

/** Brother status types (byte 18). */
export const BROTHER_STATUS_TYPE = {
  reply: 0x00,
  printingCompleted: 0x01,
  errorOccurred: 0x02,
  notification: 0x05,
  phaseChange: 0x06,
} as const;

export interface BrotherReply {
  status: PrinterStatus;
  /** Byte 18: a reply to ESC i S, printing completed, an error, a phase change. */
  statusType: number;
  /** Byte 19: 0 waiting to receive, 1 printing. */
  phase: number;
}

function brotherMedia(model: BrotherModel, b: Buffer): LoadedMedia | null {
  const type = b[11]!;
  // The references give 0x0A/0x0B; the QL-800 series' reference 0x4A/0x4B. Printers answer either.
  const kind = type === 0x0a || type === 0x4a ? 'endless' : type === 0x0b || type === 0x4b ? 'die_cut' : null;
  if (!kind) return null;
  const widthMm = b[10]!;
  const lengthMm = kind === 'die_cut' ? b[17]! : 0;
  // Byte 25 reads 0x81 with a black/red roll in a QL-800 (a reply recorded from one).
  const twoColour = b[25] === 0x81;
  const known = mediaFromReport(model, { widthMm, kind, lengthMm, twoColour });
  const label = known
    ? BROTHER_MEDIA[known.id].label
    : kind === 'endless'
      ? `${widthMm} mm endless`
      : `${widthMm} × ${lengthMm} mm die-cut`;
  return { label, widthMm, lengthMm, twoColour };
}

/**
 * Brother's 32-byte status: 0x80 0x20 0x42 first; error information 1 (byte 8: 0x01 no media,
 * 0x02 end of media, 0x04 cutter jam) and 2 (byte 9: 0x01 replace media, 0x02 expansion buffer
 * full, 0x04 transmission error, 0x10 cover open, 0x40 media cannot feed, 0x80 system error);
 * media width (10), type (11) and length (17). Null when the bytes are not a status.
 */
export function readBrotherStatus(b: Buffer, model: BrotherModel, checkedAt: string): BrotherReply | null {
  if (b.length !== BROTHER_STATUS_LENGTH || b[0] !== 0x80 || b[1] !== 0x20 || b[2] !== 0x42) return null;
  const e1 = b[8]!;
  const e2 = b[9]!;
  const media = brotherMedia(model, b);
  let condition: PrinterCondition = 'ready';
  let detail: string | null = null;
  if (e2 & 0x10) condition = 'cover_open';
  else if (e1 & 0x04) condition = 'jammed';
  else if (e1 & 0x03 || (e2 & 0x40 && b[11] === 0x00)) condition = 'paper_out';
  else if (e2 & 0x40) condition = 'feed_error';
  else if (e2 & 0x01) {
    condition = 'wrong_media';
    detail = media
      ? `${media.label} loaded, and the printer asks for other labels`
      : 'the printer asks for other labels';
  } else if (e2 & 0x02) condition = 'buffer_full';
  else if (e2 & 0x80) {
    condition = 'error';
    detail = 'system error';
  } else if (e2 & 0x04) {
    condition = 'error';
    detail = 'transmission error';
  }
  return { status: { condition, detail, media, checkedAt }, statusType: b[18]!, phase: b[19]! };
}
