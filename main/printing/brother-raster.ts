// Brother QL raster: a badge bitmap turned and cropped onto the loaded roll, then encoded as
// Brother's raster command reference lays a job out: print information (ESC i z), auto cut,
// cut at end and two-colour (ESC i M, ESC i A, ESC i K), the feed margin (ESC i d), TIFF
// (PackBits) compression where the model takes it (M 02), one raster line a row (g, or w for
// black and red), and print with feeding (Control-Z).
import { AppError } from '../../shared/errors.ts';
import type { BadgeLayout } from '../../shared/badge.ts';
import {
  BROTHER_DPI,
  BROTHER_MODEL_SPECS,
  brotherOffsetPins,
  ENDLESS_FEED_DOTS,
  rasterLinesFor,
  type BrotherMedia,
  type BrotherModel,
} from '../../shared/brother.ts';
import { rasteriseBadge, type BadgeBitmap } from './bitmap.ts';

/** The roll's printable area as it feeds: `width` dots across, one row a raster line. */
export interface LabelRaster {
  width: number;
  lines: number;
  black: Uint8Array;
  red: Uint8Array | null;
}

export interface BrotherJobPlan {
  model: BrotherModel;
  media: BrotherMedia;
  /** The badge's height runs across the roll (a landscape badge on a 62 mm roll). */
  rotated: boolean;
}

const ESC = 0x1b;

/** What a session sends first: invalidate (clears a half-received job), initialise, and ask the status. */
export const BROTHER_STATUS_REQUEST = Buffer.concat([
  Buffer.alloc(400),
  Buffer.from([ESC, 0x40, ESC, 0x69, 0x53]),
]);

/** Whether this job prints black and red: a black/red roll in a model that prints two colours. */
export function printsTwoColour(plan: BrotherJobPlan): boolean {
  return plan.media.twoColour && BROTHER_MODEL_SPECS[plan.model].twoColour;
}

/**
 * The badge as the roll takes it: turned a quarter clockwise when its height runs across, and
 * the middle of it cut to the printable area (the roll's unprinted edges, and on an endless roll
 * the feed margins the printer adds at each end, so the badge keeps its size).
 */
export function labelFromBadge(bitmap: BadgeBitmap, plan: BrotherJobPlan): LabelRaster {
  const across = plan.rotated ? bitmap.height : bitmap.width;
  const along = plan.rotated ? bitmap.width : bitmap.height;
  const width = plan.media.printableDots;
  const lines = rasterLinesFor(plan.media, along);
  const dx = Math.round((across - width) / 2);
  const dy = Math.round((along - lines) / 2);
  const black = new Uint8Array(width * lines);
  const red = bitmap.red ? new Uint8Array(width * lines) : null;
  for (let y = 0; y < lines; y++) {
    const ly = y + dy;
    if (ly < 0 || ly >= along) continue;
    for (let x = 0; x < width; x++) {
      const lx = x + dx;
      if (lx < 0 || lx >= across) continue;
      // Turned clockwise: the label's column lx is the badge's row (height - 1 - lx); its line ly the badge's column.
      const source = plan.rotated ? (bitmap.height - 1 - lx) * bitmap.width + ly : ly * bitmap.width + lx;
      black[y * width + x] = bitmap.black[source]!;
      if (red) red[y * width + x] = bitmap.red![source]!;
    }
  }
  return { width, lines, black, red };
}

/** TIFF PackBits of one line: runs of 2 or more equal bytes as a repeat, the rest as literals. */
export function packBits(line: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < line.length) {
    let run = 1;
    while (i + run < line.length && run < 128 && line[i + run] === line[i]) run++;
    if (run >= 2) {
      out.push(257 - run, line[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < line.length && i - start < 128 && !(i + 1 < line.length && line[i + 1] === line[i])) i++;
    if (i === start) i++; // a lone byte before a run of its own value
    out.push(i - start - 1, ...line.subarray(start, i));
  }
  return Uint8Array.from(out);
}

/** One plane's raster line: the label seen printed side up is sent mirrored, its right-hand column at the roll's first pin. */
function packLine(
  plane: Uint8Array,
  y: number,
  width: number,
  bytesPerLine: number,
  offset: number,
): Uint8Array {
  const line = new Uint8Array(bytesPerLine);
  const row = y * width;
  for (let x = 0; x < width; x++) {
    if (!plane[row + x]) continue;
    const pin = offset + (width - 1 - x);
    line[pin >> 3]! |= 0x80 >> (pin & 7);
  }
  return line;
}

/**
 * The job's bytes after the status exchange. A raster of another width than the roll's printable
 * area is refused: the printer would print it shifted, or refuse it half-way.
 */
export function encodeBrotherRaster(label: LabelRaster, plan: BrotherJobPlan): Buffer {
  const spec = BROTHER_MODEL_SPECS[plan.model];
  const media = plan.media;
  if (label.width !== media.printableDots)
    throw new AppError(
      'INVALID_INPUT',
      `a raster ${label.width} dots wide does not fit ${media.label} labels, which print ${media.printableDots} dots across`,
    );
  if (media.printableLengthDots !== null && label.lines !== media.printableLengthDots)
    throw new AppError(
      'INVALID_INPUT',
      `a raster ${label.lines} lines long does not fit ${media.label} labels, which print ${media.printableLengthDots} lines`,
    );
  if (!media.series.includes(spec.series))
    throw new AppError('INVALID_INPUT', `${plan.model} does not take ${media.label} labels`);
  const twoColour = printsTwoColour(plan);
  const dieCut = media.kind === 'die_cut';
  const bytesPerLine = spec.pins / 8;
  const offset = brotherOffsetPins(spec.series);
  const parts: Uint8Array[] = [];
  const count = label.lines;
  parts.push(
    Uint8Array.from([ESC, 0x69, 0x61, 0x01]),
    Uint8Array.from([
      ESC,
      0x69,
      0x7a,
      0x02 | 0x04 | (dieCut ? 0x08 : 0) | 0x40 | 0x80,
      dieCut ? 0x0b : 0x0a,
      media.widthMm,
      media.lengthMm,
      count & 0xff,
      (count >> 8) & 0xff,
      (count >> 16) & 0xff,
      (count >>> 24) & 0xff,
      0,
      0,
    ]),
    Uint8Array.from([ESC, 0x69, 0x4d, 0x40]),
    Uint8Array.from([ESC, 0x69, 0x41, 0x01]),
    Uint8Array.from([ESC, 0x69, 0x4b, 0x08 | (twoColour ? 0x01 : 0)]),
    Uint8Array.from([ESC, 0x69, 0x64, dieCut ? 0 : ENDLESS_FEED_DOTS, 0]),
  );
  if (spec.compression) parts.push(Uint8Array.from([0x4d, 0x02]));
  const body = (line: Uint8Array) => (spec.compression ? packBits(line) : line);
  for (let y = 0; y < count; y++) {
    const black = body(packLine(label.black, y, label.width, bytesPerLine, offset));
    if (twoColour) {
      const red = body(
        label.red ? packLine(label.red, y, label.width, bytesPerLine, offset) : new Uint8Array(bytesPerLine),
      );
      parts.push(
        Uint8Array.from([0x77, 0x01, black.length]),
        black,
        Uint8Array.from([0x77, 0x02, red.length]),
        red,
      );
    } else {
      parts.push(Uint8Array.from([0x67, 0x00, black.length]), black);
    }
  }
  parts.push(Uint8Array.from([0x1a]));
  return Buffer.concat(parts);
}

/** One badge on a roll, start to end: the bitmap, turned and cropped, encoded. */
export function brotherJob(layout: BadgeLayout, plan: BrotherJobPlan): Buffer {
  const bitmap = rasteriseBadge(layout, BROTHER_DPI, printsTwoColour(plan));
  return encodeBrotherRaster(labelFromBadge(bitmap, plan), plan);
}
