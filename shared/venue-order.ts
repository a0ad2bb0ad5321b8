// The order every desk of a venue agrees on for its entries: time, then station id, then the
// entry's own id. Every rule that asks "which came last" (a VIP flag, a correction, who is inside)
// reads entries in this order, so any desk that holds the same entries gives the same answer.

/** What the rules need of an entry: the same fields whether it came from a document or a SQLite row. */
export interface Stamped {
  id: string;
  at: string;
  stationId: string;
}

/** The order every desk agrees on: time, then station id, then the entry's own id. */
export function compareStamped(a: Stamped, b: Stamped): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.stationId !== b.stationId) return a.stationId < b.stationId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
