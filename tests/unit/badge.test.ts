import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_TEMPLATE,
  PAGE_SIZES,
  PAGE_SIZE_IDS,
  fitText,
  layoutBadge,
  selectTemplate,
  type BadgePerson,
  type TextItem,
} from '../../shared/badge.ts';
import { createMeasure, qrMatrix, renderZpl, zplField } from '../../main/printing/render.ts';

const measure = createMeasure();
const person = (over: Partial<BadgePerson> = {}): BadgePerson => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  fullName: 'Ada Lovelace',
  company: 'Analytical Engines',
  ticketName: 'General',
  barcode: '1234567890123',
  vip: false,
  ...over,
});

test('variant selection: the exact ticket name, else the default; no partial or case-folded matches', () => {
  const templates = [
    { id: 1, ticketName: null },
    { id: 2, ticketName: 'Speaker' },
    { id: 3, ticketName: 'VIP' },
  ];
  assert.equal(selectTemplate(templates, 'Speaker')?.id, 2);
  assert.equal(selectTemplate(templates, 'VIP')?.id, 3);
  assert.equal(selectTemplate(templates, 'speaker')?.id, 1);
  assert.equal(selectTemplate(templates, 'Speaker Pass')?.id, 1);
  assert.equal(selectTemplate(templates, null)?.id, 1);
  assert.equal(selectTemplate([{ id: 2, ticketName: 'Speaker' }], 'General'), undefined);
});

test('fitText shrinks to fit, then wraps to two lines, then shortens with an ellipsis; never wider than the box', () => {
  const one = fitText('Ada', 200, { max: 40, min: 10, maxLines: 2 }, measure, true);
  assert.deepEqual([one.lines.length, one.fontSize], [1, 40]);
  const shrunk = fitText('Maximilian-Alexander', 200, { max: 40, min: 10, maxLines: 2 }, measure, true);
  assert.equal(shrunk.lines.length, 1);
  assert.ok(shrunk.fontSize < 40 && shrunk.fontSize >= 10);
  const wrapped = fitText(
    'Wolfeschlegelsteinhausen Bergerdorff Maximiliansohn',
    120,
    { max: 40, min: 12, maxLines: 2 },
    measure,
    true,
  );
  assert.equal(wrapped.lines.length, 2);
  const cut = fitText('X'.repeat(400), 100, { max: 20, min: 10, maxLines: 1 }, measure, false);
  assert.match(cut.lines[0]!, /…$/);
  for (const f of [one, shrunk, wrapped, cut]) f.lineWidths.forEach((w) => assert.ok(w <= 200.0001));
  const noSpaces = fitText(
    '山田太郎山田太郎山田太郎山田太郎',
    60,
    { max: 30, min: 10, maxLines: 2 },
    measure,
    true,
  );
  assert.equal(noSpaces.lines.length, 2, 'scripts without spaces wrap between characters');
});

test('every page size lays out inside the page; long and non-Latin names fit their boxes', () => {
  const names: Partial<BadgePerson>[] = [
    {},
    {
      firstName: 'Bartholomäus-Friedrich',
      lastName: 'von Hohenzollern-Sigmaringen',
      company: 'Internationale Gesellschaft für Zusammenarbeit GmbH',
    },
    { firstName: 'Małgorzata', lastName: 'Brzęczyszczykiewicz' },
    { firstName: 'Σωκράτης', lastName: 'Παπαδόπουλος' },
    { firstName: 'Владимир', lastName: 'Достоевский' },
    { firstName: null, lastName: null, fullName: 'Prince' },
  ];
  for (const size of PAGE_SIZE_IDS) {
    for (const n of names) {
      const layout = layoutBadge(
        { ...DEFAULT_TEMPLATE, pageSize: size },
        person({ vip: true, ...n }),
        measure,
      );
      const page = PAGE_SIZES[size];
      assert.equal(layout.widthPt, page.widthPt);
      for (const item of layout.items) {
        if (item.kind === 'text') {
          item.lineWidths.forEach((w) =>
            assert.ok(w <= item.width + 0.001, `${size} ${item.field} ${w} > ${item.width}`),
          );
          assert.ok(item.x + item.width <= page.widthPt + 0.001);
          assert.ok(
            item.y + (item.lines.length - 1) * item.lineHeight <= page.heightPt,
            `${size} ${item.field} below the page`,
          );
        } else {
          const w = item.kind === 'qr' ? item.size : item.width;
          const h = item.kind === 'qr' ? item.size : item.height;
          assert.ok(
            item.x >= 0 && item.y >= 0 && item.x + w <= page.widthPt && item.y + h <= page.heightPt,
            `${size} ${item.kind}`,
          );
        }
      }
      const first = layout.items.find((i): i is TextItem => i.kind === 'text' && i.field === 'firstName')!;
      assert.ok(first, `${size}: a first name (or the full name) is always printed`);
    }
  }
});

test('fields can be switched off; the VIP mark shows only for VIPs; no QR without a barcode', () => {
  const t = { ...DEFAULT_TEMPLATE, fields: { ...DEFAULT_TEMPLATE.fields, company: false } };
  const l = layoutBadge(t, person(), measure);
  assert.equal(
    l.items.some((i) => i.kind === 'text' && i.field === 'company'),
    false,
  );
  assert.equal(
    l.items.some((i) => i.kind === 'vip'),
    false,
  );
  assert.equal(
    layoutBadge(t, person({ vip: true }), measure).items.some((i) => i.kind === 'vip'),
    true,
  );
  assert.equal(
    layoutBadge(t, person({ barcode: null }), measure).items.some((i) => i.kind === 'qr'),
    false,
  );
});

test('ZPL: field data is hex-escaped UTF-8, so a hostile name cannot inject commands; the QR carries the barcode', () => {
  assert.equal(zplField('Zoë ^XZ~JR'), 'Zo_C3_AB _5EXZ_7EJR');
  const layout = layoutBadge(
    DEFAULT_TEMPLATE,
    person({ firstName: '^XZ^FO0,0', lastName: '~JA', barcode: 'EB-42' }),
    measure,
  );
  const zpl = renderZpl(layout, 203);
  assert.equal(zpl.match(/\^XA/g)?.length, 1);
  assert.equal(zpl.match(/\^XZ/g)?.length, 1, 'the only ^XZ is the real end of the label');
  assert.match(zpl, /\^BQN,2,\d+\^FH\^FDMA,EB_2D42\^FS/);
  assert.ok(qrMatrix('EB-42').length >= 21);
});

test('the OS printer page (SVG) carries names as escaped text, never markup', async () => {
  const { layoutToSvg } = await import('../../main/printing/render.ts');
  const layout = layoutBadge(
    DEFAULT_TEMPLATE,
    person({ firstName: '<script>x</script>', lastName: '"&\'' }),
    measure,
  );
  const svg = layoutToSvg(layout, 'Badge Sans');
  assert.ok(!svg.includes('<script>'));
  assert.ok(svg.includes('&#60;script&#62;x&#60;/script&#62;'));
  assert.ok(svg.includes('&#34;&#38;&#39;'));
});
