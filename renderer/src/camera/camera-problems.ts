// What the desk says when the camera cannot start: missing, busy, denied, or not offered by this
// window. Each says the scanner and typing keep working, because they do.
export type CameraProblem = 'missing' | 'busy' | 'denied' | 'unavailable' | 'failed';

const KEEP_WORKING = 'The scanner and typing keep working.';

export const CAMERA_PROBLEM_TEXT: Record<CameraProblem, string> = {
  missing: `No camera found. ${KEEP_WORKING}`,
  busy: `The camera is in use by another app. Close it there, then try again. ${KEEP_WORKING}`,
  denied: `Camera access is not allowed on this computer. ${KEEP_WORKING}`,
  unavailable: `This window cannot use a camera. ${KEEP_WORKING}`,
  failed: `The camera did not start. ${KEEP_WORKING}`,
};

/** The problem a getUserMedia refusal names (DOMException names, with Chromium's older ones). */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name =
    error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
      ? String((error as { name: unknown }).name)
      : '';
  switch (name) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    default:
      return 'failed';
  }
}
