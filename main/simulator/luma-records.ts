// Luma's record shapes: approval statuses, guest inputs, the accounts, guests and events the
// simulator keeps, the names each route family uses, and their JSON as the API renders them.
import { lumaTime } from './http-util.ts';
import { resolvePerson, type StoredPerson } from './people.ts';
import type { Roster } from './roster.ts';
import type { SimEventRecord, TicketType } from './registry.ts';
import type { SimAttendeeInput, SimPerson } from './types.ts';

export const LUMA_APPROVAL_STATUSES = [
  'approved',
  'session',
  'pending_approval',
  'invited',
  'declined',
  'waitlist',
] as const;
export type LumaApprovalStatus = (typeof LUMA_APPROVAL_STATUSES)[number];

export type LumaGuestInput = SimAttendeeInput & {
  approvalStatus?: LumaApprovalStatus;
  /** Further tickets the guest holds, by ticket type name (`ticketName` is the first one). */
  extraTicketNames?: string[];
};

export type LumaRouteFamily = 'current' | 'legacy';

export interface LumaAccount {
  userId: string;
  calendarId: string;
  name: string;
  email: string;
  events: Roster<LumaEvent>;
  /** False: the current route family answers 404 for this account's key. */
  currentRoutes: boolean;
}

export interface LumaGuest {
  readonly id: string;
  /** At least one; the first is the one the older family reports. */
  tickets: TicketType[];
  person: StoredPerson;
  approvalStatus: LumaApprovalStatus;
  registeredMs: number | null;
  invitedMs: number | null;
  checkedInMs: number | null;
  updatedMs: number;
  /** Picks which extra (boolean, number) registration answers this guest gave. */
  readonly answerSeed: number;
}

/** Its attendees are Luma's guests. */
export interface LumaEvent extends SimEventRecord<LumaGuest> {
  calendarId: string;
  url: string;
}

/** How each family names its query parameters and record ids. */
export const FAMILY_NAMES: Record<
  LumaRouteFamily,
  { eventParam: string; guestsEventParam: string; guestParam: string; id: string }
> = {
  current: { eventParam: 'event_id', guestsEventParam: 'event_id', guestParam: 'id', id: 'id' },
  legacy: { eventParam: 'api_id', guestsEventParam: 'event_api_id', guestParam: 'api_id', id: 'api_id' },
};

/** An event as the get-event and list-events routes of `family` render it. */
export function eventJson(event: LumaEvent, family: LumaRouteFamily): Record<string, unknown> {
  return {
    [FAMILY_NAMES[family].id]: event.id,
    [family === 'current' ? 'calendar_id' : 'calendar_api_id']: event.calendarId,
    name: event.name,
    description: '',
    start_at: lumaTime(event.startMs),
    end_at: lumaTime(event.endMs),
    timezone: event.timezone,
    url: event.url,
    registration_questions: REGISTRATION_QUESTIONS,
    created_at: lumaTime(event.createdMs),
    visibility: 'public',
    cover_url: null,
    meeting_url: null,
    geo_address_json: null,
  };
}

/** A guest as the guest routes of `family` render it; `includeUpdatedAt` adds `updated_at`. */
export function guestJson(
  event: LumaEvent,
  guest: LumaGuest,
  family: LumaRouteFamily,
  includeUpdatedAt: boolean,
): Record<string, unknown> {
  const person = resolvePerson(guest.person);
  const fullName = `${person.firstName} ${person.lastName}`;
  const checkedInAt = guest.checkedInMs === null ? null : lumaTime(guest.checkedInMs);
  // Derived from the guest id rather than stored: one fewer random id per seeded guest.
  const ticketId = (index: number) =>
    `evtticket-${guest.id.slice('gst-'.length)}${index === 0 ? '' : `-${index}`}`;
  const tickets = guest.tickets.map((ticket, index) => ({
    [FAMILY_NAMES[family].id]: ticketId(index),
    name: ticket.name,
    event_ticket_type_id: ticket.id,
    amount: 0,
    currency: null,
    checked_in_at: checkedInAt,
  }));
  const user = {
    user_name: fullName,
    user_first_name: person.firstName,
    user_last_name: person.lastName,
    user_email: person.email,
  };
  const status = {
    approval_status: guest.approvalStatus,
    registered_at: guest.registeredMs === null ? null : lumaTime(guest.registeredMs),
    invited_at: guest.invitedMs === null ? null : lumaTime(guest.invitedMs),
    joined_at: null,
  };
  const details = {
    phone_number: null,
    check_in_qr_code: `https://luma.com/check-in/${event.id}?pk=${guest.id}`,
    registration_answers: registrationAnswers(person, guest.answerSeed),
  };
  const json: Record<string, unknown> =
    family === 'current'
      ? { id: guest.id, ...user, ...status, ...details, event_tickets: tickets }
      : {
          api_id: guest.id,
          name: fullName,
          email: person.email,
          ...user,
          ...status,
          checked_in_at: checkedInAt,
          ...details,
          event_ticket: tickets[0],
        };
  if (includeUpdatedAt) json.updated_at = lumaTime(guest.updatedMs);
  return json;
}

/** The questions every simulated event asks, as Luma lists them on the event. */
const REGISTRATION_QUESTIONS = [
  {
    id: 'q-company',
    label: 'What company do you work for?',
    required: false,
    question_type: 'company',
    collect_job_title: true,
    job_title_label: 'What is your job title?',
  },
  { id: 'q-diet', label: 'Dietary requirements', required: false, question_type: 'dropdown' },
  { id: 'q-coc', label: 'I agree to the code of conduct', required: false, question_type: 'agree-check' },
  { id: 'q-years', label: 'Years of experience', required: false, question_type: 'text' },
];

const DIETS = ['Vegetarian', 'Vegan', 'No nuts', 'Halal'];

function registrationAnswers(person: SimPerson, seed: number): Record<string, unknown>[] {
  const answers: Record<string, unknown>[] = [];
  if (person.company !== null || person.jobTitle !== null) {
    answers.push({
      label: 'What company do you work for?',
      question_id: 'q-company',
      question_type: 'company',
      value: { company: person.company, job_title: person.jobTitle },
      answer: person.company,
      answer_company: person.company,
      answer_job_title: person.jobTitle,
    });
  }
  if (seed % 4 === 1) {
    const diet = DIETS[Math.floor(seed / 4) % DIETS.length];
    answers.push({
      label: 'Dietary requirements',
      question_id: 'q-diet',
      question_type: 'dropdown',
      value: diet,
      answer: diet,
    });
  }
  // Answers are not always strings: check boxes arrive as booleans, numeric questions as numbers.
  if (seed % 3 === 0) {
    answers.push({
      label: 'I agree to the code of conduct',
      answer: true,
      value: true,
      question_id: 'q-coc',
      question_type: 'agree-check',
    });
  }
  if (seed % 7 === 0) {
    answers.push({
      label: 'Years of experience',
      answer: seed % 15,
      question_id: 'q-years',
      question_type: 'text',
    });
  }
  return answers;
}

/** About one seeded guest in six is not attending yet or any more. */
export function mixedStatusAt(index: number): LumaApprovalStatus {
  switch (index % 25) {
    case 3:
      return 'declined';
    case 8:
      return 'pending_approval';
    case 13:
      return 'waitlist';
    case 18:
      return 'invited';
    default:
      return 'approved';
  }
}
