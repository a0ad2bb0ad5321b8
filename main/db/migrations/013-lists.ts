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
// - list_inside: inside now per list and for the venue, kept with each change of list_presence.
// - list_tally: entries and exits by list, desk and 5-minute slot, kept with each row of the log.
// - list_admitted: who has an entry in force by list and ticket type, kept with list_presence and,
//   by a trigger, with a sync's change of a person's ticket type or status.
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
  -- The person's ticket type and whether attending, kept with the attendee's row by a trigger.
  ticket_name     TEXT,
  attending       INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (attendee_id, list_id)
) WITHOUT ROWID;
CREATE INDEX list_presence_inside ON list_presence (event_id, list_id, inside, last_at);
CREATE INDEX list_presence_venue ON list_presence (event_id, attendee_id) WHERE inside = 1;
CREATE INDEX list_presence_double ON list_presence (event_id) WHERE double_stations > 1;
-- Who was admitted today, by ticket type (a list that admits once per day): read off this index alone.
CREATE INDEX list_presence_today ON list_presence (event_id, list_id, last_entry_at, ticket_name, attending)
  WHERE entries > 0;

-- People with an entry in force, by list, ticket type ('' for none) and whether attending, kept with
-- every change of list_presence and of an attendee's ticket type or status: the statistics' split.
CREATE TABLE list_admitted (
  event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id   TEXT NOT NULL,
  ticket    TEXT NOT NULL,
  attending INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (event_id, list_id, ticket, attending)
) WITHOUT ROWID;
CREATE TRIGGER attendees_ticket_admitted AFTER UPDATE OF ticket_name, status ON attendees
  WHEN old.ticket_name IS NOT new.ticket_name OR old.status IS NOT new.status BEGIN
  INSERT INTO list_admitted (event_id, list_id, ticket, attending, n)
    SELECT event_id, list_id, coalesce(old.ticket_name, ''), old.status = 'ATTENDING', -1 FROM list_presence
    WHERE attendee_id = old.id AND entries > 0
    ON CONFLICT (event_id, list_id, ticket, attending) DO UPDATE SET n = n + excluded.n;
  INSERT INTO list_admitted (event_id, list_id, ticket, attending, n)
    SELECT event_id, list_id, coalesce(new.ticket_name, ''), new.status = 'ATTENDING', 1 FROM list_presence
    WHERE attendee_id = new.id AND entries > 0
    ON CONFLICT (event_id, list_id, ticket, attending) DO UPDATE SET n = n + excluded.n;
  UPDATE list_presence SET ticket_name = new.ticket_name, attending = new.status = 'ATTENDING'
    WHERE attendee_id = new.id;
END;

-- Inside now per list, and for the venue (list_id '*': people inside any list, each once), kept
-- with every change of list_presence: the desk's header and the fire marshal's count read one row.
CREATE TABLE list_inside (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id  TEXT NOT NULL,
  inside   INTEGER NOT NULL,
  PRIMARY KEY (event_id, list_id)
) WITHOUT ROWID;

-- Entries and exits not undone, and overrides, by list, desk and 5-minute slot (UTC starts), kept
-- with every row: the statistics, each desk's pace and the arrivals chart read these few rows.
CREATE TABLE list_tally (
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  list_id    TEXT NOT NULL,
  station_id TEXT NOT NULL,
  slot       TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('check_in', 'exit')),
  station    TEXT NOT NULL,
  n          INTEGER NOT NULL,
  overrides  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, list_id, station_id, slot, action)
) WITHOUT ROWID;
CREATE INDEX list_tally_by_slot ON list_tally (event_id, action, slot);

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

UPDATE list_presence SET
  ticket_name = (SELECT a.ticket_name FROM attendees a WHERE a.id = list_presence.attendee_id),
  attending = (SELECT a.status = 'ATTENDING' FROM attendees a WHERE a.id = list_presence.attendee_id);
INSERT INTO list_admitted (event_id, list_id, ticket, attending, n)
  SELECT event_id, list_id, coalesce(ticket_name, ''), attending, count(*) FROM list_presence WHERE entries > 0
  GROUP BY event_id, list_id, coalesce(ticket_name, ''), attending;

INSERT INTO list_tally (event_id, list_id, station_id, slot, action, station, n, overrides)
  SELECT k.event_id, k.list_id, k.station_id, substr(k.at, 1, 14) || printf('%02d', (CAST(substr(k.at, 15, 2) AS INTEGER) / 5) * 5) || ':00.000Z' AS slot, k.action, max(k.station), count(*), 0
  FROM checkins k
  WHERE k.action = 'check_in' AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes_action_id = k.action_id)
  GROUP BY k.event_id, k.list_id, k.station_id, slot, k.action;

INSERT INTO list_inside (event_id, list_id, inside)
  SELECT event_id, list_id, sum(inside) FROM list_presence GROUP BY event_id, list_id;
INSERT INTO list_inside (event_id, list_id, inside)
  SELECT event_id, '*', count(DISTINCT attendee_id) FROM list_presence WHERE inside = 1 GROUP BY event_id;
`,
};
