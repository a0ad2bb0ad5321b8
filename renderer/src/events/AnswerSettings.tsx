// The event's registration questions in its settings: which one feeds the badge's company line,
// and which answers the desk shows at check-in. An admin changes them; anyone sees them.
import { useEffect, useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { MAX_DESK_QUESTIONS, type EventAnswerSettings, type EventQuestion } from '../../../shared/answers.ts';
import { formatCount } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';

const PROVIDER_COMPANY = '';

export function AnswerSettings({ event }: { event: SyncedEvent }) {
  const view = useStore((s) => s.eventQuestions[event.id]);
  const load = useStore((s) => s.loadEventQuestions);
  useEffect(() => {
    void load(event.id);
  }, [event.id, load]);
  return (
    <div className="event-setting answer-settings" data-testid="answer-settings">
      <h3 className="event-setting-title">Registration answers</h3>
      {!view ? (
        <p className="muted small">Reading the event's questions…</p>
      ) : view.questions.length === 0 ? (
        <p className="event-setting-text">
          No registration answers yet: the questions this event asks show here once{' '}
          {PROVIDER_LABEL[event.provider]} sends answers.
        </p>
      ) : (
        <AnswerSettingsForm
          key={JSON.stringify(view.settings)}
          eventId={event.id}
          provider={PROVIDER_LABEL[event.provider]}
          questions={view.questions}
          settings={view.settings}
        />
      )}
    </div>
  );
}

function AnswerSettingsForm({
  eventId,
  provider,
  questions,
  settings,
}: {
  eventId: number;
  provider: string;
  questions: EventQuestion[];
  settings: EventAnswerSettings;
}) {
  const admin = useStore(isAdmin);
  const save = useStore((s) => s.saveAnswerSettings);
  const [company, setCompany] = useState(settings.companyQuestion ?? PROVIDER_COMPANY);
  const [desk, setDesk] = useState<string[]>(settings.deskQuestions);
  const [saving, setSaving] = useState(false);
  const changed =
    company !== (settings.companyQuestion ?? PROVIDER_COMPANY) ||
    desk.join('\n') !== settings.deskQuestions.join('\n');
  const toggle = (key: string, on: boolean) =>
    // Kept in the order of the event's questions, as the desk lists them.
    setDesk((current) => questions.map((q) => q.key).filter((k) => (k === key ? on : current.includes(k))));
  const onSave = async () => {
    setSaving(true);
    await save(eventId, {
      companyQuestion: company === PROVIDER_COMPANY ? null : company,
      deskQuestions: desk,
    });
    setSaving(false);
  };
  return (
    <form
      className="answer-settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <p className="event-setting-text">
        The questions people answered when they registered on {provider}. Answers update with sync.
      </p>
      <label className="field">
        <span className="field-label">Badge company line</span>
        <select
          value={company}
          disabled={!admin}
          onChange={(e) => setCompany(e.target.value)}
          aria-describedby="company-line-hint"
        >
          <option value={PROVIDER_COMPANY}>{provider}'s company field</option>
          {questions.map((q) => (
            <option key={q.key} value={q.key}>
              Answer to “{q.label}”
            </option>
          ))}
        </select>
        <span id="company-line-hint" className="muted small field-help">
          Someone who left that question blank keeps {provider}'s company.
        </span>
      </label>
      <fieldset className="answer-settings-desk" disabled={!admin}>
        <legend>Show at the desk on check-in (at most {MAX_DESK_QUESTIONS})</legend>
        <ul className="answer-question-list">
          {questions.map((q) => {
            const on = desk.includes(q.key);
            return (
              <li key={q.key}>
                <label className="field-checkbox answer-question">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && desk.length >= MAX_DESK_QUESTIONS}
                    onChange={(e) => toggle(q.key, e.target.checked)}
                  />
                  <span>{q.label}</span>{' '}
                  <span className="muted small">
                    {q.answered === 0 ? 'no answers yet' : `${formatCount(q.answered)} answered`}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      {admin ? (
        <button
          type="submit"
          className="button"
          disabled={!changed || saving}
          aria-busy={saving || undefined}
        >
          {saving ? 'Saving…' : 'Save answer settings'}
        </button>
      ) : (
        <p className="muted small">An admin can change which answers show.</p>
      )}
    </form>
  );
}
