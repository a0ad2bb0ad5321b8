// Makes the camera's recorded frames in tests/fixtures/camera-frames/: tickets as a webcam sees
// them (a printed ticket or a phone held up, tilted, a little soft, on a dark desk), each holding
// a QR code, a Code 128 or a PDF417 drawn by ZXing's own writer, rendered and photographed by
// Debian's Chromium. frames.json says what each frame holds and what the desk must make of it.
// Run again only to change the frames: `npx tsx scripts/make-camera-frames.ts`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { prepareZXingModule, writeBarcode, type WriterOptions } from 'zxing-wasm/writer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'tests', 'fixtures', 'camera-frames');
const CHROMIUM = process.env.BADGE_DESK_CHROMIUM ?? '/usr/bin/chromium';

export type FrameExpectation = 'code' | 'too_long' | 'binary' | 'foreign_link' | 'another_event' | 'none';

interface FrameSpec {
  file: string;
  width: number;
  height: number;
  format: 'QRCode' | 'Code128' | 'PDF417' | null;
  /** The code's text; binary frames give bytes instead. */
  text: string | null;
  bytesHex?: string;
  expect: FrameExpectation;
  look: 'paper' | 'phone';
  tilt: number;
  blur: number;
  /** The code's size on the ticket, in CSS pixels (its width). */
  codeWidth: number;
  person: string;
  ticket: string;
  band: string;
  note: string;
}

const EVENT = 'Harbour Tech Summit 2026';
const LONG_TEXT = 'A1B2'.repeat(1000);

const FRAMES: FrameSpec[] = [
  {
    file: 'qr-eventbrite-phone.png',
    width: 640,
    height: 480,
    format: 'QRCode',
    text: '4417803921553019001',
    expect: 'code',
    look: 'phone',
    tilt: -7,
    blur: 0.5,
    codeWidth: 190,
    person: 'Zoë Müller',
    ticket: 'General Admission',
    band: '#2563eb',
    note: 'an Eventbrite barcode as a QR code on a phone',
  },
  {
    file: 'qr-luma-phone.png',
    width: 640,
    height: 480,
    format: 'QRCode',
    text: 'https://lu.ma/check-in/evt-Camera1?pk=g-Ada8Lovelace&utm_source=ios',
    expect: 'code',
    look: 'phone',
    tilt: 5,
    blur: 0.6,
    codeWidth: 200,
    person: 'Ada Lovelace',
    ticket: 'VIP',
    band: '#b7791f',
    note: "a Luma check-in URL (this event's), matched by its key",
  },
  {
    file: 'code128-paper.png',
    width: 640,
    height: 480,
    format: 'Code128',
    text: 'BD-2026-000417',
    expect: 'code',
    look: 'paper',
    tilt: 3,
    blur: 0.5,
    codeWidth: 330,
    person: 'Kwame Mensah',
    ticket: 'Speaker',
    band: '#7c3aed',
    note: 'a Code 128 on a printed ticket',
  },
  {
    file: 'pdf417-paper.png',
    width: 640,
    height: 480,
    format: 'PDF417',
    text: '4417803921553020001',
    expect: 'code',
    look: 'paper',
    tilt: -4,
    blur: 0.4,
    codeWidth: 330,
    person: 'Siobhán Fitzgerald',
    ticket: 'General Admission',
    band: '#2563eb',
    note: 'a PDF417 on a printed ticket',
  },
  {
    file: 'qr-hd-1280x720.png',
    width: 1280,
    height: 720,
    format: 'QRCode',
    text: '4417803921553019001',
    expect: 'code',
    look: 'paper',
    tilt: -3,
    blur: 0.7,
    codeWidth: 150,
    person: 'Zoë Müller',
    ticket: 'General Admission',
    band: '#2563eb',
    note: 'a 1280×720 frame with a QR code (the benchmark decodes this one)',
  },
  {
    file: 'hostile-4000-chars.png',
    width: 1280,
    height: 720,
    format: 'QRCode',
    text: LONG_TEXT,
    expect: 'too_long',
    look: 'paper',
    tilt: 0,
    blur: 0,
    codeWidth: 300,
    person: 'Nobody',
    ticket: 'General Admission',
    band: '#6b7280',
    note: 'a QR code of 4,000 characters',
  },
  {
    file: 'hostile-binary.png',
    width: 640,
    height: 480,
    format: 'QRCode',
    text: null,
    bytesHex: '00010203fffe0a0d1b5b324a7f80',
    expect: 'binary',
    look: 'phone',
    tilt: 2,
    blur: 0.4,
    codeWidth: 190,
    person: 'Nobody',
    ticket: 'General Admission',
    band: '#6b7280',
    note: 'a QR code of binary data',
  },
  {
    file: 'hostile-other-site.png',
    width: 640,
    height: 480,
    format: 'QRCode',
    text: 'https://evil.example/check-in?name=Zo%C3%AB%20M%C3%BCller&next=javascript:alert(1)',
    expect: 'foreign_link',
    look: 'phone',
    tilt: -3,
    blur: 0.4,
    codeWidth: 210,
    person: 'Zoë Müller',
    ticket: 'General Admission',
    band: '#2563eb',
    note: 'a URL of another site (it names a guest of this event: it must not find her)',
  },
  {
    file: 'hostile-other-event.png',
    width: 640,
    height: 480,
    format: 'QRCode',
    text: 'https://luma.com/check-in/evt-Other9?pk=g-Ada8Lovelace',
    expect: 'another_event',
    look: 'phone',
    tilt: 4,
    blur: 0.5,
    codeWidth: 200,
    person: 'Ada Lovelace',
    ticket: 'VIP',
    band: '#b7791f',
    note: "a Luma check-in URL of another event, with a key of this event's guest",
  },
  {
    file: 'no-code.png',
    width: 640,
    height: 480,
    format: null,
    text: null,
    expect: 'none',
    look: 'paper',
    tilt: 8,
    blur: 0.8,
    codeWidth: 0,
    person: 'Kwame Mensah',
    ticket: 'Speaker',
    band: '#7c3aed',
    note: 'a ticket turned over: no code in the frame',
  },
];

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

async function codeSvg(spec: FrameSpec): Promise<string> {
  if (!spec.format) return '';
  const options: WriterOptions = { format: spec.format, scale: 4, addQuietZones: true };
  if (spec.format === 'QRCode') options.options = `ecLevel=${spec.text === LONG_TEXT ? 'L' : 'M'}`;
  const input = spec.bytesHex ? fromHex(spec.bytesHex) : spec.text!;
  const written = await writeBarcode(input, options);
  if (written.error) throw new Error(`${spec.file}: ${written.error}`);
  // Zint's SVG has a size and no viewBox: given one, it scales to the ticket instead of being cut.
  return written.svg.replace(/<svg width="(\d+)" height="(\d+)"/, '<svg viewBox="0 0 $1 $2"');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function page(spec: FrameSpec, svg: string): string {
  const scale = spec.width / 640;
  const ticket = `
    <div class="ticket">
      <div class="band"></div>
      <p class="event">${escapeHtml(EVENT)}</p>
      <p class="person">${escapeHtml(spec.person)}</p>
      <p class="type">${escapeHtml(spec.ticket)} · 14 May 2026 · Hall B</p>
      <div class="code">${svg}</div>
      <p class="small">Show this ticket at the door · Order #44178039</p>
    </div>`;
  const body =
    spec.look === 'phone' ? `<div class="phone"><div class="screen">${ticket}</div></div>` : ticket;
  return `<!doctype html><html><head><style>
    html, body { margin: 0; width: ${spec.width}px; height: ${spec.height}px; overflow: hidden; }
    body {
      display: flex; align-items: center; justify-content: center;
      background: linear-gradient(180deg, #5d554b 0%, #3b352e 55%, #24201c 100%);
      font-family: 'DejaVu Sans', sans-serif;
    }
    .stage { transform: scale(${scale}) perspective(900px) rotateX(8deg) rotate(${spec.tilt}deg);
      filter: blur(${spec.blur}px) brightness(0.94) contrast(0.92); }
    .phone { background: #111; border-radius: 34px; padding: 22px 12px; box-shadow: 0 18px 40px rgba(0,0,0,.6); }
    .screen { background: #fff; border-radius: 10px; overflow: hidden; }
    .ticket { position: relative; width: ${Math.max(250, spec.codeWidth + 50)}px; padding: 18px 22px 14px;
      background: #fbfaf6; color: #1b1b1b; box-shadow: 0 10px 30px rgba(0,0,0,.45); }
    .phone .ticket { box-shadow: none; }
    .band { position: absolute; left: 0; top: 0; right: 0; height: 10px; background: ${spec.band}; }
    .event { margin: 6px 0 2px; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; color: #555; }
    .person { margin: 0; font-size: 22px; font-weight: bold; }
    .type { margin: 2px 0 10px; font-size: 12px; color: #333; }
    .code { display: flex; justify-content: center; background: #fff; }
    .code svg { width: ${spec.codeWidth}px; height: auto; }
    .small { margin: 8px 0 0; font-size: 10px; color: #666; }
  </style></head><body><div class="stage">${spec.format ? body : body.replace(/<div class="code">.*?<\/div>/s, '<div class="code" style="height:160px;background:#eee"></div>')}</div></body></html>`;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const wasm = readFileSync(join(ROOT, 'node_modules', 'zxing-wasm', 'dist', 'writer', 'zxing_writer.wasm'));
  await prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
    fireImmediately: true,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const spec of FRAMES) {
      const context = await browser.newContext({ viewport: { width: spec.width, height: spec.height } });
      const tab = await context.newPage();
      await tab.setContent(page(spec, await codeSvg(spec)));
      await tab.screenshot({ path: join(OUT, spec.file), type: 'png' });
      await context.close();
      console.log(`wrote ${spec.file}`);
    }
  } finally {
    await browser.close();
  }
  const manifest = FRAMES.map(({ file, width, height, format, text, bytesHex, expect, note }) => ({
    file,
    width,
    height,
    format,
    text,
    ...(bytesHex ? { bytesHex } : {}),
    expect,
    note,
  }));
  writeFileSync(join(OUT, 'frames.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

await main();
