// The door's part of the desk: "Add walk-in", and for the person on the answer panel (or the
// highlighted result) what staff must notice, large: the note on them and on their ticket, a
// "needs attention" flag with a confirmed check-in, a double admission, a walk-in, a corrected
// badge name with "Correct name". All of it shown as text.
import { useState } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { admittedTwiceText, attentionPrompt, correctionText } from '../../../shared/door.ts';
import { formatClock } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { WalkInDialog } from './WalkInDialog.tsx';
import { CorrectNameDialog } from './CorrectNameDialog.tsx';

/** The person the desk is about now: the one on the answer panel, else the highlighted result. */
function usePersonInView(): Attendee | null {
  return useStore((s) => {
    const d = s.desk;
    if (!d) return null;
    const highlighted = d.highlight === null ? null : (d.results?.rows[d.highlight] ?? null);
    const answered = d.feedback?.undoable ?? null;
    return answered ?? highlighted;
  });
}

export function DoorPanel({ eventId, focusField }: { eventId: number; focusField: () => void }) {
  const person = usePersonInView();
  const confirmCheckIn = useStore((s) => s.confirmCheckIn);
  const [dialog, setDialog] = useState<'walk-in' | 'correct' | null>(null);
  const close = () => {
    setDialog(null);
    focusField();
  };
  const twice = admittedTwiceText(person?.admittedAt, formatClock);
  return (
    <section className="door-panel" aria-label="At the door">
      <div className="door-actions">
        <button type="button" className="button" onClick={() => setDialog('walk-in')}>
          Add walk-in
        </button>
        <button
          type="button"
          className="button"
          disabled={person === null}
          onClick={() => setDialog('correct')}
        >
          Correct name
        </button>
      </div>
      {person ? (
        <div className="door-notes" data-testid="door-notes">
          {person.walkIn ? <p className="pill">Walk-in</p> : null}
          {person.note ? <p className="door-note">{person.note}</p> : null}
          {person.ticketNote ? <p className="door-note">{person.ticketNote}</p> : null}
          {person.attention ? (
            <div className="door-attention">
              <p className="warning-text">{attentionPrompt(person.attention)}</p>
              {person.checkedIn === null ? (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => void confirmCheckIn(person)}
                >
                  Confirm and check in
                </button>
              ) : null}
            </div>
          ) : null}
          {twice ? <p className="warning-text">{twice}</p> : null}
          {person.correction ? <p className="muted">{correctionText(person.correction)}</p> : null}
        </div>
      ) : null}
      {dialog === 'walk-in' ? <WalkInDialog eventId={eventId} onClose={close} /> : null}
      {dialog === 'correct' && person ? <CorrectNameDialog attendee={person} onClose={close} /> : null}
    </section>
  );
}
