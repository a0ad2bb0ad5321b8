// The screen every scanned code passes before the desk looks anyone up, and the 3-second rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_SCANNED_CODE_CHARS,
  refusedScanText,
  ScanRepeats,
  SCAN_REPEAT_MS,
  screenScannedCode,
} from '../../shared/scanned-code.ts';
import { lumaCheckInEvent } from '../../shared/ticket-code.ts';

const eventbrite = { provider: 'eventbrite', providerEventId: '9001' } as const;
const luma = { provider: 'luma', providerEventId: 'evt-Main1' } as const;

test('ticket codes and this event’s Luma check-in URLs pass, trimmed', () => {
  assert.deepEqual(screenScannedCode(' 4417803921553019001\n', eventbrite), {
    kind: 'code',
    code: '4417803921553019001',
  });
  assert.deepEqual(screenScannedCode('BD-2026-000417', eventbrite), { kind: 'code', code: 'BD-2026-000417' });
  const url = 'https://lu.ma/check-in/evt-Main1?pk=g-abc123&utm_source=app';
  assert.deepEqual(screenScannedCode(url, luma), { kind: 'code', code: url });
  // A name or an email typed at the desk goes on to the search.
  assert.equal(screenScannedCode('Zoë Müller', eventbrite).kind, 'code');
  assert.equal(screenScannedCode('zoe.muller.3@example.org', eventbrite).kind, 'code');
  assert.equal(
    screenScannedCode('ABC:123', eventbrite).kind,
    'code',
    'a colon inside a code is not a scheme',
  );
});

test('4,000 characters, binary data, other sites, opening schemes and other events are refused', () => {
  const refused = (text: string, event: typeof luma | typeof eventbrite = eventbrite, binary = false) => {
    const v = screenScannedCode(text, event, { binary });
    return v.kind === 'refused' ? v.reason : null;
  };
  assert.equal(refused('7'.repeat(4000)), 'too_long');
  assert.equal(refused('7'.repeat(MAX_SCANNED_CODE_CHARS)), null);
  assert.equal(refused('7'.repeat(MAX_SCANNED_CODE_CHARS + 1)), 'too_long');
  assert.equal(refused('\u0000\u0001\u0002ÿþ'), 'binary');
  assert.equal(refused('AB\u0085CD'), 'binary', 'a C1 control');
  assert.equal(refused('AB\uFFFDCD'), 'binary', 'an undecodable byte');
  assert.equal(refused('line one\nline two'), 'binary');
  assert.equal(refused('4417803921553019001', eventbrite, true), 'binary', 'the decoder said binary');
  assert.equal(refused('https://evil.example/alice'), 'foreign_link');
  assert.equal(refused('HTTP://EVIL.EXAMPLE'), 'foreign_link');
  assert.equal(refused('javascript:alert(1)'), 'foreign_link');
  assert.equal(refused('data:text/html,<script>alert(1)</script>'), 'foreign_link');
  assert.equal(refused('WIFI:S:venue;T:WPA;P:secret;;'), 'foreign_link');
  assert.equal(
    refused('https://luma.com/event/evt-Main1?pk=g-abc'),
    'foreign_link',
    'a Luma page, not a check-in',
  );
  assert.equal(refused('https://luma.com/check-in/evt-Other?pk=g-abc', luma), 'another_event');
  assert.equal(refused('https://luma.com/check-in/evt-Main1?pk=g-abc', eventbrite), 'another_event');
});

test('what a refusal says: not found, or another event', () => {
  assert.equal(refusedScanText('another_event').title, 'Another event');
  for (const r of ['too_long', 'binary', 'foreign_link'] as const)
    assert.equal(refusedScanText(r).title, 'Not found');
});

test('the Luma check-in URL names its event', () => {
  assert.equal(lumaCheckInEvent('https://luma.com/check-in/evt-1?pk=g-abc'), 'evt-1');
  assert.equal(lumaCheckInEvent('https://luma.com/check-in?pk=g-abc'), null);
  assert.equal(lumaCheckInEvent('https://evil.example/check-in/evt-1?pk=g-abc'), null);
});

test('the same code within 3 s counts once, from the last time it was seen', () => {
  const repeats = new ScanRepeats();
  assert.equal(repeats.counts('A', 0), true);
  assert.equal(repeats.counts('A', SCAN_REPEAT_MS - 1), false);
  // Still held up: each read within 3 s of the last one is the same scan.
  assert.equal(repeats.counts('A', 2 * SCAN_REPEAT_MS - 2), false);
  assert.equal(repeats.counts('B', 2 * SCAN_REPEAT_MS - 1), true, 'another code is a scan of its own');
  // Shown again after 3 s away: a new scan.
  assert.equal(repeats.counts('A', 3 * SCAN_REPEAT_MS - 2), true);
  repeats.clear();
  assert.equal(repeats.counts('A', 3 * SCAN_REPEAT_MS - 1), true, 'a stopped camera forgets');
});
