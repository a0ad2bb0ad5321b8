import type { Migration } from './index.ts';

// Provider-owned rows (attendees) and local state (attendee_local, checkins) live in separate
// tables: a sync's upsert only ever writes `attendees`, so it cannot touch a check-in, a VIP flag
// or a print record.
//
// Two comments inside the SQL below are frozen with this released migration and no longer
// describe the code exactly:
// - events.sync_watermark: the next incremental sync's changed_since. It is now the provider's
//   clock only (the newest `changed` a pass saw, capped at the provider's Date at the start of
//   the pass, or that Date when the pass saw nothing), minus a safety margin; at first it was
//   wrongly taken from this station's clock (main/sync/listing.ts, watermarkFrom).
// - attendees.seen_in_job: rows a full listing did not list are found from the ids that listing
//   returned (main/sync/listing.ts, markUnlistedAsRemoved), for live passes too; the column is no
//   longer written.
export const migration001: Migration = {
  version: 1,
  name: 'initial mirror',
  sql: `
CREATE TABLE integrations (
  id            INTEGER PRIMARY KEY,
  provider      TEXT NOT NULL CHECK (provider IN ('eventbrite', 'luma')),
  account_id    TEXT NOT NULL,
  account_email TEXT NOT NULL,
  account_name  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('CONNECTED', 'DISCONNECTED')),
  status_reason TEXT,
  secret_ref    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (provider, account_id)
);

CREATE TABLE events (
  id                  INTEGER PRIMARY KEY,
  integration_id      INTEGER NOT NULL REFERENCES integrations (id),
  provider            TEXT NOT NULL CHECK (provider IN ('eventbrite', 'luma')),
  provider_event_id   TEXT NOT NULL,
  name                TEXT NOT NULL,
  starts_at           TEXT,
  ends_at             TEXT,
  timezone            TEXT,
  url                 TEXT,
  status              TEXT NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'FAILED', 'DISCONNECTED')),
  status_reason       TEXT,
  status_changed_at   TEXT NOT NULL,
  last_error          TEXT,
  last_error_at       TEXT,
  last_synced_at      TEXT,
  import_completed_at TEXT,
  -- The provider's own "changed" time of the newest record seen: the next incremental
  -- sync asks for changes on or after it (provider clock, so our clock's skew cannot lose changes).
  sync_watermark      TEXT,
  created_at          TEXT NOT NULL,
  UNIQUE (provider, provider_event_id)
);

CREATE TABLE sync_jobs (
  id             INTEGER PRIMARY KEY,
  event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('import', 'reimport', 'resync')),
  state          TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'abandoned')),
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  fetched        INTEGER NOT NULL DEFAULT 0,
  expected_total INTEGER,
  error          TEXT
);
CREATE INDEX sync_jobs_by_event ON sync_jobs (event_id, id);
-- At most one running job per event, enforced by the database itself.
CREATE UNIQUE INDEX sync_jobs_one_running ON sync_jobs (event_id) WHERE state = 'running';

CREATE TABLE status_history (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX status_history_by_event ON status_history (event_id, id);

CREATE TABLE attendees (
  id                   INTEGER PRIMARY KEY,
  event_id             INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  provider_attendee_id TEXT NOT NULL,
  first_name           TEXT,
  last_name            TEXT,
  full_name            TEXT NOT NULL,
  email                TEXT,
  company              TEXT,
  job_title            TEXT,
  ticket_name          TEXT,
  order_id             TEXT,
  barcode              TEXT,
  status               TEXT NOT NULL CHECK (status IN ('ATTENDING', 'NOT_ATTENDING', 'NOT_YET_ATTENDING')),
  provider_status      TEXT,
  provider_checked_in  INTEGER NOT NULL DEFAULT 0,
  registered_at        TEXT,
  provider_updated_at  TEXT,
  -- The last full import job that listed this row; rows a completed full import did not list
  -- have vanished from the provider and are marked NOT_ATTENDING (never deleted).
  seen_in_job          INTEGER,
  synced_at            TEXT NOT NULL,
  -- Bumped (from one counter over the whole table) whenever a provider column changes, so
  -- "what changed in this sync" and "what changed since the desk last looked" are one query.
  change_seq           INTEGER NOT NULL,
  -- The change_seq the row was inserted with: tells an insert from an update in RETURNING.
  inserted_seq         INTEGER NOT NULL,
  UNIQUE (event_id, provider_attendee_id)
);
CREATE INDEX attendees_by_event_status ON attendees (event_id, status);
CREATE INDEX attendees_by_barcode ON attendees (event_id, barcode);

-- Local state about an attendee. Written only by the desk, never by a sync.
CREATE TABLE attendee_local (
  attendee_id INTEGER PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
  vip         INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL
);

-- Append-only check-in log: current state is derived from it. action_id is unique per action so
-- several desks can later merge logs without double admits.
CREATE TABLE checkins (
  id          INTEGER PRIMARY KEY,
  action_id   TEXT NOT NULL UNIQUE,
  event_id    INTEGER NOT NULL REFERENCES events (id),
  attendee_id INTEGER NOT NULL REFERENCES attendees (id),
  action      TEXT NOT NULL CHECK (action IN ('check_in', 'undo')),
  station     TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX checkins_by_attendee ON checkins (attendee_id, id);
CREATE TRIGGER checkins_append_only_update BEFORE UPDATE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END;
CREATE TRIGGER checkins_append_only_delete BEFORE DELETE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END;
`,
};
