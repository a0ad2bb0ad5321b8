import type { Migration } from './index.ts';

// The attendee list from peers (the venue's roster). A desk that joined a venue without holding an account
// mirrors the venue's events from the desk that polls the provider: such an event has no
// integration on this station, so events.integration_id becomes nullable. SQLite cannot drop a
// NOT NULL in place; the table is rebuilt (the documented 12-step way: foreign keys off for the
// copy, so the rows that reference events are left exactly as they are, then checked).
// An event without an integration is DISCONNECTED here ("no account on this desk"), so live sync
// never polls it and the existing Reconnect connects an account to it.
export const migration010: Migration = {
  version: 10,
  name: 'events from the venue',
  foreignKeysOff: true,
  sql: `
CREATE TABLE events_new (
  id                  INTEGER PRIMARY KEY,
  integration_id      INTEGER REFERENCES integrations (id),
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
  sync_watermark      TEXT,
  created_at          TEXT NOT NULL,
  UNIQUE (provider, provider_event_id)
);
INSERT INTO events_new SELECT id, integration_id, provider, provider_event_id, name, starts_at, ends_at, timezone, url,
  status, status_reason, status_changed_at, last_error, last_error_at, last_synced_at, import_completed_at, sync_watermark, created_at
  FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
`,
};
