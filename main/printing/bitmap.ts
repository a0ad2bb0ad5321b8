// The badge as a bitmap, for raster label printers (Brother QL): the same layout the PDF draws
// (shared/badge.ts), with the PDF's own glyph outlines (the fonts render.ts embeds), filled at
// each dot's centre. One dot a printer dot: black, and red where the roll prints two colours.
// The VIP mark is a filled box with "VIP" left blank in it, as on the ZPL label (a gold box would
// not print on a black-only head).
import type { Font } from 'fontkit';
import type { BadgeLayout, TextItem } from '../../shared/badge.ts';
import { badgeFontFace, fontFor, qrMatrix } from './render.ts';

export interface BadgeBitmap {
  /** Dots across the badge as it is laid out (its width). */
  width: number;
  height: number;
  /** 1 where the dot prints black, row by row from the top-left corner. */
  black: Uint8Array;
  /** 1 where the dot prints red; null on a black-only roll. */
  red: Uint8Array | null;
}

type Point = [number, number];
type Polygon = Point[];

/** Fills polygons (dot coordinates) with the non-zero winding rule, sampling each dot at its centre. */
function fillPolygons(
  plane: Uint8Array,
  width: number,
  height: number,
  polygons: Polygon[],
  value: 0 | 1,
): void {
  const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = [];
  let top = Infinity;
  let bottom = -Infinity;
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) {
      const [ax, ay] = poly[i]!;
      const [bx, by] = poly[(i + 1) % poly.length]!;
      if (ay === by) continue;
      const down = ay < by;
      edges.push(
        down ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 },
      );
      top = Math.min(top, ay, by);
      bottom = Math.max(bottom, ay, by);
    }
  }
  if (!edges.length) return;
  const first = Math.max(0, Math.floor(top));
  const last = Math.min(height - 1, Math.ceil(bottom));
  const crossings: { x: number; dir: number }[] = [];
  for (let row = first; row <= last; row++) {
    const yc = row + 0.5;
    crossings.length = 0;
    for (const e of edges) {
      if (yc < e.y0 || yc >= e.y1) continue;
      crossings.push({ x: e.x0 + ((yc - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
    }
    if (crossings.length < 2) continue;
    crossings.sort((a, b) => a.x - b.x);
    let winding = 0;
    for (let i = 0; i < crossings.length - 1; i++) {
      winding += crossings[i]!.dir;
      if (winding === 0) continue;
      const from = Math.max(0, Math.ceil(crossings[i]!.x - 0.5));
      const to = Math.min(width, Math.ceil(crossings[i + 1]!.x - 0.5));
      if (to > from) plane.fill(value, row * width + from, row * width + to);
    }
  }
}

function fillRect(
  plane: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  w: number,
  h: number,
  value: 0 | 1,
) {
  const x0 = Math.max(0, Math.ceil(x - 0.5));
  const x1 = Math.min(width, Math.ceil(x + w - 0.5));
  const y0 = Math.max(0, Math.ceil(y - 0.5));
  const y1 = Math.min(height, Math.ceil(y + h - 0.5));
  if (x1 <= x0) return;
  for (let row = y0; row < y1; row++) plane.fill(value, row * width + x0, row * width + x1);
}

/** Enough straight pieces that a curve strays less than a fraction of a dot. */
function pieces(length: number): number {
  return Math.max(2, Math.min(24, Math.ceil(length / 1.5)));
}

/** A glyph's outline in dots: `origin` the pen position (dots), `scale` dots per font unit (y flips: fonts point up). */
function glyphPolygons(
  commands: { command: string; args: number[] }[],
  origin: Point,
  scale: number,
): Polygon[] {
  const polys: Polygon[] = [];
  let current: Polygon = [];
  let pen: Point = [0, 0];
  const at = (x: number, y: number): Point => [origin[0] + x * scale, origin[1] - y * scale];
  const close = () => {
    if (current.length > 2) polys.push(current);
    current = [];
  };
  for (const { command, args } of commands) {
    if (command === 'moveTo') {
      close();
      pen = at(args[0]!, args[1]!);
      current.push(pen);
    } else if (command === 'lineTo') {
      pen = at(args[0]!, args[1]!);
      current.push(pen);
    } else if (command === 'quadraticCurveTo') {
      const c = at(args[0]!, args[1]!);
      const end = at(args[2]!, args[3]!);
      const n = pieces(Math.hypot(c[0] - pen[0], c[1] - pen[1]) + Math.hypot(end[0] - c[0], end[1] - c[1]));
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        const u = 1 - t;
        current.push([
          u * u * pen[0] + 2 * u * t * c[0] + t * t * end[0],
          u * u * pen[1] + 2 * u * t * c[1] + t * t * end[1],
        ]);
      }
      pen = end;
    } else if (command === 'bezierCurveTo') {
      const c1 = at(args[0]!, args[1]!);
      const c2 = at(args[2]!, args[3]!);
      const end = at(args[4]!, args[5]!);
      const n = pieces(
        Math.hypot(c1[0] - pen[0], c1[1] - pen[1]) +
          Math.hypot(c2[0] - c1[0], c2[1] - c1[1]) +
          Math.hypot(end[0] - c2[0], end[1] - c2[1]),
      );
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        const u = 1 - t;
        const a = u * u * u;
        const b = 3 * u * u * t;
        const c = 3 * u * t * t;
        const d = t * t * t;
        current.push([
          a * pen[0] + b * c1[0] + c * c2[0] + d * end[0],
          a * pen[1] + b * c1[1] + c * c2[1] + d * end[1],
        ]);
      }
      pen = end;
    } else if (command === 'closePath') {
      close();
    }
  }
  close();
  return polys;
}

/**
 * A line of text laid out as PDFKit lays it out (each word with its space on its own, the font's
 * default features), so its glyphs land where the PDF's do.
 */
function textPolygons(
  font: Font,
  text: string,
  xDots: number,
  baselineDots: number,
  dotsPerUnit: number,
): Polygon[] {
  const polys: Polygon[] = [];
  let penX = xDots;
  for (const chunk of text.match(/[^ \t]*[ \t]?/g) ?? []) {
    if (!chunk) continue;
    const run = font.layout(chunk);
    run.glyphs.forEach((glyph, i) => {
      const pos = run.positions[i]!;
      const origin: Point = [penX + pos.xOffset * dotsPerUnit, baselineDots - pos.yOffset * dotsPerUnit];
      polys.push(...glyphPolygons(glyph.path.commands, origin, dotsPerUnit));
      penX += pos.xAdvance * dotsPerUnit;
    });
  }
  return polys;
}

function drawText(plane: Uint8Array, width: number, height: number, item: TextItem, k: number): void {
  item.lines.forEach((line, i) => {
    const font = badgeFontFace(fontFor(line, item.bold));
    const x = item.align === 'center' ? item.x + (item.width - (item.lineWidths[i] ?? 0)) / 2 : item.x;
    const baseline = item.y + i * item.lineHeight;
    const dotsPerUnit = (item.fontSize / font.unitsPerEm) * k;
    fillPolygons(plane, width, height, textPolygons(font, line, x * k, baseline * k, dotsPerUnit), 1);
  });
}

function roundedRect(x: number, y: number, w: number, h: number, r: number): Polygon {
  const poly: Polygon = [];
  const corner = (cx: number, cy: number, from: number) => {
    for (let s = 0; s <= 8; s++) {
      const a = from + (s / 8) * (Math.PI / 2);
      poly.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
    }
  };
  corner(x + w - r, y + r, -Math.PI / 2);
  corner(x + w - r, y + h - r, 0);
  corner(x + r, y + h - r, Math.PI / 2);
  corner(x + r, y + r, Math.PI);
  return poly;
}

/**
 * The badge at `dpi` dots per inch. With `twoColour`, the VIP mark prints red (a black/red roll);
 * everything else is black.
 */
export function rasteriseBadge(layout: BadgeLayout, dpi: number, twoColour: boolean): BadgeBitmap {
  const k = dpi / 72;
  const width = Math.round(layout.widthPt * k);
  const height = Math.round(layout.heightPt * k);
  const black = new Uint8Array(width * height);
  const red = twoColour ? new Uint8Array(width * height) : null;
  for (const item of layout.items) {
    if (item.kind === 'text') {
      drawText(black, width, height, item, k);
    } else if (item.kind === 'qr') {
      const matrix = item.matrix ?? qrMatrix(item.payload);
      const m = (item.size / matrix.length) * k;
      matrix.forEach((row, r) => {
        for (let c = 0; c < row.length; c++)
          if (row[c] === '1') fillRect(black, width, height, item.x * k + c * m, item.y * k + r * m, m, m, 1);
      });
    } else {
      const box = [
        roundedRect(item.x * k, item.y * k, item.width * k, item.height * k, item.height * 0.25 * k),
      ];
      const plane = red ?? black;
      fillPolygons(plane, width, height, box, 1);
      // "VIP" is the label's own colour inside the box, in both planes.
      const font = badgeFontFace('bold');
      const size = item.height * 0.6;
      const dotsPerUnit = (size / font.unitsPerEm) * k;
      const textWidth = (font.layout('VIP').advanceWidth * size) / font.unitsPerEm;
      const letters = textPolygons(
        font,
        'VIP',
        (item.x + (item.width - textWidth) / 2) * k,
        (item.y + item.height * 0.72) * k,
        dotsPerUnit,
      );
      fillPolygons(plane, width, height, letters, 0);
      if (red) fillPolygons(black, width, height, letters, 0);
    }
  }
  return { width, height, black, red };
}
