import type { Migration } from './index.ts';

// What a damaged database left behind (main/db/recovery.ts sets the file aside and starts this
// fresh one; main/db/salvage.ts reads back what it can).
// - damaged_databases: each file set aside, where it is and why, for the admin's notice.
// - salvaged_checkins: the check-in log rows read back from it, keyed by provider identity
//   (provider, provider event id, provider attendee id), never by the damaged file's local row
//   ids, which mean nothing here. They wait until the admin accepts them and their attendee
//   exists again (after the re-import), then go into `checkins` with their own action id, so a
//   row offered twice, or given back by another desk too, is counted once.
export const migration009: Migration = {
  version: 9,
  name: 'salvage of a damaged database',
  sql: `
CREATE TABLE damaged_databases (
  id                    INTEGER PRIMARY KEY,
  file                  TEXT NOT NULL,
  reason                TEXT NOT NULL,
  set_aside_at          TEXT NOT NULL,
  integrations_restored INTEGER NOT NULL DEFAULT 0,
  -- JSON list of { provider, providerEventId, name } read back from the damaged file.
  events_json           TEXT NOT NULL DEFAULT '[]',
  dismissed_at          TEXT
);

CREATE TABLE salvaged_checkins (
  action_id            TEXT PRIMARY KEY,
  damaged_id           INTEGER NOT NULL REFERENCES damaged_databases (id),
  provider             TEXT NOT NULL,
  provider_event_id    TEXT NOT NULL,
  provider_attendee_id TEXT NOT NULL,
  action               TEXT NOT NULL CHECK (action IN ('check_in', 'undo')),
  station              TEXT NOT NULL,
  at                   TEXT NOT NULL,
  -- The row's place in the damaged log: undos apply after the check-ins they follow.
  source_order         INTEGER NOT NULL,
  state                TEXT NOT NULL CHECK (state IN ('offered', 'accepted', 'applied', 'skipped')),
  skipped_reason       TEXT
);
CREATE INDEX salvaged_checkins_waiting ON salvaged_checkins (state, provider, provider_event_id);
`,
};
