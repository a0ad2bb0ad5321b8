// Registration answers from import to desk: the event's questions, the company line an admin
// picks (applied to every row, kept through sync, searchable), the answers the desk shows at
// check-in, the CSV's answer columns, and bad settings refused with nothing changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, connect, importSeeded, admin, operator } from '../helpers/harness.ts';
import { AppError } from '../../shared/errors.ts';
import { deskAnswers, questionKey } from '../../shared/answers.ts';

test('Luma: the company question is found by its type; an admin makes another question the company line, the desk shows picked answers, the CSV has them', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'luma');
  const { eventId, providerEventId } = await importSeeded(h, 'luma', 40, token, integration.id);
  const store = h.core.store;

  // Luma's own company question gives company and job title (the simulator's people have both).
  const someone = store.findAttendeeByProviderId(eventId, h.sim.luma.attendeeIds(providerEventId)[0]!)!;
  assert.ok(someone.company && someone.jobTitle, 'company and job title from the company question');

  const { questions, settings } = h.core.eventQuestions(eventId);
  assert.deepEqual(settings, { companyQuestion: null, deskQuestions: [] });
  assert.deepEqual(
    questions.map((q) => [q.label, q.type]),
    [
      ['What company do you work for?', 'company'],
      ['Dietary requirements', 'dropdown'],
      ['I agree to the code of conduct', 'agree-check'],
      ['Years of experience', 'text'],
    ],
    "the event's questions as Luma lists them",
  );
  const diet = questions.find((q) => q.label === 'Dietary requirements')!;
  assert.ok(diet.answered > 0 && diet.answered < 40, `${diet.answered} answered`);

  // Refused: an operator, a question the event does not have, one twice. Nothing stored changes.
  const bad = [
    () => h.core.setAnswerSettings(operator, eventId, { companyQuestion: diet.key, deskQuestions: [] }),
    () => h.core.setAnswerSettings(admin, eventId, { companyQuestion: 'id:nope', deskQuestions: [] }),
    () =>
      h.core.setAnswerSettings(admin, eventId, {
        companyQuestion: null,
        deskQuestions: [diet.key, diet.key],
      }),
  ];
  for (const call of bad) assert.throws(call, (e: unknown) => e instanceof AppError);
  assert.deepEqual(h.core.eventQuestions(eventId).settings, settings);
  assert.equal(store.getAttendee(someone.id)!.company, someone.company);

  // The dietary answer becomes the company line: everyone who answered it, the others keep theirs.
  const changed: number[] = [];
  h.core.events.on('attendeesChanged', (p) => changed.push(...p.attendeeIds));
  const saved = h.core.setAnswerSettings(admin, eventId, {
    companyQuestion: diet.key,
    deskQuestions: [diet.key],
  });
  assert.equal(saved.settings.companyQuestion, diet.key);
  const rows = h.core.listAttendees(eventId, { offset: 0, limit: 100 });
  const answered = rows.filter((a) => deskAnswers(a.answers, [diet.key]).length > 0);
  assert.equal(answered.length, diet.answered);
  for (const a of answered) assert.equal(a.company, deskAnswers(a.answers, [diet.key])[0]!.text);
  const unanswered = rows.find((a) => deskAnswers(a.answers, [diet.key]).length === 0)!;
  assert.equal(
    unanswered.company,
    store.providerRecords(eventId).get(unanswered.providerAttendeeId)!.company,
  );
  assert.deepEqual(new Set(changed), new Set(answered.map((a) => a.id)), 'the changed rows were told');

  // Searchable by the new line, and kept through live sync (an edit on Luma is applied with it).
  const vegan = answered.find((a) => a.company === 'Vegan') ?? answered[0]!;
  const found = h.core.desk.search(eventId, vegan.company!);
  assert.ok(
    found.rows.some((r) => r.id === vegan.id),
    'found by the answer that is its company line',
  );
  h.sim.luma.editAttendee(providerEventId, vegan.providerAttendeeId, { lastName: 'Renamed' });
  h.clock.advance(60_000);
  await h.core.engine.runLivePass();
  const after = store.getAttendee(vegan.id)!;
  assert.match(after.fullName, /Renamed$/);
  assert.equal(after.company, vegan.company, 'the company line survives the sync');
  assert.deepEqual(
    h.core.eventQuestions(eventId).settings,
    saved.settings,
    'a sync never writes the settings',
  );

  // At the desk: the check-in's attendee carries the answers the settings pick.
  const outcome = h.core.desk.checkIn(operator, { eventId, actionId: 'answers-act-1', attendeeId: vegan.id });
  assert.equal(outcome.kind, 'checked_in');
  assert.ok(outcome.kind === 'checked_in');
  assert.deepEqual(
    deskAnswers(outcome.attendee.answers, saved.settings.deskQuestions).map((a) => [a.label, a.text]),
    [['Dietary requirements', vegan.company]],
  );

  // The CSV has a column for it, headed by the question.
  const { csv } = h.core.desk.exportCsv(eventId);
  const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
  assert.match(header!, /,clock,Dietary requirements$/);
  assert.ok(row!.endsWith(`,${vegan.company}`), row);

  // Back to the provider's company.
  h.core.setAnswerSettings(admin, eventId, { companyQuestion: null, deskQuestions: [] });
  assert.equal(
    store.getAttendee(vegan.id)!.company,
    store.providerRecords(eventId).get(vegan.providerAttendeeId)!.company,
  );
});

test('Eventbrite: custom questions seen in the answers are the questions; an unanswered one is not an answer', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', 60, token, integration.id);
  const { questions } = h.core.eventQuestions(eventId);
  assert.deepEqual(questions.map((q) => [q.key, q.label, q.type]).sort(), [
    ['id:80001', 'Which workshop will you attend?', 'multiple_choice'],
    ['id:80002', 'Dietary requirements', 'text'],
  ]);
  const rows = h.core.listAttendees(eventId, { offset: 0, limit: 100 });
  const dietKey = questionKey({ questionId: '80002', label: 'Dietary requirements' });
  assert.equal(
    rows.filter((a) => deskAnswers(a.answers, [dietKey]).length > 0).length,
    questions.find((q) => q.key === dietKey)!.answered,
  );
  assert.ok(
    rows.every((a) => a.answers!.every((x) => x.text.length > 0)),
    'no empty answer kept',
  );
});
