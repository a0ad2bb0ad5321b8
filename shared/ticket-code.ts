// When a scanned code is a stored ticket code. Most providers' codes are opaque and match as the
// whole text. Luma's check-in QR is a URL, https://luma.com/check-in/{event}?pk={key}, whose key
// (a guest key `g-…` or a ticket key) names the person: the host (`lu.ma` or `luma.com`) and any
// further parameters differ between Luma's apps and over time (docs/PROVIDERS.md), so a Luma scan
// matches on its key. Pure: used by the desk's lookup and its answers alike.

const LUMA_HOSTS: readonly string[] = ['luma.com', 'lu.ma'];
// Keys are opaque ids; anything else in `pk` (spaces, quotes, a second URL) is not a key.
const KEY = /^[A-Za-z0-9_-]{1,200}$/;

/** The key of a Luma check-in URL ("https://lu.ma/check-in/evt-1?pk=g-abc&utm_source=x" -> "g-abc"), or null when the text is not one. */
export function lumaCheckInKey(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (!LUMA_HOSTS.includes(host)) return null;
  if (!/^\/check-in(\/|$)/.test(url.pathname)) return null;
  const key = url.searchParams.get('pk');
  return key !== null && KEY.test(key) ? key : null;
}

/** The event a Luma check-in URL names ("https://luma.com/check-in/evt-1?pk=g-abc" -> "evt-1"), or null when the text is not one or names none. */
export function lumaCheckInEvent(text: string): string | null {
  if (lumaCheckInKey(text) === null) return null;
  const segment = new URL(text.trim()).pathname.split('/')[2];
  return segment && KEY.test(segment) ? segment : null;
}

/** What a stored code is known by: its Luma key when it is a Luma check-in URL, else its whole text. */
export function storedCodeKey(stored: string): string {
  return lumaCheckInKey(stored) ?? stored;
}

/** Whether a scanned code is this stored one: the same text, or a Luma check-in URL with the same key. */
export function isSameTicketCode(scanned: string, stored: string | null): boolean {
  if (stored === null) return false;
  const code = scanned.trim();
  if (code === stored) return true;
  const key = lumaCheckInKey(code);
  return key !== null && key === storedCodeKey(stored);
}

// A ticket code is one word of letters, digits and the punctuation codes carry, with a digit in it:
// Eventbrite's barcodes are digits, Luma's keys mix letters and digits. A name, an email or a
// company (spaces, an @, no digit) is not one.
const CODE_LIKE = /^[\p{L}\p{N}_\-.:/#=+]{4,}$/u;

/**
 * Whether text typed or scanned at the desk reads as a ticket code rather than a name: a Luma
 * check-in URL, or one word with a digit in it. The desk's "not found" speaks of a ticket code
 * only then ("No ticket with code 5000…"), and of the person otherwise ("No one matches 'xyz'").
 */
export function looksLikeTicketCode(text: string): boolean {
  const code = text.trim();
  if (lumaCheckInKey(code) !== null) return true;
  return CODE_LIKE.test(code) && /\p{N}/u.test(code);
}
