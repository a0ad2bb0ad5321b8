import type { Migration } from './index.ts';

// The event page's check-in statistics and the event's counts, kept with each row instead of read
// from the whole event at every refresh (at 100,000 attendees those reads took tens of milliseconds,
// asked again every half second while check-ins arrive, and the desk's own calls waited behind them).
// Triggers keep them, so every writer (a desk, the venue's remote entries, a sync, a salvage) keeps
// them the same way:
// - attendee_tally: attendees by status and ticket type, with each attendee row;
// - checkin_tally_ticket, checkin_tally_station, checkin_tally_slot: people checked in now
//   (attendee_checkin.checked_in = 1) by their status and ticket type, by the desk of the check-in
//   shown, and by its 15-minute slot (UTC starts, as the statistics' arrivals), with each change of
//   attendee_checkin and of a checked-in person's status or ticket type;
// - checkin_stations: each desk (id and name) that made a check-in of the event, with each row of
//   the log: the statistics by desk list it even when none of its check-ins is in force now.
// A ticket type is keyed as written; `ticketless` tells a missing one from an empty name.
// Counts that fall to 0 keep their row (readers skip them): a row is never deleted by a trigger.

/** The 15-minute UTC slot an ISO time falls in, as desk-store.ts fillSlots keys them. */
const slotOf = (at: string) =>
  `strftime('%Y-%m-%dT%H:', ${at}) || printf('%02d', (CAST(strftime('%M', ${at}) AS INTEGER) / 15) * 15) || ':00.000Z'`;

/** Adds `delta` to a tally row, made when missing. */
const bump = (table: string, key: string, select: string) =>
  `INSERT INTO ${table} (${key}, n) ${select}
    ON CONFLICT (${key}) DO UPDATE SET n = n + excluded.n;`;

const TICKET_KEY = 'event_id, status, ticketless, ticket';

/** The checked-in row `ref` (new or old) counted with `delta` in the three check-in tallies. */
const checkedIn = (ref: 'new' | 'old', delta: number) => `
  ${bump(
    'checkin_tally_ticket',
    TICKET_KEY,
    `SELECT ${ref}.event_id, a.status, a.ticket_name IS NULL, coalesce(a.ticket_name, ''), ${delta}
       FROM attendees a WHERE a.id = ${ref}.attendee_id`,
  )}
  ${bump('checkin_tally_station', 'event_id, station', `SELECT ${ref}.event_id, ${ref}.station, ${delta} WHERE true`)}
  ${bump('checkin_tally_slot', 'event_id, slot', `SELECT ${ref}.event_id, ${slotOf(`${ref}.at`)}, ${delta} WHERE true`)}`;

/** An attendee row `ref` (new or old) counted with `delta` in attendee_tally. */
const attendee = (ref: 'new' | 'old', delta: number) =>
  bump(
    'attendee_tally',
    TICKET_KEY,
    `SELECT ${ref}.event_id, ${ref}.status, ${ref}.ticket_name IS NULL, coalesce(${ref}.ticket_name, ''), ${delta} WHERE true`,
  );

/** A checked-in attendee `ref` (new or old) counted with `delta` in checkin_tally_ticket. */
const checkedInPerson = (ref: 'new' | 'old', delta: number) =>
  bump(
    'checkin_tally_ticket',
    TICKET_KEY,
    `SELECT c.event_id, ${ref}.status, ${ref}.ticket_name IS NULL, coalesce(${ref}.ticket_name, ''), ${delta}
       FROM attendee_checkin c WHERE c.attendee_id = ${ref}.id AND c.checked_in = 1`,
  );

const ticketTable = (name: string) => `
CREATE TABLE ${name} (
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  status     TEXT NOT NULL,
  ticketless INTEGER NOT NULL,
  ticket     TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (${TICKET_KEY})
) WITHOUT ROWID;`;

export const migration014: Migration = {
  version: 14,
  name: 'check-in statistics kept with each row',
  sql: `
${ticketTable('attendee_tally')}
${ticketTable('checkin_tally_ticket')}
CREATE TABLE checkin_tally_station (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  station  TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (event_id, station)
) WITHOUT ROWID;
CREATE TABLE checkin_tally_slot (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  slot     TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (event_id, slot)
) WITHOUT ROWID;
CREATE TABLE checkin_stations (
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  station_id TEXT NOT NULL,
  station    TEXT NOT NULL,
  PRIMARY KEY (event_id, station_id, station)
) WITHOUT ROWID;

CREATE TRIGGER attendees_tally_insert AFTER INSERT ON attendees BEGIN
  ${attendee('new', 1)}
END;
-- Before: the person's attendee_checkin row is still there (the cascade that deletes it runs after
-- the attendee's row is gone, so its own trigger no longer finds their ticket type).
CREATE TRIGGER attendees_tally_delete BEFORE DELETE ON attendees BEGIN
  ${attendee('old', -1)}
  ${checkedInPerson('old', -1)}
END;
CREATE TRIGGER attendees_tally_update AFTER UPDATE OF event_id, status, ticket_name ON attendees
  WHEN old.event_id IS NOT new.event_id OR old.status IS NOT new.status OR old.ticket_name IS NOT new.ticket_name BEGIN
  ${attendee('old', -1)}
  ${attendee('new', 1)}
  ${checkedInPerson('old', -1)}
  ${checkedInPerson('new', 1)}
END;

CREATE TRIGGER attendee_checkin_tally_insert AFTER INSERT ON attendee_checkin WHEN new.checked_in = 1 BEGIN
  ${checkedIn('new', 1)}
END;
CREATE TRIGGER attendee_checkin_tally_delete AFTER DELETE ON attendee_checkin WHEN old.checked_in = 1 BEGIN
  ${checkedIn('old', -1)}
END;
CREATE TRIGGER attendee_checkin_tally_out AFTER UPDATE ON attendee_checkin
  WHEN old.checked_in = 1 AND (new.checked_in = 0 OR old.event_id IS NOT new.event_id
    OR old.station IS NOT new.station OR old.at IS NOT new.at) BEGIN
  ${checkedIn('old', -1)}
END;
CREATE TRIGGER attendee_checkin_tally_in AFTER UPDATE ON attendee_checkin
  WHEN new.checked_in = 1 AND (old.checked_in = 0 OR old.event_id IS NOT new.event_id
    OR old.station IS NOT new.station OR old.at IS NOT new.at) BEGIN
  ${checkedIn('new', 1)}
END;

CREATE TRIGGER checkins_stations AFTER INSERT ON checkins WHEN new.action = 'check_in' BEGIN
  INSERT OR IGNORE INTO checkin_stations (event_id, station_id, station)
    VALUES (new.event_id, new.station_id, new.station);
END;

INSERT INTO attendee_tally (${TICKET_KEY}, n)
  SELECT event_id, status, ticket_name IS NULL, coalesce(ticket_name, ''), count(*) FROM attendees
  GROUP BY event_id, status, ticket_name IS NULL, coalesce(ticket_name, '');
INSERT INTO checkin_tally_ticket (${TICKET_KEY}, n)
  SELECT c.event_id, a.status, a.ticket_name IS NULL, coalesce(a.ticket_name, ''), count(*)
    FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id WHERE c.checked_in = 1
  GROUP BY c.event_id, a.status, a.ticket_name IS NULL, coalesce(a.ticket_name, '');
INSERT INTO checkin_tally_station (event_id, station, n)
  SELECT event_id, station, count(*) FROM attendee_checkin WHERE checked_in = 1 GROUP BY event_id, station;
INSERT INTO checkin_tally_slot (event_id, slot, n)
  SELECT event_id, ${slotOf('at')} AS slot, count(*) FROM attendee_checkin WHERE checked_in = 1
  GROUP BY event_id, slot;
INSERT OR IGNORE INTO checkin_stations (event_id, station_id, station)
  SELECT DISTINCT event_id, station_id, station FROM checkins WHERE action = 'check_in';
`,
};
