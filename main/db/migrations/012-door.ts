import type { Migration } from './index.ts';

// The door's local facts (shared/door.ts, shared/door-entries.ts), kept apart from the provider's
// columns: a sync's upsert never writes any of these tables.
// - door_entries: every walk-in, badge-name correction, note, "needs attention" flag, link,
//   walk-in setting and flagged-check-in confirmation, from this desk or another, as validated JSON.
//   `subject` is whose state the entry changes: a provider attendee id (a walk-in's own id
//   included), `ticket:<name>`, or `event`. Keyed by provider ids, not local row ids, so an entry
//   for a person not in the mirror yet waits for nothing: the state below joins them when they come.
// - attendee_door: each person's door state, derived from their entries (the latest correction,
//   note and flag, the person a walk-in is linked to); read with every attendee row.
// - door_search: the corrected names and companies, searched beside attendee_search, so the desk
//   finds a person by the corrected name and by the provider's.
// - ticket_door: the note of each ticket type, read with every attendee row of that ticket.
// - attendees_by_event_order: the people of an order, asked at every check-in.
// A walk-in is a row of `attendees` with the provider id `walk-in:<uuid>`, written from its entry
// (its columns are then the desk's, not a provider's); the sync skips such rows.
export const migration012: Migration = {
  version: 12,
  name: 'the door: walk-ins, corrections, notes, flags, links',
  sql: `
CREATE TABLE door_entries (
  map        TEXT NOT NULL CHECK (map IN ('walkIns', 'corrections', 'notes', 'flags', 'links', 'doorSettings', 'confirmations')),
  entry_id   TEXT NOT NULL,
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  subject    TEXT NOT NULL,
  at         TEXT NOT NULL,
  station_id TEXT NOT NULL,
  entry      TEXT NOT NULL,
  PRIMARY KEY (map, entry_id)
);
CREATE INDEX door_entries_by_subject ON door_entries (event_id, map, subject);

CREATE TABLE attendee_door (
  id                   INTEGER PRIMARY KEY,
  event_id             INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  provider_attendee_id TEXT NOT NULL,
  -- The correction in force (corrected_at NULL: none).
  badge_first_name     TEXT,
  badge_last_name      TEXT,
  badge_full_name      TEXT,
  badge_company        TEXT,
  base_full_name       TEXT,
  base_company         TEXT,
  corrected_at         TEXT,
  corrected_by         TEXT,
  note                 TEXT,
  attention            TEXT,
  -- For a walk-in: the provider attendee id of the person it was linked to, resolved to the end of a chain.
  linked_to            TEXT,
  UNIQUE (event_id, provider_attendee_id)
);
CREATE INDEX attendee_door_linked ON attendee_door (event_id, linked_to) WHERE linked_to IS NOT NULL;

CREATE VIRTUAL TABLE door_search USING fts5(
  badge_full_name, badge_company,
  content = 'attendee_door', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER attendee_door_search_insert AFTER INSERT ON attendee_door BEGIN
  INSERT INTO door_search (rowid, badge_full_name, badge_company) VALUES (new.id, new.badge_full_name, new.badge_company);
END;
CREATE TRIGGER attendee_door_search_update AFTER UPDATE OF badge_full_name, badge_company ON attendee_door
  WHEN old.badge_full_name IS NOT new.badge_full_name OR old.badge_company IS NOT new.badge_company BEGIN
  INSERT INTO door_search (door_search, rowid, badge_full_name, badge_company) VALUES ('delete', old.id, old.badge_full_name, old.badge_company);
  INSERT INTO door_search (rowid, badge_full_name, badge_company) VALUES (new.id, new.badge_full_name, new.badge_company);
END;
CREATE TRIGGER attendee_door_search_delete AFTER DELETE ON attendee_door BEGIN
  INSERT INTO door_search (door_search, rowid, badge_full_name, badge_company) VALUES ('delete', old.id, old.badge_full_name, old.badge_company);
END;

-- The people of one order, looked up at every check-in ("Check in all 4"): one seek, not a search.
CREATE INDEX attendees_by_event_order ON attendees (event_id, order_id) WHERE order_id IS NOT NULL;

CREATE TABLE ticket_door (
  event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  ticket_name TEXT NOT NULL,
  note        TEXT NOT NULL,
  PRIMARY KEY (event_id, ticket_name)
) WITHOUT ROWID;
`,
};
