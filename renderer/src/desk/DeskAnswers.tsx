// Under a check-in on the desk's answer panel: the registration answers the event's settings pick
// (a workshop, a dietary need, "ID required"), as text, in the settings' order.
import { useEffect } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { deskAnswers } from '../../../shared/answers.ts';
import { useStore } from '../app/use-store.ts';

export function DeskAnswers({ attendee }: { attendee: Attendee }) {
  const settings = useStore((s) => s.eventQuestions[attendee.eventId]?.settings);
  const load = useStore((s) => s.loadEventQuestions);
  useEffect(() => {
    if (!settings) void load(attendee.eventId);
  }, [attendee.eventId, settings, load]);
  const shown = deskAnswers(attendee.answers, settings?.deskQuestions ?? []);
  if (shown.length === 0) return null;
  return (
    <dl className="feedback-answers" data-testid="desk-answers">
      {shown.map((a) => (
        <div key={`${a.questionId ?? ''}:${a.label}`} className="feedback-answer">
          <dt>{a.label}</dt>
          <dd>{a.text}</dd>
        </div>
      ))}
    </dl>
  );
}
