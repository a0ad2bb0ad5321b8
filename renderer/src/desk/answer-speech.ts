// What the desk's live region says of an answer: its title, who or what it is about, and the
// reason when there is one ("Needs attention. Zoë Müller. Check the ID"). Refusals and warnings
// are said at once; the rest waits for what the screen reader is reading.
import type { Announcement } from '../ui/announcement.ts';
import type { DeskFeedback } from './desk-feedback.ts';

export function spokenAnswer(
  feedback: Pick<DeskFeedback, 'id' | 'tone' | 'title' | 'subject' | 'detail'>,
): Announcement {
  const parts = [feedback.title, feedback.subject, feedback.detail].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  return {
    id: feedback.id,
    text: parts.join('. '),
    urgent: feedback.tone === 'error' || feedback.tone === 'warning',
  };
}
