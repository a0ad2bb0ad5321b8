// A Luma-like public API on loopback, following docs/PROVIDERS.md: every route under
// /v1/ and, for integrations on the older base, the same routes under /public/v1/; the
// `x-luma-api-key` header; `{entries, has_more, next_cursor}` pages driven by
// `pagination_cursor` / `pagination_limit`; `{message}` error bodies; no changed-since filter.
//
// Two route families, as Luma has them:
// - current (Luma's published reference): /v1/users/get-self, /v1/calendars/events/list,
//   /v1/events/get?event_id=, /v1/events/guests/list?event_id=, /v1/events/guests/get?event_id=
//   &id= (or &email=). Records are flat with `id`; a guest lists its tickets in
//   `event_tickets[]` and has no `name` / `email` of its own (only the user_* fields).
// - older, kept "for backward compatibility": /v1/user/get-self ({user: ...}),
//   /v1/calendar/list-events, /v1/event/get?api_id=, /v1/event/get-guests?event_api_id= with
//   entries {api_id, guest: {...}} and one `event_ticket` (a guest's first ticket), plus
//   get-guest and update-guest-status.
// An account can be made to answer 404 on the current family (setCurrentRoutes, or the
// `currentRoutes` option for every account), as accounts that only know the older one do.
//
// Choices where docs/PROVIDERS.md leaves room:
// - get-self answers `{user: {api_id, name, email, first_name, last_name, avatar_url}}` only,
//   wrapped as the public Luma SDKs and integrations read it; no flat copy, so a client that
//   reads flat fields fails here as it would against Luma.
// - `next_cursor` is present only while `has_more` is true.
// - `pagination_limit` is honoured up to 100; a request without it gets the configured page
//   size (default 50).
// - An API key is scoped to one calendar: another calendar's event answers 403, an unknown
//   event 404.
// - Guests are listed in registration order; `sort_column=registered_at` with
//   `sort_direction=desc` (or asc) sorts them by registration time, newest first (a guest not
//   registered yet, an invitee, last); another sort column is accepted and ignored. A sorted
//   listing's cursor is a position in the sorted list, so a registration made while a client
//   pages shifts what follows by one (seen twice, never missed). `approval_status` filters.
// - Guests carry no `updated_at`, as Luma's (docs/PROVIDERS.md "No change stamp");
//   `includeGuestUpdatedAt: true` (option or setGuestUpdatedAt) adds one, for tests of a
//   provider that stamps.
// - Company and job title arrive as Luma's company question does: `question_type: 'company'`,
//   `value {company, job_title}`, `answer_company`, `answer_job_title` (and `answer`, the
//   company), since Luma guests have no such fields of their own. A dropdown, a check box and
//   a number answer are mixed in. The event lists its `registration_questions`.
import { z } from 'zod';
import { lumaTime } from './http-util.ts';
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
  DEFAULT_TICKET_TYPES,
  TicketTypes,
  eventSchedule,
  splitName,
  type SimEventRecord,
  type TicketType,
} from './registry.ts';
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

export type LumaGuestInput = SimAttendeeInput & {
  approvalStatus?: LumaApprovalStatus;
  /** Further tickets the guest holds, by ticket type name (`ticketName` is the first one). */
  extraTicketNames?: string[];
};

export interface LumaSimConfig extends ProviderSimConfig {
  /** Whether guests carry `updated_at` (the real API sends none); default false. */
  includeGuestUpdatedAt?: boolean;
  /** Whether accounts answer on the current route family (else 404 there); default true. */
  currentRoutes?: boolean;
}

export type LumaRouteFamily = 'current' | 'legacy';

const MAX_PAGE_LIMIT = 100;
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
  /** False: the current route family answers 404 for this account's key. */
  currentRoutes: boolean;
}

interface LumaGuest {
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
interface LumaEvent extends SimEventRecord<LumaGuest> {
  calendarId: string;
  url: string;
}

type RouteName = 'getSelf' | 'listEvents' | 'getEvent' | 'getGuests' | 'getGuest' | 'updateGuestStatus';

interface Route {
  method: 'GET' | 'POST';
  name: RouteName;
  family: LumaRouteFamily;
}

const ROUTES: Record<string, Route> = {
  'users/get-self': { method: 'GET', name: 'getSelf', family: 'current' },
  'calendars/events/list': { method: 'GET', name: 'listEvents', family: 'current' },
  'events/get': { method: 'GET', name: 'getEvent', family: 'current' },
  'events/guests/list': { method: 'GET', name: 'getGuests', family: 'current' },
  'events/guests/get': { method: 'GET', name: 'getGuest', family: 'current' },
  'user/get-self': { method: 'GET', name: 'getSelf', family: 'legacy' },
  'calendar/list-events': { method: 'GET', name: 'listEvents', family: 'legacy' },
  'event/get': { method: 'GET', name: 'getEvent', family: 'legacy' },
  'event/get-guests': { method: 'GET', name: 'getGuests', family: 'legacy' },
  'event/get-guest': { method: 'GET', name: 'getGuest', family: 'legacy' },
  'event/update-guest-status': { method: 'POST', name: 'updateGuestStatus', family: 'legacy' },
};

/** How each family names its query parameters and record ids. */
const FAMILY_NAMES: Record<
  LumaRouteFamily,
  { eventParam: string; guestsEventParam: string; guestParam: string; id: string }
> = {
  current: { eventParam: 'event_id', guestsEventParam: 'event_id', guestParam: 'id', id: 'id' },
  legacy: { eventParam: 'api_id', guestsEventParam: 'event_api_id', guestParam: 'api_id', id: 'api_id' },
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

export class LumaSim extends ProviderSimBase<LumaGuest, LumaEvent> {
  readonly kind = 'luma' as const;
  protected readonly attendeeNoun = 'guest';

  private readonly random = new DeterministicRandom(0x1a1a1a);
  private readonly accounts = new Map<string, LumaAccount>();
  private includeGuestUpdatedAt: boolean;
  private currentRoutesByDefault: boolean;

  constructor(config: LumaSimConfig) {
    super(config);
    this.includeGuestUpdatedAt = config.includeGuestUpdatedAt ?? false;
    this.currentRoutesByDefault = config.currentRoutes ?? true;
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
      currentRoutes: this.currentRoutesByDefault,
    });
    return { accountId: userId, token };
  }

  /**
   * Whether the current route family answers for the account behind `token` (false: 404
   * there, as for an account that knows only the older family). Without a token: every
   * account, and those added later.
   */
  setCurrentRoutes(available: boolean, token?: string): void {
    if (token !== undefined) {
      (this.accounts.get(this.accountIdOf(token)) as LumaAccount).currentRoutes = available;
      return;
    }
    this.currentRoutesByDefault = available;
    for (const account of this.accounts.values()) account.currentRoutes = available;
  }

  addEvent(token: string, input: SimEventInput): string {
    const account = this.accounts.get(this.accountIdOf(token)) as LumaAccount;
    const now = this.now();
    const { startMs, endMs, timezone } = eventSchedule(input, now);
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
      ticketTypes: new TicketTypes(() => this.newId('evtticktyp')),
      attendees: new Roster(),
    };
    for (const name of input.ticketTypes ?? DEFAULT_TICKET_TYPES) event.ticketTypes.named(name);
    this.events.set(event.id, event);
    account.events.add(event);
    return event.id;
  }

  seedAttendees(eventId: string, n: number, opts: SeedOptions = {}): void {
    const event = this.event(eventId);
    const names = this.seedTicketNames(event, n, opts);
    const now = this.now();
    for (let i = 0; i < n; i++) {
      const personIndex = this.takePersonIndex();
      const status = opts.mixedStatuses ? mixedStatusAt(i) : 'approved';
      const ticketType = event.ticketTypes.named(ticketTypeAt(i, names));
      event.attendees.add(this.newGuest(event, personIndex, [ticketType], status, now, personIndex));
    }
  }

  addAttendee(eventId: string, input: LumaGuestInput = {}): string {
    const event = this.event(eventId);
    const { ticketName, approvalStatus, extraTicketNames = [], ...fields } = definedFields(input);
    const personIndex = this.takePersonIndex();
    const ticketNames = [ticketName ?? event.ticketTypes.defaultName, ...extraTicketNames];
    const guest = this.newGuest(
      event,
      { ...personAt(personIndex), ...fields },
      ticketNames.map((name) => event.ticketTypes.named(name)),
      approvalStatus ?? 'approved',
      this.now(),
      personIndex,
    );
    event.attendees.add(guest);
    return guest.id;
  }

  /** Luma's word for addAttendee. */
  addGuest(eventId: string, input: LumaGuestInput = {}): string {
    return this.addAttendee(eventId, input);
  }

  editAttendee(eventId: string, guestId: string, patch: LumaGuestInput): void {
    const event = this.event(eventId);
    const guest = this.attendee(event, guestId);
    const { ticketName, approvalStatus, extraTicketNames, ...fields } = definedFields(patch);
    guest.person = { ...resolvePerson(guest.person), ...fields };
    const firstTicket =
      ticketName === undefined ? (guest.tickets[0] as TicketType) : event.ticketTypes.named(ticketName);
    const extraTickets =
      extraTicketNames?.map((name) => event.ticketTypes.named(name)) ?? guest.tickets.slice(1);
    guest.tickets = [firstTicket, ...extraTickets];
    if (approvalStatus !== undefined) this.applyStatus(guest, approvalStatus);
    guest.updatedMs = this.now();
  }

  cancelAttendee(eventId: string, guestId: string): void {
    this.setGuestStatus(eventId, guestId, 'declined');
  }

  setGuestStatus(eventId: string, guestId: string, status: LumaApprovalStatus): void {
    if (!LUMA_APPROVAL_STATUSES.includes(status))
      throw new SimulatorError(`unknown approval_status ${String(status)}`);
    const guest = this.attendee(this.event(eventId), guestId);
    this.applyStatus(guest, status);
    guest.updatedMs = this.now();
  }

  setCheckedIn(eventId: string, guestId: string, checkedIn: boolean): void {
    const guest = this.attendee(this.event(eventId), guestId);
    guest.checkedInMs = checkedIn ? this.now() : null;
    guest.updatedMs = this.now();
  }

  setGuestUpdatedAt(include: boolean): void {
    this.includeGuestUpdatedAt = include;
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
    tickets: TicketType[],
    status: LumaApprovalStatus,
    now: number,
    answerSeed: number,
  ): LumaGuest {
    let id = this.newId('gst');
    while (event.attendees.get(id)) id = this.newId('gst');
    return {
      id,
      tickets,
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

  protected providerControlOps(): Record<string, ControlOp> {
    const id = z.string().min(1);
    const guestInput = personInputSchema
      .extend({
        approvalStatus: z.enum(LUMA_APPROVAL_STATUSES).optional(),
        extraTicketNames: z.array(z.string()).optional(),
      })
      .strict();
    return {
      addAttendee: controlOp(z.tuple([id, guestInput.optional()]), ([eventId, guest]) =>
        this.addAttendee(eventId, guest),
      ),
      addGuest: controlOp(z.tuple([id, guestInput.optional()]), ([eventId, guest]) =>
        this.addGuest(eventId, guest),
      ),
      editAttendee: controlOp(z.tuple([id, id, guestInput]), ([eventId, guestId, patch]) =>
        this.editAttendee(eventId, guestId, patch),
      ),
      setGuestStatus: controlOp(
        z.tuple([id, id, z.enum(LUMA_APPROVAL_STATUSES)]),
        ([eventId, guestId, status]) => this.setGuestStatus(eventId, guestId, status),
      ),
      setGuestUpdatedAt: controlOp(z.tuple([z.boolean()]), ([include]) => this.setGuestUpdatedAt(include)),
      setCurrentRoutes: controlOp(z.tuple([z.boolean(), id.optional()]), ([available, token]) =>
        this.setCurrentRoutes(available, token),
      ),
    };
  }

  // ---- HTTP --------------------------------------------------------------------------------

  protected errorResponse(status: number, message?: string): ApiResponse {
    return lumaError(status, message ?? ERROR_MESSAGES[status] ?? 'Error.');
  }

  protected handleApi(request: ApiRequest): ApiResponse {
    const routePath = /^\/(?:public\/)?v1\/(.+)$/.exec(request.path)?.[1];
    const route = routePath === undefined ? undefined : ROUTES[routePath];
    if (!route) return this.routeMissing(request);
    if (request.method !== route.method) return this.errorResponse(405);

    const key = request.headers['x-luma-api-key'];
    const auth = this.checkToken(typeof key === 'string' ? key : undefined);
    if (auth === 'missing') return this.errorResponse(401, 'Missing x-luma-api-key header.');
    if (auth === 'invalid') return this.errorResponse(401);
    const account = this.accounts.get(auth.accountId) as LumaAccount;
    if (route.family === 'current' && !account.currentRoutes) return this.routeMissing(request);
    const family = route.family;
    const names = FAMILY_NAMES[family];

    switch (route.name) {
      case 'getSelf':
        return this.getSelfResponse(account, family);
      case 'listEvents':
        return this.listEventsResponse(account, request, family);
      case 'getEvent': {
        const event = this.accessibleEvent(account, request.query.get(names.eventParam));
        return recordAnswer(family, 'event', this.eventJson(event, family), [names.id, 'name', 'start_at'], {
          hosts: [],
        });
      }
      case 'getGuests':
        return this.guestsResponse(
          this.accessibleEvent(account, request.query.get(names.guestsEventParam)),
          request,
          family,
        );
      case 'getGuest':
        return this.guestResponse(account, request, family);
      case 'updateGuestStatus':
        return this.updateGuestStatusResponse(account, request);
    }
  }

  private routeMissing(request: ApiRequest): ApiResponse {
    return this.errorResponse(404, `No route for ${request.path}.`);
  }

  /** The event, if this key's calendar holds it: no id is a 400, unknown a 404, another calendar's a 403. */
  private accessibleEvent(account: LumaAccount, eventId: string | null): LumaEvent {
    if (!eventId) throw new ApiFailure(this.errorResponse(400, 'The event api_id is required.'));
    return this.readableEvent(account.userId, eventId);
  }

  protected eventAccessError(status: 403 | 404): ApiResponse {
    return status === 404
      ? this.errorResponse(404, 'Event not found.')
      : this.errorResponse(403, 'This API key cannot access that event.');
  }

  private getSelfResponse(account: LumaAccount, family: LumaRouteFamily): ApiResponse {
    const { firstName, lastName } = splitName(account.name);
    const idKey = FAMILY_NAMES[family].id;
    const user = {
      [idKey]: account.userId,
      name: account.name,
      email: account.email,
      first_name: firstName,
      last_name: lastName,
      avatar_url: 'https://images.lumacdn.com/avatars/default.png',
    };
    return recordAnswer(family, 'user', user, [idKey, 'email']);
  }

  private listEventsResponse(
    account: LumaAccount,
    request: ApiRequest,
    family: LumaRouteFamily,
  ): ApiResponse {
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
    const render = (event: LumaEvent) =>
      listEntry(family, 'event', event.id, this.eventJson(event, family), { tags: [] });
    return this.pagedEntries(request, `events:${account.calendarId}`, account.events, matches, render, false);
  }

  private guestsResponse(event: LumaEvent, request: ApiRequest, family: LumaRouteFamily): ApiResponse {
    const status = request.query.get('approval_status');
    if (status !== null && !LUMA_APPROVAL_STATUSES.includes(status as LumaApprovalStatus)) {
      return this.errorResponse(400, `Unknown approval_status ${status}.`);
    }
    const direction = request.query.get('sort_direction');
    const sorted = request.query.get('sort_column') === 'registered_at';
    if (sorted && direction !== null && direction !== 'asc' && direction !== 'desc') {
      return this.errorResponse(400, 'sort_direction must be asc or desc.');
    }
    return this.pagedEntries(
      request,
      // A cursor of one order is not one of another's.
      `guests:${event.id}${sorted ? `:registered_at:${direction ?? 'asc'}` : ''}`,
      sorted ? byRegistration(event.attendees, direction === 'desc') : event.attendees,
      status === null ? undefined : (guest) => guest.approvalStatus === status,
      (guest) => listEntry(family, 'guest', guest.id, this.guestJson(event, guest, family)),
      true,
    );
  }

  private guestResponse(account: LumaAccount, request: ApiRequest, family: LumaRouteFamily): ApiResponse {
    const names = FAMILY_NAMES[family];
    const event = this.accessibleEvent(account, request.query.get(names.guestsEventParam));
    const guestId = request.query.get(names.guestParam);
    const email = request.query.get('email');
    const guest = guestId ? event.attendees.get(guestId) : email ? findGuestByEmail(event, email) : undefined;
    if (!guestId && !email) return this.errorResponse(400, `Give ${names.guestParam} or email.`);
    if (!guest) return this.errorResponse(404, 'Guest not found.');
    return recordAnswer(family, 'guest', this.guestJson(event, guest, family), [names.id, 'approval_status']);
  }

  private updateGuestStatusResponse(account: LumaAccount, request: ApiRequest): ApiResponse {
    let parsed: z.infer<typeof updateGuestStatusSchema>;
    try {
      parsed = updateGuestStatusSchema.parse(JSON.parse(request.body));
    } catch {
      return this.errorResponse(
        400,
        'Body must be JSON {event_api_id, guest: {type, api_id | email}, status}.',
      );
    }
    const event = this.accessibleEvent(account, parsed.event_api_id);
    const target = parsed.guest;
    const guest =
      target.type === 'api_id' ? event.attendees.get(target.api_id) : findGuestByEmail(event, target.email);
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
    render: (row: Row) => Record<string, unknown>,
    isGuestListing: boolean,
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
      repeatCursor: isGuestListing && this.repeatingCursor,
    });
    if (!page) return this.errorResponse(400, 'Invalid pagination_cursor.');
    const entries = page.rows.map(render);
    const body: Record<string, unknown> = { entries, has_more: page.hasMore };
    if (page.nextCursor !== undefined) body.next_cursor = page.nextCursor;
    return {
      status: 200,
      body,
      withoutRequiredFields: () => ({
        entries: entries.map((entry) => withoutKeys(entry, ['id', 'api_id', 'guest', 'event'])),
      }),
    };
  }

  private eventJson(event: LumaEvent, family: LumaRouteFamily): Record<string, unknown> {
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

  private guestJson(event: LumaEvent, guest: LumaGuest, family: LumaRouteFamily): Record<string, unknown> {
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
    if (this.includeGuestUpdatedAt) json.updated_at = lumaTime(guest.updatedMs);
    return json;
  }
}

/**
 * One record as a family answers it: flat on the current routes; under `wrapper` on the older
 * ones, beside `olderExtras`. `required` are the fields the missing_fields fault strips.
 */
function recordAnswer(
  family: LumaRouteFamily,
  wrapper: string,
  json: Record<string, unknown>,
  required: readonly string[],
  olderExtras: Record<string, unknown> = {},
): ApiResponse {
  if (family === 'current')
    return { status: 200, body: json, withoutRequiredFields: () => withoutKeys(json, required) };
  return {
    status: 200,
    body: { [wrapper]: json, ...olderExtras },
    withoutRequiredFields: () => ({ [wrapper]: withoutKeys(json, required) }),
  };
}

/** One list entry: the record itself on the current routes, `{api_id, <wrapper>: record}` on the older ones. */
function listEntry(
  family: LumaRouteFamily,
  wrapper: string,
  id: string,
  json: Record<string, unknown>,
  olderExtras: Record<string, unknown> = {},
): Record<string, unknown> {
  return family === 'current' ? json : { api_id: id, [wrapper]: json, ...olderExtras };
}

function findGuestByEmail(event: LumaEvent, email: string): LumaGuest | undefined {
  const wanted = email.toLowerCase();
  return event.attendees.all().find((guest) => resolvePerson(guest.person).email.toLowerCase() === wanted);
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

/**
 * The guests by registration time (a copy of the roster, sorted; stable, so guests who registered
 * in the same millisecond keep their order), an invitee who has not registered last either way.
 */
function byRegistration(guests: Roster<LumaGuest>, newestFirst: boolean): Roster<LumaGuest> {
  const registered = guests.all().filter((g) => g.registeredMs !== null);
  registered.sort((a, b) =>
    newestFirst ? b.registeredMs! - a.registeredMs! : a.registeredMs! - b.registeredMs!,
  );
  const out = new Roster<LumaGuest>();
  for (const g of registered) out.add(g);
  for (const g of guests.all()) if (g.registeredMs === null) out.add(g);
  return out;
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
