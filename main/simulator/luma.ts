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
import {
  FAMILY_NAMES,
  LUMA_APPROVAL_STATUSES,
  eventJson,
  guestJson,
  mixedStatusAt,
  type LumaAccount,
  type LumaApprovalStatus,
  type LumaEvent,
  type LumaGuest,
  type LumaGuestInput,
  type LumaRouteFamily,
} from './luma-records.ts';
import {
  ERROR_MESSAGES,
  ROUTES,
  byRegistration,
  findGuestByEmail,
  listEntry,
  lumaError,
  pagedEntries,
  recordAnswer,
  updateGuestStatusSchema,
} from './luma-routes.ts';
import { definedFields } from './objects.ts';
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
import { Roster } from './roster.ts';
import { DEFAULT_TICKET_TYPES, TicketTypes, eventSchedule, splitName, type TicketType } from './registry.ts';
import {
  SimulatorError,
  type SeedOptions,
  type SimAccount,
  type SimAccountInput,
  type SimEventInput,
} from './types.ts';

export {
  LUMA_APPROVAL_STATUSES,
  type LumaApprovalStatus,
  type LumaGuestInput,
  type LumaRouteFamily,
} from './luma-records.ts';

export interface LumaSimConfig extends ProviderSimConfig {
  /** Whether guests carry `updated_at` (the real API sends none); default false. */
  includeGuestUpdatedAt?: boolean;
  /** Whether accounts answer on the current route family (else 404 there); default true. */
  currentRoutes?: boolean;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

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
        return recordAnswer(family, 'event', eventJson(event, family), [names.id, 'name', 'start_at'], {
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
      listEntry(family, 'event', event.id, eventJson(event, family), { tags: [] });
    return pagedEntries(
      this.pageSize,
      this.repeatingCursor,
      request,
      `events:${account.calendarId}`,
      account.events,
      matches,
      render,
      false,
    );
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
    return pagedEntries(
      this.pageSize,
      this.repeatingCursor,
      request,
      // A cursor of one order is not one of another's.
      `guests:${event.id}${sorted ? `:registered_at:${direction ?? 'asc'}` : ''}`,
      sorted ? byRegistration(event.attendees, direction === 'desc') : event.attendees,
      status === null ? undefined : (guest) => guest.approvalStatus === status,
      (guest) =>
        listEntry(family, 'guest', guest.id, guestJson(event, guest, family, this.includeGuestUpdatedAt)),
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
    return recordAnswer(family, 'guest', guestJson(event, guest, family, this.includeGuestUpdatedAt), [
      names.id,
      'approval_status',
    ]);
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
}
