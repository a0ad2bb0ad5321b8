// An Eventbrite-like API v3 on loopback, following docs/PROVIDERS.md: paths under /v3
// ending with a slash, bearer (or ?token=) auth, `pagination` objects with an opaque
// `continuation`, `changed_since` at second resolution, and `{status_code, error,
// error_description}` errors.
//
// Choices where the real API is not pinned down by docs/PROVIDERS.md:
// - `continuation` appears only while `has_more_items` is true, as in the real API's responses.
// - A missing token answers 401 `NO_AUTH`; an unknown or revoked one 401 `INVALID_AUTH`.
// - A path without its trailing slash is a 404, so a client that drops the slash fails here
//   rather than only in production.
// - Attendees are listed in creation order (ids ascend with it), which keeps continuations
//   stable while attendees are added mid-import. `changed_since` filters that same order.
// - A missing company or job title is left out of `profile`, as Eventbrite does for questions
//   the event did not ask.
// - Every event asks two custom questions: a workshop (multiple choice, answered by about one
//   attendee in three) and dietary requirements (text, answered by one in five, asked and left
//   unanswered, so without `answer`, by one in seven of the others).
import { z } from 'zod';
import {
  EVENTBRITE_EVENT_STATUSES,
  attendeeJson,
  eventJson,
  orderJson,
  type EventbriteAccount,
  type EventbriteAttendee,
  type EventbriteAttendeeOptions,
  type EventbriteEvent,
  type EventbriteEventInput,
  type EventbriteOrder,
  type EventbriteOrderInput,
} from './eventbrite-records.ts';
import {
  ATTENDEE_STATUS_FILTERS,
  ERROR_CODES,
  ROUTES,
  argumentError,
  attendeeStatusFilter,
  bearerToken,
  decodePathSegment,
  eventbriteError,
  pagedList,
  parseUtcIso,
  type AttendeeStatusFilter,
  type RouteName,
} from './eventbrite-routes.ts';
import { floorToSecond } from './http-util.ts';
import { definedFields, withoutKeys } from './objects.ts';
import { DeterministicRandom, personAt, resolvePerson, ticketTypeAt, type StoredPerson } from './people.ts';
import {
  ApiFailure,
  ProviderSimBase,
  checkCount,
  controlOp,
  eventInputSchema,
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
  type SimAttendeeInput,
} from './types.ts';

export {
  EVENTBRITE_EVENT_STATUSES,
  type EventbriteAttendeeOptions,
  type EventbriteEventInput,
  type EventbriteEventStatus,
  type EventbriteOrderInput,
} from './eventbrite-records.ts';

export class EventbriteSim extends ProviderSimBase<EventbriteAttendee, EventbriteEvent> {
  readonly kind = 'eventbrite' as const;
  protected readonly attendeeNoun = 'attendee';

  private readonly random = new DeterministicRandom(0x0eb0eb);
  private readonly accounts = new Map<string, EventbriteAccount>();
  private readonly organizationEvents = new Map<string, Roster<EventbriteEvent>>();
  private nextUserId = 100_000_000_001;
  private nextOrganizationId = 200_000_000_001;
  private nextEventId = 300_000_000_001;
  private nextTicketClassId = 400_000_001;
  private nextOrderId = 5_000_000_001;
  private nextAttendeeId = 6_000_000_001;
  /** How many of the next attendee changes `changed_since` answers leave out (dropFromChangedSince). */
  private changesToDrop = 0;

  constructor(config: ProviderSimConfig) {
    super(config);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v3`;
  }

  // ---- controls ----------------------------------------------------------------------------

  addAccount(account: SimAccountInput): SimAccount {
    const userId = String(this.nextUserId++);
    const token = this.issueToken(
      userId,
      account.token ?? this.random.string(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
    );
    const organizationId = String(this.nextOrganizationId++);
    this.accounts.set(userId, { userId, organizationId, name: account.name, email: account.email });
    this.organizationEvents.set(organizationId, new Roster());
    return { accountId: userId, token };
  }

  /**
   * Lets the account behind `token` read the event too, as a fellow member of the organization
   * (so an event can be reconnected through another admin's account).
   */
  shareEvent(eventId: string, token: string): void {
    const event = this.event(eventId);
    (event.sharedWith ??= new Set()).add(this.accountIdOf(token));
  }

  addEvent(token: string, input: EventbriteEventInput): string {
    const account = this.accounts.get(this.accountIdOf(token)) as EventbriteAccount;
    const now = floorToSecond(this.now());
    const { startMs, endMs, timezone } = eventSchedule(input, now);
    const event: EventbriteEvent = {
      id: String(this.nextEventId++),
      accountId: account.userId,
      organizationId: account.organizationId,
      name: input.name,
      startMs: floorToSecond(startMs),
      endMs: floorToSecond(endMs),
      timezone,
      status: input.status ?? 'live',
      createdMs: now,
      changedMs: now,
      ticketTypes: new TicketTypes(() => String(this.nextTicketClassId++)),
      attendees: new Roster(),
      orders: new Roster(),
    };
    for (const name of input.ticketTypes ?? DEFAULT_TICKET_TYPES) event.ticketTypes.named(name);
    this.events.set(event.id, event);
    this.organizationEvents.get(account.organizationId)?.add(event);
    return event.id;
  }

  seedAttendees(eventId: string, n: number, opts: SeedOptions = {}): void {
    const event = this.event(eventId);
    const names = this.seedTicketNames(event, n, opts);
    const now = floorToSecond(this.now());
    let order: EventbriteOrder | null = null;
    for (let i = 0; i < n; i++) {
      const person = this.takePersonIndex();
      // Every tenth order holds two tickets (two people), like a colleague buying for both.
      if (order === null || i % 10 !== 1) {
        order = {
          id: String(this.nextOrderId++),
          buyer: person,
          createdMs: now,
          changedMs: now,
          attendeeIds: [],
        };
        event.orders.add(order);
      }
      const attendee = this.newAttendee(order, event.ticketTypes.named(ticketTypeAt(i, names)), person, now);
      if (opts.mixedStatuses && i % 20 === 7) attendee.cancelled = true;
      event.attendees.add(attendee);
    }
  }

  addAttendee(eventId: string, person: SimAttendeeInput = {}, opts: EventbriteAttendeeOptions = {}): string {
    const quantity = opts.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new SimulatorError('quantity must be a whole number >= 1');
    const tickets: SimAttendeeInput[] = [person];
    const otherTicket: SimAttendeeInput =
      person.ticketName === undefined ? {} : { ticketName: person.ticketName };
    for (let i = 1; i < quantity; i++) tickets.push(otherTicket);
    const { ticketName: _ticketName, ...buyer } = person;
    const { attendeeIds } = this.addOrder(eventId, {
      buyer,
      tickets,
      buyerOnly: opts.buyerOnly,
      orderId: opts.orderId,
    });
    const first = attendeeIds[0] as string;
    if (opts.barcode !== undefined) this.attendee(this.event(eventId), first).barcode = opts.barcode;
    return first;
  }

  /** Places an order (or adds tickets to an existing one when `orderId` names it). */
  addOrder(eventId: string, input: EventbriteOrderInput = {}): { orderId: string; attendeeIds: string[] } {
    const event = this.event(eventId);
    const now = floorToSecond(this.now());
    let order = input.orderId === undefined ? undefined : event.orders.get(input.orderId);
    const isNewOrder = order === undefined;
    if (!order) {
      const buyer = { ...personAt(this.takePersonIndex()), ...definedFields(input.buyer ?? {}) };
      const id = input.orderId ?? String(this.nextOrderId++);
      order = { id, buyer, createdMs: now, changedMs: now, attendeeIds: [] };
      event.orders.add(order);
    } else {
      order.changedMs = now;
    }
    const tickets = input.tickets ?? [{}];
    const attendeeIds: string[] = [];
    tickets.forEach((ticket, index) => {
      const { ticketName, ...fields } = definedFields(ticket);
      const buyer = (order as EventbriteOrder).buyer;
      // The buyer holds the first ticket of a new order; further tickets go to other people.
      const person = input.buyerOnly
        ? buyer
        : { ...resolvePerson(index === 0 && isNewOrder ? buyer : this.takePersonIndex()), ...fields };
      const ticketClass = event.ticketTypes.named(ticketName ?? event.ticketTypes.defaultName);
      const attendee = this.newAttendee(order as EventbriteOrder, ticketClass, person, now);
      event.attendees.add(attendee);
      attendeeIds.push(attendee.id);
    });
    return { orderId: order.id, attendeeIds };
  }

  editAttendee(eventId: string, attendeeId: string, patch: SimAttendeeInput): void {
    const event = this.event(eventId);
    const attendee = this.attendee(event, attendeeId);
    const { ticketName, ...fields } = definedFields(patch);
    // A new object, never a mutation: buyer-only orders share one profile between tickets.
    attendee.person = { ...resolvePerson(attendee.person), ...fields };
    if (ticketName !== undefined) attendee.ticketClass = event.ticketTypes.named(ticketName);
    this.touch(attendee);
  }

  cancelAttendee(eventId: string, attendeeId: string): void {
    const attendee = this.attendee(this.event(eventId), attendeeId);
    attendee.cancelled = true;
    this.touch(attendee);
  }

  setCheckedIn(eventId: string, attendeeId: string, checkedIn: boolean): void {
    const attendee = this.attendee(this.event(eventId), attendeeId);
    attendee.checkedInMs = checkedIn ? floorToSecond(this.now()) : null;
    this.touch(attendee);
  }

  /**
   * The next `n` attendee changes (a new ticket, an edit, a cancellation, a check-in) are left
   * out of every `changed_since` answer until that attendee changes again, as if the
   * provider's change index had lost them. Full listings, status-filtered listings and the
   * single-attendee route still show them, so only a full listing repairs a mirror. 0 stops.
   */
  dropFromChangedSince(n: number): void {
    this.changesToDrop = checkCount(n);
  }

  private takeDroppedChange(): boolean {
    if (this.changesToDrop === 0) return false;
    this.changesToDrop--;
    return true;
  }

  private newAttendee(
    order: EventbriteOrder,
    ticketClass: TicketType,
    person: StoredPerson,
    now: number,
  ): EventbriteAttendee {
    const id = String(this.nextAttendeeId++);
    order.attendeeIds.push(id);
    return {
      id,
      orderId: order.id,
      ticketClass,
      person,
      createdMs: now,
      changedMs: now,
      checkedInMs: null,
      cancelled: false,
      refunded: false,
      hiddenFromChangedSince: this.takeDroppedChange(),
    };
  }

  private touch(attendee: EventbriteAttendee): void {
    attendee.changedMs = floorToSecond(this.now());
    attendee.hiddenFromChangedSince = this.takeDroppedChange();
  }

  protected providerControlOps(): Record<string, ControlOp> {
    const id = z.string().min(1);
    const attendeeOptions = z
      .object({
        orderId: z.string().optional(),
        quantity: z.number().int().min(1).optional(),
        buyerOnly: z.boolean().optional(),
        barcode: z.string().min(1).max(200).optional(),
      })
      .strict();
    const eventInput = eventInputSchema
      .extend({ status: z.enum(EVENTBRITE_EVENT_STATUSES).optional() })
      .strict();
    const orderInput = z
      .object({
        buyer: personInputSchema.omit({ ticketName: true }).optional(),
        tickets: z.array(personInputSchema).min(1).optional(),
        buyerOnly: z.boolean().optional(),
        orderId: z.string().optional(),
      })
      .strict();
    return {
      addEvent: controlOp(z.tuple([id, eventInput]), ([token, event]) => this.addEvent(token, event)),
      addAttendee: controlOp(
        z.tuple([id, personInputSchema.optional(), attendeeOptions.optional()]),
        ([eventId, person, opts]) => this.addAttendee(eventId, person, opts),
      ),
      addOrder: controlOp(z.tuple([id, orderInput.optional()]), ([eventId, order]) =>
        this.addOrder(eventId, order),
      ),
      editAttendee: controlOp(z.tuple([id, id, personInputSchema]), ([eventId, attendeeId, patch]) =>
        this.editAttendee(eventId, attendeeId, patch),
      ),
      dropFromChangedSince: controlOp(z.tuple([z.number().int().min(0)]), ([n]) =>
        this.dropFromChangedSince(n),
      ),
    };
  }

  // ---- HTTP --------------------------------------------------------------------------------

  protected errorResponse(status: number, message?: string): ApiResponse {
    const known = ERROR_CODES[status] ?? { error: 'ERROR', description: 'An error occurred.' };
    return eventbriteError(status, known.error, message ?? known.description);
  }

  protected handleApi(request: ApiRequest): ApiResponse {
    let route: { name: RouteName; params: string[] } | null = null;
    for (const { pattern, name } of ROUTES) {
      const match = pattern.exec(request.path);
      if (match) {
        route = { name, params: match.slice(1).map(decodePathSegment) };
        break;
      }
    }
    if (!route) return this.errorResponse(404, 'The path you requested does not exist.');
    if (request.method !== 'GET') return this.errorResponse(405);

    const auth = this.checkToken(bearerToken(request));
    if (auth === 'missing')
      return eventbriteError(401, 'NO_AUTH', 'An OAuth token is required for all requests.');
    if (auth === 'invalid') return this.errorResponse(401);
    const account = this.accounts.get(auth.accountId) as EventbriteAccount;
    const [first = '', second = ''] = route.params;

    switch (route.name) {
      case 'me':
        return this.meResponse(account);
      case 'organizations':
        return this.organizationsResponse(account, request);
      case 'organizationEvents':
        return this.organizationEventsResponse(account, first, request);
      case 'event': {
        const body = eventJson(this.baseUrl, this.readableEvent(account.userId, first));
        return { status: 200, body, withoutRequiredFields: () => withoutKeys(body, ['id', 'name', 'start']) };
      }
      case 'attendees':
        return this.attendeesResponse(this.readableEvent(account.userId, first), request);
      case 'attendee': {
        const event = this.readableEvent(account.userId, first);
        const attendee = event.attendees.get(second);
        if (!attendee) {
          throw new ApiFailure(
            eventbriteError(404, 'NOT_FOUND', 'The attendee you requested does not exist.'),
          );
        }
        const body = attendeeJson(this.baseUrl, event, attendee);
        return { status: 200, body, withoutRequiredFields: () => withoutKeys(body, ['id', 'profile']) };
      }
      case 'orders':
        return this.ordersResponse(this.readableEvent(account.userId, first), request);
    }
  }

  protected override mayRead(event: EventbriteEvent, accountId: string): boolean {
    return super.mayRead(event, accountId) || event.sharedWith?.has(accountId) === true;
  }

  protected eventAccessError(status: 403 | 404): ApiResponse {
    return status === 404
      ? eventbriteError(404, 'NOT_FOUND', 'The event you requested does not exist.')
      : this.errorResponse(403);
  }

  private meResponse(account: EventbriteAccount): ApiResponse {
    const { firstName, lastName } = splitName(account.name);
    const body = {
      id: account.userId,
      name: account.name,
      first_name: firstName,
      last_name: lastName,
      is_public: false,
      image_id: null,
      emails: [{ email: account.email, verified: true, primary: true }],
    };
    return { status: 200, body, withoutRequiredFields: () => withoutKeys(body, ['id', 'emails']) };
  }

  private organizationsResponse(account: EventbriteAccount, request: ApiRequest): ApiResponse {
    const organizations = new Roster<{ id: string; name: string }>();
    organizations.add({ id: account.organizationId, name: account.name });
    const render = (o: { id: string; name: string }) => ({
      id: o.id,
      name: o.name,
      vertical: 'Default',
      image_id: null,
    });
    return pagedList(
      this.pageSize,
      this.repeatingCursor,
      request,
      `organizations:${account.userId}`,
      'organizations',
      organizations,
      undefined,
      render,
      ['id'],
    );
  }

  private organizationEventsResponse(
    account: EventbriteAccount,
    organizationId: string,
    request: ApiRequest,
  ): ApiResponse {
    const events = this.organizationEvents.get(organizationId);
    if (!events) return eventbriteError(404, 'NOT_FOUND', 'The organization you requested does not exist.');
    if (organizationId !== account.organizationId) return this.errorResponse(403);
    const statusFilter = request.query.get('status');
    const wanted = statusFilter && statusFilter !== 'all' ? new Set(statusFilter.split(',')) : null;
    return pagedList(
      this.pageSize,
      this.repeatingCursor,
      request,
      `events:${organizationId}`,
      'events',
      events,
      wanted ? (event) => wanted.has(event.status) : undefined,
      (event) => eventJson(this.baseUrl, event),
      ['id', 'name', 'start'],
    );
  }

  private attendeesResponse(event: EventbriteEvent, request: ApiRequest): ApiResponse {
    const filters: ((a: EventbriteAttendee) => boolean)[] = [];
    const status = request.query.get('status');
    if (status !== null) {
      if (!ATTENDEE_STATUS_FILTERS.includes(status as AttendeeStatusFilter)) {
        return argumentError(`status - INVALID (${status})`);
      }
      filters.push(attendeeStatusFilter(status as AttendeeStatusFilter));
    }
    const changedSince = request.query.get('changed_since');
    if (changedSince !== null) {
      const sinceMs = parseUtcIso(changedSince);
      if (sinceMs === null) {
        return argumentError('changed_since - INVALID');
      }
      filters.push((a) => a.changedMs >= sinceMs && !a.hiddenFromChangedSince);
    }
    const matches = filters.length === 0 ? undefined : (a: EventbriteAttendee) => filters.every((f) => f(a));
    const render = (attendee: EventbriteAttendee) => attendeeJson(this.baseUrl, event, attendee);
    return pagedList(
      this.pageSize,
      this.repeatingCursor,
      request,
      `attendees:${event.id}`,
      'attendees',
      event.attendees,
      matches,
      render,
      ['id', 'profile'],
    );
  }

  private ordersResponse(event: EventbriteEvent, request: ApiRequest): ApiResponse {
    const expandAttendees = (request.query.get('expand') ?? '').split(',').includes('attendees');
    return pagedList(
      this.pageSize,
      this.repeatingCursor,
      request,
      `orders:${event.id}`,
      'orders',
      event.orders,
      undefined,
      (order) => orderJson(this.baseUrl, event, order, expandAttendees),
      ['id'],
    );
  }
}
