import type { Migration } from './index.ts';

// A Luma guest may hold several tickets and is still one row: ticket_name is the first ticket's,
// other_ticket_names the others' as a JSON array of names (NULL: none, as for every Eventbrite
// attendee and most guests). A provider-owned column: a sync writes it like ticket_name.
export const migration005: Migration = {
  version: 5,
  name: 'other ticket names',
  sql: `
ALTER TABLE attendees ADD COLUMN other_ticket_names TEXT;
`,
};
