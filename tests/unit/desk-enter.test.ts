// The desk's Enter rule (shared/desk-enter.ts): Enter admits only a person someone chose.
// Each case below was checked by mutation (see the report of the change that added it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideEnter, enterTarget, SEVERAL_MATCH_TEXT } from '../../shared/desk-enter.ts';
import { looksLikeTicketCode } from '../../shared/ticket-code.ts';
import { notFoundText } from '../../shared/desk.ts';

import type { AttendeeStatus } from '../../shared/types.ts';

const row = (id: number, barcode: string | null = `bc-${id}`, status: AttendeeStatus = 'ATTENDING') => ({
  id,
  barcode,
  status,
});
const amara = row(1, '100200300400001');
const amadou = row(2, '100200300500001');
const amaya = row(3, '100200300600001');

test('one match: Enter admits that person', () => {
  assert.deepEqual(decideEnter({ query: 'amara', rows: [amara], more: false, chosen: null }), {
    kind: 'check_in',
    attendeeId: amara.id,
    by: 'only_match',
    code: null,
  });
  // One row answered but more matched (cut by the limit): not the only match.
  assert.equal(decideEnter({ query: 'ama', rows: [amara], more: true, chosen: null }).kind, 'choose');
});

test('several matches and no choice: Enter admits no one, moves to the first row and asks', () => {
  const decision = decideEnter({ query: 'ama', rows: [amara, amadou, amaya], more: true, chosen: null });
  assert.deepEqual(decision, { kind: 'choose', highlight: 0, matches: 3, more: true });
  assert.equal(enterTarget({ query: 'ama', rows: [amara, amadou, amaya], more: false, chosen: null }), null);
  assert.equal(SEVERAL_MATCH_TEXT, 'Several match: choose with ↑ ↓, then Enter');
});

test('an explicit choice: Enter admits the row the operator moved to, whatever else matches', () => {
  for (const chosen of [0, 1, 2]) {
    const rows = [amara, amadou, amaya];
    assert.deepEqual(decideEnter({ query: 'ama', rows, more: true, chosen }), {
      kind: 'check_in',
      attendeeId: rows[chosen]!.id,
      by: 'choice',
      code: null,
    });
  }
  // The field holds one person's exact code, and the operator moved to another row: the choice wins.
  assert.deepEqual(decideEnter({ query: amara.barcode!, rows: [amara, amadou], more: false, chosen: 1 }), {
    kind: 'check_in',
    attendeeId: amadou.id,
    by: 'choice',
    code: null,
  });
  // A choice outside the rows on screen (they changed) is no choice.
  assert.equal(decideEnter({ query: 'ama', rows: [amara, amadou], more: false, chosen: 5 }).kind, 'choose');
});

test('an exact ticket code admits its person at once, even when the same text matches other people', () => {
  // The code is also a prefix of other people's order ids: the search lists them too.
  const rows = [amadou, amara, amaya];
  assert.deepEqual(decideEnter({ query: amara.barcode!, rows, more: false, chosen: null }), {
    kind: 'check_in',
    attendeeId: amara.id,
    by: 'code',
    code: amara.barcode,
  });
  // A scanner's trailing whitespace, and a Luma check-in URL naming a stored key.
  assert.equal(enterTarget({ query: ` ${amara.barcode!}\n`, rows, more: false, chosen: null }), amara.id);
  const luma = row(9, 'https://luma.com/check-in/evt-1?pk=g-Ab3dE');
  assert.equal(
    enterTarget({
      query: 'https://lu.ma/check-in/evt-1?pk=g-Ab3dE&utm_source=app',
      rows: [amara, luma],
      more: false,
      chosen: null,
    }),
    luma.id,
  );
  // A code's prefix is no code: it matches several, and admits no one.
  assert.equal(decideEnter({ query: '1002003', rows, more: false, chosen: null }).kind, 'choose');
});

test("a cancelled ticket's code names that ticket: the core is asked, and refuses it; no one else is admitted", () => {
  // The search lists the cancelled ticket first (its exact code), then an attending namesake.
  const cancelled = row(7, 'EB-CANCELLED-7001', 'NOT_ATTENDING');
  const namesake = row(8, 'EB-8001');
  for (const rows of [[cancelled, namesake], [cancelled]]) {
    assert.deepEqual(decideEnter({ query: 'EB-CANCELLED-7001', rows, more: false, chosen: null }), {
      kind: 'check_in',
      attendeeId: cancelled.id,
      by: 'code',
      code: 'EB-CANCELLED-7001',
    });
  }
});

test('no match: not found, in the words of a code or of a name; nothing typed does nothing', () => {
  assert.deepEqual(decideEnter({ query: 'xyz', rows: [], more: false, chosen: null }), {
    kind: 'not_found',
    looksLikeCode: false,
  });
  assert.deepEqual(decideEnter({ query: '5000123456', rows: [], more: false, chosen: null }), {
    kind: 'not_found',
    looksLikeCode: true,
  });
  assert.deepEqual(decideEnter({ query: '   ', rows: [amara], more: false, chosen: 0 }), { kind: 'nothing' });
  assert.equal(notFoundText(' xyz '), 'No one matches “xyz”');
  assert.equal(notFoundText('5000123456'), 'No ticket with code 5000123456');
  assert.equal(
    notFoundText('5000123456789012345678901234567890'),
    'No ticket with code 500012345678901234567890…',
  );
});

test('what reads as a ticket code: one word with a digit, or a Luma check-in URL; never a name, email or company', () => {
  for (const code of [
    '100200300400001',
    'EB-1001',
    'g-Ab3dE',
    'tkt-77_x',
    'https://lu.ma/check-in/e?pk=g-1',
    '2024',
  ])
    assert.equal(looksLikeTicketCode(code), true, code);
  for (const text of ['xyz', 'Zoë', 'Ada Lovelace', 'ada@example.com', 'Acme 2', '42', 'abc-def', ''])
    assert.equal(looksLikeTicketCode(text), false, text);
});
