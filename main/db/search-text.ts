// How the desk's typed text becomes an FTS5 query. The index folds case and accents itself
// (unicode61, remove_diacritics 2); the same folding in JS decides "exact name" ranking.

/** Lower case, accents removed, whitespace collapsed: "  Zoë  Núñez" -> "zoe nunez". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most this many words of a query are used: a desk query is a name or a code, not a text. */
const MAX_TERMS = 8;

/** The typed words, each as a quoted FTS5 string: nothing typed (quotes, AND, NEAR, *, :, ^) can change the query. */
function quotedTerms(query: string): string[] {
  return (
    query
      .normalize('NFC')
      .split(/\s+/)
      // A word the tokenizer would reduce to nothing ("@", "-") matches nothing: drop it.
      .filter((t) => /[\p{L}\p{N}]/u.test(t))
      .slice(0, MAX_TERMS)
      .map((t) => `"${t.replace(/"/g, '""')}"`)
  );
}

/**
 * "zoe smi" -> `"zoe"* "smi"*`: every word must match the start of a word in some searched
 * column. Returns null when nothing searchable is left.
 */
export function toMatchExpression(query: string): string | null {
  const terms = quotedTerms(query).map((t) => `${t}*`);
  return terms.length ? terms.join(' ') : null;
}

/** "Zoë Núñez" -> `full_name : ("Zoë" "Núñez")`: names holding every word whole, the candidates for "exact name". */
export function toNameMatchExpression(query: string): string | null {
  const terms = quotedTerms(query);
  return terms.length ? `full_name : (${terms.join(' ')})` : null;
}

/**
 * A ticket code's key as a phrase in the barcode column: "g-abc" -> `barcode : "g-abc"`. The
 * tokenizer splits a stored Luma URL into its words, so the key's words follow one another
 * there; the caller confirms each candidate with the key rule (shared/ticket-code.ts).
 */
export function toCodeKeyMatchExpression(key: string): string {
  return `barcode : "${key.replace(/"/g, '""')}"`;
}
