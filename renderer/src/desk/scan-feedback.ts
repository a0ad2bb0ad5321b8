// The answer panel for a scanned code the desk refused to look up (shared/scanned-code.ts): red,
// "Not found" or "Another event", with the code's start shown as text, never opened.
import type { RefusedScan } from '../../../shared/scanned-code.ts';
import { refusedScanText } from '../../../shared/scanned-code.ts';
import type { DeskFeedbackInput } from './desk-feedback.ts';
import { panelSubject } from './desk-feedback.ts';

/** What a code shows as on the panel: its first characters, with what no text holds replaced. */
function shownCode(text: string): string {
  // eslint-disable-next-line no-control-regex
  return panelSubject(text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '�'));
}

export function refusedScanFeedback(reason: RefusedScan, text: string): DeskFeedbackInput {
  const { title, detail } = refusedScanText(reason);
  return { tone: 'error', title, subject: shownCode(text), detail, undoable: null, glance: 'refused' };
}
