// The kiosk feature's state, for the store's composition: kiosk self check-in.
export { createKioskSlice, type KioskSlice, type KioskScreen } from './kiosk-slice.ts';
