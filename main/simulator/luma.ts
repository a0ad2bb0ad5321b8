// A Luma-like public API on loopback, following /work/shared/providers.md: every route under
// /v1/ and, for integrations on the older base, the same routes under /public/v1/; the
// `x-luma-api-key` header; `{entries, has_more, next_cursor}` pages driven by
// `pagination_cursor` / `pagination_limit`; `{message}` error bodies; no changed-since filter.
//
// Choices where providers.md leaves room:
// - get-self answers `{user: {api_id, name, email, first_name, last_name, avatar_url}}` only,
//   wrapped as the public Luma SDKs and integrations read it; no flat copy, so a client that
//   reads flat fields fails here as it would against Luma.
// - `next_cursor` is present only while `has_more` is true.
// - `pagination_limit` is honoured up to 100; a request without it gets the configured page
//   size (default 50).
// - An API key is scoped to one calendar: another calendar's event answers 403, an unknown
//   event 404.
// - Guests are listed in registration order; `sort_column` / `sort_direction` are accepted and
//   ignored. `approval_status` filters.
// - `updated_at` on guests is unconfirmed for the real API; `includeGuestUpdatedAt: false`
//   (option or setGuestUpdatedAt) leaves it out so clients can be tested without it.
// - Company and job title arrive as registration answers ("Company", question_type
//   'company'; "Job title", a plain text question), with a few boolean and number answers
//   mixed in, since Luma guests have no such fields of their own.
import { z } from 'zod';
import { assertTimezone, lumaTime, parseIsoTime } from './http-util.ts';
import { definedFields, withoutKeys } from './objects.ts';
import { DeterministicRandom, personAt, resolvePerson, ticketTypeAt, type StoredPerson } from './people.ts';
import {
  ApiFailure,
  ProviderSimBase,
  controlOp,
  personInputSchema,
  type ApiRequest,
  type ApiResponse,
  type ControlOp,
  type ProviderSimConfig,
} from './provider-sim.ts';
import { Roster, pageListing } from './roster.ts';
import {
  SimulatorError,
  type SeedOptions,
  type SimAccount,
  type SimAccountInput,
  type SimAttendeeInput,
  type SimEventInput,
  type SimPerson,
} from './types.ts';

export const LUMA_APPROVAL_STATUSES = [
  'approved',
  'session',
  'pending_approval',
  'invited',
  'declined',
  'waitlist',
] as const;
export type LumaApprovalStatus = (typeof LUMA_APPROVAL_STATUSES)[number];

export type LumaGuestInput = SimAttendeeInput & { approvalStatus?: LumaApprovalStatus };

export interface LumaSimConfig extends ProviderSimConfig {
  /** Whether guests carry `updated_at` (unconfirmed for the real API); default true. */
  includeGuestUpdatedAt?: boolean;
}

const MAX_PAGE_LIMIT = 100;
const DEFAULT_TICKET_TYPES = ['General Admission', 'VIP', 'Speaker'];
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const ERROR_MESSAGES: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Invalid API key.',
  403: 'You do not have access to this resource. The Luma API requires Luma Plus.',
  404: 'Not found.',
  405: 'Method not allowed.',
  429: 'Too many requests. Please slow down.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
};

interface LumaAccount {
  userId: string;
  calendarId: string;
  name: string;
  email: string;
  events: Roster<LumaEvent>;
}

interface TicketType {
  id: string;
  name: string;
}

interface LumaGuest {
  readonly id: string;
  ticketType: TicketType;
  person: StoredPerson;
  approvalStatus: LumaApprovalStatus;
  registeredMs: number | null;
  invitedMs: number | null;
  checkedInMs: number | null;
  updatedMs: number;
  /** Picks which extra (boolean, number) registration answers this guest gave. */
  readonly answerSeed: number;
}

interface LumaEvent {
  readonly id: string;
  accountId: string;
  calendarId: string;
  name: string;
  startMs: number;
  endMs: number;
  timezone: string;
  url: string;
  createdMs: number;
  ticketTypes: Map<string, TicketType>;
  guests: Roster<LumaGuest>;
}

type RouteName = 'getSelf' | 'listEvents' | 'getEvent' | 'getGuests' | 'getGuest' | 'updateGuestStatus';

const ROUTES: Record<string, { method: 'GET' | 'POST'; name: RouteName }> = {
  'user/get-self': { method: 'GET', name: 'getSelf' },
  'calendar/list-events': { method: 'GET', name: 'listEvents' },
  'event/get': { method: 'GET', name: 'getEvent' },
  'event/get-guests': { method: 'GET', name: 'getGuests' },
  'event/get-guest': { method: 'GET', name: 'getGuest' },
  'event/update-guest-status': { method: 'POST', name: 'updateGuestStatus' },
};

const updateGuestStatusSchema = z.object({
  event_api_id: z.string(),
  guest: z.union([
    z.object({ type: z.literal('api_id'), api_id: z.string() }),
    z.object({ type: z.literal('email'), email: z.string() }),
  ]),
  status: z.enum(LUMA_APPROVAL_STATUSES),
});

function lumaError(status: number, message: string): ApiResponse {
  return { status, body: { message } };
}

export class LumaSim extends ProviderSimBase {
  readonly kind = 'luma' as const;

  private readonly random = new DeterministicRandom(0x1a1a1a);
  private readonly accounts = new Map<string, LumaAccount>();
  private readonly events = new Map<string, LumaEvent>();
  private nextPersonIndex = 0;
  private includeGuestUpdatedAt: boolean;

  constructor(config: LumaSimConfig) {
    super(config);
    this.includeGuestUpdatedAt = config.includeGuestUpdatedAt ?? true;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- controls ----------------------------------------------------------------------------

  addAccount(account: SimAccountInput): SimAccount {
    const userId = this.newId('usr');
    const token = this.issueToken(userId, account.token ?? `secret-${this.random.string(24, ID_ALPHABET)}`);
    this.accounts.set(userId, {
      userId,
      calendarId: this.newId('cal'),
      name: account.name,
      email: account.email,
      events: new Roster(),
    });
    return { accountId: userId, token };
  }

  addEvent(token: string, input: SimEventInput): string {
    const account = this.accounts.get(this.accountIdOf(token)) as LumaAccount;
    const now = this.now();
    const startMs = input.startsAt ? parseIsoTime(input.startsAt, 'startsAt') : Math.floor(now / 3_600_000) * 3_600_000;
    const endMs = input.endsAt ? parseIsoTime(input.endsAt, 'endsAt') : startMs + 8 * 3_600_000;
    const timezone = input.timezone ?? 'UTC';
    assertTimezone(timezone);
    const event: LumaEvent = {
      id: this.newId('evt'),
      accountId: account.userId,
      calendarId: account.calendarId,
      name: input.name,
      startMs,
      endMs,
      timezone,
      url: `https://luma.com/${this.random.string(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
      createdMs: now,
      ticketTypes: new Map(),
      guests: new Roster(),
    };
    for (const name of input.ticketTypes ?? DEFAULT_TICKET_TYPES) this.ticketType(event, name);
    this.events.set(event.id, event);
    account.events.add(event);
    return event.id;
  }

  seedAttendees(eventId: string, n: number, opts: SeedOptions = {}): void {
    const event = this.event(eventId);
    if (!Number.isInteger(n) || n < 0) throw new SimulatorError('n must be a whole number >= 0');
    const names = (opts.ticketTypes ?? [...event.ticketTypes.keys()]).map((name) => this.ticketType(event, name).name);
    const now = this.now();
    for (let i = 0; i < n; i++) {
      const personIndex = this.nextPersonIndex++;
      const status = opts.mixedStatuses ? mixedStatusAt(i) : 'approved';
      const ticketType = this.ticketType(event, ticketTypeAt(i, names));
      event.guests.add(this.newGuest(event, personIndex, ticketType, status, now, personIndex));
    }
  }

  addAttendee(eventId: string, input: LumaGuestInput = {}): string {
    const event = this.event(eventId);
    const { ticketName, approvalStatus, ...fields } = definedFields(input);
    const personIndex = this.nextPersonIndex++;
    const ticketType = this.ticketType(event, ticketName ?? this.defaultTicketName(event));
    const guest = this.newGuest(
      event,
      { ...personAt(personIndex), ...fields },
      ticketType,
      approvalStatus ?? 'approved',
      this.now(),
      personIndex,
    );
    event.guests.add(guest);
    return guest.id;
  }

  /** Luma's word for addAttendee. */
  addGuest(eventId: string, input: LumaGuestInput = {}): string {
    return this.addAttendee(eventId, input);
  }

  editAttendee(eventId: string, guestId: string, patch: LumaGuestInput): void {
    const event = this.event(eventId);
    const guest = this.guest(event, guestId);
    const { ticketName, approvalStatus, ...fields } = definedFields(patch);
    guest.person = { ...resolvePerson(guest.person), ...fields };
    if (ticketName !== undefined) guest.ticketType = this.ticketType(event, ticketName);
    if (approvalStatus !== undefined) this.applyStatus(guest, approvalStatus);
    guest.updatedMs = this.now();
  }

  cancelAttendee(eventId: string, guestId: string): void {
    this.setGuestStatus(eventId, guestId, 'declined');
  }

  setGuestStatus(eventId: string, guestId: string, status: LumaApprovalStatus): void {
    if (!LUMA_APPROVAL_STATUSES.includes(status)) throw new SimulatorError(`unknown approval_status ${String(status)}`);
    const guest = this.guest(this.event(eventId), guestId);
    this.applyStatus(guest, status);
    guest.updatedMs = this.now();
  }

  setCheckedIn(eventId: string, guestId: string, checkedIn: boolean): void {
    const guest = this.guest(this.event(eventId), guestId);
    guest.checkedInMs = checkedIn ? this.now() : null;
    guest.updatedMs = this.now();
  }

  setGuestUpdatedAt(include: boolean): void {
    this.includeGuestUpdatedAt = include;
  }

  attendeeIds(eventId: string): string[] {
    return this.event(eventId).guests.ids();
  }

  private applyStatus(guest: LumaGuest, status: LumaApprovalStatus): void {
    const now = this.now();
    guest.approvalStatus = status;
    if (status === 'invited') guest.invitedMs ??= now;
    // An invitee who accepts has registered from then on.
    else if (status !== 'declined') guest.registeredMs ??= now;
  }

  private newGuest(
    event: LumaEvent,
    person: StoredPerson,
    ticketType: TicketType,
    status: LumaApprovalStatus,
    now: number,
    answerSeed: number,
  ): LumaGuest {
    let id = this.newId('gst');
    while (event.guests.get(id)) id = this.newId('gst');
    return {
      id,
      ticketType,
      person,
      approvalStatus: status,
      registeredMs: status === 'invited' ? null : now,
      invitedMs: status === 'invited' ? now : null,
      checkedInMs: null,
      updatedMs: now,
      answerSeed,
    };
  }

  private newId(prefix: string): string {
    return `${prefix}-${this.random.string(15, ID_ALPHABET)}`;
  }

  private ticketType(event: LumaEvent, name: string): TicketType {
    let ticketType = event.ticketTypes.get(name);
    if (!ticketType) {
      ticketType = { id: this.newId('evtticktyp'), name };
      event.ticketTypes.set(name, ticketType);
    }
    return ticketType;
  }

  private defaultTicketName(event: LumaEvent): string {
    return event.ticketTypes.keys().next().value ?? (DEFAULT_TICKET_TYPES[0] as string);
  }

  private event(eventId: string): LumaEvent {
    const event = this.events.get(eventId);
    if (!event) throw new SimulatorError(`unknown luma event ${eventId}`);
    return event;
  }

  private guest(event: LumaEvent, guestId: string): LumaGuest {
    const guest = event.guests.get(guestId);
    if (!guest) throw new SimulatorError(`unknown guest ${guestId} in event ${event.id}`);
    return guest;
  }

  protected providerControlOps(): Record<string, ControlOp> {
    const id = z.string().min(1);
    const guestInput = personInputSchema.extend({ approvalStatus: z.enum(LUMA_APPROVAL_STATUSES).optional() }).strict();
    return {
      addAttendee: controlOp(z.tuple([id, guestInput.optional()]), ([eventId, guest]) =>
        this.addAttendee(eventId, guest),
      ),
      addGuest: controlOp(z.tuple([id, guestInput.optional()]), ([eventId, guest]) => this.addGuest(eventId, guest)),
      editAttendee: controlOp(z.tuple([id, id, guestInput]), ([eventId, guestId, patch]) =>
        this.editAttendee(eventId, guestId, patch),
      ),
      setGuestStatus: controlOp(z.tuple([id, id, z.enum(LUMA_APPROVAL_STATUSES)]), ([eventId, guestId, status]) =>
        this.setGuestStatus(eventId, guestId, status),
      ),
      setGuestUpdatedAt: controlOp(z.tuple([z.boolean()]), ([include]) => this.setGuestUpdatedAt(include)),
    };
  }

  // ---- HTTP --------------------------------------------------------------------------------

  protected errorResponse(status: number, message?: string): ApiResponse {
    return lumaError(status, message ?? ERROR_MESSAGES[status] ?? 'Error.');
  }

  protected handleApi(request: ApiRequest): ApiResponse {
    const routePath = /^\/(?:public\/)?v1\/(.+)$/.exec(request.path)?.[1];
    const route = routePath === undefined ? undefined : ROUTES[routePath];
    if (!route) return this.errorResponse(404, `No route for ${request.path}.`);
    if (request.method !== route.method) return this.errorResponse(405);

    const key = request.headers['x-luma-api-key'];
    const auth = this.checkToken(typeof key === 'string' ? key : undefined);
    if (auth === 'missing') return this.errorResponse(401, 'Missing x-luma-api-key header.');
    if (auth === 'invalid') return this.errorResponse(401);
    const account = this.accounts.get(auth.accountId) as LumaAccount;

    switch (route.name) {
      case 'getSelf':
        return this.getSelfResponse(account);
      case 'listEvents':
        return this.listEventsResponse(account, request);
      case 'getEvent': {
        const event = this.accessibleEvent(account, request.query.get('api_id'));
        const body = { event: this.eventJson(event), hosts: [] };
        return {
          status: 200,
          body,
          withoutRequiredFields: () => ({ event: withoutKeys(body.event, ['api_id', 'name', 'start_at']) }),
        };
      }
      case 'getGuests':
        return this.guestsResponse(this.accessibleEvent(account, request.query.get('event_api_id')), request);
      case 'getGuest':
        return this.guestResponse(account, request);
      case 'updateGuestStatus':
        return this.updateGuestStatusResponse(account, request);
    }
  }

  /** The event, if this key's calendar holds it: unknown is a 404, another calendar's a 403. */
  private accessibleEvent(account: LumaAccount, eventId: string | null): LumaEvent {
    if (!eventId) throw new ApiFailure(this.errorResponse(400, 'The event api_id is required.'));
    const event = this.events.get(eventId);
    if (!event) throw new ApiFailure(this.errorResponse(404, 'Event not found.'));
    if (event.accountId !== account.userId) {
      throw new ApiFailure(this.errorResponse(403, 'This API key cannot access that event.'));
    }
    return event;
  }

  private getSelfResponse(account: LumaAccount): ApiResponse {
    const [firstName = '', ...rest] = account.name.split(' ');
    const user = {
      api_id: account.userId,
      name: account.name,
      email: account.email,
      first_name: firstName,
      last_name: rest.join(' '),
      avatar_url: 'https://images.lumacdn.com/avatars/default.png',
    };
    return {
      status: 200,
      body: { user },
      withoutRequiredFields: () => ({ user: withoutKeys(user, ['api_id', 'email']) }),
    };
  }

  private listEventsResponse(account: LumaAccount, request: ApiRequest): ApiResponse {
    const after = request.query.get('after');
    const before = request.query.get('before');
    const afterMs = after === null ? null : Date.parse(after);
    const beforeMs = before === null ? null : Date.parse(before);
    if (Number.isNaN(afterMs) || Number.isNaN(beforeMs)) {
      return this.errorResponse(400, 'after and before must be ISO times.');
    }
    const startsInRange = (event: LumaEvent) =>
      (afterMs === null || event.startMs >= afterMs) && (beforeMs === null || event.startMs < beforeMs);
    const matches = afterMs === null && beforeMs === null ? undefined : startsInRange;
    return this.pagedEntries(request, `events:${account.calendarId}`, account.events, matches, (event) => ({
      api_id: event.id,
      event: this.eventJson(event),
      tags: [],
    }));
  }

  private guestsResponse(event: LumaEvent, request: ApiRequest): ApiResponse {
    const status = request.query.get('approval_status');
    if (status !== null && !LUMA_APPROVAL_STATUSES.includes(status as LumaApprovalStatus)) {
      return this.errorResponse(400, `Unknown approval_status ${status}.`);
    }
    return this.pagedEntries(
      request,
      `guests:${event.id}`,
      event.guests,
      status === null ? undefined : (guest) => guest.approvalStatus === status,
      (guest) => ({ api_id: guest.id, guest: this.guestJson(event, guest) }),
    );
  }

  private guestResponse(account: LumaAccount, request: ApiRequest): ApiResponse {
    const event = this.accessibleEvent(account, request.query.get('event_api_id'));
    const guestId = request.query.get('api_id');
    const email = request.query.get('email');
    const guest = guestId
      ? event.guests.get(guestId)
      : email
        ? findGuestByEmail(event, email)
        : undefined;
    if (!guestId && !email) return this.errorResponse(400, 'Give api_id or email.');
    if (!guest) return this.errorResponse(404, 'Guest not found.');
    const body = { guest: this.guestJson(event, guest) };
    return {
      status: 200,
      body,
      withoutRequiredFields: () => ({ guest: withoutKeys(body.guest, ['api_id', 'approval_status']) }),
    };
  }

  private updateGuestStatusResponse(account: LumaAccount, request: ApiRequest): ApiResponse {
    let parsed: z.infer<typeof updateGuestStatusSchema>;
    try {
      parsed = updateGuestStatusSchema.parse(JSON.parse(request.body));
    } catch {
      return this.errorResponse(400, 'Body must be JSON {event_api_id, guest: {type, api_id | email}, status}.');
    }
    const event = this.accessibleEvent(account, parsed.event_api_id);
    const target = parsed.guest;
    const guest =
      target.type === 'api_id'
        ? event.guests.get(target.api_id)
        : findGuestByEmail(event, target.email);
    if (!guest) return this.errorResponse(404, 'Guest not found.');
    this.applyStatus(guest, parsed.status);
    guest.updatedMs = this.now();
    return { status: 200, body: {} };
  }

  /** One page in Luma's envelope; the cursor is opaque and bound to this listing. */
  private pagedEntries<Row extends { readonly id: string }>(
    request: ApiRequest,
    scope: string,
    roster: Roster<Row>,
    matches: ((row: Row) => boolean) | undefined,
    render: (row: Row) => { api_id: string },
  ): ApiResponse {
    const limitParam = request.query.get('pagination_limit');
    let limit = this.pageSize;
    if (limitParam !== null) {
      const requested = Number(limitParam);
      if (!Number.isInteger(requested) || requested < 1) {
        return this.errorResponse(400, 'pagination_limit must be a positive integer.');
      }
      limit = Math.min(requested, MAX_PAGE_LIMIT);
    }
    const page = pageListing(roster, {
      scope,
      cursor: request.query.get('pagination_cursor') || null,
      limit,
      matches,
      repeatCursor: scope.startsWith('guests:') && this.repeatingCursor,
    });
    if (!page) return this.errorResponse(400, 'Invalid pagination_cursor.');
    const entries = page.rows.map(render);
    const body: Record<string, unknown> = { entries, has_more: page.hasMore };
    if (page.nextCursor !== undefined) body.next_cursor = page.nextCursor;
    return {
      status: 200,
      body,
      withoutRequiredFields: () => ({
        entries: entries.map((entry) => withoutKeys(entry, ['api_id', 'guest', 'event'])),
      }),
    };
  }

  private eventJson(event: LumaEvent): Record<string, unknown> {
    return {
      api_id: event.id,
      calendar_api_id: event.calendarId,
      name: event.name,
      description: '',
      start_at: lumaTime(event.startMs),
      end_at: lumaTime(event.endMs),
      timezone: event.timezone,
      url: event.url,
      created_at: lumaTime(event.createdMs),
      visibility: 'public',
      cover_url: null,
      meeting_url: null,
      geo_address_json: null,
    };
  }

  private guestJson(event: LumaEvent, guest: LumaGuest): Record<string, unknown> {
    const person = resolvePerson(guest.person);
    const fullName = `${person.firstName} ${person.lastName}`;
    const checkedInAt = guest.checkedInMs === null ? null : lumaTime(guest.checkedInMs);
    const json: Record<string, unknown> = {
      api_id: guest.id,
      name: fullName,
      email: person.email,
      user_name: fullName,
      user_first_name: person.firstName,
      user_last_name: person.lastName,
      user_email: person.email,
      approval_status: guest.approvalStatus,
      registered_at: guest.registeredMs === null ? null : lumaTime(guest.registeredMs),
      invited_at: guest.invitedMs === null ? null : lumaTime(guest.invitedMs),
      joined_at: null,
      checked_in_at: checkedInAt,
      phone_number: null,
      event_ticket: {
        // Derived from the guest id rather than stored: one fewer random id per seeded guest.
        api_id: `evtticket-${guest.id.slice('gst-'.length)}`,
        name: guest.ticketType.name,
        event_ticket_type_id: guest.ticketType.id,
        amount: 0,
        currency: null,
        checked_in_at: checkedInAt,
      },
      check_in_qr_code: `https://luma.com/check-in/${event.id}?pk=${guest.id}`,
      registration_answers: registrationAnswers(person, guest.answerSeed),
    };
    if (this.includeGuestUpdatedAt) json.updated_at = lumaTime(guest.updatedMs);
    return json;
  }
}

function findGuestByEmail(event: LumaEvent, email: string): LumaGuest | undefined {
  const wanted = email.toLowerCase();
  return event.guests.all().find((guest) => resolvePerson(guest.person).email.toLowerCase() === wanted);
}

function registrationAnswers(person: SimPerson, seed: number): Record<string, unknown>[] {
  const answers: Record<string, unknown>[] = [];
  if (person.company !== null) {
    answers.push({ label: 'Company', answer: person.company, question_id: 'q-company', question_type: 'company' });
  }
  if (person.jobTitle !== null) {
    answers.push({ label: 'Job title', answer: person.jobTitle, question_id: 'q-job-title', question_type: 'text' });
  }
  // Answers are not always strings: check boxes arrive as booleans, numeric questions as numbers.
  if (seed % 3 === 0) {
    answers.push({
      label: 'I agree to the code of conduct',
      answer: true,
      question_id: 'q-coc',
      question_type: 'agree-check',
    });
  }
  if (seed % 7 === 0) {
    answers.push({ label: 'Years of experience', answer: seed % 15, question_id: 'q-years', question_type: 'text' });
  }
  return answers;
}

/** About one seeded guest in six is not attending yet or any more. */
function mixedStatusAt(index: number): LumaApprovalStatus {
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
