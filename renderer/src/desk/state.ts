// The desk feature's state, for the store's composition: search, check-in, undo and the log.
export { createDeskSlice, type DeskSlice } from './desk-slice.ts';
