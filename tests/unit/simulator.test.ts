// The provider simulator must behave like docs/PROVIDERS.md says the real APIs do: our clients and the
// sync engine are tested against it, so a wrong shape here would hide a bug there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator, type SimRequestRecord, type Simulator } from '../../main/simulator/index.ts';

interface EventbritePagination {
  object_count: number;
  page_number: number;
  page_size: number;
  page_count: number;
  has_more_items: boolean;
  continuation?: string;
}

interface EventbriteAttendee {
  id: string;
  changed: string;
  status: string;
  cancelled: boolean;
  checked_in: boolean;
  order_id: string;
  ticket_class_name: string;
  profile: {
    name: string;
    first_name: string;
    last_name: string;
    email: string;
    company?: string;
    job_title?: string;
  };
  barcodes: { barcode: string; status: string }[];
}

interface EventbriteAttendeePage {
  pagination: EventbritePagination;
  attendees: EventbriteAttendee[];
}

interface LumaGuestPage {
  entries: {
    api_id: string;
    guest: { api_id: string; approval_status: string; name: string; updated_at?: string };
  }[];
  has_more: boolean;
  next_cursor?: string;
}

const EVENTBRITE_ATTENDEE_FIELDS = [
  'id',
  'created',
  'changed',
  'ticket_class_id',
  'ticket_class_name',
  'profile',
  'barcodes',
  'checked_in',
  'cancelled',
  'refunded',
  'status',
  'event_id',
  'order_id',
  'quantity',
  'answers',
];

const LUMA_GUEST_FIELDS = [
  'api_id',
  'name',
  'email',
  'user_name',
  'user_first_name',
  'user_last_name',
  'user_email',
  'approval_status',
  'registered_at',
  'invited_at',
  'checked_in_at',
  'event_ticket',
  'check_in_qr_code',
  'registration_answers',
];

function eventbriteGet(
  sim: Simulator,
  path: string,
  token: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${sim.eventbrite.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}` },
  });
}

function lumaGet(sim: Simulator, path: string, apiKey: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.luma.baseUrl}${path}`, { ...init, headers: { 'x-luma-api-key': apiKey } });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Follows continuations to the end, returning every attendee id in the order served. */
async function allEventbriteAttendeeIds(
  sim: Simulator,
  eventId: string,
  token: string,
  query = '',
): Promise<string[]> {
  const ids: string[] = [];
  let continuation: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const params = new URLSearchParams(query);
    if (continuation) params.set('continuation', continuation);
    const response = await eventbriteGet(sim, `/events/${eventId}/attendees/?${params}`, token);
    assert.equal(response.status, 200);
    const page = await json<EventbriteAttendeePage>(response);
    ids.push(...page.attendees.map((a) => a.id));
    if (!page.pagination.has_more_items) return ids;
    continuation = page.pagination.continuation;
    assert.ok(continuation, 'has_more_items comes with a continuation');
  }
  throw new Error('pagination never ended');
}

async function allLumaGuestIds(
  sim: Simulator,
  eventId: string,
  apiKey: string,
  query = '',
  prefix = '/v1',
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const params = new URLSearchParams(query);
    params.set('event_api_id', eventId);
    if (cursor) params.set('pagination_cursor', cursor);
    const response = await lumaGet(sim, `${prefix}/event/get-guests?${params}`, apiKey);
    assert.equal(response.status, 200);
    const page = await json<LumaGuestPage>(response);
    for (const entry of page.entries) {
      assert.equal(entry.api_id, entry.guest.api_id);
      ids.push(entry.api_id);
    }
    if (!page.has_more) return ids;
    cursor = page.next_cursor;
    assert.ok(cursor, 'has_more comes with a next_cursor');
  }
  throw new Error('pagination never ended');
}

interface OneEventEach {
  sim: Simulator;
  ebToken: string;
  ebEvent: string;
  lumaKey: string;
  lumaEvent: string;
}

/** A simulator with one account and one event of `seeded` rows on each provider. */
async function oneEventEach(seeded: number, now?: () => number): Promise<OneEventEach> {
  const sim = await startSimulator(now ? { now } : {});
  const ebToken = sim.eventbrite.addAccount({ email: 'f@example.com', name: 'Fay' }).token;
  const ebEvent = sim.eventbrite.addEvent(ebToken, { name: 'Faulty' });
  sim.eventbrite.seedAttendees(ebEvent, seeded);
  const lumaKey = sim.luma.addAccount({ email: 'g@example.com', name: 'Gus' }).token;
  const lumaEvent = sim.luma.addEvent(lumaKey, { name: 'Faulty too' });
  sim.luma.seedAttendees(lumaEvent, seeded);
  return { sim, ebToken, ebEvent, lumaKey, lumaEvent };
}

describe('Eventbrite simulator', () => {
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  let sim: Simulator;
  let token: string;
  let eventId: string;

  before(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    token = sim.eventbrite.addAccount({ email: 'ada@example.com', name: 'Ada Lovelace' }).token;
    eventId = sim.eventbrite.addEvent(token, { name: 'Expo', timezone: 'Europe/Berlin' });
    sim.eventbrite.seedAttendees(eventId, 237);
  });
  after(() => sim.close());

  it('answers who-am-I, organizations, events and one event in the documented shapes', async () => {
    const me = await json<{ id: string; name: string; emails: unknown[] }>(
      await eventbriteGet(sim, '/users/me/', token),
    );
    assert.equal(me.name, 'Ada Lovelace');
    assert.deepEqual(me.emails, [{ email: 'ada@example.com', verified: true, primary: true }]);

    const orgs = await json<{
      organizations: { id: string; name: string }[];
      pagination: EventbritePagination;
    }>(await eventbriteGet(sim, '/users/me/organizations/', token));
    assert.equal(orgs.organizations.length, 1);
    assert.equal(orgs.pagination.has_more_items, false);

    const orgId = orgs.organizations[0]?.id ?? '';
    const events = await json<{ events: { id: string; name: { text: string }; status: string }[] }>(
      await eventbriteGet(sim, `/organizations/${orgId}/events/?status=live`, token),
    );
    assert.deepEqual(
      events.events.map((e) => [e.id, e.name.text, e.status]),
      [[eventId, 'Expo', 'live']],
    );

    const event = await json<{ start: { timezone: string; local: string; utc: string } }>(
      await eventbriteGet(sim, `/events/${eventId}/`, token),
    );
    assert.deepEqual(event.start, {
      timezone: 'Europe/Berlin',
      local: '2026-11-23T09:00:00',
      utc: '2026-11-23T08:00:00Z',
    });
  });

  it('pages every attendee exactly once, with an opaque continuation', async () => {
    const first = await json<EventbriteAttendeePage>(
      await eventbriteGet(sim, `/events/${eventId}/attendees/`, token),
    );
    assert.deepEqual(
      { ...first.pagination, continuation: undefined },
      {
        object_count: 237,
        page_number: 1,
        page_size: 50,
        page_count: 5,
        has_more_items: true,
        continuation: undefined,
      },
    );
    assert.notEqual(first.pagination.continuation, '2', 'the continuation is not a bare page number');
    const attendee = first.attendees[0];
    assert.ok(attendee);
    for (const field of EVENTBRITE_ATTENDEE_FIELDS) assert.ok(field in attendee, `attendee has ${field}`);
    assert.match(attendee.changed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const ids = await allEventbriteAttendeeIds(sim, eventId, token);
    assert.deepEqual(ids, sim.eventbrite.attendeeIds(eventId));
    assert.equal(new Set(ids).size, 237);
  });

  it('keeps continuations stable while attendees are added mid-import', async () => {
    const ids: string[] = [];
    let continuation: string | undefined;
    let added = 0;
    do {
      const query = continuation ? `?continuation=${encodeURIComponent(continuation)}` : '';
      const page = await json<EventbriteAttendeePage>(
        await eventbriteGet(sim, `/events/${eventId}/attendees/${query}`, token),
      );
      ids.push(...page.attendees.map((a) => a.id));
      if (added < 3) {
        sim.eventbrite.addAttendee(eventId);
        added++;
      }
      continuation = page.pagination.has_more_items ? page.pagination.continuation : undefined;
    } while (continuation);
    assert.equal(new Set(ids).size, ids.length, 'no attendee served twice');
    assert.deepEqual(ids, sim.eventbrite.attendeeIds(eventId), 'rows added meanwhile arrive on later pages');
  });

  it('honours a smaller page size and rejects a forged continuation', async () => {
    sim.eventbrite.setPageSize(7);
    try {
      const ids = await allEventbriteAttendeeIds(sim, eventId, token);
      assert.deepEqual(ids, sim.eventbrite.attendeeIds(eventId));
      const forged = Buffer.from('{"page":2}').toString('base64url');
      const response = await eventbriteGet(
        sim,
        `/events/${eventId}/attendees/?continuation=${forged}`,
        token,
      );
      assert.equal(response.status, 400);
      assert.equal((await json<{ error: string }>(response)).error, 'ARGUMENT_ERROR');
    } finally {
      sim.eventbrite.setPageSize(50);
    }
  });

  it('returns attendees changed on or after changed_since, at second resolution', async () => {
    const [editedId, cancelledId] = sim.eventbrite.attendeeIds(eventId).slice(10, 12) as [string, string];
    clock.advance(10 * 60_000);
    const editedAt = clock.now() + 400; // 08:10:00.400 is reported, and filtered, as 08:10:00
    clock.advance(400);
    sim.eventbrite.editAttendee(eventId, editedId, { company: 'Nordlicht GmbH', ticketName: 'VIP' });
    sim.eventbrite.cancelAttendee(eventId, cancelledId);
    const addedId = sim.eventbrite.addAttendee(eventId, { firstName: 'Zoë', lastName: 'Łukasiewicz' });

    const since = new Date(Math.floor(editedAt / 1000) * 1000).toISOString().replace('.000', '');
    const changedIds = await allEventbriteAttendeeIds(sim, eventId, token, `changed_since=${since}`);
    assert.deepEqual(changedIds, [editedId, cancelledId, addedId]);

    const page = await json<EventbriteAttendeePage>(
      await eventbriteGet(sim, `/events/${eventId}/attendees/?changed_since=${since}`, token),
    );
    assert.equal(page.pagination.object_count, 3);
    const [edited, cancelled, added] = page.attendees;
    assert.equal(edited?.profile.company, 'Nordlicht GmbH');
    assert.equal(edited?.ticket_class_name, 'VIP');
    assert.equal(edited?.changed, '2026-11-23T08:10:00Z');
    assert.deepEqual([cancelled?.cancelled, cancelled?.status], [true, 'Not Attending']);
    assert.equal(added?.profile.name, 'Zoë Łukasiewicz');

    const later = new Date(Math.floor(editedAt / 1000) * 1000 + 1000).toISOString();
    assert.deepEqual(await allEventbriteAttendeeIds(sim, eventId, token, `changed_since=${later}`), []);

    const withoutOffset = since.replace('Z', '');
    assert.equal(
      (await allEventbriteAttendeeIds(sim, eventId, token, `changed_since=${withoutOffset}`)).length,
      3,
      'a time without an offset is UTC',
    );
    const invalid = await eventbriteGet(sim, `/events/${eventId}/attendees/?changed_since=yesterday`, token);
    assert.equal(invalid.status, 400);
    assert.equal((await json<{ error: string }>(invalid)).error, 'ARGUMENT_ERROR');

    const notAttending = await allEventbriteAttendeeIds(sim, eventId, token, 'status=not_attending');
    assert.deepEqual(notAttending, [cancelledId]);
    const attending = await allEventbriteAttendeeIds(sim, eventId, token, 'status=attending');
    assert.equal(attending.length, sim.eventbrite.attendeeIds(eventId).length - 1);
  });

  it('reports a provider-side check-in on the barcode', async () => {
    const id = sim.eventbrite.attendeeIds(eventId)[20] as string;
    sim.eventbrite.setCheckedIn(eventId, id, true);
    const attendee = await json<EventbriteAttendee>(
      await eventbriteGet(sim, `/events/${eventId}/attendees/${id}/`, token),
    );
    assert.deepEqual(
      [attendee.checked_in, attendee.status, attendee.barcodes[0]?.status],
      [true, 'Checked In', 'used'],
    );
  });

  it('models orders with several tickets, buyer-only profiles included', async () => {
    const buyer = { firstName: 'José', lastName: 'García' };
    const firstId = sim.eventbrite.addAttendee(eventId, buyer, { quantity: 3, buyerOnly: true });
    const { orderId, attendeeIds } = sim.eventbrite.addOrder(eventId, {
      buyer: { firstName: 'Søren', lastName: 'Ødegaard' },
      tickets: [{ ticketName: 'VIP' }, { ticketName: 'General Admission' }],
    });
    const all = sim.eventbrite.attendeeIds(eventId);
    const buyerOnlyIds = all.slice(all.indexOf(firstId), all.indexOf(firstId) + 3);
    const rows = await Promise.all(
      [...buyerOnlyIds, ...attendeeIds].map(async (id) =>
        json<EventbriteAttendee>(await eventbriteGet(sim, `/events/${eventId}/attendees/${id}/`, token)),
      ),
    );
    assert.equal(rows.length, 5);
    type Five = [
      EventbriteAttendee,
      EventbriteAttendee,
      EventbriteAttendee,
      EventbriteAttendee,
      EventbriteAttendee,
    ];
    const [a, b, c, d, e] = rows as Five;
    assert.equal(new Set([a.order_id, b.order_id, c.order_id]).size, 1);
    assert.deepEqual(b.profile, a.profile);
    assert.deepEqual(c.profile, a.profile);
    assert.equal(a.profile.name, 'José García');
    assert.equal(
      new Set([a, b, c].map((r) => r.barcodes[0]?.barcode)).size,
      3,
      'only the barcode tells them apart',
    );

    assert.deepEqual([d.order_id, e.order_id], [orderId, orderId]);
    assert.equal(d.profile.name, 'Søren Ødegaard');
    assert.notEqual(e.profile.name, 'Søren Ødegaard');
    assert.deepEqual([d.ticket_class_name, e.ticket_class_name], ['VIP', 'General Admission']);

    const orders = await json<{ orders: { id: string; attendees?: { id: string }[] }[] }>(
      await eventbriteGet(sim, `/events/${eventId}/orders/?expand=attendees`, token),
    );
    assert.ok(orders.orders.every((order) => Array.isArray(order.attendees) && order.attendees.length >= 1));
  });

  it('requires paths with their trailing slash', async () => {
    const response = await eventbriteGet(sim, '/users/me', token);
    assert.equal(response.status, 404);
    assert.equal((await json<{ error: string }>(response)).error, 'NOT_FOUND');
  });
});

describe('Eventbrite simulator credentials and access', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  it('answers 401 INVALID_AUTH once a token is revoked, and 200 again once restored', async () => {
    const { token } = sim.eventbrite.addAccount({ email: 'b@example.com', name: 'Bea' });
    assert.equal((await eventbriteGet(sim, '/users/me/', token)).status, 200);
    sim.eventbrite.revokeToken(token);
    const revoked = await eventbriteGet(sim, '/users/me/', token);
    assert.equal(revoked.status, 401);
    const body = await json<Record<string, unknown>>(revoked);
    assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description', 'status_code']);
    assert.equal(body.status_code, 401);
    assert.equal(body.error, 'INVALID_AUTH');
    sim.eventbrite.restoreToken(token);
    assert.equal((await eventbriteGet(sim, '/users/me/', token)).status, 200);
  });

  it('accepts the token as a query parameter and refuses a missing one', async () => {
    const { token } = sim.eventbrite.addAccount({
      email: 'c@example.com',
      name: 'Cy',
      token: 'MYPRIVATETOKEN',
    });
    assert.equal(token, 'MYPRIVATETOKEN');
    assert.equal((await fetch(`${sim.eventbrite.baseUrl}/users/me/?token=${token}`)).status, 200);
    const missing = await fetch(`${sim.eventbrite.baseUrl}/users/me/`);
    assert.equal(missing.status, 401);
  });

  it("answers 403 NOT_AUTHORIZED for another account's event and 404 for an unknown one", async () => {
    const owner = sim.eventbrite.addAccount({ email: 'd@example.com', name: 'Dee' });
    const stranger = sim.eventbrite.addAccount({ email: 'e@example.com', name: 'Eve' });
    const eventId = sim.eventbrite.addEvent(owner.token, { name: 'Private' });
    const forbidden = await eventbriteGet(sim, `/events/${eventId}/attendees/`, stranger.token);
    assert.equal(forbidden.status, 403);
    assert.equal((await json<{ error: string }>(forbidden)).error, 'NOT_AUTHORIZED');
    const unknown = await eventbriteGet(sim, '/events/999/attendees/', owner.token);
    assert.equal(unknown.status, 404);
    assert.equal((await json<{ error: string }>(unknown)).error, 'NOT_FOUND');
  });
});

describe('Luma simulator', () => {
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  let sim: Simulator;
  let apiKey: string;
  let eventId: string;

  before(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    apiKey = sim.luma.addAccount({ email: 'host@example.com', name: 'Luma Host' }).token;
    eventId = sim.luma.addEvent(apiKey, { name: 'Meetup' });
    sim.luma.seedAttendees(eventId, 237);
  });
  after(() => sim.close());

  it('answers get-self, list-events and event/get in the documented shapes, on both bases', async () => {
    for (const prefix of ['/v1', '/public/v1']) {
      const self = await json<{ user: { api_id: string; name: string; email: string } }>(
        await lumaGet(sim, `${prefix}/user/get-self`, apiKey),
      );
      assert.equal(self.user.email, 'host@example.com');
      const events = await json<{
        entries: { api_id: string; event: { api_id: string; name: string } }[];
        has_more: boolean;
      }>(await lumaGet(sim, `${prefix}/calendar/list-events`, apiKey));
      assert.deepEqual(
        events.entries.map((e) => [e.api_id, e.event.api_id, e.event.name]),
        [[eventId, eventId, 'Meetup']],
      );
      assert.equal(events.has_more, false);
      const one = await json<{ event: { start_at: string; timezone: string } }>(
        await lumaGet(sim, `${prefix}/event/get?api_id=${eventId}`, apiKey),
      );
      assert.equal(one.event.start_at, '2026-11-23T08:00:00.000Z');
    }
  });

  it('pages every guest exactly once, by default size, pagination_limit and on the old base', async () => {
    const truth = sim.luma.attendeeIds(eventId);
    assert.deepEqual(await allLumaGuestIds(sim, eventId, apiKey), truth);
    assert.deepEqual(await allLumaGuestIds(sim, eventId, apiKey, 'pagination_limit=13', '/public/v1'), truth);

    const capped = await json<LumaGuestPage>(
      await lumaGet(sim, `/v1/event/get-guests?event_api_id=${eventId}&pagination_limit=1000`, apiKey),
    );
    assert.equal(capped.entries.length, 100, 'pagination_limit is capped at 100');
  });

  it('nests the guest with its ticket, QR code and registration answers', async () => {
    const page = await json<{ entries: { guest: Record<string, unknown> }[] }>(
      await lumaGet(sim, `/v1/event/get-guests?event_api_id=${eventId}&pagination_limit=20`, apiKey),
    );
    const guest = page.entries[0]?.guest;
    assert.ok(guest);
    for (const field of LUMA_GUEST_FIELDS) assert.ok(field in guest, `guest has ${field}`);
    assert.equal(guest.user_first_name, 'Zoë');
    assert.equal((guest.event_ticket as { name: string }).name, 'General Admission');
    assert.ok(!('updated_at' in guest), 'no change stamp, as Luma sends none');
    const answers = page.entries.flatMap(
      (e) =>
        e.guest.registration_answers as {
          label: string;
          answer: unknown;
          question_type: string;
          value: unknown;
          answer_job_title?: unknown;
        }[],
    );
    // Luma's company question: the company and the job title in one answer, found by its type.
    const company = answers.find((a) => a.question_type === 'company');
    assert.ok(company && typeof company.answer === 'string' && typeof company.answer_job_title === 'string');
    assert.deepEqual(company.value, { company: company.answer, job_title: company.answer_job_title });
    assert.ok(
      answers.some((a) => typeof a.answer === 'boolean'),
      'some answers are booleans',
    );
    assert.ok(
      answers.some((a) => typeof a.answer === 'number'),
      'some answers are numbers',
    );
  });

  it('moves guests between approval statuses and filters on approval_status', async () => {
    sim.luma.setGuestUpdatedAt(true); // the stamp Luma does not send, for a provider that would
    const [pendingId, declinedId] = sim.luma.attendeeIds(eventId).slice(0, 2) as [string, string];
    clock.advance(60_000);
    sim.luma.setGuestStatus(eventId, pendingId, 'pending_approval');
    sim.luma.cancelAttendee(eventId, declinedId);
    const waitlisted = sim.luma.addGuest(eventId, { approvalStatus: 'waitlist', ticketName: 'VIP' });

    const declined = await allLumaGuestIds(sim, eventId, apiKey, 'approval_status=declined');
    assert.deepEqual(declined, [declinedId]);
    assert.deepEqual(await allLumaGuestIds(sim, eventId, apiKey, 'approval_status=waitlist'), [waitlisted]);

    const single = await json<{ guest: { approval_status: string; updated_at: string } }>(
      await lumaGet(sim, `/v1/event/get-guest?event_api_id=${eventId}&api_id=${pendingId}`, apiKey),
    );
    assert.equal(single.guest.approval_status, 'pending_approval');
    assert.equal(single.guest.updated_at, '2026-11-23T08:01:00.000Z');
    sim.luma.setGuestUpdatedAt(false);
  });

  it('approves and declines through POST /v1/event/update-guest-status', async () => {
    const guestId = sim.luma.addGuest(eventId, {
      email: 'pending@example.com',
      approvalStatus: 'pending_approval',
    });
    const post = (body: unknown) =>
      fetch(`${sim.luma.baseUrl}/v1/event/update-guest-status`, {
        method: 'POST',
        headers: { 'x-luma-api-key': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const approved = await post({
      event_api_id: eventId,
      guest: { type: 'email', email: 'pending@example.com' },
      status: 'approved',
    });
    assert.equal(approved.status, 200);
    const guest = await json<{ guest: { approval_status: string } }>(
      await lumaGet(sim, `/v1/event/get-guest?event_api_id=${eventId}&api_id=${guestId}`, apiKey),
    );
    assert.equal(guest.guest.approval_status, 'approved');
    assert.equal((await post({ event_api_id: eventId, status: 'approved' })).status, 400);
  });

  it('serves the current route family: flat records with id, event_tickets[], event_id', async () => {
    for (const prefix of ['/v1', '/public/v1']) {
      const self = await json<Record<string, unknown>>(
        await lumaGet(sim, `${prefix}/users/get-self`, apiKey),
      );
      assert.deepEqual(
        [self.email, typeof self.id, 'api_id' in self, 'user' in self],
        ['host@example.com', 'string', false, false],
      );
      const events = await json<{ entries: Record<string, unknown>[]; has_more: boolean }>(
        await lumaGet(sim, `${prefix}/calendars/events/list`, apiKey),
      );
      assert.deepEqual(
        events.entries.map((e) => [e.id, e.name]),
        [[eventId, 'Meetup']],
      );
      const one = await json<Record<string, unknown>>(
        await lumaGet(sim, `${prefix}/events/get?event_id=${eventId}`, apiKey),
      );
      assert.deepEqual([one.id, one.start_at], [eventId, '2026-11-23T08:00:00.000Z']);
    }
    const several = sim.luma.addGuest(eventId, {
      firstName: 'Ada',
      ticketName: 'VIP',
      extraTicketNames: ['Workshop', 'Dinner'],
    });
    const ids: string[] = [];
    let cursor: string | undefined;
    let last: Record<string, unknown> | undefined;
    do {
      const query = `event_id=${eventId}&pagination_limit=100${cursor ? `&pagination_cursor=${cursor}` : ''}`;
      const page = await json<{
        entries: Record<string, unknown>[];
        has_more: boolean;
        next_cursor?: string;
      }>(await lumaGet(sim, `/v1/events/guests/list?${query}`, apiKey));
      for (const guest of page.entries) {
        assert.ok(
          !('guest' in guest) && !('api_id' in guest) && !('name' in guest) && !('event_ticket' in guest),
          'flat, with user_* names only',
        );
        ids.push(guest.id as string);
        last = guest;
      }
      cursor = page.has_more ? page.next_cursor : undefined;
    } while (cursor);
    assert.deepEqual(ids, sim.luma.attendeeIds(eventId));
    assert.equal(last?.id, several);
    assert.equal(last?.user_first_name, 'Ada');
    assert.deepEqual(
      (last?.event_tickets as { name: string }[]).map((ticket) => ticket.name),
      ['VIP', 'Workshop', 'Dinner'],
    );
    const older = await json<{ guest: { event_ticket: { name: string } } }>(
      await lumaGet(sim, `/v1/event/get-guest?event_api_id=${eventId}&api_id=${several}`, apiKey),
    );
    assert.equal(older.guest.event_ticket.name, 'VIP', 'the older family shows the first ticket');
    const single = await json<{ id: string }>(
      await lumaGet(sim, `/v1/events/guests/get?event_id=${eventId}&id=${several}`, apiKey),
    );
    assert.equal(single.id, several);
  });

  it('answers 404 on the current routes for an account that only has the older ones', async () => {
    const other = sim.luma.addAccount({ email: 'old@example.com', name: 'Old Host' });
    const otherEvent = sim.luma.addEvent(other.token, { name: 'Old' });
    sim.luma.setCurrentRoutes(false, other.token);
    assert.equal((await lumaGet(sim, '/v1/users/get-self', other.token)).status, 404);
    assert.equal(
      (await lumaGet(sim, `/v1/events/guests/list?event_id=${otherEvent}`, other.token)).status,
      404,
    );
    assert.equal(
      (await lumaGet(sim, '/v1/user/get-self', other.token)).status,
      200,
      'the older routes still answer',
    );
    assert.equal(
      (await lumaGet(sim, '/v1/users/get-self', apiKey)).status,
      200,
      'other accounts are unaffected',
    );
    assert.equal(
      (await lumaGet(sim, '/v1/users/get-self', 'secret-unknown')).status,
      401,
      'a bad key is still a 401',
    );

    const control = await fetch(sim.luma.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'setCurrentRoutes', args: [false] }),
    });
    assert.equal(control.status, 200);
    assert.equal(
      (await lumaGet(sim, '/v1/users/get-self', apiKey)).status,
      404,
      'without a token: every account',
    );
    sim.luma.setCurrentRoutes(true);
    assert.equal((await lumaGet(sim, '/v1/users/get-self', other.token)).status, 200);

    const legacyOnly = await startSimulator({ lumaCurrentRoutes: false });
    try {
      const { token } = legacyOnly.luma.addAccount({ email: 'x@example.com', name: 'X' });
      assert.equal((await lumaGet(legacyOnly, '/v1/users/get-self', token)).status, 404);
    } finally {
      await legacyOnly.close();
    }
  });

  it('answers 401 {message} for a revoked key and 200 once restored; 403 and 404 for events', async () => {
    const other = sim.luma.addAccount({ email: 'other@example.com', name: 'Other Host' });
    const otherEvent = sim.luma.addEvent(other.token, { name: 'Elsewhere' });
    sim.luma.revokeToken(apiKey);
    const revoked = await lumaGet(sim, '/v1/user/get-self', apiKey);
    assert.equal(revoked.status, 401);
    assert.equal(typeof (await json<{ message: unknown }>(revoked)).message, 'string');
    sim.luma.restoreToken(apiKey);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', apiKey)).status, 200);
    assert.equal((await fetch(`${sim.luma.baseUrl}/v1/user/get-self`)).status, 401);

    assert.equal((await lumaGet(sim, `/v1/event/get-guests?event_api_id=${otherEvent}`, apiKey)).status, 403);
    const unknown = await lumaGet(sim, '/v1/event/get-guests?event_api_id=evt-nope', apiKey);
    assert.equal(unknown.status, 404);
    assert.equal(typeof (await json<{ message: unknown }>(unknown)).message, 'string');
  });
});

describe('injected faults', () => {
  let sim: Simulator;
  let ebToken: string;
  let ebEvent: string;
  let lumaKey: string;
  let lumaEvent: string;

  before(async () => {
    ({ sim, ebToken, ebEvent, lumaKey, lumaEvent } = await oneEventEach(60));
  });
  after(() => sim.close());

  const attendeesPath = () => `/events/${ebEvent}/attendees/`;

  for (const [status, error] of [
    [500, 'INTERNAL_ERROR'],
    [502, 'BAD_GATEWAY'],
    [503, 'SERVICE_UNAVAILABLE'],
    [401, 'INVALID_AUTH'],
    [403, 'NOT_AUTHORIZED'],
    [404, 'NOT_FOUND'],
  ] as const) {
    it(`answers one request with ${status} ${error}, then recovers`, async () => {
      sim.eventbrite.failNext(1, status);
      const failed = await eventbriteGet(sim, attendeesPath(), ebToken);
      assert.equal(failed.status, status);
      const body = await json<Record<string, unknown>>(failed);
      assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description', 'status_code']);
      assert.deepEqual(
        [body.status_code, body.error, typeof body.error_description],
        [status, error, 'string'],
      );
      assert.equal((await eventbriteGet(sim, attendeesPath(), ebToken)).status, 200);
    });
  }

  it('resets the connection without an answer', async () => {
    sim.eventbrite.failNext(1, 'reset');
    await assert.rejects(eventbriteGet(sim, attendeesPath(), ebToken));
    assert.equal(sim.eventbrite.requests.at(-1)?.status, 0);
    assert.equal((await eventbriteGet(sim, attendeesPath(), ebToken)).status, 200);
  });

  it('holds a request open forever on timeout', async () => {
    sim.luma.failNext(1, 'timeout');
    await assert.rejects(
      lumaGet(sim, `/v1/event/get-guests?event_api_id=${lumaEvent}`, lumaKey, {
        signal: AbortSignal.timeout(300),
      }),
      (error: Error) => error.name === 'TimeoutError',
    );
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).status, 200);
  });

  it('answers 200 with a body that is not JSON (malformed)', async () => {
    sim.eventbrite.failNext(1, 'malformed');
    const response = await eventbriteGet(sim, attendeesPath(), ebToken);
    assert.equal(response.status, 200);
    await assert.rejects(response.json(), SyntaxError);
  });

  it('answers 200 with the JSON cut in half (truncated)', async () => {
    const full = await (await lumaGet(sim, `/v1/event/get-guests?event_api_id=${lumaEvent}`, lumaKey)).text();
    sim.luma.failNext(1, 'truncated');
    const response = await lumaGet(sim, `/v1/event/get-guests?event_api_id=${lumaEvent}`, lumaKey);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(text.length > 0 && text.length < full.length);
    assert.ok(full.startsWith(text));
    assert.throws(() => JSON.parse(text) as unknown);
  });

  it('answers 200 with valid JSON lacking the required fields (missing_fields)', async () => {
    sim.eventbrite.failNext(1, 'missing_fields');
    const eventbrite = await json<Record<string, unknown>>(
      await eventbriteGet(sim, attendeesPath(), ebToken),
    );
    assert.equal('pagination' in eventbrite, false);
    assert.ok(
      (eventbrite.attendees as Record<string, unknown>[]).every((a) => !('id' in a) && !('profile' in a)),
    );

    sim.luma.failNext(1, 'missing_fields');
    const luma = await json<Record<string, unknown>>(
      await lumaGet(sim, `/v1/event/get-guests?event_api_id=${lumaEvent}`, lumaKey),
    );
    assert.equal('has_more' in luma, false);
    assert.ok((luma.entries as Record<string, unknown>[]).every((e) => !('api_id' in e) && !('guest' in e)));
  });

  it('throttles with 429 and Retry-After when given', async () => {
    sim.eventbrite.throttleNext(2, 7);
    sim.luma.throttleNext(1);
    for (let i = 0; i < 2; i++) {
      const throttled = await eventbriteGet(sim, '/users/me/', ebToken);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal((await json<{ error: string }>(throttled)).error, 'HIT_RATE_LIMIT');
    }
    assert.equal((await eventbriteGet(sim, '/users/me/', ebToken)).status, 200);

    const luma = await lumaGet(sim, '/v1/user/get-self', lumaKey);
    assert.equal(luma.status, 429);
    assert.equal(luma.headers.get('retry-after'), null);
    assert.equal(typeof (await json<{ message: unknown }>(luma)).message, 'string');
  });

  it('applies faults in FIFO order, and only to matching paths when asked', async () => {
    sim.eventbrite.failNext(1, 503, { pathIncludes: '/attendees/' });
    sim.eventbrite.throttleNext(1);
    sim.eventbrite.failNext(1, 500);
    assert.equal(
      (await eventbriteGet(sim, '/users/me/', ebToken)).status,
      429,
      'the attendees-only fault waits',
    );
    assert.equal((await eventbriteGet(sim, attendeesPath(), ebToken)).status, 503);
    assert.equal((await eventbriteGet(sim, attendeesPath(), ebToken)).status, 500);
    assert.equal((await eventbriteGet(sim, attendeesPath(), ebToken)).status, 200);
  });

  it('delays every answer with setLatency', async () => {
    sim.luma.setLatency(150);
    try {
      const started = performance.now();
      assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).status, 200);
      assert.ok(performance.now() - started >= 140);
    } finally {
      sim.luma.setLatency(0);
    }
  });
});

describe('offline, request log and the /_sim/ control endpoint', () => {
  let sim: Simulator;
  let ebToken: string;

  before(async () => {
    sim = await startSimulator();
    ebToken = sim.eventbrite.addAccount({ email: 'h@example.com', name: 'Hal' }).token;
  });
  after(() => sim.close());

  it('refuses connections while offline and comes back on the same port', async () => {
    const port = sim.eventbrite.port;
    assert.equal((await eventbriteGet(sim, '/users/me/', ebToken)).status, 200);
    await sim.eventbrite.setOffline(true);
    await assert.rejects(
      eventbriteGet(sim, '/users/me/', ebToken),
      (error: Error & { cause?: { code?: string } }) => {
        assert.equal(error.cause?.code, 'ECONNREFUSED');
        return true;
      },
    );
    await sim.eventbrite.setOffline(false);
    assert.equal(sim.eventbrite.port, port);
    assert.equal((await eventbriteGet(sim, '/users/me/', ebToken)).status, 200);
  });

  it('counts and logs provider requests, and emits each answered one', async () => {
    const seen: SimRequestRecord[] = [];
    const listener = (record: SimRequestRecord) => seen.push(record);
    sim.eventbrite.on('request', listener);
    const before = sim.eventbrite.requestCount;
    await eventbriteGet(sim, '/users/me/organizations/?page=1', ebToken);
    await fetch(sim.eventbrite.controlUrl);
    sim.eventbrite.off('request', listener);
    await eventbriteGet(sim, '/users/me/', ebToken);
    assert.equal(sim.eventbrite.requestCount, before + 2, 'control requests are not counted');
    assert.deepEqual(seen, [
      { method: 'GET', path: '/v3/users/me/organizations/', query: { page: '1' }, status: 200 },
    ]);
    assert.deepEqual(sim.eventbrite.requests.at(-1), {
      method: 'GET',
      path: '/v3/users/me/',
      query: {},
      status: 200,
    });
  });

  interface ControlAnswer {
    status: number;
    body: { ok: boolean; result?: unknown; error?: string };
  }

  async function control(url: string, op: string, args: unknown[]): Promise<ControlAnswer> {
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ op, args }) });
    return { status: response.status, body: await json<ControlAnswer['body']>(response) };
  }

  it('drives every control over HTTP', async () => {
    const url = sim.luma.controlUrl;
    const listing = (await (await fetch(url)).json()) as { kind: string; ops: string[] };
    assert.equal(listing.kind, 'luma');
    const expectedOps = [
      'addAccount',
      'addEvent',
      'seedAttendees',
      'addAttendee',
      'editAttendee',
      'cancelAttendee',
    ];
    expectedOps.push(
      'setGuestStatus',
      'attendeeIds',
      'failNext',
      'throttleNext',
      'setLatency',
      'goOfflineFor',
    );
    expectedOps.push('revokeToken', 'restoreToken', 'setCheckedIn', 'requests', 'requestCount');
    for (const op of expectedOps) assert.ok(listing.ops.includes(op), `control offers ${op}`);

    const account = await control(url, 'addAccount', [
      { email: 'i@example.com', name: 'Ida', token: 'secret-ida' },
    ]);
    assert.equal(account.body.ok, true);
    assert.equal((account.body.result as { token: string }).token, 'secret-ida');
    const eventId = (await control(url, 'addEvent', ['secret-ida', { name: 'Driven' }])).body
      .result as string;
    assert.equal((await control(url, 'seedAttendees', [eventId, 5])).status, 200);
    const added = await control(url, 'addAttendee', [
      eventId,
      { firstName: 'Zoë', approvalStatus: 'invited' },
    ]);
    const guestId = added.body.result as string;
    assert.equal(
      (await control(url, 'editAttendee', [eventId, guestId, { company: 'Initech' }])).body.ok,
      true,
    );
    const ids = (await control(url, 'attendeeIds', [eventId])).body.result as string[];
    assert.equal(ids.length, 6);
    assert.equal(ids.at(-1), guestId);

    assert.equal((await control(url, 'failNext', [1, 503])).status, 200);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', 'secret-ida')).status, 503);
    assert.equal((await control(url, 'revokeToken', ['secret-ida'])).status, 200);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', 'secret-ida')).status, 401);

    const unknownOp = await control(url, 'explode', []);
    assert.deepEqual([unknownOp.status, unknownOp.body.ok], [400, false]);
    const badArgs = await control(url, 'failNext', [1, 418]);
    assert.deepEqual([badArgs.status, badArgs.body.ok], [400, false]);
    const unknownEvent = await control(url, 'addAttendee', ['evt-missing']);
    assert.equal(unknownEvent.status, 400);
    assert.match(unknownEvent.body.error ?? '', /unknown luma event/);
  });

  it('goes offline for a while over HTTP and returns on the same port', async () => {
    const answered = await control(sim.luma.controlUrl, 'goOfflineFor', [300]);
    assert.equal(answered.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(fetch(sim.luma.controlUrl));
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal((await fetch(sim.luma.controlUrl)).status, 200);
  });
});

describe('seeding at benchmark scale', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  // How fast seeding and paging are is the benchmark's to say (npm run bench); this checks what they give.
  it('seeds 100,000 attendees per provider and serves their last pages', async () => {
    const eb = sim.eventbrite.addAccount({ email: 'j@example.com', name: 'Jo' });
    const ebEvent = sim.eventbrite.addEvent(eb.token, { name: 'Big' });
    const luma = sim.luma.addAccount({ email: 'k@example.com', name: 'Kay' });
    const lumaEvent = sim.luma.addEvent(luma.token, { name: 'Big too' });

    sim.eventbrite.seedAttendees(ebEvent, 100_000);
    sim.luma.seedAttendees(lumaEvent, 100_000);

    assert.equal(sim.eventbrite.attendeeIds(ebEvent).length, 100_000);
    assert.equal(sim.luma.attendeeIds(lumaEvent).length, 100_000);

    // Straight to the last page.
    const continuation = Buffer.from(
      JSON.stringify({ s: `attendees:${ebEvent}`, p: 99_950, n: 2000 }),
    ).toString('base64url');
    const last = await json<EventbriteAttendeePage>(
      await eventbriteGet(sim, `/events/${ebEvent}/attendees/?continuation=${continuation}`, eb.token),
    );
    assert.equal(last.attendees.length, 50);
    assert.equal(last.pagination.has_more_items, false);
    const guests = await json<LumaGuestPage>(
      await lumaGet(sim, `/v1/event/get-guests?event_api_id=${lumaEvent}`, luma.token),
    );
    assert.equal(guests.entries.length, 50);

    const firstNames = new Set(last.attendees.map((a) => a.profile.first_name));
    assert.ok(firstNames.size > 10, 'names vary from row to row');
  });
});

describe('controls for clock skew, lost changes, looping cursors and long throttles', () => {
  const DAY_MS = 86_400_000;
  const start = Date.UTC(2026, 10, 23, 8, 0, 0);
  const clock = new VirtualClock(start);
  let sim: Simulator;
  let [ebToken, ebEvent, lumaKey, lumaEvent] = ['', '', '', ''];

  before(async () => {
    ({ sim, ebToken, ebEvent, lumaKey, lumaEvent } = await oneEventEach(5, () => clock.now()));
  });
  after(() => sim.close());

  const utcSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

  it("stamps rows and the Date header with the provider's clock, offset from the injected one", async () => {
    for (const offsetMs of [-11 * DAY_MS, -2 * 3_600_000, 2 * 3_600_000, 11 * DAY_MS]) {
      sim.eventbrite.setClockOffset(offsetMs);
      sim.luma.setClockOffset(offsetMs);
      const providerNow = clock.now() + offsetMs;
      assert.equal(sim.eventbrite.now(), providerNow);

      const skewedEvent = sim.eventbrite.addEvent(ebToken, { name: `Skewed ${offsetMs}` });
      const attendeeId = sim.eventbrite.addAttendee(skewedEvent);
      const response = await eventbriteGet(sim, `/events/${skewedEvent}/attendees/${attendeeId}/`, ebToken);
      assert.equal(response.headers.get('date'), new Date(providerNow).toUTCString());
      const attendee = await json<{ created: string; changed: string }>(response);
      assert.deepEqual(
        [attendee.created, attendee.changed],
        [utcSeconds(providerNow), utcSeconds(providerNow)],
      );

      // changed_since compares with the provider's stamps: the station's "now" is a different time.
      const changedSince = (ms: number) =>
        allEventbriteAttendeeIds(sim, skewedEvent, ebToken, `changed_since=${utcSeconds(ms)}`);
      assert.deepEqual(await changedSince(providerNow), [attendeeId]);
      assert.deepEqual(await changedSince(providerNow + 1000), []);
      const sinceStation = await changedSince(clock.now());
      assert.deepEqual(
        sinceStation,
        offsetMs > 0 ? [attendeeId] : [],
        'a provider behind the station stamps earlier',
      );

      const guestId = sim.luma.addGuest(lumaEvent);
      sim.luma.setGuestUpdatedAt(true); // the stamp Luma does not send, for a provider that would
      const guestResponse = await lumaGet(
        sim,
        `/v1/event/get-guest?event_api_id=${lumaEvent}&api_id=${guestId}`,
        lumaKey,
      );
      assert.equal(guestResponse.headers.get('date'), new Date(providerNow).toUTCString());
      const { guest } = await json<{ guest: { registered_at: string; updated_at: string } }>(guestResponse);
      assert.deepEqual(
        [guest.registered_at, guest.updated_at],
        [new Date(providerNow).toISOString(), new Date(providerNow).toISOString()],
      );
      sim.luma.setGuestUpdatedAt(false);
      clock.advance(60_000);
    }
    sim.eventbrite.setClockOffset(0);
    sim.luma.setClockOffset(0);
  });

  it('sends the Date header on errors and injected faults too, and takes the offset over HTTP', async () => {
    const offsetMs = -11 * DAY_MS;
    const set = await fetch(sim.luma.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'setClockOffset', args: [offsetMs] }),
    });
    assert.equal(set.status, 200);
    const read = await fetch(sim.luma.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'clock', args: [] }),
    });
    assert.deepEqual((await json<{ result: unknown }>(read)).result, {
      now: clock.now() + offsetMs,
      offsetMs,
    });
    const expected = new Date(clock.now() + offsetMs).toUTCString();
    assert.equal(
      (await lumaGet(sim, '/v1/event/get-guests?event_api_id=evt-nope', lumaKey)).headers.get('date'),
      expected,
    );
    sim.luma.failNext(1, 503);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).headers.get('date'), expected);
    sim.luma.failNext(1, 'malformed');
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).headers.get('date'), expected);
    sim.luma.throttleNext(1);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).headers.get('date'), expected);
    sim.luma.setClockOffset(0);

    const skewed = await startSimulator({ now: () => clock.now(), clockOffsetMs: 7_200_000 });
    try {
      const { token } = skewed.eventbrite.addAccount({ email: 'x@example.com', name: 'X' });
      const me = await eventbriteGet(skewed, '/users/me/', token);
      assert.equal(me.headers.get('date'), new Date(clock.now() + 7_200_000).toUTCString());
      assert.equal(skewed.luma.clockOffset, 7_200_000);
    } finally {
      await skewed.close();
    }
  });

  it('drops the next N changes from changed_since answers only, until the attendee changes again', async () => {
    clock.advance(10 * 60_000);
    const since = utcSeconds(clock.now());
    const [editedId, lostEditId] = sim.eventbrite.attendeeIds(ebEvent).slice(0, 2) as [string, string];
    const drop = await fetch(sim.eventbrite.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'dropFromChangedSince', args: [2] }),
    });
    assert.equal(drop.status, 200);
    const lostNewId = sim.eventbrite.addAttendee(ebEvent, { firstName: 'Lost' });
    sim.eventbrite.editAttendee(ebEvent, lostEditId, { company: 'Hidden GmbH' });
    sim.eventbrite.editAttendee(ebEvent, editedId, { company: 'Seen AG' });

    assert.deepEqual(await allEventbriteAttendeeIds(sim, ebEvent, ebToken, `changed_since=${since}`), [
      editedId,
    ]);
    const page = await json<EventbriteAttendeePage>(
      await eventbriteGet(sim, `/events/${ebEvent}/attendees/?changed_since=${since}`, ebToken),
    );
    assert.equal(page.pagination.object_count, 1);
    const everyone = await allEventbriteAttendeeIds(sim, ebEvent, ebToken);
    assert.ok(everyone.includes(lostNewId) && everyone.includes(lostEditId), 'the full listing has them');
    const attending = await allEventbriteAttendeeIds(sim, ebEvent, ebToken, 'status=attending');
    assert.ok(attending.includes(lostNewId), 'a status-filtered listing counts them');
    const single = await json<EventbriteAttendee>(
      await eventbriteGet(sim, `/events/${ebEvent}/attendees/${lostEditId}/`, ebToken),
    );
    assert.equal(single.profile.company, 'Hidden GmbH');

    sim.eventbrite.editAttendee(ebEvent, lostEditId, { jobTitle: 'Found' });
    assert.deepEqual(await allEventbriteAttendeeIds(sim, ebEvent, ebToken, `changed_since=${since}`), [
      editedId,
      lostEditId,
    ]);
  });

  it('answers a repeating cursor A -> A on attendee and guest paging while asked to', async () => {
    sim.eventbrite.setPageSize(2);
    sim.eventbrite.repeatCursor(true);
    try {
      const first = await json<EventbriteAttendeePage>(
        await eventbriteGet(sim, `/events/${ebEvent}/attendees/`, ebToken),
      );
      const cursorA = first.pagination.continuation ?? '';
      assert.ok(cursorA);
      for (let i = 0; i < 3; i++) {
        const again = await json<EventbriteAttendeePage>(
          await eventbriteGet(sim, `/events/${ebEvent}/attendees/?continuation=${cursorA}`, ebToken),
        );
        assert.deepEqual([again.pagination.has_more_items, again.pagination.continuation], [true, cursorA]);
        assert.deepEqual(
          again.attendees.map((a) => a.id),
          sim.eventbrite.attendeeIds(ebEvent).slice(2, 4),
        );
      }
    } finally {
      sim.eventbrite.repeatCursor(false);
      sim.eventbrite.setPageSize(50);
    }

    const repeat = await fetch(sim.luma.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'repeatCursor', args: [true] }),
    });
    assert.equal(repeat.status, 200);
    const guestsPath = `/v1/event/get-guests?event_api_id=${lumaEvent}&pagination_limit=1`;
    const first = await json<LumaGuestPage>(await lumaGet(sim, guestsPath, lumaKey));
    const cursorA = first.next_cursor ?? '';
    assert.ok(cursorA);
    for (let i = 0; i < 3; i++) {
      const again = await json<LumaGuestPage>(
        await lumaGet(sim, `${guestsPath}&pagination_cursor=${cursorA}`, lumaKey),
      );
      assert.deepEqual([again.has_more, again.next_cursor], [true, cursorA]);
    }
    sim.luma.clearFaults();
    const after = await json<LumaGuestPage>(
      await lumaGet(sim, `${guestsPath}&pagination_cursor=${cursorA}`, lumaKey),
    );
    assert.notEqual(after.next_cursor, cursorA, 'clearFaults ends the loop');
    assert.deepEqual(await allLumaGuestIds(sim, lumaEvent, lumaKey), sim.luma.attendeeIds(lumaEvent));
  });

  it("throttles with a long Retry-After for the next K requests or a window of the provider's clock", async () => {
    sim.luma.throttleNext(2, 7_200);
    for (let i = 0; i < 2; i++) {
      const throttled = await lumaGet(sim, '/v1/user/get-self', lumaKey);
      assert.deepEqual([throttled.status, throttled.headers.get('retry-after')], [429, '7200']);
    }
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).status, 200);

    const window = await fetch(sim.eventbrite.controlUrl, {
      method: 'POST',
      body: JSON.stringify({ op: 'throttleFor', args: [3_600] }),
    });
    assert.equal(window.status, 200);
    sim.eventbrite.failNext(1, 503);
    const throttled = await eventbriteGet(sim, '/users/me/', ebToken);
    assert.deepEqual([throttled.status, throttled.headers.get('retry-after')], [429, '3600']);
    assert.equal((await json<{ error: string }>(throttled)).error, 'HIT_RATE_LIMIT');
    clock.advance(3_000_000 + 500);
    const later = await eventbriteGet(sim, `/events/${ebEvent}/attendees/`, ebToken);
    assert.deepEqual(
      [later.status, later.headers.get('retry-after')],
      [429, '600'],
      'the seconds left, rounded up',
    );
    assert.equal(sim.eventbrite.requests.at(-1)?.fault, 'throttle');
    clock.advance(600_000);
    assert.equal(
      (await eventbriteGet(sim, '/users/me/', ebToken)).status,
      503,
      'queued faults wait out the window',
    );
    assert.equal((await eventbriteGet(sim, '/users/me/', ebToken)).status, 200);

    sim.luma.throttleFor(60, 900);
    sim.luma.setClockOffset(-120_000);
    assert.equal((await lumaGet(sim, '/v1/user/get-self', lumaKey)).headers.get('retry-after'), '900');
    sim.luma.setClockOffset(60_000);
    assert.equal(
      (await lumaGet(sim, '/v1/user/get-self', lumaKey)).status,
      200,
      "the window ends on the provider's clock",
    );
    sim.luma.setClockOffset(0);
  });
});

describe('Luma simulator at scale', () => {
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  let sim: Simulator;
  let apiKey: string;

  before(async () => {
    sim = await startSimulator({ now: () => clock.now() });
    apiKey = sim.luma.addAccount({ email: 'host@example.com', name: 'Luma Host' }).token;
  });
  after(() => sim.close());

  it("sorts guests by registration time, newest first, over a 10,000-guest event; lists the event's questions", async () => {
    const big = sim.luma.addEvent(apiKey, { name: 'Big meetup' });
    sim.luma.seedAttendees(big, 10_000);
    clock.advance(60_000);
    const newest = sim.luma.addGuest(big, { firstName: 'Late', lastName: 'Comer' });
    const invited = sim.luma.addGuest(big, { approvalStatus: 'invited' });
    const truth = sim.luma.attendeeIds(big);
    const desc = await allLumaGuestIds(
      sim,
      big,
      apiKey,
      'sort_column=registered_at&sort_direction=desc&pagination_limit=100',
    );
    assert.equal(desc.length, 10_002, 'every guest once');
    assert.deepEqual(
      desc.slice(0, 2),
      [newest, truth[0]],
      'the newest first, then the earliest of a same-time batch',
    );
    assert.equal(desc.at(-1), invited, 'an invitee who has not registered comes last');
    const asc = await allLumaGuestIds(
      sim,
      big,
      apiKey,
      'sort_column=registered_at&sort_direction=asc&pagination_limit=100',
    );
    assert.deepEqual(asc, truth.filter((id) => id !== invited).concat(invited));
    const bad = await lumaGet(
      sim,
      `/v1/event/get-guests?event_api_id=${big}&sort_column=registered_at&sort_direction=up`,
      apiKey,
    );
    assert.equal(bad.status, 400);
    const event = await json<{ event: { registration_questions: { id: string; question_type: string }[] } }>(
      await lumaGet(sim, `/v1/event/get?api_id=${big}`, apiKey),
    );
    assert.equal(event.event.registration_questions[0]?.question_type, 'company');
  });
});
