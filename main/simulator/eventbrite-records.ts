// Eventbrite's record shapes: the statuses and inputs the controls take, the accounts, orders,
// attendees and events the simulator keeps, and their JSON as the API renders them.
import { eventbriteUtc, localWallTime, slugify } from './http-util.ts';
import { resolvePerson, type StoredPerson } from './people.ts';
import type { Roster } from './roster.ts';
import type { SimEventRecord, TicketType } from './registry.ts';
import type { SimAttendeeInput, SimEventInput, SimPerson } from './types.ts';

export const EVENTBRITE_EVENT_STATUSES = [
  'draft',
  'live',
  'started',
  'ended',
  'completed',
  'canceled',
] as const;
export type EventbriteEventStatus = (typeof EVENTBRITE_EVENT_STATUSES)[number];

export interface EventbriteEventInput extends SimEventInput {
  /** Defaults to 'live'; set 'started' etc. to test clients that filter on `status=live`. */
  status?: EventbriteEventStatus;
}

export interface EventbriteAttendeeOptions {
  /** Join this order (created with this id when it does not exist yet). */
  orderId?: string;
  /** Tickets to add in one go (default 1); the first carries the given person. */
  quantity?: number;
  /** The event collects details only from the buyer: every ticket carries the buyer's profile. */
  buyerOnly?: boolean;
  /** The first ticket's barcode, as printed on a ticket made elsewhere (the camera's recorded frames). */
  barcode?: string;
}

export interface EventbriteOrderInput {
  /** The buyer; generated when absent. */
  buyer?: Partial<SimPerson>;
  /**
   * One entry per ticket (default: one). A ticket's profile is its own fields over the buyer
   * (first ticket) or a generated person (the others); with `buyerOnly` it is the buyer's.
   */
  tickets?: SimAttendeeInput[];
  buyerOnly?: boolean;
  /** Use this order id instead of a generated one. */
  orderId?: string;
}

export interface EventbriteAccount {
  userId: string;
  organizationId: string;
  name: string;
  email: string;
}

export interface EventbriteOrder {
  readonly id: string;
  buyer: StoredPerson;
  createdMs: number;
  changedMs: number;
  attendeeIds: string[];
}

export interface EventbriteAttendee {
  readonly id: string;
  readonly orderId: string;
  ticketClass: TicketType;
  person: StoredPerson;
  /** Times are kept at second resolution, as Eventbrite reports and filters them. */
  createdMs: number;
  changedMs: number;
  checkedInMs: number | null;
  cancelled: boolean;
  refunded: boolean;
  /** Its latest change is one the dropFromChangedSince fault hides from `changed_since` answers. */
  hiddenFromChangedSince: boolean;
  /** A barcode given by the test; otherwise the order id, the attendee id and a ticket counter. */
  barcode?: string;
}

/** Its ticket types are Eventbrite's ticket classes. */
export interface EventbriteEvent extends SimEventRecord<EventbriteAttendee> {
  /** Other users of the organization who may read the event (see shareEvent). */
  sharedWith?: Set<string>;
  organizationId: string;
  status: EventbriteEventStatus;
  changedMs: number;
  orders: Roster<EventbriteOrder>;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An event as the event and organization-events routes render it. */
export function eventJson(baseUrl: string, event: EventbriteEvent): Record<string, unknown> {
  const time = (ms: number) => ({
    timezone: event.timezone,
    local: localWallTime(ms, event.timezone),
    utc: eventbriteUtc(ms),
  });
  return {
    id: event.id,
    name: { text: event.name, html: escapeHtml(event.name) },
    start: time(event.startMs),
    end: time(event.endMs),
    url: `https://www.eventbrite.com/e/${slugify(event.name)}-tickets-${event.id}`,
    created: eventbriteUtc(event.createdMs),
    changed: eventbriteUtc(event.changedMs),
    status: event.status,
    currency: 'USD',
    online_event: false,
    organization_id: event.organizationId,
    resource_uri: `${baseUrl}/events/${event.id}/`,
  };
}

/** An attendee as the attendee, attendees and expanded orders routes render it. */
export function attendeeJson(
  baseUrl: string,
  event: EventbriteEvent,
  attendee: EventbriteAttendee,
): Record<string, unknown> {
  const person = resolvePerson(attendee.person);
  const profile: Record<string, unknown> = {
    name: `${person.firstName} ${person.lastName}`,
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
  };
  if (person.company !== null) profile.company = person.company;
  if (person.jobTitle !== null) profile.job_title = person.jobTitle;
  profile.addresses = {};
  const checkedIn = attendee.checkedInMs !== null;
  return {
    id: attendee.id,
    created: eventbriteUtc(attendee.createdMs),
    changed: eventbriteUtc(attendee.changedMs),
    ticket_class_id: attendee.ticketClass.id,
    ticket_class_name: attendee.ticketClass.name,
    profile,
    barcodes: [
      {
        // Eventbrite's barcodes are the order id, the attendee id and a ticket counter.
        barcode: attendee.barcode ?? `${attendee.orderId}${attendee.id}001`,
        status: checkedIn ? 'used' : 'unused',
        checkin_type: checkedIn ? 2 : 0,
        created: eventbriteUtc(attendee.createdMs),
        changed: eventbriteUtc(attendee.checkedInMs ?? attendee.createdMs),
        is_printed: false,
      },
    ],
    answers: customAnswers(attendee.id),
    checked_in: checkedIn,
    cancelled: attendee.cancelled,
    refunded: attendee.refunded,
    status: attendee.cancelled ? 'Not Attending' : checkedIn ? 'Checked In' : 'Attending',
    event_id: event.id,
    order_id: attendee.orderId,
    quantity: 1,
    guestlist_id: null,
    invited_by: null,
    resource_uri: `${baseUrl}/events/${event.id}/attendees/${attendee.id}/`,
  };
}

/** An order as the orders route renders it, with its attendees when the request expands them. */
export function orderJson(
  baseUrl: string,
  event: EventbriteEvent,
  order: EventbriteOrder,
  expandAttendees: boolean,
): Record<string, unknown> {
  const buyer = resolvePerson(order.buyer);
  const json: Record<string, unknown> = {
    id: order.id,
    created: eventbriteUtc(order.createdMs),
    changed: eventbriteUtc(order.changedMs),
    name: `${buyer.firstName} ${buyer.lastName}`,
    first_name: buyer.firstName,
    last_name: buyer.lastName,
    email: buyer.email,
    status: 'placed',
    event_id: event.id,
    resource_uri: `${baseUrl}/orders/${order.id}/`,
  };
  if (expandAttendees) {
    json.attendees = order.attendeeIds.map((id) =>
      attendeeJson(baseUrl, event, event.attendees.get(id) as EventbriteAttendee),
    );
  }
  return json;
}

const WORKSHOPS = ['Morning: Data pipelines', 'Afternoon: Design systems', 'Afternoon: Security review'];
const DIETS = ['Vegetarian', 'Vegan', 'Gluten free', 'No nuts'];

/** The custom questions' answers of an attendee, chosen by its id (the same every time it is listed). */
function customAnswers(attendeeId: string): Record<string, unknown>[] {
  const n = Number(attendeeId.replace(/\D/g, '').slice(-6)) || 0;
  const answers: Record<string, unknown>[] = [];
  if (n % 3 === 0)
    answers.push({
      answer: WORKSHOPS[Math.floor(n / 3) % WORKSHOPS.length],
      type: 'multiple_choice',
      question: 'Which workshop will you attend?',
      question_id: '80001',
    });
  const diet = { type: 'text', question: 'Dietary requirements', question_id: '80002' };
  if (n % 5 === 0) answers.push({ ...diet, answer: DIETS[Math.floor(n / 5) % DIETS.length] });
  else if (n % 7 === 0) answers.push(diet);
  return answers;
}
