// The glance feature's screens: the answer at a glance (desk and kiosk), and its sound setting.
import './glance.css';

export { GlanceOverlay, type GlanceAnswer } from './GlanceOverlay.tsx';
export { SoundSettings } from './SoundSettings.tsx';
