// Registration answers of any shape, through both clients: an unknown question type, a value that
// is an object, a list or null, a company question nobody answered. The record maps to its other
// fields; the page is never refused and nothing throws. And Eventbrite's two pagination headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../main/ground/clock.ts';
import { RateLimiter, createProviderClient, type ProviderClient } from '../../main/providers/index.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { withLumaFamily } from '../helpers/luma-families.ts';
import { badgeAnswer, layoutBadge, DEFAULT_TEMPLATE } from '../../shared/badge.ts';

function clientAnswering(
  kind: ProviderKind,
  route: (url: URL) => unknown,
): { client: ProviderClient; urls: URL[] } {
  const clock = new VirtualClock();
  const urls: URL[] = [];
  const fetchFake: typeof fetch = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(url);
    return new Response(JSON.stringify(route(url)), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const client = createProviderClient(kind, {
    baseUrl: kind === 'luma' ? 'https://public-api.luma.com' : 'https://www.eventbriteapi.com/v3',
    credential: 'key',
    clock,
    limiter: new RateLimiter({ windows: [{ limit: 1000, windowMs: 1000 }] }, clock),
    fetch: kind === 'luma' ? withLumaFamily('current', fetchFake) : fetchFake,
  });
  return { client, urls };
}

const lumaGuest = (answers: unknown) => ({
  id: 'gst-1',
  user_name: 'Grace Hopper',
  user_first_name: 'Grace',
  user_last_name: 'Hopper',
  user_email: 'grace@example.com',
  approval_status: 'approved',
  check_in_qr_code: 'https://luma.com/check-in/evt-1?pk=g-1',
  registered_at: '2026-11-01T10:00:00.000Z',
  event_tickets: [{ name: 'General' }],
  registration_answers: answers,
});

test('Luma: answers of any shape map the guest; what cannot be read is left out', async () => {
  const cases: [
    string,
    unknown,
    (g: Awaited<ReturnType<ProviderClient['pageAttendees']>>['attendees'][number]) => void,
  ][] = [
    [
      'a type nobody knows yet, with an object value',
      [{ label: 'Hologram', question_id: 'q1', question_type: 'hologram', value: { x: 1 } }],
      (g) => assert.deepEqual(g.answers, []),
    ],
    [
      'a list value, a null value, a number, a boolean',
      [
        { label: 'Tracks', question_id: 'q2', question_type: 'multi-select', value: ['AI', 'Web', 3, null] },
        { label: 'Phone', question_id: 'q3', question_type: 'phone-number', value: null, answer: null },
        { label: 'Age', question_id: 'q4', question_type: 'text', answer: 42 },
        { label: 'Terms', question_id: 'q5', question_type: 'terms', answer: true },
      ],
      (g) =>
        assert.deepEqual(
          g.answers!.map((a) => [a.label, a.text]),
          [
            ['Tracks', 'AI, Web, 3'],
            ['Age', '42'],
            ['Terms', 'Yes'],
          ],
        ),
    ],
    [
      'a company question nobody answered, then a question labelled Company',
      [
        {
          label: 'Where do you work?',
          question_id: 'c',
          question_type: 'company',
          value: { company: null, job_title: null },
          answer: null,
        },
        { label: 'Company:', question_id: 'c2', question_type: 'text', answer: 'Initech' },
      ],
      (g) => {
        assert.equal(g.company, 'Initech', 'the unanswered company question leaves the others to say');
        assert.equal(g.jobTitle, null);
      },
    ],
    [
      'a company question whose value is a string, or an array',
      [
        { label: 'Company', question_id: 'c', question_type: 'company', value: 'Acme', answer: 'Acme' },
        { label: 'Other', question_id: 'o', question_type: 'company', value: ['x'] },
      ],
      (g) => assert.equal(g.company, 'Acme'),
    ],
    [
      'answers that are not a list',
      { label: 'Company', answer: 'Acme' },
      (g) => assert.deepEqual(g.answers, []),
    ],
    ['entries that are not objects', ['Acme', 7, null, [1]], (g) => assert.deepEqual(g.answers, [])],
    [
      'labels and ids of the wrong type',
      [{ label: { text: 'x' }, question_id: 5, question_type: ['text'], answer: 'kept' }],
      (g) =>
        assert.deepEqual(g.answers, [{ questionId: '5', label: 'Question 5', type: null, text: 'kept' }]),
    ],
  ];
  for (const [what, answers, check] of cases) {
    const { client } = clientAnswering('luma', () => ({ entries: [lumaGuest(answers)], has_more: false }));
    const page = await client.pageAttendees('evt-1', null);
    const [guest] = page.attendees;
    assert.ok(guest, what);
    assert.equal(guest.fullName, 'Grace Hopper', what);
    assert.equal(guest.email, 'grace@example.com', what);
    assert.equal(guest.status, 'ATTENDING', what);
    assert.equal(guest.ticketName, 'General', what);
    check(guest);
  }
});

test('Eventbrite: answers of any shape; the profile company first, then a question recognised by type or label', async () => {
  const attendee = (answers: unknown, profile: Record<string, unknown> = {}) => ({
    id: 'A1',
    status: 'Attending',
    profile: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', ...profile },
    answers,
  });
  const page = (attendees: unknown[]) => ({ attendees, pagination: { has_more_items: false } });
  const { client } = clientAnswering('eventbrite', () =>
    page([
      attendee([
        { question: 'Company name', question_id: '1', type: 'text', answer: 'Analytical Engines' },
        { question: 'Your role', question_id: '2', type: 'text', answer: 'Programmer' },
        { question: 'Address', question_id: '3', type: 'address', answer: { city: 'London' } },
        { question: 'Unanswered', question_id: '4', type: 'text' },
      ]),
      attendee([{ question: 'Company', question_id: '1', type: 'text', answer: 'From a question' }], {
        company: 'From the profile',
      }),
      attendee('not a list'),
      attendee([null, 'x', { question: null, answer: 'no label, no id' }]),
    ]),
  );
  const [a, b, c, d] = (await client.pageAttendees('E1', null)).attendees;
  assert.equal(a!.company, 'Analytical Engines');
  assert.equal(a!.jobTitle, 'Programmer');
  assert.deepEqual(
    a!.answers!.map((x) => x.label),
    ['Company name', 'Your role'],
    'an object answer and an unanswered question are left out',
  );
  assert.equal(b!.company, 'From the profile');
  assert.equal(c!.fullName, 'Ada Lovelace');
  assert.equal(c!.answers, undefined);
  assert.equal(d!.answers, undefined);
});

test('Eventbrite pages: has_more_items when present, else page_number against page_count; neither is a bad response', async () => {
  const pages = [
    { pagination: { page_number: 1, page_count: 3, continuation: 'c2' } },
    { pagination: { page_number: 2, page_count: 3, has_more_items: true, continuation: 'c3' } },
    { pagination: { page_number: 3, page_count: 3, continuation: 'c4' } },
  ];
  const { client, urls } = clientAnswering('eventbrite', (url) => {
    const at = ['', 'c2', 'c3'].indexOf(url.searchParams.get('continuation') ?? '');
    return { attendees: [{ id: `A${at}`, profile: { name: `P${at}` } }], ...pages[at] };
  });
  let cursor: string | null = null;
  const seen: string[] = [];
  do {
    const p = await client.pageAttendees('E1', cursor);
    seen.push(...p.attendees.map((x) => x.providerAttendeeId));
    cursor = p.nextCursor;
  } while (cursor !== null);
  assert.deepEqual(seen, ['A0', 'A1', 'A2']);
  assert.equal(urls.length, 3, 'the last page ended it, though it carried a continuation');

  const { client: neither } = clientAnswering('eventbrite', () => ({
    attendees: [],
    pagination: { object_count: 0 },
  }));
  await assert.rejects(neither.pageAttendees('E1', null), (e: Error & { kind?: string }) => {
    assert.equal(e.kind, 'bad_response');
    assert.match(e.message, /neither has_more_items nor page_number/);
    return true;
  });
});

test("a badge prints the answer to the template's question, matched by its wording", () => {
  const measure = (text: string, size: number) => text.length * size * 0.5;
  const person = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    fullName: 'Ada Lovelace',
    company: 'Analytical Engines',
    ticketName: 'General',
    barcode: 'B-1',
    vip: false,
    answers: [
      {
        questionId: '80001',
        label: 'Which workshop will you attend?',
        type: 'multiple_choice',
        text: 'Morning: Data',
      },
    ],
  };
  assert.equal(badgeAnswer('which workshop will you attend', person.answers), 'Morning: Data');
  const withAnswer = layoutBadge(
    { ...DEFAULT_TEMPLATE, answerLabel: 'Which workshop will you attend?' },
    person,
    measure,
  );
  const line = withAnswer.items.find((i) => i.kind === 'text' && i.field === 'answer');
  assert.ok(line && line.kind === 'text' && line.lines.join(' ') === 'Morning: Data');
  const company = withAnswer.items.find((i) => i.kind === 'text' && i.field === 'company')!;
  assert.ok(line.y > company.y, 'under the company');
  const without = layoutBadge({ ...DEFAULT_TEMPLATE, answerLabel: 'Dietary requirements' }, person, measure);
  assert.ok(
    !without.items.some((i) => i.kind === 'text' && i.field === 'answer'),
    'nothing when not answered',
  );
});
