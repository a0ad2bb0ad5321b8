import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSameTicketCode, lumaCheckInKey } from '../../shared/ticket-code.ts';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import type { Actor } from '../../shared/types.ts';

const desk1: Actor = { role: 'operator', name: 'Desk 1' };
let n = 0;
const action = () => `qr-action-${String(++n).padStart(6, '0')}`;

test('a Luma check-in URL gives its key on either host, with or without further parameters', () => {
  assert.equal(lumaCheckInKey('https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dE'), 'g-Ab3dE');
  assert.equal(lumaCheckInKey('https://lu.ma/check-in/evt-Q1w2?pk=g-Ab3dE'), 'g-Ab3dE');
  assert.equal(
    lumaCheckInKey('  https://www.lu.ma/check-in/evt-Q1w2?utm_source=app&pk=g-Ab3dE&ref=email#top\n'),
    'g-Ab3dE',
  );
  assert.equal(lumaCheckInKey('https://LUMA.com/check-in/evt-Q1w2?pk=tkt-77_x&s=1'), 'tkt-77_x');
  assert.equal(lumaCheckInKey('http://lu.ma/check-in?pk=g-1'), 'g-1');
});

test('anything else has no key: other hosts, look-alike hosts, other paths, no or odd pk, no URL', () => {
  for (const text of [
    'https://evil.example/check-in/evt-1?pk=g-abc',
    'https://lu.ma.evil.example/check-in/evt-1?pk=g-abc',
    'https://notluma.com/check-in/evt-1?pk=g-abc',
    'https://luma.com/e/evt-1?pk=g-abc',
    'https://luma.com/check-inx/evt-1?pk=g-abc',
    'https://luma.com/check-in/evt-1',
    'https://luma.com/check-in/evt-1?pk=',
    'https://luma.com/check-in/evt-1?pk=g%20abc',
    'https://luma.com/check-in/evt-1?pk="g-abc"',
    'javascript://luma.com/check-in/?pk=g-abc',
    'EB-1001',
    'g-abc',
    '',
  ]) {
    assert.equal(lumaCheckInKey(text), null, text);
  }
});

test('a scan is the stored code when the text is the same, or both are Luma URLs with one key', () => {
  const stored = 'https://luma.com/check-in/evt-1?pk=g-abc';
  assert.equal(isSameTicketCode(stored, stored), true);
  assert.equal(isSameTicketCode(' EB-1001 ', 'EB-1001'), true);
  assert.equal(isSameTicketCode('https://lu.ma/check-in/evt-1?pk=g-abc&utm_medium=qr', stored), true);
  assert.equal(isSameTicketCode('https://lu.ma/check-in/evt-1?pk=g-abd', stored), false);
  // A stored bare key (a ticket key) is matched by the URL that carries it.
  assert.equal(isSameTicketCode('https://lu.ma/check-in/evt-1?pk=tkt-9', 'tkt-9'), true);
  assert.equal(isSameTicketCode('EB-1002', 'EB-1001'), false);
  assert.equal(isSameTicketCode('EB-1001', null), false);
});

test('the desk checks a Luma guest in by the key of a scanned QR, whatever its host and extra parameters', (t) => {
  const d = openDeskDb(t);
  const [guest, other, ticketKeyed] = d.put([
    person({ fullName: 'Ada Lovelace', barcode: 'https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dE' }),
    person({ fullName: 'Grace Hopper', barcode: 'https://lu.ma/check-in/evt-Q1w2?pk=g-Ab3dF' }),
    person({ fullName: 'Alan Turing', barcode: 'tkt-Zx9' }),
    // Holds another key's words, but not as its key: the index finds it, the key rule refuses it.
    person({ fullName: 'Eve Decoy', barcode: 'https://luma.com/check-in/evt-Q1w2?pk=g-Ev3&note=g-Ab3dQ' }),
  ]);
  const scan = (code: string) => d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), code });

  const first = scan('https://lu.ma/check-in/evt-Q1w2?pk=g-Ab3dE&utm_source=ios');
  assert.equal(first.kind, 'checked_in');
  assert.ok(first.kind === 'checked_in' && first.attendee.id === guest && first.via === 'scan');
  const second = scan('https://www.luma.com/check-in/evt-Q1w2?ref=wallet&pk=g-Ab3dF');
  assert.ok(second.kind === 'checked_in' && second.attendee.id === other);
  const third = scan('https://luma.com/check-in/evt-Q1w2?pk=tkt-Zx9');
  assert.ok(third.kind === 'checked_in' && third.attendee.id === ticketKeyed);

  // The same key again is the same person; a key nobody holds, or a look-alike host, is not found.
  assert.equal(scan('https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dE').kind, 'already_checked_in');
  assert.equal(scan('https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dX').kind, 'not_found');
  assert.equal(scan('https://lu.ma.evil.example/check-in/evt-Q1w2?pk=g-Ab3dE').kind, 'not_found');
  assert.equal(scan('https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dQ').kind, 'not_found');
  // A prefix of a key is not the key.
  assert.equal(scan('https://luma.com/check-in/evt-Q1w2?pk=g-Ab3d').kind, 'not_found');

  // A retried scan (same action id) answers as the first one did: by scan.
  const id = action();
  d.desk.undo(desk1, { eventId: d.eventId, attendeeId: guest!, actionId: action() });
  const again = d.desk.checkIn(desk1, {
    eventId: d.eventId,
    actionId: id,
    code: 'https://lu.ma/check-in/evt-Q1w2?pk=g-Ab3dE&x=1',
  });
  const replay = d.desk.checkIn(desk1, {
    eventId: d.eventId,
    actionId: id,
    code: 'https://luma.com/check-in/evt-Q1w2?pk=g-Ab3dE',
  });
  assert.ok(again.kind === 'checked_in' && replay.kind === 'checked_in' && replay.via === 'scan');

  // The desk's search box puts the scanned person first too.
  const found = d.desk.search(d.eventId, 'https://lu.ma/check-in/evt-Q1w2?pk=g-Ab3dF&utm_source=x');
  assert.equal(found.rows[0]?.id, other);
});
