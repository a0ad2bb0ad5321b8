// The lists feature's state, for the store's composition: each event's check-in lists and who is
// inside, this desk's list, and the event page's statistics and charts.
export { createListsSlice, type ListsSlice, type ListFigures } from './lists-slice.ts';
