// Settings → Badge templates: the badge variants (one per ticket type, plus the default for every
// other ticket), a form to design one (admin), and beside it a live preview of a real attendee as
// main lays the badge out — the same layout the printers get.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { BadgeField, BadgeTemplate, PageSizeId } from '../../../shared/badge.ts';
import { BADGE_FIELDS, DEFAULT_TEMPLATE, PAGE_SIZE_IDS, PAGE_SIZES } from '../../../shared/badge.ts';
import { errorMessage } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { StatusPill } from '../ui/StatusPill.tsx';
import { BadgePreview } from './BadgePreview.tsx';
import { InlineError, Loading } from '../ui/states.tsx';

export const BADGE_FIELD_LABEL: Record<BadgeField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  company: 'Company',
  ticketName: 'Ticket name',
  qr: 'QR code',
  vipMark: 'VIP mark',
};

/** Which template is open in the editor: a saved one (by id) or a new draft. */
type Editing = { kind: 'new' } | { kind: 'existing'; id: number };

export function TemplatesSection() {
  const templates = useStore((s) => s.templates);
  const admin = useStore(isAdmin);
  const [editing, setEditing] = useState<Editing | null>(null);
  const open = editing?.kind === 'existing' ? (templates?.find((t) => t.id === editing.id) ?? null) : null;
  // The template was deleted elsewhere, or the admin lock returned: close the editor.
  const editorOpen = admin && editing !== null && (editing.kind === 'new' || open !== null);

  const sorted = [...(templates ?? [])].sort(
    (a, b) =>
      (a.ticketName === null ? 0 : 1) - (b.ticketName === null ? 0 : 1) || a.name.localeCompare(b.name),
  );

  return (
    <section className="settings-section" aria-labelledby="templates-title">
      <div className="section-header">
        <h2 id="templates-title" tabIndex={-1}>
          Badge templates
        </h2>
        {admin ? (
          <div className="section-actions">
            <button
              type="button"
              className="button"
              onClick={() => setEditing({ kind: 'new' })}
              disabled={editing?.kind === 'new'}
            >
              New template
            </button>
          </div>
        ) : null}
      </div>
      <p className="muted small">
        Each badge prints with the template made for the person’s ticket type; every other ticket gets a
        default template.
        {!admin ? ' Only an admin can change templates.' : ''}
      </p>
      {templates === null ? (
        <Loading />
      ) : templates.length === 0 ? (
        <p className="muted empty-inline">No templates yet.</p>
      ) : (
        <ul className="template-list" aria-label="Template list">
          {sorted.map((t) => (
            <li
              key={t.id}
              className={`template-card${editorOpen && editing?.kind === 'existing' && editing.id === t.id ? ' template-card-open' : ''}`}
            >
              <div className="template-main">
                <span className="template-name">{t.name}</span>
                <span className="muted small">{PAGE_SIZES[t.pageSize]?.label ?? t.pageSize}</span>
              </div>
              <div className="template-variant">
                {t.ticketName === null ? (
                  <StatusPill label="Default" tone="green" />
                ) : (
                  <span className="template-ticket">For ticket: {t.ticketName}</span>
                )}
              </div>
              {admin ? (
                <div className="template-actions">
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Edit ${t.name}`}
                    onClick={() => setEditing({ kind: 'existing', id: t.id })}
                  >
                    Edit
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editorOpen ? (
        <TemplateEditor
          key={editing.kind === 'new' ? 'new' : `t${editing.id}`}
          template={open}
          onSaved={(saved) => setEditing({ kind: 'existing', id: saved.id })}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

interface Draft {
  name: string;
  pageSize: PageSizeId;
  ticketName: string;
  fields: Record<BadgeField, boolean>;
  /** The registration question whose answer the badge prints; empty: none. */
  answerLabel: string;
}

function draftOf(t: BadgeTemplate | null): Draft {
  if (!t)
    return {
      name: '',
      pageSize: DEFAULT_TEMPLATE.pageSize,
      ticketName: '',
      fields: { ...DEFAULT_TEMPLATE.fields },
      answerLabel: '',
    };
  return {
    name: t.name,
    pageSize: t.pageSize,
    ticketName: t.ticketName ?? '',
    fields: { ...t.fields },
    answerLabel: t.answerLabel ?? '',
  };
}

function sameDraft(a: Draft, b: Draft): boolean {
  return (
    a.name.trim() === b.name.trim() &&
    a.pageSize === b.pageSize &&
    a.ticketName.trim() === b.ticketName.trim() &&
    a.answerLabel.trim() === b.answerLabel.trim() &&
    BADGE_FIELDS.every((f) => a.fields[f] === b.fields[f])
  );
}

function TemplateEditor({
  template,
  onSaved,
  onClose,
}: {
  template: BadgeTemplate | null;
  onSaved: (t: BadgeTemplate) => void;
  onClose: () => void;
}) {
  const saveTemplate = useStore((s) => s.saveTemplate);
  const removeTemplate = useStore((s) => s.removeTemplate);
  const knownTicketNames = useStore((s) => s.knownTicketNames);
  const knownQuestionLabels = useStore((s) => s.knownQuestionLabels);
  const toast = useStore((s) => s.toast);
  const [draft, setDraft] = useState<Draft>(() => draftOf(template));
  const [busy, setBusy] = useState<'save' | 'delete' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tickets, setTickets] = useState<string[]>([]);
  const [questions, setQuestions] = useState<string[]>([]);
  const ids = {
    name: useId(),
    size: useId(),
    ticket: useId(),
    tickets: useId(),
    answer: useId(),
    questions: useId(),
    title: useId(),
  };

  // When a save lands (here or elsewhere), the form shows what was saved.
  const [shown, setShown] = useState(template);
  if (shown !== template) {
    setShown(template);
    if (template && (!shown || shown.updatedAt !== template.updatedAt)) setDraft(draftOf(template));
  }

  useEffect(() => {
    let cancelled = false;
    knownTicketNames().then(
      (names) => !cancelled && setTickets(names),
      () => undefined,
    );
    knownQuestionLabels().then(
      (labels) => !cancelled && setQuestions(labels),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [knownTicketNames, knownQuestionLabels]);

  const dirty = !template || !sameDraft(draft, draftOf(template));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = draft.name.trim();
    if (!name) return setError('Give the template a name.');
    if (!BADGE_FIELDS.some((f) => draft.fields[f]))
      return setError('Choose at least one thing the badge shows.');
    setBusy('save');
    setError(null);
    try {
      const saved = await saveTemplate({
        ...(template ? { id: template.id } : {}),
        name,
        pageSize: draft.pageSize,
        ticketName: draft.ticketName.trim() || null,
        fields: draft.fields,
        answerLabel: draft.answerLabel.trim() || null,
      });
      toast(`Saved template ${saved.name}`, 'success');
      onSaved(saved);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const onDelete = async () => {
    if (!template) return;
    setBusy('delete');
    setError(null);
    try {
      await removeTemplate(template.id);
      toast(`Deleted template ${template.name}`, 'info');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(null);
    }
  };

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <div className="template-editor" role="group" aria-labelledby={ids.title}>
      <form className="form template-form" onSubmit={(e) => void submit(e)}>
        <h3 id={ids.title} className="template-editor-title">
          {template ? `Edit template: ${template.name}` : 'New template'}
        </h3>
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Name
          </label>
          <input
            id={ids.name}
            type="text"
            maxLength={80}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            placeholder="Speaker badge"
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.size}>
            Page size
          </label>
          <select
            id={ids.size}
            value={draft.pageSize}
            onChange={(e) => set({ pageSize: e.target.value as PageSizeId })}
          >
            {PAGE_SIZE_IDS.map((id) => (
              <option key={id} value={id}>
                {PAGE_SIZES[id].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.ticket}>
            Ticket type
          </label>
          <input
            id={ids.ticket}
            type="text"
            maxLength={200}
            list={ids.tickets}
            value={draft.ticketName}
            onChange={(e) => set({ ticketName: e.target.value })}
            aria-describedby={`${ids.ticket}-help`}
            autoComplete="off"
          />
          <datalist id={ids.tickets}>
            {tickets.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <p id={`${ids.ticket}-help`} className="muted small field-help">
            The exact ticket type name from the provider. Leave empty for the default badge of every other
            ticket.
          </p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.answer}>
            Also print the answer to
          </label>
          <input
            id={ids.answer}
            type="text"
            maxLength={200}
            list={ids.questions}
            value={draft.answerLabel}
            onChange={(e) => set({ answerLabel: e.target.value })}
            aria-describedby={`${ids.answer}-help`}
            autoComplete="off"
          />
          <datalist id={ids.questions}>
            {questions.map((q) => (
              <option key={q} value={q} />
            ))}
          </datalist>
          <p id={`${ids.answer}-help`} className="muted small field-help">
            A registration question, as the event asks it (a workshop, a dietary mark): its answer prints
            under the company. Leave empty for none.
          </p>
        </div>
        <fieldset className="template-fields">
          <legend className="field-label">The badge shows</legend>
          {BADGE_FIELDS.map((f) => (
            <label key={f} className="template-field">
              <input
                type="checkbox"
                checked={draft.fields[f]}
                onChange={(e) => set({ fields: { ...draft.fields, [f]: e.target.checked } })}
              />
              {BADGE_FIELD_LABEL[f]}
            </label>
          ))}
        </fieldset>
        <InlineError message={error} />
        <div className="form-actions form-actions-start">
          <button type="submit" className="button button-primary" disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          {template ? (
            <button
              type="button"
              className="button button-danger"
              onClick={() => void onDelete()}
              disabled={busy !== null}
            >
              {busy === 'delete' ? 'Deleting…' : 'Delete'}
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose} disabled={busy !== null}>
            Close
          </button>
        </div>
      </form>
      <BadgePreview
        templateId={template?.id}
        draft={{
          pageSize: draft.pageSize,
          fields: draft.fields,
          answerLabel: draft.answerLabel.trim() || null,
        }}
        revision={template?.updatedAt ?? ''}
        note={dirty || !template ? 'Not saved yet: badges print with this once you save.' : null}
      />
    </div>
  );
}
