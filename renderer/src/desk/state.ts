// The desk feature's state, for the store's composition: search, check-in, undo and the log; the
// door's walk-ins, corrections and confirmed check-ins.
export { createDeskSlice, type DeskSlice } from './desk-slice.ts';
export { createDoorSlice, type DoorSlice } from './door-slice.ts';
