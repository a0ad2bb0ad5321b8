// Settings → Printers → This station: offer this desk's printers to the venue as a print station
// under a name ("Badge table"). Other desks and kiosks of the venue then send their badges here;
// they print on this desk's printers, through the same first-badge rule. An admin's choice.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { cleanStationName, MAX_STATION_NAME_CHARS } from '../../../shared/print-stations.ts';
import { errorMessage, formatCount } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { InlineError } from '../ui/states.tsx';

export function PrintStationOffer() {
  const saved = useStore((s) => s.settings.printStationName ?? null);
  const hasPrinter = useStore((s) => s.settings.printerId !== null);
  const offering = useStore((s) => s.printStations?.offering ?? null);
  const updateSettings = useStore((s) => s.updateSettings);
  const refresh = useStore((s) => s.refreshPrintStations);
  const [name, setName] = useState(saved ?? 'Badge table');
  const [busy, setBusy] = useState(false);
  // The choice shows at once; the saved settings take over when main has answered.
  const [pending, setPending] = useState<string | null | undefined>(undefined);
  const offered = pending !== undefined ? pending : saved;
  const [error, setError] = useState<string | null>(null);
  const ids = { offer: useId(), name: useId(), help: useId() };

  const save = async (next: string | null) => {
    setBusy(true);
    setPending(next);
    setError(null);
    try {
      await updateSettings({ printStationName: next });
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = cleanStationName(name);
    if (!clean) {
      setError(`A station's name is 1 to ${MAX_STATION_NAME_CHARS} characters of plain text.`);
      return;
    }
    void save(clean);
  };

  return (
    <form className="station-offer" onSubmit={submit} aria-describedby={ids.help}>
      <div className="field field-checkbox">
        <input
          id={ids.offer}
          type="checkbox"
          checked={offered !== null}
          disabled={busy || (!hasPrinter && offered === null)}
          onChange={(e) => void save(e.target.checked ? (cleanStationName(name) ?? 'Badge table') : null)}
        />
        <label htmlFor={ids.offer}>Offer this desk’s printers to the venue as a print station</label>
      </div>
      {offered !== null ? (
        <div className="field station-offer-name">
          <label className="field-label" htmlFor={ids.name}>
            Station name
          </label>
          <div className="station-offer-row">
            <input
              id={ids.name}
              type="text"
              maxLength={MAX_STATION_NAME_CHARS}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="button button-small" disabled={busy || name.trim() === saved}>
              Rename
            </button>
          </div>
        </div>
      ) : null}
      <p id={ids.help} className="muted small field-help" data-testid="print-station-offer">
        {offered === null
          ? hasPrinter
            ? 'Desks and kiosks of the venue can then send their badges to this desk’s printers.'
            : 'Choose a printer first: a print station prints on this desk’s printers.'
          : offering
            ? `Offered to the venue as ${offering.name}: ${formatCount(offering.waiting)} waiting.`
            : `Offered as ${offered} once this desk has a printer.`}
      </p>
      <InlineError message={error} />
    </form>
  );
}
