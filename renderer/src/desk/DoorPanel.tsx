// The door's buttons under the desk's answer panel: "Add walk-in" (Alt+W from anywhere on the
// desk; a name the search did not find fills the form) and "Correct name" for the person on the
// panel, else the row chosen with ↑ ↓. What staff must notice of that person is on the panel itself
// (AnswerDoor.tsx).
import { useEffect, useState } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { walkInNameFromSearch } from '../../../shared/door.ts';
import { useStore } from '../app/use-store.ts';
import type { BadgeDeskStore } from '../app/store-kit.ts';
import { WalkInDialog } from './WalkInDialog.tsx';
import { CorrectNameDialog } from './CorrectNameDialog.tsx';

/** The person the desk is about now: the one on the answer panel, else the chosen result. */
function personInView(s: BadgeDeskStore): Attendee | null {
  const d = s.desk;
  if (!d) return null;
  const answered = d.feedback?.person ?? null;
  if (answered) {
    // The row may be fresher (a correction, a check-in at another desk since the answer).
    return d.results?.rows.find((r) => r.id === answered.id) ?? answered;
  }
  return d.highlight === null ? null : (d.results?.rows[d.highlight] ?? null);
}

/** The text a walk-in's form starts from: what the desk searched and did not find. */
function unfoundText(s: BadgeDeskStore): string {
  const d = s.desk;
  if (!d) return '';
  if (d.query.trim() !== '' && d.results?.query === d.query && d.results.rows.length === 0) return d.query;
  return d.feedback?.notFound ? d.feedback.subject : '';
}

/** Alt+W: the key that opens the walk-in form (by its position, so any keyboard layout has it). */
export const WALK_IN_SHORTCUT = 'Alt+W';

export function DoorPanel({ eventId, focusField }: { eventId: number; focusField: () => void }) {
  const person = useStore(personInView);
  const unfound = useStore(unfoundText);
  const [dialog, setDialog] = useState<'walk-in' | 'correct' | null>(null);
  const close = () => {
    setDialog(null);
    focusField();
  };

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== 'KeyW') return;
      e.preventDefault();
      setDialog((open) => open ?? 'walk-in');
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const correctable = person !== null && person.status !== 'NOT_ATTENDING' && !person.linkedTo;
  return (
    <section className="door-panel" aria-label="At the door">
      <div className="door-actions" onMouseDown={(e) => e.preventDefault()}>
        <button
          type="button"
          className="button"
          aria-keyshortcuts={WALK_IN_SHORTCUT}
          onClick={() => setDialog('walk-in')}
        >
          Add walk-in
        </button>
        <button
          type="button"
          className="button"
          disabled={!correctable}
          title={person ? `The name ${person.fullName}'s badge prints` : 'Choose a person first'}
          onClick={() => setDialog('correct')}
        >
          Correct name
        </button>
        <span className="desk-hint">
          <kbd>Alt</kbd>+<kbd>W</kbd> add a walk-in
        </span>
      </div>
      {dialog === 'walk-in' ? (
        <WalkInDialog eventId={eventId} start={walkInNameFromSearch(unfound)} onClose={close} />
      ) : null}
      {dialog === 'correct' && person ? <CorrectNameDialog attendee={person} onClose={close} /> : null}
    </section>
  );
}
