// From a frame's decoded codes to the scans the desk acts on: the first code of the frame, unless
// it was read within the last 3 seconds (shared/scanned-code.ts: a code held up is one scan).
// The clock is the caller's, so tests step it.
import { ScanRepeats } from '../../../shared/scanned-code.ts';
import type { DecodedCode } from './zxing-decoder.ts';

export class CameraScans {
  constructor(private readonly repeats = new ScanRepeats()) {}

  /** The code of this frame that is a new scan, or null (none read, or the same one again). */
  pick(codes: readonly DecodedCode[], nowMs: number): DecodedCode | null {
    const code = codes[0];
    if (!code) return null;
    return this.repeats.counts(code.text.trim(), nowMs) ? code : null;
  }

  /** The camera stopped: a code shown to it again is a new scan. */
  reset(): void {
    this.repeats.clear();
  }
}
