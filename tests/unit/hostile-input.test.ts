// Hostile input, property-based (fast-check; the seed is printed on failure and replayable):
// provider bodies through the real clients and the mirror, and random payloads on every IPC channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VirtualClock } from '../../main/ground/clock.ts';
import { createProviderClient } from '../../main/providers/index.ts';
import { RateLimiter } from '../../main/providers/rate-limiter.ts';
import {
  DEFAULT_BASE_URLS,
  DEFAULT_RATE_BUDGETS,
  isProviderError,
  type ProviderAttendee,
} from '../../main/providers/types.ts';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from '../../main/providers/response.ts';
import { AttendeeListStore } from '../../main/db/attendee-list-store.ts';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import { startAppHarness } from '../helpers/app-harness.ts';
import { CHANNEL_NAMES } from '../../shared/ipc-contract.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { inLumaFamily, withLumaFamily, type LumaRouteFamily } from '../helpers/luma-families.ts';

const RUNS = Number(process.env.BADGE_DESK_FUZZ_RUNS) || 150;
// A fixed seed keeps `npm test` deterministic; fast-check prints the seed and path of any failure,
// and BADGE_DESK_FUZZ_SEED replays it or explores another one.
const SEED = Number(process.env.BADGE_DESK_FUZZ_SEED) || 20261123;

/** Strings a provider might send: HTML and script, control characters, huge, non-Latin, empty. */
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    '\u0000\u0007\u001b[31m',
    '\u202e\u200b',
    '',
    '   ',
    '山田太郎',
    'Zoë',
  ),
  fc.string({ minLength: 2000, maxLength: 6000 }),
);
/** Any JSON-ish value, nested deep at times. */
const anyValue = fc.oneof(fc.anything({ maxDepth: 6 }), hostileText, fc.integer(), fc.constant(null));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(fc.oneof(a, anyValue), { nil: undefined });

const eventbriteAttendee = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer(), anyValue),
    changed: maybe(hostileText),
    ticket_class_name: maybe(hostileText),
    order_id: maybe(fc.oneof(hostileText, fc.integer())),
    status: maybe(fc.constantFrom('Attending', 'Not Attending', 'Checked In')),
    cancelled: maybe(fc.boolean()),
    refunded: maybe(fc.boolean()),
    profile: fc.oneof(
      fc.record(
        {
          name: maybe(hostileText),
          first_name: maybe(hostileText),
          last_name: maybe(hostileText),
          email: maybe(hostileText),
          company: maybe(hostileText),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    barcodes: maybe(fc.array(fc.record({ barcode: maybe(hostileText) }), { maxLength: 3 })),
    extra: maybe(anyValue),
  },
  { requiredKeys: ['id', 'profile'] },
);
const lumaGuest = fc.record(
  {
    api_id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), anyValue),
    name: maybe(hostileText),
    email: maybe(hostileText),
    user_first_name: maybe(hostileText),
    user_last_name: maybe(hostileText),
    approval_status: maybe(
      fc.constantFrom('approved', 'declined', 'pending_approval', 'waitlist', 'invited', 'session', 'weird'),
    ),
    check_in_qr_code: maybe(hostileText),
    event_ticket: maybe(fc.record({ name: maybe(hostileText) }, { requiredKeys: [] })),
    event_tickets: maybe(
      fc.array(
        fc.record({ name: maybe(hostileText), checked_in_at: maybe(hostileText) }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
    ),
    registration_answers: maybe(
      fc.array(
        fc.record({
          label: maybe(hostileText),
          answer: maybe(fc.oneof(hostileText, fc.boolean(), fc.integer())),
        }),
        { maxLength: 3 },
      ),
    ),
  },
  { requiredKeys: ['api_id'] },
);

/** Luma bodies are drawn in the older family's shape and, for the current family, renamed to its fields. */
const body = (kind: ProviderKind, family: LumaRouteFamily) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary:
        kind === 'eventbrite'
          ? fc
              .record({
                attendees: fc.array(eventbriteAttendee, { maxLength: 4 }),
                pagination: fc.constant({
                  has_more_items: false,
                  object_count: 1,
                  page_count: 1,
                  page_number: 1,
                  page_size: 50,
                }),
              })
              .map((b) => JSON.stringify(b))
          : fc
              .record({
                entries: fc.array(fc.oneof(lumaGuest, fc.record({ guest: lumaGuest })), { maxLength: 4 }),
                has_more: fc.constant(false),
              })
              .map((b) => JSON.stringify(inLumaFamily(family, b))),
    },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) }, // not UTF-8, not JSON
    { weight: 1, arbitrary: fc.string().map((s) => `{"attendees": [${s}`) }, // truncated
    { weight: 1, arbitrary: fc.nat(200).map((depth) => '['.repeat(depth * 50) + ']'.repeat(depth * 50)) }, // deep nesting
  );

function clientAnswering(kind: ProviderKind, family: LumaRouteFamily, payload: string | Uint8Array) {
  const clock = new VirtualClock();
  const answer: typeof fetch = async () =>
    new Response(typeof payload === 'string' ? payload : new Blob([new Uint8Array(payload)]), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  return createProviderClient(kind, {
    baseUrl: DEFAULT_BASE_URLS[kind],
    credential: 'tok_FUZZ',
    clock,
    limiter: new RateLimiter(DEFAULT_RATE_BUDGETS[kind], clock),
    retry: { maxAttempts: 1 },
    fetch: kind === 'luma' ? withLumaFamily(family, answer) : answer,
  });
}

function checkMapped(a: ProviderAttendee) {
  assert.equal(typeof a.providerAttendeeId, 'string');
  assert.ok(
    a.providerAttendeeId.length > 0 && a.providerAttendeeId.length <= MAX_ID_LENGTH,
    'the id is an id',
  );
  assert.equal(typeof a.fullName, 'string');
  const texts = Object.entries(a).flatMap(([k, v]): [string, unknown][] =>
    Array.isArray(v) ? v.map((item) => [k, item]) : [[k, v]],
  );
  for (const [k, v] of texts) {
    if (typeof v !== 'string' || k === 'providerAttendeeId') continue;
    assert.ok([...v].length <= MAX_TEXT_LENGTH, `${k} is capped`);
    assert.ok(
      v.trim() === v && (v !== '' || k === 'fullName'),
      `${k} is trimmed, and empty only as a missing name`,
    );
    assert.ok(
      ![...v].some((c) => {
        const n = c.codePointAt(0)!;
        return n < 0x20 || (n >= 0x7f && n <= 0x9f);
      }),
      `${k} has no control characters`,
    );
  }
  assert.ok(['ATTENDING', 'NOT_ATTENDING', 'NOT_YET_ATTENDING'].includes(a.status));
}

/** Eventbrite has one family of routes; Luma runs on each of its two. */
const PROVIDER_CASES: [ProviderKind, LumaRouteFamily][] = [
  ['eventbrite', 'legacy'],
  ['luma', 'current'],
  ['luma', 'legacy'],
];

for (const [kind, family] of PROVIDER_CASES) {
  test(`${kind === 'luma' ? `luma (${family} routes)` : kind}: every hostile attendee page maps cleanly or is refused as a bad response, and a refused page changes nothing stored`, async (t) => {
    const d = openDeskDb(t);
    const stored = d.put([person({ providerAttendeeId: 'kept', fullName: 'Kept Person' })]);
    const list = new AttendeeListStore(d.db);
    const everyRow = () => JSON.stringify(list.rows(list.idsByName(d.eventId)));
    const before = everyRow();
    let mapped = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(body(kind, family), async (payload) => {
        let page;
        try {
          page = await clientAnswering(kind, family, payload).pageAttendees('E1', null);
        } catch (err) {
          assert.ok(isProviderError(err), `not a typed error: ${String(err)}`);
          assert.equal(err.kind, 'bad_response', err.message);
          assert.ok(!err.message.includes('tok_FUZZ'));
          refused++;
          assert.equal(everyRow(), before, 'nothing stored changed');
          return;
        }
        page.attendees.forEach(checkMapped);
        mapped++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    assert.ok(
      mapped > 0 && refused > 0,
      `both outcomes were exercised (mapped ${mapped}, refused ${refused})`,
    );
    assert.equal(stored.length, 1);
  });
}

test('every IPC channel, random payloads: a typed answer, never a crash, and a refusal writes nothing', async (t) => {
  const h = await startAppHarness(t);
  const db = h.app.core.store.db;
  const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  // demo.start accepts {} and starts a workspace: a real write by design, not fuzz material.
  const channels = CHANNEL_NAMES.filter((c) => c !== 'demo.start');
  let calls = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...channels),
      fc.oneof(
        fc.anything({ maxDepth: 4 }),
        fc.object(),
        fc.dictionary(
          fc.constantFrom(
            'eventId',
            'attendeeId',
            'query',
            'actionId',
            'code',
            'limit',
            'pin',
            'jobId',
            'printerId',
          ),
          anyValue,
        ),
      ),
      async (channel, payload) => {
        const before = changes();
        const result = await h.app.invoke(channel, payload);
        calls++;
        assert.equal(typeof result.ok, 'boolean');
        if (!result.ok) {
          assert.ok(ERROR_CODES.includes(result.error.code), result.error.code);
          assert.equal(typeof result.error.message, 'string');
          assert.equal(changes(), before, `${channel} refused ${JSON.stringify(payload)} yet wrote`);
        }
      },
    ),
    { numRuns: RUNS * 6, seed: SEED },
  );
  assert.ok(calls >= RUNS * 6);
});
