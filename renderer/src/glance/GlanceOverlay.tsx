// The answer at a glance: near full screen, green, amber or red, the words large enough to read
// from two metres, the ticket type's colour as a band with its name, and the outcome's sound. It
// stays until the next answer or GLANCE_SHOW_MS, whichever comes first; a click or tap puts it
// away. It holds nothing that takes the focus, so a scanner's keystrokes go on landing in the
// field beneath; the live region (not this) says the answer to a screen reader.
import { useEffect, useState } from 'react';
import { GLANCE_SHOW_MS, type Glance, type TicketBand } from '../../../shared/glance.ts';
import { useStore } from '../app/use-store.ts';
import { playGlanceSound } from './sounds.ts';
import { ANSWER_SHOWN_MARK } from '../ui/marks.ts';

export interface GlanceAnswer {
  /** Bumped per answer: a new one replaces the one on screen and sounds again. */
  id: number;
  glance: Glance;
  title: string;
  subject: string;
  detail: string | null;
  band: TicketBand | null;
}

const ICON: Record<Glance, string> = { admitted: '✓', attention: '!', refused: '✕' };

export function GlanceOverlay({ answer }: { answer: GlanceAnswer | null }) {
  const sound = useStore((s) => s.answerSound);
  const [shownId, setShownId] = useState<number | null>(null);

  useEffect(() => {
    if (!answer) return;
    setShownId(answer.id);
    playGlanceSound(answer.glance, sound);
    const timer = setTimeout(() => setShownId((id) => (id === answer.id ? null : id)), GLANCE_SHOW_MS);
    return () => clearTimeout(timer);
    // A new answer (its id) shows and sounds once; a sound setting changed meanwhile waits for the next.
  }, [answer?.id]);

  // On screen: the benchmark's end of "frame to feedback".
  useEffect(() => {
    if (shownId !== null) performance.mark(ANSWER_SHOWN_MARK, { detail: { id: shownId } });
  }, [shownId]);

  if (!answer || shownId !== answer.id) return null;
  return (
    <div
      className={`glance glance-${answer.glance}`}
      data-testid="glance"
      data-glance={answer.glance}
      data-sound={sound.on && sound.volume > 0 ? answer.glance : 'off'}
      aria-hidden="true"
      // Put away by a click, without taking the focus from the field.
      onMouseDown={(e) => {
        e.preventDefault();
        setShownId(null);
      }}
    >
      {answer.band ? (
        <div className="glance-band" style={{ background: answer.band.colour, color: answer.band.ink }}>
          {answer.band.text}
        </div>
      ) : null}
      <div className="glance-body">
        <span className="glance-icon">{ICON[answer.glance]}</span>
        <p className="glance-title">{answer.title}</p>
        <p className="glance-subject">{answer.subject}</p>
        {answer.detail ? <p className="glance-detail">{answer.detail}</p> : null}
      </div>
    </div>
  );
}
