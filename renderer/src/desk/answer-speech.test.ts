import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spokenAnswer } from './answer-speech.ts';

test('the live region says the title, the person and the reason; refusals and warnings at once', () => {
  assert.deepEqual(
    spokenAnswer({
      id: 3,
      tone: 'warning',
      title: 'Needs attention',
      subject: 'Zoë Müller',
      detail: 'Check the ID',
    }),
    { id: 3, text: 'Needs attention. Zoë Müller. Check the ID', urgent: true },
  );
  assert.deepEqual(
    spokenAnswer({ id: 4, tone: 'success', title: 'Checked in', subject: 'Zoë Müller', detail: null }),
    { id: 4, text: 'Checked in. Zoë Müller', urgent: false },
  );
  assert.equal(
    spokenAnswer({ id: 5, tone: 'error', title: 'Not found', subject: 'x', detail: '' }).urgent,
    true,
  );
  assert.equal(
    spokenAnswer({ id: 6, tone: 'vip', title: 'VIP checked in', subject: 'A', detail: null }).urgent,
    false,
  );
});
