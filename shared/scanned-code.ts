// What the desk does with a code a scanner or the camera read, before it looks anyone up. A ticket
// code is short printable text; a Luma check-in URL is matched by its key (ticket-code.ts). What a
// code cannot be is refused here and said as "not found" or "another event", and never opened,
// followed or run: text of 4,000 characters, binary data, a link to any other site (or a scheme
// such as javascript: or data:), and a Luma check-in URL of another event. Pure: the desk's Enter,
// its camera and the kiosk use the same screen.
import { lumaCheckInEvent, lumaCheckInKey } from './ticket-code.ts';
import type { ProviderKind } from './types.ts';

/** The longest code the desk looks up (the check-in channel's limit). */
export const MAX_SCANNED_CODE_CHARS = 500;

export type RefusedScan = 'too_long' | 'binary' | 'foreign_link' | 'another_event';

export type ScannedCodeVerdict = { kind: 'code'; code: string } | { kind: 'refused'; reason: RefusedScan };

/** The event the desk checks in for: a Luma check-in URL must name it. */
export interface ScanEvent {
  provider: ProviderKind;
  providerEventId: string;
}

// C0 and C1 control characters, the replacement character of undecodable bytes, and unassigned
// or private-use code points: none is in a ticket code, a name or an email.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd\p{Co}\p{Cn}]/u;
// "scheme:" at the start. With "//" after it, it is a link to a site; without, the schemes below
// open something (a script, a file, a dialler, a wallet) and are never ticket codes either.
const SCHEME = /^([a-z][a-z0-9+.-]{1,30}):(\/\/)?/i;
const OPENING_SCHEMES = new Set([
  'javascript',
  'vbscript',
  'data',
  'blob',
  'file',
  'about',
  'mailto',
  'tel',
  'sms',
  'smsto',
  'intent',
  'market',
  'itms-services',
  'geo',
  'wifi',
  'bitcoin',
  'matmsg',
  'mecard',
]);

/**
 * The screen, in its order: binary (a decoder said so, or the text holds what no text does), too
 * long, then links: a Luma check-in URL of this event is a code (of another Luma event: "another
 * event"), and any other link or opening scheme is refused. Line breaks a scanner adds around a
 * code are trimmed; one inside it is binary.
 */
export function screenScannedCode(
  text: string,
  event: ScanEvent,
  decoded: { binary?: boolean } = {},
): ScannedCodeVerdict {
  const code = text.trim();
  if (decoded.binary || NOT_TEXT.test(code) || /[\n\r\t]/.test(code))
    return { kind: 'refused', reason: 'binary' };
  if (code.length > MAX_SCANNED_CODE_CHARS) return { kind: 'refused', reason: 'too_long' };
  const scheme = SCHEME.exec(code);
  if (scheme) {
    if (lumaCheckInKey(code) !== null) {
      const named = lumaCheckInEvent(code);
      const ours = event.provider === 'luma' && named === event.providerEventId;
      return ours ? { kind: 'code', code } : { kind: 'refused', reason: 'another_event' };
    }
    if (scheme[2] !== undefined || OPENING_SCHEMES.has(scheme[1]!.toLowerCase()))
      return { kind: 'refused', reason: 'foreign_link' };
  }
  return { kind: 'code', code };
}

/** What the desk says of a refused code: the words a person at the door reads, never the code's text run as anything. */
export function refusedScanText(reason: RefusedScan): { title: string; detail: string } {
  switch (reason) {
    case 'another_event':
      return { title: 'Another event', detail: 'This ticket is for another event' };
    case 'foreign_link':
      return { title: 'Not found', detail: 'This code is a link, not a ticket of this event' };
    case 'too_long':
      return { title: 'Not found', detail: 'This code is too long to be a ticket' };
    case 'binary':
      return { title: 'Not found', detail: 'This code holds no ticket text' };
  }
}

/** The same code read again within this time counts once: a code held in front of the camera is one scan. */
export const SCAN_REPEAT_MS = 3_000;

/**
 * Reads of the same code within SCAN_REPEAT_MS of the last read of it count once. The window runs
 * from the last time the code was seen, so a ticket held up for ten seconds is one scan; shown
 * again after a pause of 3 s, it is a new one (the desk then says "Already checked in").
 */
export class ScanRepeats {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly windowMs = SCAN_REPEAT_MS) {}

  /** Whether this read counts (a new scan), noting it either way. `nowMs`: the caller's clock. */
  counts(code: string, nowMs: number): boolean {
    for (const [seen, at] of this.lastSeen) if (nowMs - at >= this.windowMs) this.lastSeen.delete(seen);
    const counted = !this.lastSeen.has(code);
    this.lastSeen.set(code, nowMs);
    return counted;
  }

  /** Forgets every code (the camera stopped). */
  clear(): void {
    this.lastSeen.clear();
  }
}
