// Every real recording in tests/fixtures/real-payloads/ through the real clients, over HTTP from
// a local server: each record maps to what a desk operator expects to see (name, email, company,
// job title, ticket, status, barcode, answers), whatever state the record is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderAttendee, ProviderClient } from '../../main/providers/index.ts';
import { REAL_EVENTS, REAL_PAYLOADS, startRealPayloadServer } from '../helpers/real-payloads.ts';

async function listAll(client: ProviderClient, eventId: string): Promise<ProviderAttendee[]> {
  const out: ProviderAttendee[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.pageAttendees(eventId, cursor);
    out.push(...page.attendees);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

/** What the desk shows of a record: its row in the attendee list and on the check-in panel. */
const seen = (a: ProviderAttendee) => ({
  name: a.fullName,
  email: a.email,
  company: a.company,
  jobTitle: a.jobTitle,
  ticket: a.ticketName,
  status: a.status,
  providerStatus: a.providerStatus,
  checkedInThere: a.providerCheckedIn,
  barcode: a.barcode,
});

test('every recording is read by a test here', () => {
  const files = ['eventbrite', 'luma'].flatMap((dir) =>
    readdirSync(join(REAL_PAYLOADS, dir)).map((f) => `${dir}/${f}`),
  );
  // The OpenAPI subtree is a schema, not an answer: guests are made from it (schemaGuests).
  assert.deepEqual(files.sort(), [
    'eventbrite/attendees-list-eb-reports-2019.json',
    'eventbrite/attendees-page-evbeda-mercury-2018.json',
    'eventbrite/attendees-page-gbe-edited-2021.json',
    'eventbrite/attendees-page-whereisciao-2014.json',
    'eventbrite/order-expanded-attendees-whereisciao-2015.json',
    'eventbrite/users-me-whereisciao.json',
    'luma/current-calendars-events-list-entry-astronomic-2026.json',
    'luma/current-events-guests-list-entry-astronomic-2026.json',
    'luma/legacy-get-guests-page-lu-ma-dotnet-2024.json',
    'luma/openapi-current-routes-200-schemas.json',
  ]);
});

test('Eventbrite: who am I, checked-in and scanned-then-undone attendees, profiles without email', async (t) => {
  const server = await startRealPayloadServer();
  t.after(() => server.close());
  const client = server.client('eventbrite');
  assert.deepEqual(await client.whoAmI(), {
    accountId: '123456789',
    email: 'mitch@eventbrite.com',
    name: 'John Doe',
  });
  const mercury = await listAll(client, REAL_EVENTS.mercury);
  assert.deepEqual(mercury.map(seen), [
    {
      name: 'Jane Doe',
      email: null,
      company: null,
      jobTitle: null,
      ticket: 'Paid',
      status: 'ATTENDING',
      providerStatus: 'Checked In',
      checkedInThere: true,
      barcode: '8464647391054226785001',
    },
    {
      name: 'Gabriel Flores',
      email: null,
      company: null,
      jobTitle: null,
      ticket: 'Paid',
      status: 'ATTENDING',
      providerStatus: 'Checked In',
      checkedInThere: true,
      barcode: '8464647391054226786001',
    },
    {
      name: 'Gabriel Garcia',
      email: null,
      company: null,
      jobTitle: null,
      ticket: 'Paid',
      status: 'ATTENDING',
      providerStatus: 'Attending',
      checkedInThere: false,
      barcode: '8464647391054226787001',
    },
  ]);
  assert.deepEqual(
    mercury.map((a) => [a.providerAttendeeId, a.orderId, a.firstName, a.lastName]),
    [
      ['1054226785', '846464739', 'Jane', 'Doe'],
      ['1054226786', '846464739', 'Gabriel', 'Flores'],
      ['1054226787', '846464739', 'Gabriel', 'Garcia'],
    ],
  );
  assert.ok(mercury.every((a) => a.answers === undefined || a.answers.length === 0));
});

test('Eventbrite: comps and refunds over two pages (the documented continuation, then the older header), ids with -1', async (t) => {
  const server = await startRealPayloadServer();
  t.after(() => server.close());
  const attendees = await listAll(server.client('eventbrite'), REAL_EVENTS.ebReports);
  const listings = server.requests.filter((u) => u.pathname.endsWith('/attendees/'));
  assert.equal(listings.length, 2, 'the continuation was followed once, and the older header ended it');
  assert.equal(
    listings[1]?.searchParams.get('continuation'),
    'AEtFRyiWxkr0ZXyCJcnZ5U1-uSWXJ6vO0sxN06GbrDngaX5U5i8XYmEuZfmZZYB9Uq6bSizOLYoV',
  );
  assert.deepEqual(
    attendees.map((a) => [a.providerAttendeeId, a.fullName, a.email, a.ticketName, a.status, a.barcode]),
    [
      ['1100594112', 'Producer Comp', 'producer@example.org', 'Comp', 'ATTENDING', '8827853851100594112001'],
      [
        '1100594112-1',
        'Producer Comp',
        'producer@example.org',
        'Comp',
        'ATTENDING',
        '8827853851100594112002',
      ],
      [
        '1100553272',
        'Sam Example',
        'producer@example.org',
        'General Admission',
        'NOT_ATTENDING',
        '8827533181100553272001',
      ],
      [
        '1100556151',
        'Producer Guest',
        'producer@example.org',
        'Comp',
        'NOT_ATTENDING',
        '8827555271100556151001',
      ],
      [
        '1100556151-1',
        'Producer Guest',
        'producer@example.org',
        'Comp',
        'NOT_ATTENDING',
        '8827555271100556151002',
      ],
    ],
  );
  assert.deepEqual(
    attendees.filter((a) => a.status === 'NOT_ATTENDING').map((a) => a.providerStatus),
    ['Not Attending', 'Not Attending', 'Not Attending'],
    'cancelled and refunded',
  );
  // The billing address's "Example Pty Ltd" is an address line, not the attendee's company.
  assert.ok(attendees.every((a) => a.company === null && a.jobTitle === null));
});

test("Eventbrite: an edited recording keeps Eventbrite's display name; a 2014 sandbox page without has_more_items ends on page_count", async (t) => {
  const server = await startRealPayloadServer();
  t.after(() => server.close());
  const client = server.client('eventbrite');
  const [betty] = await listAll(client, REAL_EVENTS.gbe);
  assert.deepEqual(seen(betty!), {
    name: 'Ms. Blaize Goddess of Mocks',
    email: 'youwish@test.com',
    company: null,
    jobTitle: null,
    ticket: 'Super Special Free Admission',
    status: 'ATTENDING',
    providerStatus: 'Attending',
    checkedInThere: false,
    barcode: '55555555555555555555',
  });
  assert.deepEqual([betty!.firstName, betty!.lastName], ['Betty', 'Blaize']);

  const before = server.requests.length;
  const sandbox = await listAll(client, REAL_EVENTS.sandbox2014);
  assert.equal(server.requests.length - before, 1, 'page 1 of 1: no second request, no failure');
  assert.deepEqual(
    sandbox.map((a) => [a.providerAttendeeId, a.fullName, a.email, a.ticketName, a.status, a.barcode]),
    [
      ['339196155', 'Joe Doe', 'apisandbox@eventbrite.com', null, 'ATTENDING', '268213609339196155001'],
      ['339267743', 'Joe Doe', 'apisandbox@eventbrite.com', null, 'ATTENDING', '268270985339267743001'],
    ],
  );
  assert.ok(
    sandbox.every((a) => (a.answers ?? []).length === 0),
    '`answers: null` is no answers',
  );
});

test('Eventbrite: custom question answers (multiple choice, text) are kept as text', async (t) => {
  const server = await startRealPayloadServer();
  t.after(() => server.close());
  const [john] = await listAll(server.client('eventbrite'), REAL_EVENTS.order2015);
  assert.deepEqual(seen(john!), {
    name: 'John Doe',
    email: 'doea@gmail.com',
    company: null,
    jobTitle: null,
    ticket: null,
    status: 'ATTENDING',
    providerStatus: 'Attending',
    checkedInThere: false,
    barcode: '000001',
  });
  assert.deepEqual(john!.answers, [
    { questionId: '9051053', label: 'What size tshirt are you?', type: 'multiple_choice', text: 'Mens XL' },
    { questionId: '9051047', label: 'Please Specify', type: 'text', text: 'General Interest in Event' },
  ]);
});

test('Luma (current routes): the company question gives company and job title; the event lists its questions', async (t) => {
  const server = await startRealPayloadServer('current');
  t.after(() => server.close());
  const client = server.client('luma');
  const [guest] = await listAll(client, REAL_EVENTS.lumaCurrent);
  assert.deepEqual(seen(guest!), {
    name: 'Example Person',
    email: 'example@example.com',
    company: 'Astronomic',
    jobTitle: 'Investor',
    ticket: 'Standard',
    status: 'NOT_YET_ATTENDING',
    providerStatus: 'pending_approval',
    checkedInThere: false,
    barcode: 'https://lu.ma/check-in/example',
  });
  assert.equal(guest!.providerAttendeeId, 'gst-5YfBKHqIo3pd1cG');
  assert.equal(guest!.providerUpdatedAt, null, 'Luma sends no change stamp');
  assert.deepEqual(guest!.answers, [
    { questionId: '8yheuwry', label: 'What company do you work for?', type: 'company', text: 'Astronomic' },
    {
      questionId: 'h3t80aca',
      label: 'What is your LinkedIn profile?',
      type: 'linkedin',
      text: '/in/example-person',
    },
  ]);

  const event = await client.getEvent(REAL_EVENTS.lumaCurrent);
  assert.equal(event.name, 'Hot Shot Investor Dinner ATX');
  assert.equal(event.startsAt, '2026-09-17T23:00:00.000Z');
  assert.deepEqual(event.questions, [
    { questionId: '8yheuwry', label: 'What company do you work for?', type: 'company' },
    { questionId: 'h3t80aca', label: 'What is your LinkedIn profile?', type: 'linkedin' },
  ]);
  const [listed] = await client.listEvents();
  assert.equal(listed?.providerEventId, 'evt-ZWviVlhfy5Wstc9');
});

test('Luma (older routes): declined and approved guests, answers of every type as text, the page after has_more', async (t) => {
  const server = await startRealPayloadServer('legacy');
  t.after(() => server.close());
  const guests = await listAll(server.client('luma'), REAL_EVENTS.lumaLegacy);
  const pages = server.requests.filter((u) => u.pathname === '/v1/event/get-guests');
  assert.deepEqual(
    pages.map((u) => u.searchParams.get('pagination_cursor')),
    [null, 'gst-abc123'],
    'next_cursor followed',
  );
  assert.deepEqual(
    guests.map(seen),
    ['declined', 'approved', 'approved'].map((status) => ({
      name: 'Bob Jones',
      email: 'bob@jones.com',
      company: null,
      jobTitle: null,
      ticket: status === 'declined' ? null : 'Free',
      status: status === 'declined' ? 'NOT_ATTENDING' : 'ATTENDING',
      providerStatus: status,
      checkedInThere: false,
      barcode: 'https://lu.ma/check-in/evt-abc123?pk=g-abc123',
    })),
  );
  assert.deepEqual(
    guests[1]!.answers!.map((a) => [a.label, a.text]),
    [
      ['What is your Instagram username?', 'http://example.com'],
      ['What is your TikTok handle?', 'testaccount'],
      ['What is your Twitter handle?', 'https://x.com/contessaboorman'],
      ['Preferred Shirt/Hoodie Size', 'M'],
      ['Shipping Address', '123 Test Street'],
      ['This is a test label', 'Yes'],
    ],
    'empty answers and an empty list left out, the check box a Yes',
  );
  assert.deepEqual(
    guests[0]!.answers!.find((a) => a.label === 'Interests'),
    { questionId: 'axfnx8yn', label: 'Interests', type: 'multi-select', text: 'Fashion / Beauty' },
  );
});

test("Luma's published guest schema: the sparsest guest it allows, and answers of every type it lists, null or not, all map", async (t) => {
  const server = await startRealPayloadServer('current');
  t.after(() => server.close());
  const [sparse, nulls, values] = await listAll(server.client('luma'), REAL_EVENTS.lumaSchema);
  assert.deepEqual(seen(sparse!), {
    name: '',
    email: 'sparse@example.com',
    company: null,
    jobTitle: null,
    ticket: null,
    status: 'ATTENDING',
    providerStatus: 'approved',
    checkedInThere: false,
    barcode: 'check_in_qr_code-value',
  });
  assert.deepEqual(nulls!.answers, [], 'a null answer says nothing');
  assert.equal(nulls!.fullName, 'Null Answers');
  assert.equal(values!.company, 'Schema Co');
  assert.equal(values!.jobTitle, 'Schema Lead');
  const texts = new Map(values!.answers!.map((a) => [a.type, a.text]));
  assert.equal(texts.get('agree-check'), 'Yes');
  assert.equal(texts.get('multi-select'), 'First choice, Second choice');
  assert.equal(texts.get('company'), 'Schema Co');
  for (const type of ['dropdown', 'phone-number', 'terms', 'url', 'github', 'linkedin', 'long-text', 'text'])
    assert.equal(texts.get(type), 'An answer', type);
  assert.equal(values!.answers!.length, 15, 'every question type the schema lists');
});
