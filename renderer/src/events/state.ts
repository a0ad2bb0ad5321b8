// The events feature's state, for the store's composition: the event list with each event's
// sync status and statistics, and the event page's attendee list.
export { createEventsSlice, type EventsSlice } from './events-slice.ts';
export { createAttendeesSlice, type AttendeesSlice } from './attendees-slice.ts';
