// One badge, several outputs from the same layout (shared/badge.ts): PDF (files, previews of the
// printed page, the OS printer), ZPL (label printers), and the QR matrix the preview draws; the
// bitmap for raster printers (bitmap.ts) draws with the fonts opened here.
// Text is measured with the font the PDF embeds (DejaVu Sans: Latin, Greek, Cyrillic and more),
// so the layout, the preview and the paper agree.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { BadgeLayout, MeasureText, QrItem } from '../../shared/badge.ts';

const require = createRequire(import.meta.url);
export const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * DejaVu has no Chinese, Japanese or Korean glyphs. A name it cannot draw is set in a CJK font
 * of the machine instead (the first that exists; BADGE_DESK_FALLBACK_FONT first), measured and
 * embedded like DejaVu, so the badge shows the name rather than empty boxes.
 */
export const FALLBACK_FONT_CANDIDATES = [
  process.env.BADGE_DESK_FALLBACK_FONT,
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/System/Library/Fonts/Hiragino Sans GB.ttc',
  '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
  '/Library/Fonts/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\msyh.ttc',
  'C:\\Windows\\Fonts\\YuGothM.ttc',
  'C:\\Windows\\Fonts\\malgun.ttf',
].filter((p): p is string => !!p);

interface FontFace {
  path: string;
  /** The face inside a collection (.ttc), by PostScript name. */
  family: string | undefined;
  glyphs: fontkit.Font;
}

function openFace(path: string): FontFace {
  const opened = fontkit.openSync(path);
  const face = 'fonts' in opened ? opened.fonts[0]! : opened;
  return { path, family: 'fonts' in opened ? face.postscriptName : undefined, glyphs: face };
}

let fonts: { regular: FontFace; bold: FontFace; fallback: FontFace | null } | null = null;
function badgeFonts() {
  if (!fonts) {
    const fallbackPath = FALLBACK_FONT_CANDIDATES.find((p) => existsSync(p));
    let fallback: FontFace | null = null;
    try {
      fallback = fallbackPath ? openFace(fallbackPath) : null;
    } catch {
      fallback = null; // an unreadable font is as good as none
    }
    fonts = { regular: openFace(FONT_REGULAR), bold: openFace(FONT_BOLD), fallback };
  }
  return fonts;
}

/** The font a text is set in: DejaVu when it has every glyph, else the CJK fallback (when there is one). */
export function fontFor(text: string, bold: boolean): 'regular' | 'bold' | 'fallback' {
  const f = badgeFonts();
  const primary = bold ? f.bold : f.regular;
  if (!f.fallback) return bold ? 'bold' : 'regular';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20 && !primary.glyphs.hasGlyphForCodePoint(cp) && f.fallback.glyphs.hasGlyphForCodePoint(cp))
      return 'fallback';
  }
  return bold ? 'bold' : 'regular';
}

/** The glyphs of a badge font, for drawing the badge as a bitmap with the PDF's own outlines. */
export function badgeFontFace(kind: 'regular' | 'bold' | 'fallback'): fontkit.Font {
  const f = badgeFonts();
  return (kind === 'fallback' ? (f.fallback ?? f.regular) : f[kind]).glyphs;
}

/** The name of the fallback font file in use, if any (for diagnostics and tests). */
export function fallbackFontPath(): string | null {
  return badgeFonts().fallback?.path ?? null;
}

function newDocument(): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Producer: 'Badge Desk', Creator: 'Badge Desk' },
  });
  const f = badgeFonts();
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  if (f.fallback) doc.registerFont('fallback', f.fallback.path, f.fallback.family ?? '');
  return doc;
}

/** Text widths in the badge font. One measuring document, reused: fonts load once. */
export function createMeasure(): MeasureText {
  const doc = newDocument();
  const cache = new Map<string, number>();
  return (text, fontSize, bold) => {
    const key = `${bold ? 'b' : 'r'}|${text}`;
    let unit = cache.get(key);
    if (unit === undefined) {
      unit = doc.font(fontFor(text, bold)).fontSize(1).widthOfString(text);
      if (cache.size > 5000) cache.clear();
      cache.set(key, unit);
    }
    return unit * fontSize;
  };
}

/** The QR code's modules, a row of '0'/'1' per line (error correction M: survives a scuffed badge). */
export function qrMatrix(payload: string): string[] {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const rows: string[] = [];
  for (let r = 0; r < n; r++) {
    let row = '';
    for (let c = 0; c < n; c++) row += qr.modules.get(r, c) ? '1' : '0';
    rows.push(row);
  }
  return rows;
}

/** The layout with the QR matrices filled in: what the renderer's preview draws. */
export function withQrMatrices(layout: BadgeLayout): BadgeLayout {
  return {
    ...layout,
    items: layout.items.map((i) => (i.kind === 'qr' ? { ...i, matrix: qrMatrix(i.payload) } : i)),
  };
}

export function renderPdf(layout: BadgeLayout, title: string): Promise<Buffer> {
  const doc = newDocument();
  doc.info.Title = title;
  doc.addPage({ size: [layout.widthPt, layout.heightPt], margin: 0 });
  for (const item of layout.items) {
    if (item.kind === 'text') {
      doc.fontSize(item.fontSize).fillColor('#000000');
      item.lines.forEach((line, i) => {
        doc.font(fontFor(line, item.bold));
        const x = item.align === 'center' ? item.x + (item.width - (item.lineWidths[i] ?? 0)) / 2 : item.x;
        doc.text(line, x, item.y + i * item.lineHeight, { lineBreak: false, baseline: 'alphabetic' });
      });
    } else if (item.kind === 'qr') {
      drawQr(doc, item);
    } else {
      doc.roundedRect(item.x, item.y, item.width, item.height, item.height * 0.25).fill('#d4a017');
      doc
        .font('bold')
        .fontSize(item.height * 0.6)
        .fillColor('#ffffff');
      const w = doc.widthOfString('VIP');
      doc.text('VIP', item.x + (item.width - w) / 2, item.y + item.height * 0.72, {
        lineBreak: false,
        baseline: 'alphabetic',
      });
      doc.fillColor('#000000');
    }
  }
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function drawQr(doc: PDFKit.PDFDocument, item: QrItem): void {
  const matrix = item.matrix ?? qrMatrix(item.payload);
  const m = item.size / matrix.length;
  matrix.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) if (row[c] === '1') doc.rect(item.x + c * m, item.y + r * m, m, m);
  });
  doc.fill('#000000');
}

/**
 * Field data for ZPL, hex-escaped (^FH): every byte outside letters, digits and space is written
 * as _XX of its UTF-8 encoding (^CI28), so a name holding ^ or ~ cannot become a ZPL command.
 */
export function zplField(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/[A-Za-z0-9 ]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `_${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The label in ZPL II at the printer's resolution. Text is clipped to its box (^TB). */
export function renderZpl(layout: BadgeLayout, dpi: 203 | 300): string {
  const d = (pt: number) => Math.round((pt * dpi) / 72);
  const out = ['^XA', '^CI28', `^PW${d(layout.widthPt)}`, `^LL${d(layout.heightPt)}`, '^LH0,0'];
  for (const item of layout.items) {
    if (item.kind === 'text') {
      const h = d(item.fontSize);
      item.lines.forEach((line, i) => {
        const top = item.y + i * item.lineHeight - item.fontSize * 0.8;
        out.push(
          `^FO${d(item.x)},${d(top)}^A0N,${h},${h}^TBN,${d(item.width)},${Math.round(h * 1.2)}^FH^FD${zplField(line)}^FS`,
        );
      });
    } else if (item.kind === 'qr') {
      const modules = (item.matrix ?? qrMatrix(item.payload)).length;
      const magnification = Math.max(1, Math.min(10, Math.floor(d(item.size) / modules)));
      out.push(`^FO${d(item.x)},${d(item.y)}^BQN,2,${magnification}^FH^FDMA,${zplField(item.payload)}^FS`);
    } else {
      out.push(`^FO${d(item.x)},${d(item.y)}^GB${d(item.width)},${d(item.height)},${d(item.height)},B,2^FS`);
      const h = d(item.height * 0.6);
      out.push(
        `^FO${d(item.x + item.width * 0.22)},${d(item.y + item.height * 0.2)}^A0N,${h},${h}^FR^FDVIP^FS`,
      );
    }
  }
  out.push('^XZ');
  return out.join('\n') + '\n';
}

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The badge as a standalone SVG document (points as user units), for the OS printer's page. Text
 * is XML-escaped and stretched to the width main measured (textLength), as in the preview.
 */
export function layoutToSvg(layout: BadgeLayout, fontFamily: string): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.widthPt}pt" height="${layout.heightPt}pt" viewBox="0 0 ${layout.widthPt} ${layout.heightPt}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  ];
  for (const item of layout.items) {
    if (item.kind === 'text') {
      item.lines.forEach((line, i) => {
        const w = item.lineWidths[i] ?? 0;
        const x = item.align === 'center' ? item.x + (item.width - w) / 2 : item.x;
        parts.push(
          `<text x="${x}" y="${item.y + i * item.lineHeight}" font-family="${fontFamily}" font-size="${item.fontSize}" font-weight="${item.bold ? 700 : 400}" textLength="${w}" lengthAdjust="spacingAndGlyphs">${xmlEscape(line)}</text>`,
        );
      });
    } else if (item.kind === 'qr') {
      const matrix = item.matrix ?? qrMatrix(item.payload);
      const m = item.size / matrix.length;
      let d = '';
      matrix.forEach((row, r) => {
        for (let c = 0; c < row.length; c++)
          if (row[c] === '1') d += `M${item.x + c * m} ${item.y + r * m}h${m}v${m}h${-m}z`;
      });
      parts.push(`<path d="${d}" fill="#000"/>`);
    } else {
      parts.push(
        `<rect x="${item.x}" y="${item.y}" width="${item.width}" height="${item.height}" rx="${item.height * 0.25}" fill="#d4a017"/>`,
      );
      parts.push(
        `<text x="${item.x + item.width / 2}" y="${item.y + item.height * 0.72}" text-anchor="middle" font-family="${fontFamily}" font-weight="700" font-size="${item.height * 0.6}" fill="#fff">VIP</text>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}
