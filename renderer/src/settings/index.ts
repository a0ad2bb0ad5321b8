// The settings feature's screens, for the shell: the Settings page and the admin PIN dialogs the
// top bar opens.
import './settings.css';

export { SettingsPage } from './SettingsPage.tsx';
export { SetPinDialog, UnlockAdminDialog } from './PinDialogs.tsx';
