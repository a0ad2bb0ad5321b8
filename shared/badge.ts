// Badges: page sizes, templates and their variants, and the one layout every output draws
// (the preview's SVG, the PDF, the ZPL label, the OS printer). Pure: text widths come from the
// caller's `measure` (main measures with the font the PDF embeds, so what staff see is what prints).
import { foldLabel, type RegistrationAnswer } from './answers.ts';

const INCH = 72;
const MM = 72 / 25.4;

export const PAGE_SIZES = {
  '4x3in': { label: '4 × 3 in', widthPt: 4 * INCH, heightPt: 3 * INCH },
  '4x6in': { label: '4 × 6 in', widthPt: 4 * INCH, heightPt: 6 * INCH },
  '3.5x2.25in': { label: '3.5 × 2.25 in', widthPt: 3.5 * INCH, heightPt: 2.25 * INCH },
  A6: { label: 'A6 (105 × 148 mm)', widthPt: 105 * MM, heightPt: 148 * MM },
  CR80: { label: 'CR80 card (85.6 × 54 mm)', widthPt: 85.6 * MM, heightPt: 54 * MM },
  // Brother QL: a 62 × 100 mm die-cut label, or 100 mm of a 62 mm roll, worn landscape.
  '100x62mm': { label: '100 × 62 mm (Brother 62 mm labels)', widthPt: 100 * MM, heightPt: 62 * MM },
} as const;
export type PageSizeId = keyof typeof PAGE_SIZES;
export const PAGE_SIZE_IDS = Object.keys(PAGE_SIZES) as PageSizeId[];

export const BADGE_FIELDS = ['firstName', 'lastName', 'company', 'ticketName', 'qr', 'vipMark'] as const;
export type BadgeField = (typeof BADGE_FIELDS)[number];

export interface BadgeTemplate {
  id: number;
  name: string;
  pageSize: PageSizeId;
  /** The ticket type this variant is for (exact match); null: the default for every other ticket. */
  ticketName: string | null;
  fields: Record<BadgeField, boolean>;
  /**
   * The registration question whose answer the badge prints under the company (a workshop, a
   * dietary mark), by its wording, so one template serves every event that asks it; null: none.
   */
  answerLabel: string | null;
  updatedAt: string;
}

export type BadgeTemplateInput = Omit<BadgeTemplate, 'id' | 'updatedAt' | 'answerLabel'> & {
  answerLabel?: string | null;
};

/** Longest question wording a template may name. */
export const MAX_TEMPLATE_ANSWER_LABEL = 200;

/** What prints before anyone designs a badge: first name large, last name, company, ticket, QR, VIP mark. */
export const DEFAULT_TEMPLATE: Omit<BadgeTemplate, 'id' | 'updatedAt'> = {
  name: 'Standard badge',
  pageSize: '4x3in',
  ticketName: null,
  fields: { firstName: true, lastName: true, company: true, ticketName: true, qr: true, vipMark: true },
  answerLabel: null,
};

/** The variant for a ticket: the template made for exactly this ticket name, else the default. */
export function selectTemplate<T extends Pick<BadgeTemplate, 'ticketName'>>(
  templates: readonly T[],
  ticketName: string | null,
): T | undefined {
  return (
    (ticketName !== null ? templates.find((t) => t.ticketName === ticketName) : undefined) ??
    templates.find((t) => t.ticketName === null)
  );
}

/** The attendee fields a badge shows. */
export interface BadgePerson {
  firstName: string | null;
  lastName: string | null;
  fullName: string;
  company: string | null;
  ticketName: string | null;
  barcode: string | null;
  vip: boolean;
  answers?: readonly RegistrationAnswer[];
}

export interface TextItem {
  kind: 'text';
  /** 'answer': the answer to the template's question (answerLabel). */
  field: 'firstName' | 'lastName' | 'company' | 'answer' | 'ticketName';
  /** One or two lines, each already fitted to the box. */
  lines: string[];
  x: number;
  /** Baseline of the first line. */
  y: number;
  fontSize: number;
  lineHeight: number;
  bold: boolean;
  /** The box the text was fitted into (for centring and for the preview's outline). */
  width: number;
  align: 'left' | 'center';
  /** Measured width of each line at fontSize. */
  lineWidths: number[];
}

export interface QrItem {
  kind: 'qr';
  x: number;
  y: number;
  size: number;
  payload: string;
  /** The QR code's modules, one string of 0 and 1 per row (filled in by main for previews). */
  matrix?: string[];
}

export interface VipItem {
  kind: 'vip';
  x: number;
  y: number;
  width: number;
  height: number;
}

export type BadgeItem = TextItem | QrItem | VipItem;

export interface BadgeLayout {
  widthPt: number;
  heightPt: number;
  pageSize: PageSizeId;
  items: BadgeItem[];
}

/** Width of `text` at `fontSize` points, in the badge font (bold or regular). */
export type MeasureText = (text: string, fontSize: number, bold: boolean) => number;

export interface FittedText {
  lines: string[];
  fontSize: number;
  lineWidths: number[];
}

const ELLIPSIS = '…';

/**
 * Fits text into a box `width` wide: the largest size from `max` down to `min` on one line; if
 * even `min` is too wide and two lines are allowed, two lines (split at the space nearest the
 * middle, or between characters for scripts without spaces) at the largest size that fits;
 * failing that, the second line is shortened with an ellipsis. Never wider than the box.
 */
export function fitText(
  text: string,
  width: number,
  size: { max: number; min: number; maxLines: 1 | 2 },
  measure: MeasureText,
  bold: boolean,
): FittedText {
  const clean = text.replace(/\s+/g, ' ').trim();
  const step = 0.5;
  for (let s = size.max; s >= size.min; s -= step) {
    const w = measure(clean, s, bold);
    if (w <= width) return { lines: [clean], fontSize: s, lineWidths: [w] };
  }
  if (size.maxLines === 2) {
    const [a, b] = splitInTwo(clean);
    if (b) {
      for (let s = size.max * 0.8; s >= size.min; s -= step) {
        const wa = measure(a, s, bold);
        const wb = measure(b, s, bold);
        if (wa <= width && wb <= width) return { lines: [a, b], fontSize: s, lineWidths: [wa, wb] };
      }
      const first = truncate(a, width, size.min, measure, bold);
      const second = truncate(b, width, size.min, measure, bold);
      return {
        lines: [first, second],
        fontSize: size.min,
        lineWidths: [measure(first, size.min, bold), measure(second, size.min, bold)],
      };
    }
  }
  const only = truncate(clean, width, size.min, measure, bold);
  return { lines: [only], fontSize: size.min, lineWidths: [measure(only, size.min, bold)] };
}

function splitInTwo(text: string): [string, string] {
  const chars = [...text];
  if (chars.length < 2) return [text, ''];
  const middle = chars.length / 2;
  let best = -1;
  chars.forEach((c, i) => {
    if (c === ' ' && (best < 0 || Math.abs(i - middle) < Math.abs(best - middle))) best = i;
  });
  if (best > 0) return [chars.slice(0, best).join(''), chars.slice(best + 1).join('')];
  const cut = Math.ceil(middle);
  return [chars.slice(0, cut).join(''), chars.slice(cut).join('')];
}

function truncate(
  text: string,
  width: number,
  fontSize: number,
  measure: MeasureText,
  bold: boolean,
): string {
  if (measure(text, fontSize, bold) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('') + ELLIPSIS, fontSize, bold) <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ELLIPSIS;
}

/**
 * The badge's layout in points from its top-left corner. Proportional to the page, so every
 * size gets the same composition: first name large, last name, company, then the ticket name
 * along the bottom with the QR code of the barcode at the bottom right and the VIP mark top right.
 */
export function layoutBadge(
  template: Pick<BadgeTemplate, 'pageSize' | 'fields'> & { answerLabel?: string | null },
  person: BadgePerson,
  measure: MeasureText,
): BadgeLayout {
  const page = PAGE_SIZES[template.pageSize];
  const W = page.widthPt;
  const H = page.heightPt;
  const margin = Math.min(W, H) * 0.07;
  const items: BadgeItem[] = [];
  const f = template.fields;
  const showQr = f.qr && !!person.barcode;
  const qrSize = showQr ? Math.min(H * 0.34, W * 0.3) : 0;
  const showVip = f.vipMark && person.vip;
  const vip = showVip ? { width: Math.min(W, H) * 0.2, height: Math.min(W, H) * 0.1 } : null;
  const textWidth = W - 2 * margin;
  const short = Math.min(W, H);
  let y = margin + (vip ? vip.height + short * 0.03 : 0);

  // A person without first/last split (a Luma guest with one name field) still gets a big name.
  const first = person.firstName?.trim() || (person.lastName?.trim() ? '' : person.fullName);
  const last = person.firstName?.trim() ? (person.lastName?.trim() ?? '') : (person.lastName?.trim() ?? '');

  const qrTop = showQr ? H - margin - qrSize : Infinity;
  const addText = (
    field: TextItem['field'],
    text: string,
    max: number,
    min: number,
    maxLines: 1 | 2,
    bold: boolean,
    boxWidth = textWidth,
  ) => {
    if (!text.trim()) return;
    // Text that could reach down beside the QR code is fitted to the space left of it.
    const width = y + max * 2.3 > qrTop ? Math.min(boxWidth, textWidth - qrSize - margin * 0.5) : boxWidth;
    const fitted = fitText(text, width, { max, min, maxLines }, measure, bold);
    const lineHeight = fitted.fontSize * 1.15;
    items.push({
      kind: 'text',
      field,
      lines: fitted.lines,
      x: margin,
      y: y + fitted.fontSize,
      fontSize: fitted.fontSize,
      lineHeight,
      bold,
      width,
      align: 'left',
      lineWidths: fitted.lineWidths,
    });
    y += fitted.fontSize + lineHeight * (fitted.lines.length - 1) + short * 0.04;
  };

  if (f.firstName) addText('firstName', first, short * 0.2, Math.max(9, short * 0.08), 2, true);
  if (f.lastName) addText('lastName', last, short * 0.11, Math.max(8, short * 0.05), 2, false);
  if (f.company) addText('company', person.company ?? '', short * 0.075, Math.max(7, short * 0.04), 1, false);
  const answer = badgeAnswer(template.answerLabel ?? null, person.answers);
  if (answer) addText('answer', answer, short * 0.065, Math.max(6, short * 0.035), 1, true);
  if (f.ticketName && person.ticketName) {
    const size = short * 0.065;
    y = Math.max(y, H - margin - size * 1.2);
    addText(
      'ticketName',
      person.ticketName,
      size,
      Math.max(6, short * 0.035),
      1,
      true,
      textWidth - (showQr ? qrSize + margin * 0.5 : 0),
    );
  }
  if (showQr)
    items.push({
      kind: 'qr',
      x: W - margin - qrSize,
      y: H - margin - qrSize,
      size: qrSize,
      payload: person.barcode!,
    });
  if (vip)
    items.push({ kind: 'vip', x: W - margin - vip.width, y: margin, width: vip.width, height: vip.height });
  return { widthPt: W, heightPt: H, pageSize: template.pageSize, items };
}

/** The person's answer to the question a template prints, matched by its wording as folded labels are (shared/answers.ts). */
export function badgeAnswer(
  answerLabel: string | null,
  answers: readonly RegistrationAnswer[] | undefined,
): string | null {
  if (answerLabel === null || answerLabel.trim() === '') return null;
  const wanted = foldLabel(answerLabel);
  return answers?.find((a) => foldLabel(a.label) === wanted)?.text ?? null;
}
