import type { Migration } from './index.ts';

// Check-in lists, exits and who is inside (shared/lists.ts, shared/presence.ts,
// shared/list-entries.ts), local to the app: a sync never writes any of these.
// - checkins is rebuilt (SQLite changes a CHECK only so): an action may be an exit, each row
//   belongs to one list (`list_id`, 'main' for every row before this migration: the main list keeps
//   what the desk did), and an entry an admin let in over a refusal keeps the reason.
// - list_entries: each list's definitions and removals, from this desk or another, as validated
//   JSON; the latest of a list is in force (read and cached by main/db/list-store.ts).
// - list_check_outs: everyone checked out of a list at a time (an admin's, or a scheduled one).
// - list_presence: each person's state in each list they passed through, derived from their rows
//   and the list's check-outs in the transaction of each row: inside or not, the stay's first entry,
//   and how many desks admitted them in one stay where the list admits once (a double admission).
// - list_pending: remote entries naming a list this desk does not know yet; they wait for it.
export const migration013: Migration = {
  version: 13,
  name: 'check-in lists, exits and who is inside',
  sql: `
CREATE TABLE checkins_lists (
  id               INTEGER PRIMARY KEY,
  action_id        TEXT NOT NULL UNIQUE,
  event_id         INTEGER NOT NULL REFERENCES events (id),
  attendee_id      INTEGER NOT NULL REFERENCES attendees (id),
  action           TEXT NOT NULL CHECK (action IN ('check_in', 'undo', 'exit')),
  station          TEXT NOT NULL,
  at               TEXT NOT NULL,
  station_id       TEXT NOT NULL DEFAULT '',
  undoes_action_id TEXT,
  list_id          TEXT NOT NULL DEFAULT 'main',
  override_reason  TEXT,
  CHECK (override_reason IS NULL OR action = 'check_in')
);
INSERT INTO checkins_lists (id, action_id, event_id, attendee_id, action, station, at, station_id, undoes_action_id)
  SELECT id, action_id, event_id, attendee_id, action, station, at, station_id, undoes_action_id FROM checkins;
DROP TABLE checkins;
ALTER TABLE checkins_lists RENAME TO checkins;
CREATE INDEX checkins_by_attendee ON checkins (attendee_id, list_id);
CREATE INDEX checkins_by_event ON checkins (event_id, id);
-- The statistics and charts read only this index: entries and exits by list, desk and time.
CREATE INDEX checkins_by_event_time ON checkins (event_id, at, action, list_id, station_id, station);
CREATE INDEX checkins_by_undoes ON checkins (undoes_action_id) WHERE undoes_action_id IS NOT NULL;
CREATE TRIGGER checkins_append_only_update BEFORE UPDATE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END;
CREATE TRIGGER checkins_append_only_delete BEFORE DELETE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END;

CREATE TABLE list_entries (
  action_id  TEXT PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id    TEXT NOT NULL,
  at         TEXT NOT NULL,
  station_id TEXT NOT NULL,
  entry      TEXT NOT NULL
);
CREATE INDEX list_entries_by_event ON list_entries (event_id, list_id);

CREATE TABLE list_check_outs (
  action_id  TEXT PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id    TEXT NOT NULL,
  at         TEXT NOT NULL,
  station_id TEXT NOT NULL,
  station    TEXT NOT NULL,
  scheduled  INTEGER NOT NULL CHECK (scheduled IN (0, 1))
);
CREATE INDEX list_check_outs_by_list ON list_check_outs (event_id, list_id, at);

CREATE TABLE list_presence (
  attendee_id     INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  list_id         TEXT NOT NULL,
  event_id        INTEGER NOT NULL,
  inside          INTEGER NOT NULL CHECK (inside IN (0, 1)),
  -- The first entry of the stay in progress (NULL outside).
  stay_at         TEXT,
  stay_station    TEXT,
  -- The latest passage read (entry, exit or check-out): a later check-out changes only rows before it.
  last_at         TEXT NOT NULL,
  double_stations INTEGER NOT NULL DEFAULT 0,
  -- Entries not undone, and the latest of them: who was admitted (today), for the statistics.
  entries         INTEGER NOT NULL DEFAULT 0,
  last_entry_at   TEXT,
  PRIMARY KEY (attendee_id, list_id)
) WITHOUT ROWID;
CREATE INDEX list_presence_inside ON list_presence (event_id, list_id, inside, last_at);
CREATE INDEX list_presence_venue ON list_presence (event_id, attendee_id) WHERE inside = 1;
CREATE INDEX list_presence_double ON list_presence (event_id) WHERE double_stations > 1;

CREATE TABLE list_pending (
  map        TEXT NOT NULL CHECK (map IN ('checkins', 'checkOuts')),
  entry_id   TEXT NOT NULL,
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id    TEXT NOT NULL,
  entry      TEXT NOT NULL, -- JSON, validated before it was kept
  PRIMARY KEY (map, entry_id)
);
CREATE INDEX list_pending_by_list ON list_pending (event_id, list_id);

-- The main list's presence for every check-in made before lists: inside while checked in (there
-- were no exits), its latest passage the latest row of the person's (a linked walk-in's included).
INSERT INTO list_presence (attendee_id, list_id, event_id, inside, stay_at, stay_station, last_at, double_stations, entries, last_entry_at)
  SELECT c.attendee_id, 'main', c.event_id, 1, c.at, c.station,
         coalesce((SELECT max(k.at) FROM checkins k WHERE k.attendee_id = c.attendee_id OR k.attendee_id IN (
           SELECT w.id FROM attendees r
             JOIN attendee_door d ON d.event_id = r.event_id AND d.linked_to = r.provider_attendee_id
             JOIN attendees w ON w.event_id = d.event_id AND w.provider_attendee_id = d.provider_attendee_id
           WHERE r.id = c.attendee_id)), c.at),
         c.admission_stations, max(c.admission_stations, 1), c.at
  FROM attendee_checkin c WHERE c.checked_in = 1;
`,
};
