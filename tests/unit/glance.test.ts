// The answer at a glance: which colour each outcome takes, the ticket bands, and three sounds
// that are told apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GLANCE_SOUNDS, glanceOfTone, ticketBand } from '../../shared/glance.ts';
import { describeCheckInOutcome, type CheckInOutcome } from '../../shared/desk.ts';
import { attendee } from '../helpers/store-fixtures.ts';

const a = attendee({ id: 1, eventId: 1, fullName: 'Ada Lovelace' });

test('green admitted; amber already in or needs attention; red not valid, cancelled or not found', () => {
  const glanceOf = (outcome: CheckInOutcome) => glanceOfTone(describeCheckInOutcome(outcome, (t) => t).tone);
  const at = { at: '2026-11-23T08:00:00Z', station: 'Desk 1' };
  assert.equal(
    glanceOf({ kind: 'checked_in', attendee: a, actionId: 'x', via: 'scan', printJob: null }),
    'admitted',
  );
  assert.equal(
    glanceOf({
      kind: 'checked_in',
      attendee: { ...a, vip: true },
      actionId: 'x',
      via: 'scan',
      printJob: null,
    }),
    'admitted',
  );
  assert.equal(glanceOf({ kind: 'already_checked_in', attendee: { ...a, checkedIn: at } }), 'attention');
  assert.equal(glanceOf({ kind: 'needs_confirmation', attendee: a, reason: 'Check the ID' }), 'attention');
  assert.equal(glanceOf({ kind: 'not_attending', attendee: a }), 'refused');
  assert.equal(glanceOf({ kind: 'not_yet_attending', attendee: a }), 'refused');
  assert.equal(glanceOf({ kind: 'not_found', code: '5000' }), 'refused');
  assert.equal(glanceOfTone('info'), null, 'an undo is no door outcome');
  assert.equal(glanceOfTone('badge'), null, 'nor a badge printed without a check-in');
});

/** WCAG relative luminance contrast of two #rrggbb colours. */
function contrast(x: string, y: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('a ticket band: VIP gold, named kinds their colour, any other ticket one stable colour; always readable', () => {
  assert.deepEqual(ticketBand('VIP', false), { colour: '#c99700', ink: '#1a1200', text: 'VIP' });
  assert.equal(ticketBand('General Admission', true)?.text, 'VIP · General Admission', 'a VIP person');
  assert.equal(ticketBand('General Admission', true)?.colour, '#c99700');
  assert.equal(ticketBand('Speaker', false)?.colour, '#6d28d9');
  assert.equal(ticketBand(null, false), null);
  assert.deepEqual(
    ticketBand('Early Bird', false),
    ticketBand('Early Bird', false),
    'the same on every desk',
  );
  const names = [
    'General Admission',
    'Early Bird',
    'Student',
    'Workshop',
    'Day 2',
    'VIP',
    'Speaker',
    'Staff',
    'Press',
  ];
  for (const name of names) {
    const band = ticketBand(name, false)!;
    assert.equal(band.text, name, 'the band names its ticket: colour is never the only sign');
    assert.ok(
      contrast(band.colour, band.ink) >= 4.5,
      `${name}: ${contrast(band.colour, band.ink).toFixed(2)}`,
    );
  }
});

test('three sounds, told apart: rising, repeated, falling and low', () => {
  const [up1, up2] = GLANCE_SOUNDS.admitted;
  assert.ok(up2!.frequency > up1!.frequency, 'admitted rises');
  const [same1, same2] = GLANCE_SOUNDS.attention;
  assert.equal(same1!.frequency, same2!.frequency, 'attention repeats one note');
  const [down1, down2] = GLANCE_SOUNDS.refused;
  assert.ok(down2!.frequency < down1!.frequency, 'refused falls');
  assert.ok(
    Math.max(...GLANCE_SOUNDS.refused.map((t) => t.frequency)) <
      Math.min(...GLANCE_SOUNDS.admitted.map((t) => t.frequency)),
  );
  assert.notEqual(GLANCE_SOUNDS.refused[0]!.wave, GLANCE_SOUNDS.admitted[0]!.wave);
});
