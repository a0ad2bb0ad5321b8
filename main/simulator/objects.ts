// Plain-object helpers the provider renderers share.

/** A shallow copy without `keys`: how the `missing_fields` fault strips a valid answer. */
export function withoutKeys(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Drops keys whose value is undefined, so a partial patch never blanks a field by accident. */
export function definedFields<T extends object>(input: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(input) as [keyof T, T[keyof T]][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
