// Adding or changing a check-in list, for an admin: its name, the ticket types it admits (all, or
// some), an optional time window with a tolerance on the event's clock, the entry rule (once, once
// per day, every time with an optional minimum gap), and a daily time when everyone is checked out.
// Main refuses what the rules refuse (shared/lists.ts checkListDefinition), said inline.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import {
  ENTRY_RULES,
  MAX_LIST_NAME_CHARS,
  type CheckInList,
  type EntryRule,
  type ListDefinition,
} from '../../../shared/lists.ts';
import { dayOf, instantOf, zonedTime } from '../../../shared/time-zone.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { InlineError } from '../ui/states.tsx';

const RULE_LABEL: Record<EntryRule, string> = {
  once: 'Once',
  once_per_day: 'Once per day',
  every_time: 'Every time',
};

interface Form {
  name: string;
  allTickets: boolean;
  tickets: string[];
  windowOn: boolean;
  day: string;
  opens: string;
  closes: string;
  tolerance: string;
  rule: EntryRule;
  gap: string;
  checkOutAt: string;
}

function formOf(list: CheckInList | null, zone: string, today: string): Form {
  const w = list?.window ?? null;
  return {
    name: list?.name ?? '',
    allTickets: list?.ticketTypes == null,
    tickets: list?.ticketTypes ?? [],
    windowOn: w !== null,
    day: w ? dayOf(w.opensAt, zone) : today,
    opens: w ? zonedTime(w.opensAt, zone) : '14:00',
    closes: w ? zonedTime(w.closesAt, zone) : '15:00',
    tolerance: String(w?.toleranceMinutes ?? 15),
    rule: list?.rule ?? 'once',
    gap: list?.minGapMinutes != null ? String(list.minGapMinutes) : '',
    checkOutAt: list?.checkOutAt ?? '',
  };
}

const clock = (hhmm: string): [number, number] => {
  const [h, m] = hhmm.split(':').map(Number);
  return [h ?? 0, m ?? 0];
};

/** The form as main takes it: times of the event's day become instants in its zone. */
function definitionOf(f: Form, zone: string): ListDefinition {
  const at = (hhmm: string) => new Date(instantOf(f.day, ...clock(hhmm), zone)).toISOString();
  return {
    name: f.name,
    ticketTypes: f.allTickets ? null : f.tickets,
    window: f.windowOn
      ? { opensAt: at(f.opens), closesAt: at(f.closes), toleranceMinutes: Number(f.tolerance || 0) }
      : null,
    rule: f.rule,
    minGapMinutes: f.rule === 'every_time' && f.gap.trim() !== '' ? Number(f.gap) : null,
    checkOutAt: f.checkOutAt === '' ? null : f.checkOutAt,
  };
}

export function ListDialog({
  eventId,
  list,
  zone,
  ticketNames,
  onClose,
}: {
  eventId: number;
  /** The list to change; null: a new one. */
  list: CheckInList | null;
  zone: string;
  /** The event's ticket types to choose from. */
  ticketNames: string[];
  onClose: () => void;
}) {
  const saveList = useStore((s) => s.saveList);
  const [form, setForm] = useState<Form>(() => formOf(list, zone, dayOf(new Date().toISOString(), zone)));
  const { busy, error, run } = useDialogAction(onClose);
  const formId = useId();
  const ids = {
    name: useId(),
    day: useId(),
    opens: useId(),
    closes: useId(),
    tolerance: useId(),
    gap: useId(),
    out: useId(),
  };
  const main = list?.main === true;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const choices = [...new Set([...ticketNames, ...form.tickets])];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => saveList(eventId, list?.id, definitionOf(form, zone)));
  };

  return (
    <Dialog
      title={list ? `Change ${list.name}` : 'Add a check-in list'}
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={formId}
          onCancel={onClose}
          busy={busy}
          label="Save list"
          busyLabel="Saving…"
        />
      }
    >
      <form id={formId} className="form list-form" onSubmit={(e) => void submit(e)}>
        {main ? (
          <p className="muted small">
            The main list admits every ticket, at any time, once: only its daily check-out can change.
          </p>
        ) : (
          <>
            <div className="field">
              <label className="field-label" htmlFor={ids.name}>
                Name
              </label>
              <input
                id={ids.name}
                type="text"
                data-autofocus
                maxLength={MAX_LIST_NAME_CHARS}
                value={form.name}
                onChange={(e) => set('name', e.target.value)}
                placeholder="e.g. Workshop B, VIP area, Day 2"
                autoComplete="off"
              />
            </div>
            <fieldset className="field list-tickets">
              <legend className="field-label">Admits</legend>
              <label className="field-checkbox">
                <input type="radio" checked={form.allTickets} onChange={() => set('allTickets', true)} />
                Every ticket type
              </label>
              <label className="field-checkbox">
                <input type="radio" checked={!form.allTickets} onChange={() => set('allTickets', false)} />
                Only these ticket types:
              </label>
              {!form.allTickets
                ? choices.map((t) => (
                    <label key={t} className="field-checkbox list-ticket">
                      <input
                        type="checkbox"
                        checked={form.tickets.includes(t)}
                        onChange={(e) =>
                          set(
                            'tickets',
                            e.target.checked ? [...form.tickets, t] : form.tickets.filter((x) => x !== t),
                          )
                        }
                      />
                      {t}
                    </label>
                  ))
                : null}
            </fieldset>
            <label className="field field-checkbox">
              <input
                type="checkbox"
                checked={form.windowOn}
                onChange={(e) => set('windowOn', e.target.checked)}
              />
              Only during a time window (the event’s clock, {zone})
            </label>
            {form.windowOn ? (
              <div className="list-window">
                <div className="field">
                  <label className="field-label" htmlFor={ids.day}>
                    Day
                  </label>
                  <input
                    id={ids.day}
                    type="date"
                    value={form.day}
                    onChange={(e) => set('day', e.target.value)}
                  />
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={ids.opens}>
                    From
                  </label>
                  <input
                    id={ids.opens}
                    type="time"
                    value={form.opens}
                    onChange={(e) => set('opens', e.target.value)}
                  />
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={ids.closes}>
                    Until
                  </label>
                  <input
                    id={ids.closes}
                    type="time"
                    value={form.closes}
                    onChange={(e) => set('closes', e.target.value)}
                  />
                </div>
                <div className="field">
                  <label className="field-label" htmlFor={ids.tolerance}>
                    Tolerance (minutes)
                  </label>
                  <input
                    id={ids.tolerance}
                    type="number"
                    value={form.tolerance}
                    onChange={(e) => set('tolerance', e.target.value)}
                  />
                </div>
              </div>
            ) : null}
            <SelectField
              label="Entry rule"
              value={form.rule}
              options={ENTRY_RULES.map((r) => ({ value: r, label: RULE_LABEL[r] }))}
              onChange={(v) => set('rule', v as EntryRule)}
            />
            {form.rule === 'every_time' ? (
              <div className="field">
                <label className="field-label" htmlFor={ids.gap}>
                  Minimum gap between entries (minutes, optional)
                </label>
                <input
                  id={ids.gap}
                  type="number"
                  value={form.gap}
                  onChange={(e) => set('gap', e.target.value)}
                />
              </div>
            ) : null}
          </>
        )}
        <div className="field">
          <label className="field-label" htmlFor={ids.out}>
            Check everyone out every day at (optional)
          </label>
          <input
            id={ids.out}
            type="time"
            value={form.checkOutAt}
            onChange={(e) => set('checkOutAt', e.target.value)}
          />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
