// Beside a name in the attendee list: "Walk-in", a "needs attention" mark and a note's mark; beside
// the VIP toggle, for an admin, the button that opens the person's door facts (AttendeeDoorDialog).
import { useState } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { AttendeeDoorDialog } from './AttendeeDoorDialog.tsx';

export function AttendeeDoorMarks({ attendee }: { attendee: Attendee }) {
  return (
    <>
      {attendee.walkIn ? <span className="door-tag">Walk-in</span> : null}
      {attendee.admittedTwice ? (
        <span className="door-tag door-tag-attention" title="Checked in at two desks or more">
          Admitted twice
        </span>
      ) : null}
      {attendee.attention ? (
        <span className="door-tag door-tag-attention" title={attendee.attention}>
          Needs attention
        </span>
      ) : null}
      {attendee.note ? (
        <span className="door-tag" title={attendee.note}>
          Note
        </span>
      ) : null}
    </>
  );
}

export function AttendeeDoorButton({ attendee }: { attendee: Attendee }) {
  const admin = useStore(isAdmin);
  const [open, setOpen] = useState(false);
  if (!admin) return null;
  return (
    <>
      <button
        type="button"
        className="door-edit"
        title={`Note, flag or link for ${attendee.fullName}`}
        aria-label={`At the door: ${attendee.fullName}`}
        onClick={() => setOpen(true)}
      >
        ✎
      </button>
      {open ? <AttendeeDoorDialog attendee={attendee} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
