// Who is inside: the pure function of a set of entries that every desk of a venue applies, so
// desks that received the same entries in any order give the same answer. Pure: no Node, no DOM.
//
// One person in one check-in list has passages: entries (a check-in), exits, and undos that each
// name the entry or exit they take back. A list's check-out-all is an exit of everyone at its time.
// The rule (docs/LISTS.md says it for people):
// - undone passages are left out; an undo that names nothing known (yet) takes back nothing;
// - the rest, with the list's check-outs, are put in the venue's agreed order (time, then station
//   id, then id: shared/venue.ts compareStamped) and read in turn: an entry puts the person
//   inside, an exit or a check-out puts them outside. So the latest passage decides: when an exit
//   at one desk and an entry at another cross, the one stamped later wins;
// - a stay is the entries between two exits; a stay holding entries from two desks is a double
//   admission where the list admits once (for "once per day", two desks on the same day).
import { compareStamped, type Stamped } from './venue-order.ts';
import { dayOf } from './time-zone.ts';

export type PassageKind = 'check_in' | 'undo' | 'exit';

export interface PassageFact extends Stamped {
  kind: PassageKind;
  /** For an undo: the id of the entry or exit it takes back. */
  undoes: string | null;
  stationName: string;
}

export interface Presence<F extends PassageFact> {
  inside: boolean;
  /** The entries of the stay in progress, earliest first: empty while outside. */
  stay: F[];
  /** Each stay's entries, in order; the last is `stay` while inside. */
  stays: F[][];
  /** Every entry not undone, earliest first (the first is the person's arrival). */
  entries: F[];
  /** The latest entry not undone. */
  lastEntry: F | null;
  /** The person's own exits not undone, earliest first (check-outs of the whole list are not theirs). */
  exits: F[];
  /** The latest passage of all, undos included (what a row shows as its last action). */
  latest: F | null;
}

/** Passages of one person in one list (and the list's check-outs) to presence: see the rule above. */
export function derivePresence<F extends PassageFact>(
  facts: readonly F[],
  checkOuts: readonly Stamped[] = [],
): Presence<F> {
  const undone = new Set<string>();
  let latest: F | null = null;
  for (const f of facts) {
    if (f.kind === 'undo' && f.undoes !== null) undone.add(f.undoes);
    if (latest === null || compareStamped(f, latest) > 0) latest = f;
  }
  const live: { fact: Stamped; entry: F | null }[] = [];
  const exits: F[] = [];
  for (const f of facts) {
    if (f.kind === 'undo' || undone.has(f.id)) continue;
    live.push({ fact: f, entry: f.kind === 'check_in' ? f : null });
    if (f.kind === 'exit') exits.push(f);
  }
  for (const c of checkOuts) live.push({ fact: c, entry: null });
  live.sort((a, b) => compareStamped(a.fact, b.fact));
  exits.sort(compareStamped);
  const stays: F[][] = [];
  const entries: F[] = [];
  let stay: F[] = [];
  for (const { entry } of live) {
    if (entry) {
      if (stay.length === 0) stays.push(stay);
      stay.push(entry);
      entries.push(entry);
    } else if (stay.length > 0) stay = [];
  }
  return {
    inside: stay.length > 0,
    stay,
    stays,
    entries,
    lastEntry: entries[entries.length - 1] ?? null,
    exits,
    latest,
  };
}

export type EntryRule = 'once' | 'once_per_day' | 'every_time';

/**
 * The entries of the first double admission, or null: under "once", a stay with entries from two
 * or more desks; under "once per day", two or more desks' entries of one stay on the same day (in
 * the event's zone); "every time" admits again by design, so never.
 */
export function doubleAdmission<F extends PassageFact>(
  presence: Pick<Presence<F>, 'stays'>,
  rule: EntryRule,
  zone: string,
): F[] | null {
  if (rule === 'every_time') return null;
  for (const stay of presence.stays) {
    const groups = new Map<string, F[]>();
    for (const e of stay) {
      const key = rule === 'once' ? '' : dayOf(e.at, zone);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    // A stay's entries are in order, so its days are too.
    for (const group of groups.values()) if (new Set(group.map((e) => e.stationId)).size > 1) return group;
  }
  return null;
}

/** A passage as the inside-over-time fold reads it: the person it counts for, and its list. */
export interface PersonPassage extends PassageFact {
  person: number;
  list: string;
}

/**
 * The presence rule read once over a whole event, passage after passage in the venue's order: who
 * is inside each list and how many people are inside the venue (a person inside two lists counts
 * once). Undone passages are left out by the caller; a passage that sorts before the last one read
 * needs a new fold from the start (a desk back from a partition), which `accepts` says.
 */
export class InsideFold {
  private readonly insideOf = new Map<string, Set<number>>();
  private readonly listsOf = new Map<number, number>();
  venue = 0;
  /** The last passage or check-out read. */
  last: Stamped | null = null;

  /** Whether the stamp comes after everything read so far (else the fold must start again). */
  accepts(stamp: Stamped): boolean {
    return this.last === null || compareStamped(stamp, this.last) > 0;
  }

  passage(p: PersonPassage): void {
    this.last = p;
    let inside = this.insideOf.get(p.list);
    if (!inside) this.insideOf.set(p.list, (inside = new Set()));
    if (p.kind === 'check_in' && !inside.has(p.person)) {
      inside.add(p.person);
      const n = this.listsOf.get(p.person) ?? 0;
      if (n === 0) this.venue++;
      this.listsOf.set(p.person, n + 1);
    } else if (p.kind === 'exit' && inside.has(p.person)) this.leave(p.list, p.person);
  }

  checkOut(c: Stamped & { list: string }): void {
    this.last = c;
    const inside = this.insideOf.get(c.list);
    if (inside) for (const person of [...inside]) this.leave(c.list, person);
  }

  private leave(list: string, person: number): void {
    const n = (this.listsOf.get(person) ?? 1) - 1;
    if (n === 0) {
      this.listsOf.delete(person);
      this.venue--;
    } else this.listsOf.set(person, n);
    this.insideOf.get(list)?.delete(person);
  }
}

/**
 * Reads passages and check-outs (each in the venue's order, undos among the passages) into a fold,
 * merged in that order; `before(at)` runs before each one is read (the caller notes counts at slot
 * boundaries it passes).
 */
export function foldInOrder(
  fold: InsideFold,
  passages: readonly PersonPassage[],
  checkOuts: readonly (Stamped & { list: string })[],
  before: (at: string) => void = () => undefined,
): void {
  const undone = new Set<string>();
  for (const p of passages) if (p.kind === 'undo' && p.undoes !== null) undone.add(p.undoes);
  let c = 0;
  for (const p of passages) {
    if (p.kind === 'undo' || undone.has(p.id)) continue;
    while (c < checkOuts.length && compareStamped(checkOuts[c]!, p) < 0) {
      before(checkOuts[c]!.at);
      fold.checkOut(checkOuts[c++]!);
    }
    before(p.at);
    fold.passage(p);
  }
  while (c < checkOuts.length) {
    before(checkOuts[c]!.at);
    fold.checkOut(checkOuts[c++]!);
  }
}

/**
 * People inside the venue just before each of `boundaries` (ms, ascending): the presence rule above,
 * read once over the whole event. `passages` and `checkOuts` come in the venue's order.
 */
export function insideOverTime(
  passages: readonly PersonPassage[],
  checkOuts: readonly (Stamped & { list: string })[],
  boundaries: readonly number[],
): number[] {
  const fold = new InsideFold();
  const out: number[] = [];
  foldInOrder(fold, passages, checkOuts, (at) => {
    const t = Date.parse(at);
    while (out.length < boundaries.length && boundaries[out.length]! <= t) out.push(fold.venue);
  });
  while (out.length < boundaries.length) out.push(fold.venue);
  return out;
}
