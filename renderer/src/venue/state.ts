// The venue feature's state, for the store's composition: this desk's venue, its desks and
// pairing, what happened twice while desks were apart, and the print pre-check of a first badge.
export { createVenueSlice, type FirstBadgeResult, type VenueSlice } from './venue-slice.ts';
