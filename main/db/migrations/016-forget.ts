import type { Migration } from './index.ts';

// Forgetting an event on this desk (main/db/forget-store.ts, shared/forget.ts).
// - events.forgotten_at / forgotten_reason: the event stays, its attendees' personal data gone;
//   it no longer syncs or takes venue documents here. forget_due: why the retention rule or the
//   desk's removal has not forgotten it yet (JSON of a ForgetDue).
// - desk_files: files this desk wrote that name people (badge PDFs in a PDF printer's folder, CSV
//   files the desktop app saved), so forgetting the event finds and removes them.
// - checkins_held: the latest confirmation that this desk's own check-ins of the event are held
//   elsewhere: every row of this station up to through_id, by another desk, the relay, or a CSV an
//   admin exported before forgetting.
export const migration016: Migration = {
  version: 16,
  name: 'forgetting events',
  sql: `
ALTER TABLE events ADD COLUMN forgotten_at TEXT;
ALTER TABLE events ADD COLUMN forgotten_reason TEXT CHECK (forgotten_reason IN ('admin', 'retention', 'removed'));
ALTER TABLE events ADD COLUMN forget_due TEXT;

CREATE TABLE desk_files (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('badge_pdf', 'csv')),
  path       TEXT NOT NULL UNIQUE,
  written_at TEXT NOT NULL
);
CREATE INDEX desk_files_by_event ON desk_files (event_id);

CREATE TABLE checkins_held (
  event_id   INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  through_id INTEGER NOT NULL,
  made       INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('desk', 'relay', 'csv')),
  by         TEXT NOT NULL,
  at         TEXT NOT NULL
);
`,
};
