import type { Migration } from './index.ts';

// Printing: printers, badge templates (variants by ticket name) and the persistent print queue.
// The queue is local state like check-ins: a sync never touches it.
export const migration003: Migration = {
  version: 3,
  name: 'printing',
  sql: `
CREATE TABLE printers (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  config     TEXT NOT NULL, -- JSON, validated on the way in (shared/ipc-contract.ts)
  created_at TEXT NOT NULL
);

CREATE TABLE badge_templates (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  page_size   TEXT NOT NULL,
  ticket_name TEXT, -- NULL: the default variant
  fields      TEXT NOT NULL, -- JSON: which fields show
  updated_at  TEXT NOT NULL
);
-- One variant per ticket name, and one default.
CREATE UNIQUE INDEX badge_templates_one_per_ticket ON badge_templates (ticket_name) WHERE ticket_name IS NOT NULL;
CREATE UNIQUE INDEX badge_templates_one_default ON badge_templates ((ticket_name IS NULL)) WHERE ticket_name IS NULL;

CREATE TABLE print_jobs (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER REFERENCES events (id),
  attendee_id     INTEGER REFERENCES attendees (id),
  printer_id      INTEGER NOT NULL REFERENCES printers (id),
  reason          TEXT NOT NULL CHECK (reason IN ('check_in', 'manual', 'batch', 'reprint', 'test')),
  state           TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed', 'may_have_printed', 'cancelled')),
  error           TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  requested_by    TEXT NOT NULL,
  note            TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  printed_at      TEXT
);
CREATE INDEX print_jobs_by_printer_state ON print_jobs (printer_id, state, id);
CREATE INDEX print_jobs_by_event ON print_jobs (event_id, id);
-- A badge prints once: one first-print job per attendee that is not cancelled. Every further copy
-- is a reprint (with who and why), so a double click or a retried job cannot print twice.
CREATE UNIQUE INDEX print_jobs_first_print_once ON print_jobs (attendee_id)
  WHERE reason IN ('check_in', 'manual', 'batch') AND state <> 'cancelled';
`,
};
