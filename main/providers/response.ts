// Helpers both clients use to read provider bodies: zod building blocks that accept what the
// APIs really send (ids as numbers, extra fields, nulls), one way to turn a validation failure
// into a 'bad_response' that names the field, and the text cleaning every provider string gets.
import { z } from 'zod';
import { PROVIDER_LABEL, type ProviderKind } from '../../shared/types.ts';
import { ProviderError } from './types.ts';

/** Longest text we keep from a provider field; anything longer is not a name or a title. */
export const MAX_TEXT_LENGTH = 1000;

/** Provider ids are short (Eventbrite: digits, Luma: "gst-…"); a longer one is not an id but a broken body. */
export const MAX_ID_LENGTH = 255;

/** A required id: non-empty after trimming, at most MAX_ID_LENGTH; numeric ids (Eventbrite sends some) become strings. */
export const idSchema = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : value),
  z.string().trim().min(1).max(MAX_ID_LENGTH),
);

/**
 * Optional text. Numbers and booleans are taken as their text rather than failing the whole
 * page over a field we only display; objects and arrays still fail (the shape is wrong).
 */
export const optionalTextSchema = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  z.string().nullish(),
);

export const optionalBooleanSchema = z.boolean().nullish();

/**
 * Validates a parsed body. On failure throws 'bad_response' naming the first offending field,
 * e.g. `Eventbrite: bad response from /events/1/attendees/: attendees[3].id is missing`.
 */
export function parseResponse<T>(
  provider: ProviderKind,
  schema: z.ZodType<T>,
  body: unknown,
  endpoint: string,
): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? formatIssuePath(issue.path) : '';
  const problem = issue ? describeIssue(issue) : 'does not match the expected shape';
  throw new ProviderError(
    provider,
    'bad_response',
    `${PROVIDER_LABEL[provider]}: bad response from ${endpoint}: ${field || 'the body'} ${problem}`,
    { cause: result.error },
  );
}

/** The error for a body that is valid but cannot be used, e.g. "has_more without a cursor". */
export function badResponse(provider: ProviderKind, endpoint: string, problem: string): ProviderError {
  return new ProviderError(
    provider,
    'bad_response',
    `${PROVIDER_LABEL[provider]}: bad response from ${endpoint}: ${problem}`,
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `is missing (expected ${issue.expected})`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string') return 'is empty';
  return `is invalid (${issue.message})`;
}

/** ['attendees', 3, 'profile', 'name'] -> "attendees[3].profile.name" */
function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

const LINE_BREAKS_AND_TABS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x2028, 0x2029]);
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Provider strings are data typed by strangers: they may hold HTML (kept as literal text, never
 * interpreted), line breaks, control characters or megabytes. Line breaks and tabs become one
 * space, other C0/C1 control characters (NUL included) are dropped, the result is trimmed and
 * capped at `maxLength` code points. Empty becomes null.
 */
export function cleanText(value: string | null | undefined, maxLength = MAX_TEXT_LENGTH): string | null {
  if (value === null || value === undefined) return null;
  // Fast path for the usual clean string (an import maps hundreds of thousands of them).
  if (value.length <= maxLength && !NEEDS_CLEANING.test(value)) {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  let out = '';
  let length = 0;
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    let kept = char;
    if (LINE_BREAKS_AND_TABS.has(code)) {
      // A run of line breaks or tabs becomes a single space.
      if (out.endsWith(' ')) continue;
      kept = ' ';
    } else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      continue;
    }
    // Leading spaces are trimmed anyway: neither keep nor count them.
    if (kept === ' ' && out === '') continue;
    out += kept;
    length += 1;
    // Stop reading absurd inputs early; one spare character lets trimEnd work before the cap.
    if (length > maxLength + 1) break;
  }
  const trimmed = out.trim();
  if (trimmed === '') return null;
  const codePoints = Array.from(trimmed);
  return codePoints.length > maxLength ? codePoints.slice(0, maxLength).join('').trimEnd() : trimmed;
}

/** First non-empty cleaned value, else null. */
export function firstText(...values: (string | null | undefined)[]): string | null {
  for (const value of values) {
    const cleaned = cleanText(value);
    if (cleaned !== null) return cleaned;
  }
  return null;
}

/** "Ada" + "Lovelace" -> "Ada Lovelace"; null when both are empty. */
export function joinName(first: string | null, last: string | null): string | null {
  return cleanText([first, last].filter((part) => part !== null).join(' '));
}
