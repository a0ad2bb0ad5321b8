// The kiosk feature's screens: the kiosk itself (for the shell), and the admin's way in (on the event page).
import './kiosk.css';

export { KioskPage } from './KioskPage.tsx';
export { KioskStartButton } from './KioskStart.tsx';
