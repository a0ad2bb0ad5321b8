import type { Migration } from './index.ts';

// Disagreements between the mirror and the provider that a full listing repaired (a manual Sync,
// or live sync's periodic count check): an incremental sync that silently lost rows is a bug an
// admin must be able to see, with when and how much. One row per repair, never updated.
export const migration008: Migration = {
  version: 8,
  name: 'sync repairs',
  sql: `
CREATE TABLE sync_repairs (
  id                     INTEGER PRIMARY KEY,
  event_id               INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  at                     TEXT NOT NULL,
  trigger                TEXT NOT NULL CHECK (trigger IN ('manual_sync', 'live_check')),
  -- The counts that disagreed, when a count check found it (NULL when a full listing did).
  provider_attending     INTEGER,
  provider_not_attending INTEGER,
  mirror_attending       INTEGER,
  mirror_not_attending   INTEGER,
  changed                INTEGER NOT NULL,
  removed                INTEGER NOT NULL
);
CREATE INDEX sync_repairs_by_event ON sync_repairs (event_id, id);
`,
};
