// The lists feature's screens, for the event page and the desk: the event's check-in lists with
// their figures and charts, and the desk header's line about the desk's list.
import './lists.css';

export { ListsSection } from './ListsSection.tsx';
export { DeskPassageBar } from './DeskPassage.tsx';
