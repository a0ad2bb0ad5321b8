// The camera's recorded frames (tests/fixtures/camera-frames, made by scripts/make-camera-frames.ts)
// through the pipeline the desk's camera runs: ZXing in WebAssembly on the frame's pixels (the
// decoder module its worker uses), the 3-second rule, then the desk store's scan, which takes a
// scanner's path to a real desk core over SQLite. Real-looking tickets check their person in;
// the hostile ones (4,000 characters, binary, another site's URL, another event's code) are "not
// found" or "another event" and check no one in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePng } from '../helpers/png.ts';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import { FakeRefusal, settle } from '../helpers/fake-transport.ts';
import { storeWithMain, syncedEvent } from '../helpers/store-fixtures.ts';
import { decodePixels, loadDecoder } from '../../renderer/src/camera/zxing-decoder.ts';
import { CameraScans } from '../../renderer/src/camera/camera-scans.ts';
import { AppError } from '../../shared/errors.ts';
import { SCAN_REPEAT_MS } from '../../shared/scanned-code.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FRAMES = join(ROOT, 'tests', 'fixtures', 'camera-frames');
const WASM = join(ROOT, 'node_modules', 'zxing-wasm', 'dist', 'reader', 'zxing_reader.wasm');

interface FrameFacts {
  file: string;
  format: string | null;
  text: string | null;
  bytesHex?: string;
  expect: 'code' | 'too_long' | 'binary' | 'foreign_link' | 'another_event' | 'none';
  note: string;
}

const frames = JSON.parse(readFileSync(join(FRAMES, 'frames.json'), 'utf8')) as FrameFacts[];
const framePixels = (file: string) => decodePng(readFileSync(join(FRAMES, file)));

test('every recorded frame decodes to the code it holds, in its format', async () => {
  await loadDecoder({ bytes: readFileSync(WASM) });
  for (const frame of frames) {
    const codes = await decodePixels(framePixels(frame.file));
    if (frame.expect === 'none') {
      assert.deepEqual(codes, [], `${frame.file}: ${frame.note}`);
      continue;
    }
    assert.equal(codes.length, 1, `${frame.file}: ${frame.note}`);
    const [code] = codes;
    assert.equal(code!.format.replace(/\s/g, ''), frame.format!.replace(/\s/g, ''), frame.file);
    if (frame.bytesHex) assert.equal(code!.binary, true, `${frame.file}: the decoder says binary`);
    else assert.equal(code!.text, frame.text, frame.file);
  }
});

test('recorded frames through the desk: tickets check their person in once, hostile codes check no one in', async (t) => {
  await loadDecoder({ bytes: readFileSync(WASM) });
  const d = openDeskDb(t);
  const byCode = new Map<string, string>([
    ['4417803921553019001', 'Zoë Müller'],
    ['https://luma.com/check-in/evt-Camera1?pk=g-Ada8Lovelace', 'Ada Lovelace'],
    ['BD-2026-000417', 'Kwame Mensah'],
    ['4417803921553020001', 'Siobhán Fitzgerald'],
  ]);
  d.put([...byCode].map(([barcode, fullName]) => person({ fullName, barcode })));

  // The renderer's store, its desk's calls answered by the real desk core.
  const event = syncedEvent({ id: d.eventId, provider: 'luma', providerEventId: 'evt-Camera1' });
  const { transport, store, timers } = storeWithMain({ events: [event] });
  const core = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      if (err instanceof AppError) throw new FakeRefusal(err.code, err.message);
      throw err;
    }
  };
  transport
    .answer('desk.log', ({ eventId, limit }) => core(() => d.desk.log(eventId, limit)))
    .answer('desk.search', ({ eventId, query, limit }) => core(() => d.desk.search(eventId, query, limit)))
    .answer('desk.checkIn', (input) =>
      core(() => d.desk.checkIn({ role: 'operator', name: 'Desk 1' }, input)),
    );
  await store.getState().start();
  store.getState().navigate({ name: 'desk', eventId: d.eventId });
  await settle();

  const scans = new CameraScans();
  let nowMs = 0;
  /** One frame as the camera's loop runs it: decode, the 3-second rule, the desk's scan. */
  const show = async (file: string) => {
    nowMs += 100;
    const code = scans.pick(await decodePixels(framePixels(file)), nowMs);
    if (code) await store.getState().deskScan(code.text, { binary: code.binary });
    timers.advance(50);
    await settle();
    return code;
  };
  const checkedIn = () => d.desk.log(d.eventId, 100).filter((l) => l.action === 'check_in');

  for (const frame of frames.filter((f) => f.expect === 'code' && f.file !== 'qr-hd-1280x720.png')) {
    assert.ok(await show(frame.file), `${frame.file} reads as a scan`);
    const feedback = store.getState().desk?.feedback;
    const who = byCode.get(frame.text!.replace('lu.ma', 'luma.com').replace('&utm_source=ios', ''));
    assert.equal(feedback?.title, 'Checked in', frame.file);
    assert.equal(feedback?.subject, who, `${frame.file}: ${frame.note}`);
    // Held in front of the camera: the same code in the next frames counts once.
    assert.equal(await show(frame.file), null, `${frame.file}: the same code again within 3 s`);
  }
  assert.equal(checkedIn().length, 4, 'four tickets, four check-ins');

  // Shown again after more than 3 s away: a new scan, and the desk says so.
  nowMs += SCAN_REPEAT_MS;
  assert.ok(await show('qr-eventbrite-phone.png'));
  assert.equal(store.getState().desk?.feedback?.title, 'Already checked in');

  const expected: Record<string, string> = {
    too_long: 'Not found',
    binary: 'Not found',
    foreign_link: 'Not found',
    another_event: 'Another event',
  };
  for (const frame of frames.filter((f) => f.file.startsWith('hostile-'))) {
    const before = checkedIn().length;
    const searches = transport.inputs('desk.search').length;
    assert.ok(await show(frame.file), frame.file);
    const feedback = store.getState().desk?.feedback;
    assert.equal(feedback?.title, expected[frame.expect], `${frame.file}: ${frame.note}`);
    assert.equal(feedback?.tone, 'error');
    assert.equal(checkedIn().length, before, `${frame.file}: no one checked in`);
    assert.equal(transport.inputs('desk.search').length, searches, `${frame.file}: nothing looked up`);
  }
  assert.equal(await show('no-code.png'), null, 'a frame without a code is no scan');
});
