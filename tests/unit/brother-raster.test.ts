// The Brother QL raster, checked by a reader written from Brother's raster command reference
// apart from the encoder (tests/helpers/brother-raster-decoder.ts): the label it reads is compared
// with poppler's rendering of the same badge's PDF, dot for dot at 300 dpi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutBadge, type BadgeLayout, type BadgePerson, type PageSizeId } from '../../shared/badge.ts';
import {
  BROTHER_MEDIA,
  fitBadgeToMedia,
  pageMm,
  type BrotherMediaId,
  type BrotherModel,
} from '../../shared/brother.ts';
import { createMeasure, renderPdf, withQrMatrices } from '../../main/printing/render.ts';
import { brotherJob, encodeBrotherRaster, packBits } from '../../main/printing/brother-raster.ts';
import { AppError } from '../../shared/errors.ts';
import {
  decodeBrotherJob,
  pageToLabelImage,
  REFERENCE_DIE_CUT_LINES,
  REFERENCE_HEADS,
  REFERENCE_PRINTABLE_DOTS,
  unpackBits,
  type LabelImage,
} from '../helpers/brother-raster-decoder.ts';

const FIELDS = { firstName: true, lastName: true, company: true, ticketName: true, qr: true, vipMark: true };
const PERSON: BadgePerson = {
  firstName: 'Zoë',
  lastName: 'Lindqvist-Okonkwo',
  fullName: 'Zoë Lindqvist-Okonkwo',
  company: 'Acme Badges & Co',
  ticketName: 'Speaker',
  barcode: 'TIX-0001-ZL',
  vip: true,
};
const measure = createMeasure();
const layoutOf = (pageSize: PageSizeId, person = PERSON): BadgeLayout =>
  withQrMatrices(layoutBadge({ pageSize, fields: FIELDS }, person, measure));

function jobFor(model: BrotherModel, mediaId: BrotherMediaId, layout: BadgeLayout) {
  const media = BROTHER_MEDIA[mediaId];
  const fit = fitBadgeToMedia(pageMm(layout), media);
  assert.ok(fit, `${layout.pageSize} fits ${media.label}`);
  return brotherJob(layout, { model, media, rotated: fit.rotated });
}

/** Poppler's rendering of the badge's PDF at 300 dpi, as ink (1) and paper (0). */
async function pdfInk(layout: BadgeLayout): Promise<{ width: number; height: number; ink: Uint8Array }> {
  if (!existsSync('/usr/bin/pdftoppm')) throw new Error('pdftoppm is missing: apt-get install poppler-utils');
  const dir = mkdtempSync(join(tmpdir(), 'bd-raster-'));
  try {
    writeFileSync(join(dir, 'badge.pdf'), await renderPdf(layout, 'badge'));
    execFileSync('pdftoppm', [
      '-r',
      '300',
      '-gray',
      '-singlefile',
      join(dir, 'badge.pdf'),
      join(dir, 'badge'),
    ]);
    const pgm = readFileSync(join(dir, 'badge.pgm'));
    // P5 <width> <height> <maxval> then one byte a pixel.
    const header = pgm
      .subarray(0, 40)
      .toString('latin1')
      .match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
    assert.ok(header, 'a binary PGM');
    const [, w, h] = header.map(Number) as [number, number, number];
    const pixels = pgm.subarray(header[0].length);
    // Any colour is ink (the gold VIP box prints as a solid box on a black head); antialiased edges count by half.
    const ink = new Uint8Array(w * h);
    for (let i = 0; i < w * h; i++) ink[i] = pixels[i]! < 200 ? 1 : 0;
    return { width: w, height: h, ink };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The label's dots in the badge's own orientation: turned back a quarter (either way) or not, and optionally mirrored. */
function toBadge(label: LabelImage, plane: Uint8Array, turn: 'none' | 'cw' | 'ccw', mirror: boolean) {
  const w = turn === 'none' ? label.width : label.height;
  const h = turn === 'none' ? label.height : label.width;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < label.height; y++)
    for (let x = 0; x < label.width; x++) {
      if (!plane[y * label.width + x]) continue;
      const lx = mirror ? label.width - 1 - x : x;
      const [bx, by] =
        turn === 'none' ? [lx, y] : turn === 'cw' ? [y, label.width - 1 - lx] : [label.height - 1 - y, lx];
      out[by * w + bx] = 1;
    }
  return { width: w, height: h, ink: out };
}

/** Ink overlap of two images, the smaller placed over the larger where their ink agrees best (a search of a few dots around the centre). */
function bestOverlap(
  big: { width: number; height: number; ink: Uint8Array },
  small: { width: number; height: number; ink: Uint8Array },
) {
  const cx = Math.round((big.width - small.width) / 2);
  const cy = Math.round((big.height - small.height) / 2);
  let best = { iou: 0, dx: 0, dy: 0 };
  for (let dy = cy - 4; dy <= cy + 4; dy++)
    for (let dx = cx - 4; dx <= cx + 4; dx++) {
      let both = 0;
      let either = 0;
      for (let y = 0; y < small.height; y++) {
        const by = y + dy;
        for (let x = 0; x < small.width; x++) {
          const bx = x + dx;
          const a = small.ink[y * small.width + x]!;
          const b =
            bx >= 0 && by >= 0 && bx < big.width && by < big.height ? big.ink[by * big.width + bx]! : 0;
          if (a & b) both++;
          if (a | b) either++;
        }
      }
      const iou = either ? both / either : 0;
      if (iou > best.iou) best = { iou, dx, dy };
    }
  return best;
}

test('a 100 × 62 mm badge on 62 × 100 mm die-cut labels (QL-820NWB): the reference reader finds one compressed page of 1,109 lines, 62 × 100 mm die-cut, nothing outside the print area, and the dots agree with the PDF', async () => {
  const layout = layoutOf('100x62mm');
  const bytes = jobFor('QL-820NWB', '62x100', layout);
  const head = REFERENCE_HEADS['QL-800'];
  const { pages, commands } = decodeBrotherJob(bytes, head.pins / 8);
  assert.equal(pages.length, 1);
  const page = pages[0]!;
  assert.equal(page.printCommand, 0x1a, 'the last page prints with feeding');
  assert.deepEqual(
    {
      type: page.info?.mediaType,
      width: page.info?.widthMm,
      length: page.info?.lengthMm,
      first: page.info?.startingPage,
    },
    { type: 0x0b, width: 62, length: 100, first: 0 },
  );
  assert.ok(page.info!.validFlags & 0x0e, 'media type, width and length are marked valid');
  assert.equal(page.lines.length, REFERENCE_DIE_CUT_LINES['62x100']);
  assert.equal(page.compressed, true, 'the QL-820NWB takes TIFF compression');
  assert.equal(page.autoCut, true);
  assert.equal(page.twoColour, false);
  assert.equal(commands.filter((c) => c.kind === 'mode' && c.mode === 1).length, 1, 'raster mode');
  const label = pageToLabelImage(page, head.offsets[62], REFERENCE_PRINTABLE_DOTS[62]!);
  assert.equal(label.dotsOutsidePrintArea, 0);

  const pdf = await pdfInk(layout);
  const scores = (['cw', 'ccw'] as const).map((turn) => ({
    turn,
    straight: bestOverlap(pdf, toBadge(label, label.black, turn, false)).iou,
    mirrored: bestOverlap(pdf, toBadge(label, label.black, turn, true)).iou,
  }));
  const best = Math.max(...scores.map((s) => s.straight));
  const mirrored = Math.max(...scores.map((s) => s.mirrored));
  assert.ok(best >= 0.85, `the label's ink matches the PDF's: ${JSON.stringify(scores)}`);
  assert.ok(mirrored < best - 0.3, `a mirrored label would not match: ${JSON.stringify(scores)}`);
});

test('a 4 × 6 in badge on 102 × 152 mm die-cut labels (QL-1110NWB): 162-byte lines, upright, agreeing with the PDF', async () => {
  const layout = layoutOf('4x6in');
  const bytes = jobFor('QL-1110NWB', '102x152', layout);
  const head = REFERENCE_HEADS['QL-1100'];
  const { pages } = decodeBrotherJob(bytes, head.pins / 8);
  const page = pages[0]!;
  assert.deepEqual([page.info?.widthMm, page.info?.lengthMm, page.lines.length], [102, 152, 1660]);
  const label = pageToLabelImage(page, head.offsets[102], REFERENCE_PRINTABLE_DOTS[102]!);
  assert.equal(label.dotsOutsidePrintArea, 0);
  const pdf = await pdfInk(layout);
  const straight = bestOverlap(pdf, toBadge(label, label.black, 'none', false)).iou;
  const mirrored = bestOverlap(pdf, toBadge(label, label.black, 'none', true)).iou;
  assert.ok(straight >= 0.85 && mirrored < straight - 0.3, `straight ${straight}, mirrored ${mirrored}`);
});

test('black and red on a 62 mm black/red roll (QL-810W): two-colour lines (w 01 / w 02), the VIP mark red, the rest black', async () => {
  const layout = layoutOf('100x62mm');
  const bytes = jobFor('QL-810W', '62red', layout);
  const head = REFERENCE_HEADS['QL-800'];
  const page = decodeBrotherJob(bytes, head.pins / 8).pages[0]!;
  assert.equal(page.twoColour, true);
  assert.equal(page.info?.mediaType, 0x0a, 'endless');
  assert.equal(page.marginDots, 35, 'an endless roll feeds 3 mm at each end');
  const label = pageToLabelImage(page, head.offsets[62], REFERENCE_PRINTABLE_DOTS[62]!);
  const red = label.red!;
  const count = (p: Uint8Array) => p.reduce((n, v) => n + v, 0);
  assert.ok(count(red) > 2000, 'the VIP box is red');
  let overlap = 0;
  for (let i = 0; i < red.length; i++) if (red[i] && label.black[i]) overlap++;
  assert.equal(overlap, 0, 'no dot is both colours');
  // The red dots are the VIP mark: where the PDF draws its box.
  const pdf = await pdfInk(layout);
  const vip = layout.items.find((i) => i.kind === 'vip')!;
  const k = 300 / 72;
  const turn = (['cw', 'ccw'] as const)
    .map((t) => ({ t, s: bestOverlap(pdf, toBadge(label, label.black, t, false)) }))
    .sort((a, b) => b.s.iou - a.s.iou)[0]!;
  const redInBadge = toBadge(label, red, turn.t, false);
  let inside = 0;
  for (let y = 0; y < redInBadge.height; y++)
    for (let x = 0; x < redInBadge.width; x++) {
      if (!redInBadge.ink[y * redInBadge.width + x]) continue;
      const bx = (x + turn.s.dx) / k;
      const by = (y + turn.s.dy) / k;
      if (bx >= vip.x - 1 && bx <= vip.x + vip.width + 1 && by >= vip.y - 1 && by <= vip.y + vip.height + 1)
        inside++;
    }
  assert.equal(inside, count(red), 'every red dot is inside the VIP box');
  // A badge without the mark prints in two colours all the same (the roll asks for it), with no red.
  const plain = decodeBrotherJob(
    jobFor('QL-810W', '62red', layoutOf('100x62mm', { ...PERSON, vip: false })),
    90,
  ).pages[0]!;
  assert.equal(plain.twoColour, true);
  assert.equal(
    plain.lines.every((l) => l.red!.every((b) => b === 0)),
    true,
  );
});

test('the QL-800 (no compression) sends 90-byte lines as they are', () => {
  const page = decodeBrotherJob(jobFor('QL-800', '62', layoutOf('100x62mm')), 90).pages[0]!;
  assert.equal(page.compressed, false);
  assert.equal(page.info?.mediaType, 0x0a);
  assert.equal(
    page.lines.length,
    Math.round((100 / 25.4) * 300) - 70,
    'a 100 mm badge less the two 3 mm feed margins',
  );
});

test('a raster of the wrong width is refused with a typed error, and so is one of the wrong length for a die-cut label', () => {
  const plan = { model: 'QL-820NWB' as const, media: BROTHER_MEDIA['62x100'], rotated: true };
  const wrongWidth = { width: 700, lines: 1109, black: new Uint8Array(700 * 1109), red: null };
  assert.throws(
    () => encodeBrotherRaster(wrongWidth, plan),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT' && /700 dots wide/.test(e.message),
  );
  const wrongLength = { width: 696, lines: 1000, black: new Uint8Array(696 * 1000), red: null };
  assert.throws(
    () => encodeBrotherRaster(wrongLength, plan),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT',
  );
  assert.throws(
    () =>
      encodeBrotherRaster(
        { width: 1164, lines: 1660, black: new Uint8Array(1164 * 1660), red: null },
        {
          model: 'QL-820NWB',
          media: BROTHER_MEDIA['102x152'],
          rotated: false,
        },
      ),
    (e: unknown) => e instanceof AppError && /does not take/.test(e.message),
  );
});

test('PackBits: what the encoder packs, the reference unpacking gives back, for runs, literals and their edges', () => {
  const cases = [
    new Uint8Array(90),
    Uint8Array.from({ length: 90 }, (_, i) => i),
    Uint8Array.from({ length: 162 }, (_, i) => (i % 7 < 3 ? 0xff : i & 0xff)),
    Uint8Array.from([1]),
    Uint8Array.from([1, 1]),
    Uint8Array.from([1, 2, 2]),
    Uint8Array.from({ length: 300 }, (_, i) => (i < 200 ? 5 : i)),
  ];
  for (const c of cases) assert.deepEqual(unpackBits(packBits(c)), c);
  assert.ok(packBits(new Uint8Array(90)).length <= 2, 'a blank line packs to a repeat');
});

test('which badge sizes fit which roll: 100 × 62 mm across 62 mm rolls (turned), 4 × 6 in on 102 × 152 mm, and not the other way', () => {
  const fit = (size: PageSizeId, media: BrotherMediaId) =>
    fitBadgeToMedia(pageMm(layoutOf(size)), BROTHER_MEDIA[media]);
  assert.deepEqual(fit('100x62mm', '62x100'), { rotated: true });
  assert.deepEqual(fit('100x62mm', '62'), { rotated: true });
  assert.deepEqual(fit('4x6in', '102x152'), { rotated: false });
  assert.deepEqual(fit('4x3in', '102'), { rotated: false });
  assert.equal(fit('4x3in', '62x100'), null);
  assert.equal(fit('4x3in', '102x152'), null);
  assert.equal(fit('CR80', '62'), null);
});
