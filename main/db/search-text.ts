// How the desk's typed text becomes an FTS5 query. The index folds case and accents itself
// (unicode61, remove_diacritics 2); the same folding in JS decides "exact name" ranking.

/** Lower case, accents removed, whitespace collapsed: "  Zoë  Núñez" -> "zoe nunez". */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** At most this many words of a query are used: a desk query is a name or a code, not a text. */
const MAX_TERMS = 8;

/**
 * "zoe smi" -> `"zoe"* "smi"*`: every word must match the start of a word in some searched
 * column. Each word is a quoted FTS5 string, so nothing typed (quotes, AND, NEAR, *, :, ^) can
 * change the query's meaning or make it a syntax error. Returns null when nothing searchable is left.
 */
export function toMatchExpression(query: string): string | null {
  const terms = query
    .normalize('NFC')
    .split(/\s+/)
    // A word the tokenizer would reduce to nothing ("@", "-") matches nothing: drop it.
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, MAX_TERMS)
    .map((t) => `"${t.replace(/"/g, '""')}"*`);
  return terms.length ? terms.join(' ') : null;
}
