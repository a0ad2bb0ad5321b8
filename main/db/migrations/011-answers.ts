import type { Migration } from './index.ts';

// Registration answers, the company line an admin picks, and the venue roster's own order.
// - attendees.answers: what the person answered at registration, a JSON array (NULL: none). A
//   provider-owned column.
// - attendees.provider_company: the provider's company (its profile field, or the question the
//   client recognised). attendees.company stays the company the desk shows, searches and prints:
//   the answer to the question an admin picked for the event when the person gave one, else this.
// - attendees.roster_order: the order the venue's poller gave the record it last wrote or applied
//   here, for records that carry no provider change stamp (Luma); never a provider field.
// - events.questions: the registration questions the provider lists for the event (Luma), JSON.
// - event_answer_settings: the event's local choices (the company question, the answers shown at
//   the desk). Local state: a sync never writes it.
// - roster_counters: the last order this station's poller gave an event's records.
// - badge_templates.answer_question: the question whose answer the badge prints (its label or key).
export const migration011: Migration = {
  version: 11,
  name: 'registration answers and roster order',
  sql: `
ALTER TABLE attendees ADD COLUMN answers TEXT;
ALTER TABLE attendees ADD COLUMN provider_company TEXT;
UPDATE attendees SET provider_company = company;
ALTER TABLE attendees ADD COLUMN roster_order INTEGER;
ALTER TABLE events ADD COLUMN questions TEXT;
CREATE TABLE event_answer_settings (
  event_id         INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  company_question TEXT,
  desk_questions   TEXT NOT NULL DEFAULT '[]',
  updated_at       TEXT NOT NULL
);
CREATE TABLE roster_counters (
  event_id   INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  last_order INTEGER NOT NULL
);
ALTER TABLE badge_templates ADD COLUMN answer_question TEXT;
`,
};
