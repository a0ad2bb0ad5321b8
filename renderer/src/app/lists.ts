// Immutable edits of lists of things with an id (events, integrations, templates, rows), and
// lists the renderer mirrors from main as a whole (printers, templates).
import { Coalescer } from './scheduling.ts';

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

/** A list main keeps and the store mirrors: read whole, one read at a time; an edit main confirmed shows at once, then a re-read brings main's order and fields. */
export class MirroredList<T extends HasId> {
  private readonly reads = new Coalescer();

  constructor(
    private readonly name: string,
    private readonly read: () => Promise<T[]>,
    private readonly current: () => T[] | null,
    private readonly write: (list: T[]) => void,
  ) {}

  refresh(): Promise<void> {
    return this.reads.run(this.name, async () => this.write(await this.read()));
  }

  edit(change: (list: T[]) => T[]): void {
    this.write(change(this.current() ?? []));
    void this.refresh();
  }
}
