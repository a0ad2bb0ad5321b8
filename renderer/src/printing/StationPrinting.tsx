// Settings → Printers → This station: where its badges print (its printer, and the printers that
// share its badges: the next free one takes the next badge, a stopped one is passed over), and
// whether a check-in prints a badge by itself. Saved as it changes; changing it is an admin's call.
import { useId, useState } from 'react';
import type { StationSettings } from '../../../shared/ipc-contract.ts';
import { errorMessage } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { InlineError } from '../ui/states.tsx';

type Choice = Pick<StationSettings, 'printerId' | 'autoPrint'> & { poolPrinterIds: number[] };

/** Where this station prints, and whether a check-in prints a badge by itself. Saved as it changes. */
export function StationPrinting() {
  const printers = useStore((s) => s.printers);
  const savedPrinterId = useStore((s) => s.settings.printerId);
  const savedAutoPrint = useStore((s) => s.settings.autoPrint);
  const savedPool = useStore((s) => s.settings.poolPrinterIds);
  const admin = useStore(isAdmin);
  const updateSettings = useStore((s) => s.updateSettings);
  // The choice shows at once; the saved settings take over when main has answered.
  const [pending, setPending] = useState<Partial<Choice>>({});
  const [error, setError] = useState<string | null>(null);
  const ids = { printer: useId(), auto: useId(), pool: useId() };
  const printerId = pending.printerId !== undefined ? pending.printerId : savedPrinterId;
  const autoPrint = pending.autoPrint ?? savedAutoPrint;
  const pool = pending.poolPrinterIds ?? savedPool ?? [];
  const current = printers?.find((p) => p.id === printerId) ?? null;
  const others = (printers ?? []).filter((p) => p.id !== printerId);
  const sharing = others.filter((p) => pool.includes(p.id));

  const save = async <K extends keyof Choice>(key: K, value: Choice[K]) => {
    setPending((p) => ({ ...p, [key]: value }));
    setError(null);
    try {
      await updateSettings({ [key]: value });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending((p) => {
        if (p[key] !== value) return p;
        const next = { ...p };
        delete next[key];
        return next;
      });
    }
  };

  if (!admin) {
    return (
      <div className="station-printing">
        <h3 className="station-printing-title">This station</h3>
        <p data-testid="station-printer">
          {printerId === null
            ? 'No badge printer chosen for this station.'
            : `Badges print on ${current?.name ?? 'a printer that is no longer set up'}${
                sharing.length
                  ? `, and on ${sharing.map((p) => p.name).join(', ')} when it is busy or stopped`
                  : ''
              }.`}{' '}
          {printerId !== null
            ? autoPrint
              ? 'A badge prints at check-in.'
              : 'Badges print only when asked for.'
            : null}
        </p>
      </div>
    );
  }

  return (
    <div className="station-printing">
      <h3 className="station-printing-title">This station</h3>
      <div className="form form-grid">
        <div className="field">
          <label className="field-label" htmlFor={ids.printer}>
            Print badges on
          </label>
          <select
            id={ids.printer}
            value={printerId === null ? '' : String(printerId)}
            onChange={(e) => void save('printerId', e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">No printer</option>
            {printerId !== null && !current ? (
              <option value={String(printerId)}>Unknown printer</option>
            ) : null}
            {(printers ?? []).map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.available ? p.name : `${p.name} (not available here)`}
              </option>
            ))}
          </select>
        </div>
        {printerId !== null && others.length ? (
          <fieldset className="field station-pool" aria-describedby={ids.pool}>
            <legend className="field-label">Also print on</legend>
            {others.map((p) => (
              <label key={p.id} className="field-checkbox">
                <input
                  type="checkbox"
                  checked={pool.includes(p.id)}
                  onChange={(e) =>
                    void save(
                      'poolPrinterIds',
                      e.target.checked ? [...pool, p.id] : pool.filter((id) => id !== p.id),
                    )
                  }
                />
                {p.available ? p.name : `${p.name} (not available here)`}
              </label>
            ))}
            <p id={ids.pool} className="muted small field-help">
              Each badge goes to the next free printer; one that stops (paper out, a jam, unreachable) is
              passed over and its waiting badges go to the others.
            </p>
          </fieldset>
        ) : null}
        <div className="field field-checkbox">
          <input
            id={ids.auto}
            type="checkbox"
            checked={autoPrint}
            onChange={(e) => void save('autoPrint', e.target.checked)}
          />
          <label htmlFor={ids.auto}>Print a badge at check-in</label>
        </div>
        {autoPrint && printerId === null ? (
          <p className="muted small station-printing-hint">
            Choose a printer: without one, check-ins print nothing.
          </p>
        ) : null}
        <InlineError message={error} />
      </div>
    </div>
  );
}
