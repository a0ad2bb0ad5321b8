// Immutable edits of lists of things with an id (events, integrations, templates, rows).

interface HasId {
  id: number;
}

/** The list with `fresh` in place of its namesake, or at the end when it is new. */
export function upsertById<T extends HasId>(list: T[], fresh: T): T[] {
  const index = list.findIndex((item) => item.id === fresh.id);
  if (index < 0) return [...list, fresh];
  const next = list.slice();
  next[index] = fresh;
  return next;
}

/** The list with the item of this id rewritten; the same list when there is none. */
export function patchById<T extends HasId>(list: T[], id: number, patch: (item: T) => T): T[] {
  const index = list.findIndex((item) => item.id === id);
  if (index < 0) return list;
  const next = list.slice();
  next[index] = patch(list[index]!);
  return next;
}

/** The list with `fresh` in place of its namesake; the same list when it is not there. */
export function replaceById<T extends HasId>(list: T[], fresh: T): T[] {
  return patchById(list, fresh.id, () => fresh);
}
