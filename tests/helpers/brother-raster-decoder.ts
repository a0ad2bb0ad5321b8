// A reader of Brother QL raster jobs, written from Brother's published "Software Developer's
// Manual — Raster Command Reference" (QL-800/810W/820NWB and QL-1100/1110NWB/1115NWB) alone, apart
// from Badge Desk's encoder and sharing no code with it: the tests and the printer stand-in check
// the encoder against what the reference says a printer does with the bytes.
//
// What the reference says, as used here:
// - NUL bytes are "invalidate" (a run of them clears the printer's command buffer); ESC @ initialises.
// - ESC i S asks for the 32-byte status; ESC i a n switches the command mode (1: raster);
//   ESC i ! n switches automatic status notifications.
// - ESC i z n1..n10 is the print information: n1 the valid flags (0x02 media type, 0x04 width,
//   0x08 length, 0x40 quality, 0x80 recovery), n2 the media type (0x0A endless, 0x0B die-cut),
//   n3 the width and n4 the length in mm, n5..n8 the raster line count (little-endian), n9 0 on the
//   first page.
// - ESC i M n (bit 6 auto cut), ESC i A n (cut every n labels), ESC i K n (bit 0 two-colour,
//   bit 3 cut at end, bit 6 high resolution), ESC i d n1 n2 (margin in dots, little-endian).
// - M n selects compression: 0 none, 2 TIFF (PackBits) for every raster line that follows.
// - g 0x00 n d1..dn is one raster line of n bytes; w c n d1..dn one line of one colour of a
//   two-colour job (c 0x01 the first colour, black; c 0x02 the second, red); Z a blank line.
//   A line expands to the head's pins / 8 bytes (90 for 720 pins, 162 for 1,296).
// - A raster line's first byte's high bit is pin 0. The printable area starts after the roll's
//   offset pins; the image is sent mirrored: pin offset + 0 prints the label's right-hand column
//   (the label seen printed side up, first raster line at the top).
// - FF (0x0C) prints a page with more to come; Control-Z (0x1A) prints the last page.

export interface PrintInformation {
  validFlags: number;
  mediaType: number;
  widthMm: number;
  lengthMm: number;
  rasterCount: number;
  startingPage: number;
}

export interface DecodedPage {
  info: PrintInformation | null;
  autoCut: boolean;
  cutEvery: number | null;
  twoColour: boolean;
  cutAtEnd: boolean;
  highResolution: boolean;
  marginDots: number | null;
  compressed: boolean;
  /** One entry a raster line: the black plane and, in a two-colour job, the red one (pins / 8 bytes each). */
  lines: { black: Uint8Array; red: Uint8Array | null }[];
  /** 0x0C (more pages follow) or 0x1A (the last page). */
  printCommand: 0x0c | 0x1a;
}

export type BrotherCommand =
  | { kind: 'invalidate'; bytes: number }
  | { kind: 'initialize' }
  | { kind: 'status_request' }
  | { kind: 'mode'; mode: number }
  | { kind: 'notification_mode'; value: number }
  | { kind: 'print_information'; info: PrintInformation }
  | { kind: 'various_mode'; value: number }
  | { kind: 'cut_every'; value: number }
  | { kind: 'expanded_mode'; value: number }
  | { kind: 'margin'; dots: number }
  | { kind: 'compression'; value: number }
  | { kind: 'raster'; colour: 'mono' | 'black' | 'red'; data: Uint8Array }
  | { kind: 'zero_raster' }
  | { kind: 'print'; command: 0x0c | 0x1a };

export class RasterFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RasterFormatError';
  }
}

/** TIFF PackBits: a count byte n in 0..127 copies the next n+1 bytes; -127..-1 repeats the next byte 1-n times; -128 is a no-op. */
export function unpackBits(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    const n = (data[i]! << 24) >> 24;
    i++;
    if (n >= 0) {
      if (i + n + 1 > data.length) throw new RasterFormatError('a PackBits literal run goes past the line');
      for (let k = 0; k <= n; k++) out.push(data[i + k]!);
      i += n + 1;
    } else if (n !== -128) {
      if (i >= data.length) throw new RasterFormatError('a PackBits repeat has no byte');
      for (let k = 0; k < 1 - n; k++) out.push(data[i]!);
      i++;
    }
  }
  return Uint8Array.from(out);
}

const ESC = 0x1b;

/**
 * Reads commands from a byte stream as it arrives (the stand-in printer feeds it a socket's
 * chunks): complete commands come out, an incomplete one waits for more bytes.
 */
export class BrotherCommandReader {
  private buffer = new Uint8Array(0);
  private compression = 0;

  push(chunk: Uint8Array): BrotherCommand[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const commands: BrotherCommand[] = [];
    let at = 0;
    for (;;) {
      const read = this.readOne(joined, at);
      if (!read) break;
      commands.push(read.command);
      at = read.next;
    }
    this.buffer = joined.slice(at);
    return commands;
  }

  /** Bytes that never made a whole command. */
  get pending(): number {
    return this.buffer.length;
  }

  private readOne(b: Uint8Array, at: number): { command: BrotherCommand; next: number } | null {
    if (at >= b.length) return null;
    const c = b[at]!;
    const need = (n: number) => at + n <= b.length;
    if (c === 0x00) {
      let end = at;
      while (end < b.length && b[end] === 0x00) end++;
      // A run cut by the chunk's end may go on: wait, unless something else follows.
      if (end === b.length) return null;
      return { command: { kind: 'invalidate', bytes: end - at }, next: end };
    }
    if (c === ESC) {
      if (!need(2)) return null;
      const c1 = b[at + 1]!;
      if (c1 === 0x40) return { command: { kind: 'initialize' }, next: at + 2 };
      if (c1 !== 0x69) throw new RasterFormatError(`unknown command ESC 0x${c1.toString(16)} at byte ${at}`);
      if (!need(3)) return null;
      const c2 = b[at + 2]!;
      switch (c2) {
        case 0x53:
          return { command: { kind: 'status_request' }, next: at + 3 };
        case 0x61:
          return need(4) ? { command: { kind: 'mode', mode: b[at + 3]! }, next: at + 4 } : null;
        case 0x21:
          return need(4) ? { command: { kind: 'notification_mode', value: b[at + 3]! }, next: at + 4 } : null;
        case 0x7a: {
          if (!need(13)) return null;
          const n = (k: number) => b[at + 2 + k]!;
          const info: PrintInformation = {
            validFlags: n(1),
            mediaType: n(2),
            widthMm: n(3),
            lengthMm: n(4),
            rasterCount: n(5) + n(6) * 0x100 + n(7) * 0x10000 + n(8) * 0x1000000,
            startingPage: n(9),
          };
          return { command: { kind: 'print_information', info }, next: at + 13 };
        }
        case 0x4d:
          return need(4) ? { command: { kind: 'various_mode', value: b[at + 3]! }, next: at + 4 } : null;
        case 0x41:
          return need(4) ? { command: { kind: 'cut_every', value: b[at + 3]! }, next: at + 4 } : null;
        case 0x4b:
          return need(4) ? { command: { kind: 'expanded_mode', value: b[at + 3]! }, next: at + 4 } : null;
        case 0x64:
          return need(5)
            ? { command: { kind: 'margin', dots: b[at + 3]! + b[at + 4]! * 0x100 }, next: at + 5 }
            : null;
        default:
          throw new RasterFormatError(`unknown command ESC i 0x${c2.toString(16)} at byte ${at}`);
      }
    }
    if (c === 0x4d) {
      if (!need(2)) return null;
      this.compression = b[at + 1]!;
      if (this.compression !== 0 && this.compression !== 2)
        throw new RasterFormatError(`unknown compression mode ${this.compression}`);
      return { command: { kind: 'compression', value: this.compression }, next: at + 2 };
    }
    if (c === 0x67 || c === 0x77) {
      if (!need(3)) return null;
      const sel = b[at + 1]!;
      const n = b[at + 2]!;
      if (!need(3 + n)) return null;
      if (c === 0x67 && sel !== 0x00)
        throw new RasterFormatError(`g must be followed by 0x00, not 0x${sel.toString(16)}`);
      if (c === 0x77 && sel !== 0x01 && sel !== 0x02)
        throw new RasterFormatError(
          `w names colour 0x${sel.toString(16)}; the reference knows 0x01 and 0x02`,
        );
      const raw = b.slice(at + 3, at + 3 + n);
      const data = this.compression === 2 ? unpackBits(raw) : raw;
      const colour = c === 0x67 ? 'mono' : sel === 0x01 ? 'black' : 'red';
      return { command: { kind: 'raster', colour, data }, next: at + 3 + n };
    }
    if (c === 0x5a) return { command: { kind: 'zero_raster' }, next: at + 1 };
    if (c === 0x0c || c === 0x1a) return { command: { kind: 'print', command: c }, next: at + 1 };
    throw new RasterFormatError(`unknown command byte 0x${c.toString(16)} at byte ${at}`);
  }
}

/** Gathers commands into pages; throws on a raster line of the wrong length or a count that disagrees with ESC i z. */
export class BrotherPageAssembler {
  private page: Omit<DecodedPage, 'printCommand'> = BrotherPageAssembler.blank();
  private pendingBlack: Uint8Array | null = null;

  constructor(private readonly bytesPerLine: number) {}

  private static blank(): Omit<DecodedPage, 'printCommand'> {
    return {
      info: null,
      autoCut: false,
      cutEvery: null,
      twoColour: false,
      cutAtEnd: false,
      highResolution: false,
      marginDots: null,
      compressed: false,
      lines: [],
    };
  }

  /** The page a print command ends, or null. */
  take(command: BrotherCommand): DecodedPage | null {
    const p = this.page;
    const line = (data: Uint8Array) => {
      if (data.length !== this.bytesPerLine)
        throw new RasterFormatError(
          `a raster line expands to ${data.length} bytes; this head takes ${this.bytesPerLine}`,
        );
      return data;
    };
    switch (command.kind) {
      case 'initialize':
        this.page = BrotherPageAssembler.blank();
        this.pendingBlack = null;
        return null;
      case 'print_information':
        p.info = command.info;
        return null;
      case 'various_mode':
        p.autoCut = (command.value & 0x40) !== 0;
        return null;
      case 'cut_every':
        p.cutEvery = command.value;
        return null;
      case 'expanded_mode':
        p.twoColour = (command.value & 0x01) !== 0;
        p.cutAtEnd = (command.value & 0x08) !== 0;
        p.highResolution = (command.value & 0x40) !== 0;
        return null;
      case 'margin':
        p.marginDots = command.dots;
        return null;
      case 'compression':
        p.compressed = command.value === 2;
        return null;
      case 'raster':
        if (command.colour === 'mono') {
          if (p.twoColour) throw new RasterFormatError('a g line in a two-colour job (the reference uses w)');
          p.lines.push({ black: line(command.data), red: null });
        } else if (command.colour === 'black') {
          if (this.pendingBlack) throw new RasterFormatError('two black lines without a red one between');
          this.pendingBlack = line(command.data);
        } else {
          if (!this.pendingBlack) throw new RasterFormatError('a red line without its black line');
          p.lines.push({ black: this.pendingBlack, red: line(command.data) });
          this.pendingBlack = null;
        }
        return null;
      case 'zero_raster':
        p.lines.push({
          black: new Uint8Array(this.bytesPerLine),
          red: p.twoColour ? new Uint8Array(this.bytesPerLine) : null,
        });
        return null;
      case 'print': {
        if (this.pendingBlack)
          throw new RasterFormatError('the page ends on a black line without its red one');
        if (p.info && p.info.rasterCount !== p.lines.length)
          throw new RasterFormatError(
            `ESC i z announced ${p.info.rasterCount} raster lines; the page has ${p.lines.length}`,
          );
        const done: DecodedPage = { ...p, lines: p.lines.slice(), printCommand: command.command };
        // Print settings stay for the next page; its lines are its own.
        this.page = { ...p, lines: [] };
        return done;
      }
      default:
        return null;
    }
  }
}

/** Every page of a whole job, with the commands seen. */
export function decodeBrotherJob(
  bytes: Uint8Array,
  bytesPerLine: number,
): { pages: DecodedPage[]; commands: BrotherCommand[] } {
  const reader = new BrotherCommandReader();
  const assembler = new BrotherPageAssembler(bytesPerLine);
  const commands = reader.push(bytes);
  if (reader.pending > 0 && !(reader.pending === bytes.length && bytes.every((b) => b === 0)))
    throw new RasterFormatError(`${reader.pending} bytes at the end make no whole command`);
  const pages: DecodedPage[] = [];
  for (const c of commands) {
    const page = assembler.take(c);
    if (page) pages.push(page);
  }
  return { pages, commands };
}

export interface LabelImage {
  /** Dots across the roll's printable area. */
  width: number;
  /** Raster lines. */
  height: number;
  /** 1 where the dot prints, row by row from the first raster line, left to right as the label is seen. */
  black: Uint8Array;
  red: Uint8Array | null;
  /** Dots set on pins outside the printable area (the roll's margins): should be none. */
  dotsOutsidePrintArea: number;
}

/** The page as the printed label shows it. */
export function pageToLabelImage(page: DecodedPage, offsetPins: number, printableDots: number): LabelImage {
  const width = printableDots;
  const height = page.lines.length;
  const black = new Uint8Array(width * height);
  const red = page.twoColour ? new Uint8Array(width * height) : null;
  let outside = 0;
  page.lines.forEach((line, y) => {
    const planes: [Uint8Array, Uint8Array | null][] = [[line.black, black]];
    if (line.red) planes.push([line.red, red]);
    for (const [bytes, target] of planes) {
      for (let pin = 0; pin < bytes.length * 8; pin++) {
        if (!(bytes[pin >> 3]! & (0x80 >> (pin & 7)))) continue;
        const x = printableDots - 1 - (pin - offsetPins);
        if (x < 0 || x >= width) {
          outside++;
          continue;
        }
        if (target) target[y * width + x] = 1;
      }
    }
  });
  return { width, height, black, red, dotsOutsidePrintArea: outside };
}

/**
 * The reference's page sizes, as this reader knows them (kept apart from Badge Desk's own table):
 * the head's pins, and for each roll width the printable dots and the offset pins before them.
 */
export const REFERENCE_HEADS = {
  'QL-800': { pins: 720, offsets: { 62: 12, 102: null } },
  'QL-1100': { pins: 1296, offsets: { 62: 56, 102: 56 } },
} as const;
export const REFERENCE_PRINTABLE_DOTS: Record<number, number> = { 62: 696, 102: 1164 };
/** Raster lines of a die-cut label's printable length, by its size in mm. */
export const REFERENCE_DIE_CUT_LINES: Record<string, number> = { '62x100': 1109, '102x152': 1660 };
