// Printers' own status read into one shape: Zebra's host status strings and Brother's 32 bytes,
// each flag on its own; what is not a status is "unknown"; the words the queue shows; and how long
// a stopped printer is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readBrotherStatus,
  readZebraHostStatus,
  zebraHostStatusStrings,
} from '../../main/printing/printer-replies.ts';
import { PrinterHealth } from '../../main/printing/printer-health.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import {
  canPrintOn,
  PRINTER_CONDITIONS,
  printerStatusText,
  type PrinterStatusView,
} from '../../shared/printer-status.ts';

const AT = '2026-12-01T09:00:00.000Z';
const hs = (one: string, two: string) =>
  Buffer.from(`\x02${one}\x03\r\n\x02${two}\x03\r\n\x021234,0\x03\r\n`);
const READY_ONE = '030,0,0,1218,000,0,0,0,000,0,0,0';
const READY_TWO = '001,0,0,0,0,2,6,0,00000000,1,000';
const zebra = (one: string, two: string) => readZebraHostStatus(zebraHostStatusStrings(hs(one, two)), AT);

test('Zebra ~HS: paper out, pause and buffer full from string 1, head open from string 2; all clear is ready', () => {
  assert.equal(zebra(READY_ONE, READY_TWO).condition, 'ready');
  assert.equal(zebra('030,1,0,1218,000,0,0,0,000,0,0,0', READY_TWO).condition, 'paper_out');
  assert.equal(zebra('030,0,1,1218,000,0,0,0,000,0,0,0', READY_TWO).condition, 'paused');
  assert.equal(zebra('030,0,0,1218,000,1,0,0,000,0,0,0', READY_TWO).condition, 'buffer_full');
  assert.equal(zebra(READY_ONE, '001,0,1,0,0,2,6,0,00000000,1,000').condition, 'head_open');
  // Paper out says the most: it wins over a pause that comes with it.
  assert.equal(zebra('030,1,1,1218,000,0,0,0,000,0,0,0', READY_TWO).condition, 'paper_out');
});

test('Zebra ~HS that is not one: unknown, never a guess', () => {
  assert.equal(zebraHostStatusStrings(Buffer.from('\x02030,0,0\x03')), null, 'incomplete');
  assert.deepEqual(readZebraHostStatus(null, AT), {
    condition: 'unknown',
    detail: 'no readable host status',
    media: null,
    checkedAt: AT,
  });
  assert.equal(zebra('030,0,0', READY_TWO).condition, 'unknown', 'too few fields');
  assert.equal(
    zebra('030,x,0,1218,000,0,0,0,000,0,0,0', READY_TWO).condition,
    'unknown',
    'a flag that is no flag',
  );
});

function brother(patch: Record<number, number>): Buffer {
  const b = Buffer.alloc(32);
  Object.assign(b, {
    0: 0x80,
    1: 0x20,
    2: 0x42,
    3: 0x34,
    4: 0x41,
    5: 0x30,
    6: 0x30,
    10: 62,
    11: 0x0b,
    17: 100,
  });
  for (const [i, v] of Object.entries(patch)) b[Number(i)] = v;
  return b;
}

test('Brother status: each error bit in words, the loaded roll named, 0x4A/0x4B read as 0x0A/0x0B, black/red from byte 25', () => {
  const read = (patch: Record<number, number>) => readBrotherStatus(brother(patch), 'QL-820NWB', AT)!.status;
  assert.equal(read({}).condition, 'ready');
  assert.equal(read({}).media?.label, '62 × 100 mm die-cut');
  assert.equal(read({ 8: 0x01, 11: 0x00 }).condition, 'paper_out');
  assert.equal(read({ 8: 0x02 }).condition, 'paper_out', 'end of media');
  assert.equal(read({ 8: 0x04 }).condition, 'jammed');
  assert.equal(read({ 9: 0x10 }).condition, 'cover_open');
  assert.equal(read({ 9: 0x40 }).condition, 'feed_error');
  assert.equal(read({ 9: 0x01 }).condition, 'wrong_media');
  assert.equal(read({ 9: 0x02 }).condition, 'buffer_full');
  assert.deepEqual([read({ 9: 0x80 }).condition, read({ 9: 0x80 }).detail], ['error', 'system error']);
  assert.equal(read({ 11: 0x4a, 17: 0 }).media?.label, '62 mm endless');
  assert.equal(read({ 11: 0x0a, 17: 0, 25: 0x81 }).media?.label, '62 mm endless black/red');
  assert.equal(
    read({ 10: 29, 11: 0x0a, 17: 0 }).media?.label,
    '29 mm endless',
    'a roll with no raster geometry is still named',
  );
  // A QL-1100 cannot print red: a black/red roll in it is a plain 62 mm roll to Badge Desk.
  assert.equal(
    readBrotherStatus(brother({ 11: 0x0a, 17: 0, 25: 0x81 }), 'QL-1100', AT)?.status.media?.label,
    '62 mm endless',
  );
  const reply = readBrotherStatus(brother({ 18: 0x01, 19: 0x00 }), 'QL-820NWB', AT)!;
  assert.deepEqual([reply.statusType, reply.phase], [0x01, 0x00]);
});

test('Brother bytes that are not a status: null (the driver says "status unknown")', () => {
  assert.equal(readBrotherStatus(Buffer.from('garbage from the printer'), 'QL-810W', AT), null);
  assert.equal(readBrotherStatus(brother({ 2: 0x41 }), 'QL-810W', AT), null);
  assert.equal(readBrotherStatus(brother({}).subarray(0, 31), 'QL-810W', AT), null);
});

test('every condition has its words, with the printer named as text', () => {
  for (const condition of PRINTER_CONDITIONS) {
    const text = printerStatusText('Desk <Zebra>', { condition, detail: 'x' });
    assert.ok(text.includes('Desk <Zebra>'), text);
  }
  assert.equal(
    printerStatusText('Zebra 1', { condition: 'paper_out', detail: null }),
    'Paper out at Zebra 1 — load labels',
  );
  assert.deepEqual(
    PRINTER_CONDITIONS.filter((c) => canPrintOn(c)),
    ['ready', 'unknown'],
    'only a ready printer, or one that cannot say, is printed to',
  );
});

test('a stopped printer is left alone 2 s, then 4, 8… up to 30 s; ready again, asked at once; a change is announced once', () => {
  const clock = new VirtualClock();
  const seen: PrinterStatusView[] = [];
  const health = new PrinterHealth({ clock, announce: (v) => seen.push(v) });
  const status = (condition: 'paper_out' | 'ready') => ({
    condition,
    detail: null,
    media: null,
    checkedAt: AT,
  });
  const holds: number[] = [];
  for (let i = 0; i < 6; i++) {
    health.record(7, status('paper_out'));
    holds.push(health.heldUntil(7)! - clock.now());
  }
  assert.deepEqual(holds, [2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  assert.equal(seen.length, 1, 'the same state is announced once');
  clock.advance(30_000);
  assert.equal(health.heldUntil(7), null, 'the hold ends');
  health.record(7, status('ready'));
  assert.equal(health.heldUntil(7), null);
  assert.equal(seen.length, 2);
  health.record(7, status('paper_out'));
  assert.equal(health.heldUntil(7)! - clock.now(), 2_000, 'a new stop starts short again');
  health.release(7);
  assert.equal(health.heldUntil(7), null, 'a person says it is fixed');
});
