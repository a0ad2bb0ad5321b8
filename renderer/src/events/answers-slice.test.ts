// The answers slice: an event's questions read once for the settings panel and the desk, and an
// admin's choice saved (or refused, with the choice left as main holds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { startedStore } from '../../../tests/helpers/store-fixtures.ts';
import type { EventQuestionsView } from '../../../shared/answers.ts';

const VIEW: EventQuestionsView = {
  questions: [
    { key: 'id:q-diet', questionId: 'q-diet', label: 'Dietary requirements', type: 'dropdown', answered: 4 },
  ],
  settings: { companyQuestion: null, deskQuestions: [] },
};

test('questions are read once at a time; a saved choice is what the desk then reads', async () => {
  const { transport, store } = await startedStore();
  await settle();
  transport.answer('events.questions', () => VIEW);
  await Promise.all([store.getState().loadEventQuestions(1), store.getState().loadEventQuestions(1)]);
  await settle();
  assert.ok(transport.inputs('events.questions').length <= 2);
  assert.deepEqual(store.getState().eventQuestions[1], VIEW);

  const chosen = { companyQuestion: null, deskQuestions: ['id:q-diet'] };
  transport.answer('events.setAnswerSettings', () => ({ ...VIEW, settings: chosen }));
  assert.equal(await store.getState().saveAnswerSettings(1, chosen), true);
  assert.deepEqual(transport.inputs('events.setAnswerSettings').at(-1), { eventId: 1, settings: chosen });
  assert.deepEqual(store.getState().eventQuestions[1]?.settings, chosen);
});

test('a refused save keeps what main holds and says why', async () => {
  const { transport, store } = await startedStore();
  await settle();
  transport.answer('events.questions', () => VIEW);
  await store.getState().loadEventQuestions(1);
  transport.answer('events.setAnswerSettings', () => {
    throw new FakeRefusal('INVALID_INPUT', 'this event has no question "id:x"');
  });
  const saved = await store.getState().saveAnswerSettings(1, { companyQuestion: 'id:x', deskQuestions: [] });
  assert.equal(saved, false);
  assert.deepEqual(store.getState().eventQuestions[1]?.settings, VIEW.settings);
  assert.match(store.getState().toasts.at(-1)?.text ?? '', /no question/);
});
