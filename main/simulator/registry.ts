// What both simulated providers keep per event, whatever shape they render it in: its schedule,
// its ticket types (created on first use) and its attendee rows in listing order.
import { assertTimezone, parseIsoTime } from './http-util.ts';
import type { Roster } from './roster.ts';
import type { SimEventInput } from './types.ts';

export const DEFAULT_TICKET_TYPES = ['General Admission', 'VIP', 'Speaker'];

/** An Eventbrite ticket class or a Luma ticket type. */
export interface TicketType {
  readonly id: string;
  readonly name: string;
}

/** An event's ticket types by name, in creation order; a new name gets the next id. */
export class TicketTypes {
  private readonly byName = new Map<string, TicketType>();

  constructor(private readonly newId: () => string) {}

  named(name: string): TicketType {
    let ticketType = this.byName.get(name);
    if (!ticketType) {
      ticketType = { id: this.newId(), name };
      this.byName.set(name, ticketType);
    }
    return ticketType;
  }

  /** What a registration gets when it names no ticket type: the event's first one. */
  get defaultName(): string {
    return this.byName.keys().next().value ?? (DEFAULT_TICKET_TYPES[0] as string);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The part of an event both providers share. */
export interface SimEventRecord<Row extends { readonly id: string }> {
  readonly id: string;
  /** The account (Eventbrite user, Luma user) whose token created it. */
  accountId: string;
  name: string;
  startMs: number;
  endMs: number;
  timezone: string;
  createdMs: number;
  ticketTypes: TicketTypes;
  attendees: Roster<Row>;
}

/** A new event's times and zone: by default from the top of the current hour, for eight hours, in UTC. */
export function eventSchedule(
  input: SimEventInput,
  now: number,
): { startMs: number; endMs: number; timezone: string } {
  const startMs = input.startsAt
    ? parseIsoTime(input.startsAt, 'startsAt')
    : Math.floor(now / 3_600_000) * 3_600_000;
  const endMs = input.endsAt ? parseIsoTime(input.endsAt, 'endsAt') : startMs + 8 * 3_600_000;
  const timezone = input.timezone ?? 'UTC';
  assertTimezone(timezone);
  return { startMs, endMs, timezone };
}

/** An account's display name as first name and the rest, as both providers' who-am-I answer it. */
export function splitName(name: string): { firstName: string; lastName: string } {
  const [firstName = '', ...rest] = name.split(' ');
  return { firstName, lastName: rest.join(' ') };
}
