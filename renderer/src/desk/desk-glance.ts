// What the desk's answer at a glance shows of the panel's latest answer: its colour, words and the
// person's ticket band (shared/glance.ts). Answers that are no door outcome show none.
import { ticketBand, type Glance, type TicketBand } from '../../../shared/glance.ts';
import type { DeskFeedback } from './desk-feedback.ts';

/** The glance of one answer, as the overlay (glance/GlanceOverlay.tsx) takes it. */
export interface DeskGlanceAnswer {
  id: number;
  glance: Glance;
  title: string;
  subject: string;
  detail: string | null;
  band: TicketBand | null;
}

export function glanceAnswerOf(feedback: DeskFeedback | null): DeskGlanceAnswer | null {
  if (!feedback?.glance) return null;
  const person = feedback.person ?? feedback.undoable ?? null;
  return {
    id: feedback.id,
    glance: feedback.glance,
    title: feedback.title,
    subject: feedback.subject,
    detail: feedback.detail,
    band: person ? ticketBand(person.ticketName, person.vip) : null,
  };
}
