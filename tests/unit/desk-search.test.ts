import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import { foldForSearch, toMatchExpression } from '../../main/db/search-text.ts';

const names = (rows: { fullName: string }[]) => rows.map((r) => r.fullName);

test('folding removes accents, case and extra spaces', () => {
  assert.equal(foldForSearch('  Zoë   NÚÑEZ '), 'zoe nunez');
  assert.equal(foldForSearch('Łukasz'), 'łukasz'); // Ł is a letter of its own, not L + mark
  assert.equal(foldForSearch('Ａｌｉｃｅ'), 'alice'); // full-width letters (NFKD)
});

test('typed text becomes quoted prefix terms: FTS5 syntax in a query is just text', () => {
  assert.equal(toMatchExpression('zoe smi'), '"zoe"* "smi"*');
  assert.equal(toMatchExpression('a"b OR c*'), '"a""b"* "OR"* "c*"*');
  assert.equal(toMatchExpression('  @ - '), null);
  assert.equal(toMatchExpression(''), null);
});

test('"zoe" finds "Zoë", "nunez" finds "Núñez", case does not matter', (t) => {
  const d = openDeskDb(t);
  d.put([
    person({ fullName: 'Zoë Núñez' }),
    person({ fullName: 'Zack Other' }),
    person({ fullName: 'ZOEY Upper' }),
  ]);
  assert.deepEqual(names(d.desk.search(d.eventId, 'zoe').rows).sort(), ['ZOEY Upper', 'Zoë Núñez']);
  assert.deepEqual(names(d.desk.search(d.eventId, 'NUNEZ').rows), ['Zoë Núñez']);
  assert.deepEqual(names(d.desk.search(d.eventId, 'zoë nú').rows), ['Zoë Núñez']);
  assert.deepEqual(names(d.desk.search(d.eventId, 'Zoe Nunez').rows), ['Zoë Núñez']);
});

test('three letters match a prefix of any word of name, email, company, order id or barcode', (t) => {
  const d = openDeskDb(t);
  d.put([
    person({ providerAttendeeId: 'n', fullName: 'Marta Kowalska' }),
    person({ providerAttendeeId: 'e', fullName: 'Person E', email: 'kowa.fan@example.org' }),
    person({ providerAttendeeId: 'c', fullName: 'Person C', company: 'Kowabunga Ltd' }),
    person({ providerAttendeeId: 'o', fullName: 'Person O', orderId: 'KOW-9912' }),
    person({ providerAttendeeId: 'b', fullName: 'Person B', barcode: '99120000451001' }),
    person({ providerAttendeeId: 'x', fullName: 'Nobody Here' }),
  ]);
  const hits = names(d.desk.search(d.eventId, 'kow').rows);
  assert.equal(hits[0], 'Marta Kowalska', 'a name hit ranks above email, company and order id hits');
  assert.deepEqual([...hits].sort(), ['Marta Kowalska', 'Person C', 'Person E', 'Person O']);
  assert.deepEqual(names(d.desk.search(d.eventId, '9912000045').rows), ['Person B']);
  assert.deepEqual(names(d.desk.search(d.eventId, 'kowa.fan@example.org').rows), ['Person E']);
});

test('an exact barcode ranks first, then an exact name, then the rest', (t) => {
  const d = openDeskDb(t);
  d.put([
    person({ providerAttendeeId: 'a', fullName: 'Anna Berg Extra' }),
    person({ providerAttendeeId: 'b', fullName: 'Anna Berg' }),
    person({ providerAttendeeId: 'c', fullName: 'Anna Bergström' }),
    person({ providerAttendeeId: 'd', fullName: 'Anna Bergen', company: 'Anna Berg' }),
  ]);
  assert.equal(names(d.desk.search(d.eventId, 'anna berg').rows)[0], 'Anna Berg');
  assert.equal(
    names(d.desk.search(d.eventId, 'ANNA BËRG').rows)[0],
    'Anna Berg',
    'exact name is compared folded',
  );

  d.put([
    person({ providerAttendeeId: 'e', fullName: 'Code Holder', barcode: '4711' }),
    person({ providerAttendeeId: 'f', fullName: 'Other', barcode: '47110' }),
  ]);
  assert.deepEqual(names(d.desk.search(d.eventId, '4711').rows), ['Code Holder', 'Other']);
});

test('NOT_ATTENDING and pending rows are found, with their status to mark them', (t) => {
  const d = openDeskDb(t);
  d.put([
    person({ fullName: 'Cancelled Carl', status: 'NOT_ATTENDING', providerStatus: 'Not Attending' }),
    person({ fullName: 'Carla Pending', status: 'NOT_YET_ATTENDING', providerStatus: 'pending_approval' }),
  ]);
  const rows = d.desk.search(d.eventId, 'car').rows;
  assert.deepEqual(rows.map((r) => r.status).sort(), ['NOT_ATTENDING', 'NOT_YET_ATTENDING']);
});

test('search sees provider edits and stays within its event; limit and "more"', (t) => {
  const d = openDeskDb(t);
  const [id] = d.put([person({ providerAttendeeId: 'r', fullName: 'Renamed Before' })]);
  d.put([person({ providerAttendeeId: 'r', fullName: 'Quentin After' })]);
  assert.deepEqual(names(d.desk.search(d.eventId, 'renamed').rows), []);
  assert.deepEqual(
    d.desk.search(d.eventId, 'quen').rows.map((r) => r.id),
    [id],
  );

  const other = d.addEvent('Other conf');
  d.store.upsertAttendees(other, [person({ fullName: 'Quentin Elsewhere' })], null, '2026-11-23T08:00:00Z');
  assert.deepEqual(names(d.desk.search(d.eventId, 'quen').rows), ['Quentin After']);

  d.put(Array.from({ length: 30 }, (_, i) => person({ fullName: `Many Person${i}` })));
  const page = d.desk.search(d.eventId, 'many', 20);
  assert.equal(page.rows.length, 20);
  assert.equal(page.more, true);
  assert.equal(d.desk.search(d.eventId, 'many', 30).more, false);
});

test('hostile queries are searched as text, never break the query', (t) => {
  const d = openDeskDb(t);
  d.put([person({ fullName: `O'Brien "Bobby" <script>alert(1)</script>` })]);
  for (const q of [
    '"',
    '""',
    '*',
    'NEAR(',
    'AND',
    '(',
    ')',
    ':',
    '^',
    "o'bri",
    '<script>',
    'a'.repeat(200),
    '\u0000\u0001',
    '🙂',
  ]) {
    assert.doesNotThrow(() => d.desk.search(d.eventId, q), `query ${JSON.stringify(q)}`);
  }
  assert.equal(d.desk.search(d.eventId, "o'bri").rows.length, 1);
  assert.equal(d.desk.search(d.eventId, 'script').rows.length, 1);
});

test('one or two characters list matches without ranking (bounded), three or more are ranked', (t) => {
  const d = openDeskDb(t);
  d.put(Array.from({ length: 40 }, (_, i) => person({ fullName: `Al Person${i}` })));
  d.put([person({ fullName: 'Al' })]);
  const short = d.desk.search(d.eventId, 'a', 10);
  assert.equal(short.rows.length, 10);
  assert.equal(short.more, true);
  assert.equal(d.desk.search(d.eventId, 'al').rows[0]!.fullName, 'Al', 'an exact name still comes first');
});
