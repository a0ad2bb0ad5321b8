import type { Migration } from './index.ts';

// Print stations (shared/print-stations.ts): badges travel between desks of a venue, and each end
// keeps its badge in its own print queue, so the queue's rules (one first badge per person, the
// workers, "may have printed") hold for them too. print_jobs is rebuilt (SQLite changes a CHECK and
// a NOT NULL only so):
// - route: 'local' (this desk's printers), 'sent' (this desk sent it to a print station: no
//   printer here, printer_id NULL) or 'received' (a desk sent it to this station);
// - venue_job and venue_epoch: the job's id in the venue's documents and which sending it is; one
//   row per job at its sender, one per (job, epoch) at a station;
// - peer_station_id, peer_station_name: the other end (the station a badge went to, or the desk
//   that sent it); station_answered: the station has answered for this sending;
// - state 'returned': a sent badge that came back (handed back, or its station went away).
export const migration015: Migration = {
  version: 15,
  name: 'print stations',
  foreignKeysOff: true,
  sql: `
CREATE TABLE print_jobs_routes (
  id                INTEGER PRIMARY KEY,
  event_id          INTEGER REFERENCES events (id),
  attendee_id       INTEGER REFERENCES attendees (id),
  printer_id        INTEGER REFERENCES printers (id),
  reason            TEXT NOT NULL CHECK (reason IN ('check_in', 'manual', 'batch', 'reprint', 'test')),
  state             TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed', 'may_have_printed', 'cancelled', 'returned')),
  error             TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   TEXT,
  requested_by      TEXT NOT NULL,
  note              TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  printed_at        TEXT,
  route             TEXT NOT NULL DEFAULT 'local' CHECK (route IN ('local', 'sent', 'received')),
  venue_job         TEXT,
  venue_epoch       INTEGER,
  peer_station_id   TEXT,
  peer_station_name TEXT,
  station_answered  INTEGER NOT NULL DEFAULT 0,
  CHECK ((route = 'local') = (venue_job IS NULL)),
  CHECK (route = 'sent' OR printer_id IS NOT NULL),
  CHECK (route <> 'local' OR state <> 'returned')
);
INSERT INTO print_jobs_routes (id, event_id, attendee_id, printer_id, reason, state, error, attempts, next_attempt_at,
                               requested_by, note, created_at, updated_at, printed_at)
  SELECT id, event_id, attendee_id, printer_id, reason, state, error, attempts, next_attempt_at,
         requested_by, note, created_at, updated_at, printed_at
  FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_routes RENAME TO print_jobs;
CREATE INDEX print_jobs_by_printer_state ON print_jobs (printer_id, state, id);
CREATE INDEX print_jobs_by_event ON print_jobs (event_id, id);
-- A badge prints once: one first-print job per attendee that is not cancelled, whichever way it
-- goes (this desk's printers, sent to a station, or received from a desk). Every further copy is
-- a reprint (with who and why), so a double click, a retried job or two desks sending the same
-- person's first badge to one station cannot print it twice.
CREATE UNIQUE INDEX print_jobs_first_print_once ON print_jobs (attendee_id)
  WHERE reason IN ('check_in', 'manual', 'batch') AND state <> 'cancelled';
CREATE UNIQUE INDEX print_jobs_sent_once ON print_jobs (venue_job) WHERE route = 'sent';
CREATE UNIQUE INDEX print_jobs_received_once ON print_jobs (venue_job, venue_epoch) WHERE route = 'received';
`,
};
