// The venue feature's screens, for the shell and Settings: the top bar's venue indicator and
// Settings → Venue.
import './venue.css';

export { VenueIndicator } from './VenueIndicator.tsx';
export { VenueSection } from './VenueSection.tsx';
