// The door's part of the desk's answer panel, for the person it shows: what staff must notice
// (the note on them and on their ticket, large; a "needs attention" flag with "Confirm and check
// in"; "Admitted twice — …"; a walk-in; a corrected badge name beside the provider's), a guest's
// several tickets, and the other people of their order ("Check in all 4", or a pick of each).
// Everything a person typed is shown as text.
import { useState } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { doorFactsOf, orderMemberText, orderPickText, type OrderGroup } from '../../../shared/door.ts';
import { formatClock, plural } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';

/**
 * The person's door facts: nothing at all for a person with none. `flagSaid`: the answer itself is
 * the flag's ("Needs attention: … — confirm to check in"), so it is not said twice.
 */
export function AnswerDoorFacts({ person, flagSaid = false }: { person: Attendee; flagSaid?: boolean }) {
  const facts = doorFactsOf(person, formatClock);
  return (
    <>
      {facts.walkIn ? (
        <p className="answer-tags">
          <span className="door-tag">Walk-in</span>
        </p>
      ) : null}
      {facts.notes.map((note, i) => (
        <p key={i} className="answer-note" data-testid="answer-note">
          {note}
        </p>
      ))}
      {facts.attention && !flagSaid ? (
        <p className="answer-attention" data-testid="answer-attention">
          {facts.attention}
        </p>
      ) : null}
      {facts.admittedTwice ? (
        <p className="answer-twice" data-testid="answer-admitted-twice">
          {facts.admittedTwice}
        </p>
      ) : null}
      {facts.tickets.length > 0 ? (
        <div className="answer-tickets" data-testid="answer-tickets">
          <span className="answer-tickets-title">{plural(facts.tickets.length, 'ticket', 'tickets')}:</span>
          <ul>
            {facts.tickets.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {facts.correction ? <p className="feedback-detail answer-correction">{facts.correction}</p> : null}
    </>
  );
}

/**
 * The other people of the order: each with where they stand, those a group check-in would admit
 * ticked; "Check in all 3", or "Check in 2 chosen" once some are unticked.
 */
export function AnswerOrder({
  person,
  order,
  focusField,
}: {
  /** The person on the panel: named above, so not again in the list. */
  person: Attendee;
  order: OrderGroup;
  focusField: () => void;
}) {
  const checkInGroup = useStore((s) => s.checkInGroup);
  const others = order.members.filter((m) => m.attendee.id !== person.id);
  const admissible = order.members.filter((m) => m.admissible).map((m) => m.attendee);
  const [picked, setPicked] = useState<ReadonlySet<number>>(() => new Set(admissible.map((a) => a.id)));
  const chosen = admissible.filter((a) => picked.has(a.id));
  const action = orderPickText(order, chosen.length);
  const toggle = (id: number) =>
    setPicked((now) => {
      const next = new Set(now);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div className="answer-order" data-testid="answer-order">
      <p className="answer-order-title">
        Also on order {order.orderId}: {plural(others.length, 'person', 'people')}
      </p>
      <ul className="answer-order-list">
        {others.map((m) => (
          <li key={m.attendee.id} className="answer-order-member">
            {m.admissible ? (
              <label>
                <input
                  type="checkbox"
                  checked={picked.has(m.attendee.id)}
                  onChange={() => toggle(m.attendee.id)}
                />{' '}
                <span className="strong">{m.attendee.fullName}</span>
              </label>
            ) : (
              <span className="strong">{m.attendee.fullName}</span>
            )}{' '}
            <span className="muted">{orderMemberText(m, formatClock)}</span>
          </li>
        ))}
      </ul>
      {action ? (
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            focusField();
            void checkInGroup(person.eventId, chosen).finally(focusField);
          }}
        >
          {action}
        </button>
      ) : null}
    </div>
  );
}
