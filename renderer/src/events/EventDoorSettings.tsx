// The event's door settings, for an admin: whether the desk takes walk-ins, a note per ticket type
// shown large at check-in ("collect the workshop kit at desk 3"), and the review of walk-ins to
// link (WalkInReview.tsx). Shared by the venue's desks.
import { useEffect, useId, useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { MAX_NOTE_CHARS, WALK_IN_TICKET } from '../../../shared/door.ts';
import { errorMessage } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { SelectField } from '../ui/SelectField.tsx';
import { WalkInReview } from './WalkInReview.tsx';

export function EventDoorSettings({ event }: { event: SyncedEvent }) {
  const loadDoorReview = useStore((s) => s.loadDoorReview);
  const loadWalkInChoices = useStore((s) => s.loadWalkInChoices);
  const setWalkInsEnabled = useStore((s) => s.setWalkInsEnabled);
  const setTicketNote = useStore((s) => s.setTicketNote);
  const toast = useStore((s) => s.toast);
  const review = useStore((s) => (s.doorReview?.eventId === event.id ? s.doorReview : null));
  const tickets = useStore((s) => (s.walkInChoices?.eventId === event.id ? s.walkInChoices.tickets : null));
  const [ticket, setTicket] = useState(WALK_IN_TICKET);
  const [note, setNote] = useState('');
  const noteId = useId();

  useEffect(() => {
    void loadDoorReview(event.id).catch(() => undefined);
    void loadWalkInChoices(event.id).catch(() => undefined);
  }, [event.id, loadDoorReview, loadWalkInChoices]);

  const act = (what: string, action: () => Promise<unknown>) =>
    void action().then(
      () => toast(what, 'success'),
      (err: unknown) => toast(`Could not save: ${errorMessage(err)}`, 'error'),
    );

  return (
    <div className="event-setting" data-testid="event-door-settings">
      <h3 className="event-setting-title">At the door</h3>
      <label className="field field-checkbox">
        <input
          type="checkbox"
          checked={review?.walkInsEnabled ?? true}
          disabled={review === null}
          onChange={(e) =>
            act(e.target.checked ? 'Walk-ins on' : 'Walk-ins off', () =>
              setWalkInsEnabled(event.id, e.target.checked),
            )
          }
        />
        The desk takes walk-ins
      </label>
      <div className="event-door-ticket-note">
        <SelectField
          label="Ticket type"
          value={ticket}
          options={(tickets ?? [WALK_IN_TICKET]).map((t) => ({ value: t, label: t }))}
          onChange={setTicket}
        />
        <div className="field">
          <label className="field-label" htmlFor={noteId}>
            Its note at check-in
          </label>
          <input
            id={noteId}
            type="text"
            maxLength={MAX_NOTE_CHARS}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="e.g. collect the workshop kit at desk 3"
            autoComplete="off"
          />
        </div>
        <button
          type="button"
          className="button"
          onClick={() => act(`Note saved for ${ticket}`, () => setTicketNote(event.id, ticket, note))}
        >
          Save the note
        </button>
      </div>
      <WalkInReview event={event} />
    </div>
  );
}
