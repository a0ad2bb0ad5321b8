// The camera feature's screen, for the desk and the kiosk: "Scan with camera".
import './camera.css';

export { CameraScanner } from './CameraScanner.tsx';
export type { DecodedCode } from './zxing-decoder.ts';
