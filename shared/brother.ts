// Brother QL label printers in raster mode: the models Badge Desk drives, the rolls they take,
// and which badge sizes fit which roll. Pure: the printer settings list the models, the driver
// picks the roll's raster geometry, and the queue refuses a badge the loaded roll does not fit.
// Numbers are Brother's raster command references (QL-800/810W/820NWB and QL-1100/1110NWB/1115NWB):
// 300 dpi; a print head of 720 pins (90 bytes a raster line) or 1,296 pins (162 bytes).

export const BROTHER_DPI = 300;

export const BROTHER_MODELS = [
  'QL-800',
  'QL-810W',
  'QL-820NWB',
  'QL-1100',
  'QL-1110NWB',
  'QL-1115NWB',
] as const;
export type BrotherModel = (typeof BROTHER_MODELS)[number];

export type BrotherSeries = 'QL-800' | 'QL-1100';

export interface BrotherModelSpec {
  series: BrotherSeries;
  /** Pins on the print head: a raster line is pins / 8 bytes. */
  pins: number;
  /** Prints black and red on black/red rolls. */
  twoColour: boolean;
  /** Takes TIFF (PackBits) compressed raster lines; the USB-only QL-800 does not. */
  compression: boolean;
}

export const BROTHER_MODEL_SPECS: Record<BrotherModel, BrotherModelSpec> = {
  'QL-800': { series: 'QL-800', pins: 720, twoColour: true, compression: false },
  'QL-810W': { series: 'QL-800', pins: 720, twoColour: true, compression: true },
  'QL-820NWB': { series: 'QL-800', pins: 720, twoColour: true, compression: true },
  'QL-1100': { series: 'QL-1100', pins: 1296, twoColour: false, compression: true },
  'QL-1110NWB': { series: 'QL-1100', pins: 1296, twoColour: false, compression: true },
  'QL-1115NWB': { series: 'QL-1100', pins: 1296, twoColour: false, compression: true },
};

export const BROTHER_MEDIA_IDS = ['62', '62red', '62x100', '102', '102x152'] as const;
export type BrotherMediaId = (typeof BROTHER_MEDIA_IDS)[number];

export interface BrotherMedia {
  id: BrotherMediaId;
  label: string;
  kind: 'endless' | 'die_cut';
  widthMm: number;
  /** 0 for endless rolls. */
  lengthMm: number;
  /** Dots across the roll the head prints. */
  printableDots: number;
  /** Raster lines of a die-cut label's printable length; null for endless rolls. */
  printableLengthDots: number | null;
  twoColour: boolean;
  series: readonly BrotherSeries[];
}

export const BROTHER_MEDIA: Record<BrotherMediaId, BrotherMedia> = {
  '62': {
    id: '62',
    label: '62 mm endless',
    kind: 'endless',
    widthMm: 62,
    lengthMm: 0,
    printableDots: 696,
    printableLengthDots: null,
    twoColour: false,
    series: ['QL-800', 'QL-1100'],
  },
  '62red': {
    id: '62red',
    label: '62 mm endless black/red',
    kind: 'endless',
    widthMm: 62,
    lengthMm: 0,
    printableDots: 696,
    printableLengthDots: null,
    twoColour: true,
    series: ['QL-800'],
  },
  '62x100': {
    id: '62x100',
    label: '62 × 100 mm die-cut',
    kind: 'die_cut',
    widthMm: 62,
    lengthMm: 100,
    printableDots: 696,
    printableLengthDots: 1109,
    twoColour: false,
    series: ['QL-800', 'QL-1100'],
  },
  '102': {
    id: '102',
    label: '102 mm endless',
    kind: 'endless',
    widthMm: 102,
    lengthMm: 0,
    printableDots: 1164,
    printableLengthDots: null,
    twoColour: false,
    series: ['QL-1100'],
  },
  '102x152': {
    id: '102x152',
    label: '102 × 152 mm die-cut',
    kind: 'die_cut',
    widthMm: 102,
    lengthMm: 152,
    printableDots: 1164,
    printableLengthDots: 1660,
    twoColour: false,
    series: ['QL-1100'],
  },
};

/** Feed margin at each end of a badge on an endless roll (ESC i d): 3 mm. */
export const ENDLESS_FEED_DOTS = 35;

/**
 * Pins between the head's first pin and the roll's printable area. The 1,296-pin head of the
 * QL-1100 series carries 44 more than the 720-pin head.
 */
export function brotherOffsetPins(series: BrotherSeries): number {
  return series === 'QL-1100' ? 56 : 12;
}

/** Raster lines of a badge `lengthDots` long on this roll (an endless roll feeds its own margins). */
export function rasterLinesFor(media: BrotherMedia, lengthDots: number): number {
  return media.printableLengthDots ?? Math.max(1, lengthDots - 2 * ENDLESS_FEED_DOTS);
}

const MM_PER_PT = 25.4 / 72;
/** How far a badge's side may be from the roll's and still be its size (4 in is 101.6 mm on a 102 mm roll). */
const SIZE_TOLERANCE_MM = 1.5;
/** Endless rolls cut a badge of any length in this range. */
const ENDLESS_LENGTH_MM = { min: 25, max: 1000 } as const;

export interface PageMm {
  widthMm: number;
  heightMm: number;
}

export function pageMm(page: { widthPt: number; heightPt: number }): PageMm {
  return { widthMm: page.widthPt * MM_PER_PT, heightMm: page.heightPt * MM_PER_PT };
}

/**
 * How a badge sits on a roll: across it as drawn, or turned a quarter (its height across the
 * roll). Null when it does not fit: its width or height must be the roll's width, and on die-cut
 * labels the other side the label's length.
 */
export function fitBadgeToMedia(page: PageMm, media: BrotherMedia): { rotated: boolean } | null {
  const near = (a: number, b: number) => Math.abs(a - b) <= SIZE_TOLERANCE_MM;
  const alongFits = (along: number) =>
    media.kind === 'die_cut'
      ? near(along, media.lengthMm)
      : along >= ENDLESS_LENGTH_MM.min && along <= ENDLESS_LENGTH_MM.max;
  if (near(page.widthMm, media.widthMm) && alongFits(page.heightMm)) return { rotated: false };
  if (near(page.heightMm, media.widthMm) && alongFits(page.widthMm)) return { rotated: true };
  return null;
}

/** The rolls of a model's series that take this badge size, die-cut first. */
export function mediaForPage(model: BrotherModel, page: PageMm): BrotherMedia[] {
  const series = BROTHER_MODEL_SPECS[model].series;
  return BROTHER_MEDIA_IDS.map((id) => BROTHER_MEDIA[id])
    .filter((m) => m.series.includes(series) && fitBadgeToMedia(page, m) !== null)
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'die_cut' ? -1 : 1));
}

/** The roll a printer of this model reports (width, endless or die-cut, length, black/red), or null if Badge Desk has no raster geometry for it. */
export function mediaFromReport(
  model: BrotherModel,
  report: { widthMm: number; kind: 'endless' | 'die_cut'; lengthMm: number; twoColour: boolean },
): BrotherMedia | null {
  const series = BROTHER_MODEL_SPECS[model].series;
  return (
    BROTHER_MEDIA_IDS.map((id) => BROTHER_MEDIA[id]).find(
      (m) =>
        m.series.includes(series) &&
        m.widthMm === report.widthMm &&
        m.kind === report.kind &&
        (m.kind === 'endless' || m.lengthMm === report.lengthMm) &&
        m.twoColour === (report.twoColour && BROTHER_MODEL_SPECS[model].twoColour),
    ) ?? null
  );
}

/** The rolls a badge size needs, in words ("62 mm endless or 62 × 100 mm die-cut"); null when no roll of this model takes it. */
export function neededMediaText(model: BrotherModel, page: PageMm): string | null {
  const fits = mediaForPage(model, page).filter((m) => !m.twoColour);
  return fits.length ? fits.map((m) => m.label).join(' or ') : null;
}
