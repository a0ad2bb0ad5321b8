import type { Migration } from './index.ts';

// The event page's list sorts and filters by ticket type: this index gives each ticket's rows in
// name order (the ticket sort reads it group by group, the ticket filter reads one group), so
// neither sorts. Without it a ticket sort of 100,000 attendees sorted them all (0.36 s). The other
// sorts and filters need no new index: name order is migration 004's index, status groups come from
// the (event_id, status, ticket_name) index of migration 002, check-in time from attendee_checkin's
// (event_id, checked_in, at), VIPs from attendee_local, typed text from the FTS index.
export const migration007: Migration = {
  version: 7,
  name: 'attendees by ticket in name order',
  sql: `
CREATE INDEX attendees_by_event_ticket_name ON attendees (event_id, ticket_name, full_name COLLATE NOCASE);
`,
};
