import type { Migration } from './index.ts';

// The venue's read model. Desks merge their logs, so the check-in state becomes the venue's
// merged check-in rule, computed by shared/venue.ts (deriveCheckIn) in the same
// transaction as each log row (main/db/venue-store.ts), no longer by a trigger that took the
// last action. For a log of one desk both give the same answer, so existing rows stay as they are.
// - venue_station: this station's random id, made once, with the database (log rows carry it).
// - checkins gain station_id and, for an undo, the action id of the check-in it undoes. Rows
//   before this migration are this station's; each undo undid the check-in before it (one desk
//   alternates check-in and undo), which is what the backfill names.
// - attendee_checkin gains the shown check-in's station id and how many stations hold a
//   check-in not undone (2 or more: a double admission, listed for the admin).
// - vip_entries: every VIP change (last writer by time, then station id, wins); attendee_local.vip
//   is derived from it. Existing flags become this station's entries.
// - venue_prints: badges that came out of a printer at any desk (job_id set for this station's).
// - venue_pending: valid remote entries whose attendee is not in the mirror yet.
// - venue_documents: each venue document's state, one merged Yjs update.
export const migration006: Migration = {
  version: 6,
  name: 'venue read model',
  sql: `
CREATE TABLE venue_station (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  station_id TEXT NOT NULL
);
INSERT INTO venue_station (id, station_id) VALUES (1, lower(hex(randomblob(16))));

ALTER TABLE checkins ADD COLUMN station_id TEXT NOT NULL DEFAULT '';
ALTER TABLE checkins ADD COLUMN undoes_action_id TEXT;
DROP TRIGGER checkins_append_only_update;
UPDATE checkins SET station_id = (SELECT station_id FROM venue_station);
UPDATE checkins SET undoes_action_id = (
  SELECT p.action_id FROM checkins p
  WHERE p.attendee_id = checkins.attendee_id AND p.action = 'check_in' AND p.id < checkins.id
  ORDER BY p.id DESC LIMIT 1
) WHERE action = 'undo';
CREATE TRIGGER checkins_append_only_update BEFORE UPDATE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END;
DROP TRIGGER checkins_derive_state;

ALTER TABLE attendee_checkin ADD COLUMN station_id TEXT NOT NULL DEFAULT '';
ALTER TABLE attendee_checkin ADD COLUMN admission_stations INTEGER NOT NULL DEFAULT 0;
UPDATE attendee_checkin SET station_id = (SELECT station_id FROM venue_station), admission_stations = checked_in;
CREATE INDEX attendee_checkin_double ON attendee_checkin (event_id) WHERE admission_stations > 1;

CREATE TABLE vip_entries (
  action_id    TEXT PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  vip          INTEGER NOT NULL CHECK (vip IN (0, 1)),
  at           TEXT NOT NULL,
  station_id   TEXT NOT NULL,
  station_name TEXT NOT NULL
);
CREATE INDEX vip_entries_by_attendee ON vip_entries (attendee_id);
CREATE INDEX vip_entries_by_event ON vip_entries (event_id);
INSERT INTO vip_entries (action_id, event_id, attendee_id, vip, at, station_id, station_name)
  SELECT lower(hex(randomblob(16))), a.event_id, l.attendee_id, l.vip, strftime('%Y-%m-%dT%H:%M:%fZ', l.updated_at),
         (SELECT station_id FROM venue_station), 'Desk 1'
  FROM attendee_local l JOIN attendees a ON a.id = l.attendee_id;

CREATE TABLE venue_prints (
  print_id     TEXT PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('first', 'reprint')),
  at           TEXT NOT NULL,
  station_id   TEXT NOT NULL,
  station_name TEXT NOT NULL,
  by           TEXT,
  reason       TEXT,
  job_id       INTEGER UNIQUE REFERENCES print_jobs (id)
);
CREATE INDEX venue_prints_by_attendee ON venue_prints (attendee_id);
CREATE INDEX venue_prints_by_event ON venue_prints (event_id);

CREATE TABLE venue_pending (
  map                  TEXT NOT NULL CHECK (map IN ('checkins', 'vip', 'prints')),
  entry_id             TEXT NOT NULL,
  event_id             INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  provider_attendee_id TEXT NOT NULL,
  entry                TEXT NOT NULL, -- JSON, validated before it was kept
  PRIMARY KEY (map, entry_id)
);
CREATE INDEX venue_pending_by_attendee ON venue_pending (event_id, provider_attendee_id);

CREATE TABLE venue_documents (
  name       TEXT PRIMARY KEY,
  state      BLOB NOT NULL,
  updated_at TEXT NOT NULL
);
`,
};
