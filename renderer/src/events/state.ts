// The events feature's state, for the store's composition: the event list with each event's
// sync status and statistics, the event page's attendee list, and each event's registration
// questions with its choices about the answers.
export { createEventsSlice, type EventsSlice } from './events-slice.ts';
export { createAttendeesSlice, type AttendeesSlice } from './attendees-slice.ts';
export { createAnswersSlice, type AnswersSlice } from './answers-slice.ts';
