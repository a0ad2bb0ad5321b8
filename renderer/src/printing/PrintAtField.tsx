// "Print badges at": this desk's printers, a print station of the venue, or the nearest free one
// (shared/print-stations.ts says how that is chosen). A station setting, an admin's; the desk's
// Settings and the kiosk's start both show it. Saved as it changes.
import { useEffect, useId, useState } from 'react';
import type { PrintAt, PrintStationView } from '../../../shared/print-stations.ts';
import { PRINT_HERE, printAtText } from '../../../shared/print-stations.ts';
import { errorMessage } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { InlineError } from '../ui/states.tsx';

const NO_STATIONS: readonly PrintStationView[] = [];

/** The print stations this desk sees (the same empty list while none are read: a stable selection). */
export const seenStations = (s: { printStations: { stations: PrintStationView[] } | null }) =>
  s.printStations?.stations ?? NO_STATIONS;

/** A station as a choice: its name, its badges waiting, and whether its printers can print now. */
export function stationChoiceLabel(s: PrintStationView): string {
  return `${s.name} — ${s.waiting} waiting${s.ready ? '' : ', its printers are stopped'}`;
}

function valueOf(printAt: PrintAt): string {
  return printAt.kind === 'station' ? `station:${printAt.stationId}` : printAt.kind;
}

export function PrintAtField({ help }: { help?: string }) {
  const saved = useStore((s) => s.settings.printAt ?? PRINT_HERE);
  const stations = useStore(seenStations);
  const refresh = useStore((s) => s.refreshPrintStations);
  const updateSettings = useStore((s) => s.updateSettings);
  const [pending, setPending] = useState<PrintAt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { select: useId(), help: useId() };
  const printAt = pending ?? saved;

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const choose = async (value: string) => {
    let next: PrintAt;
    if (value === 'here' || value === 'nearest') next = { kind: value };
    else {
      const id = value.slice('station:'.length);
      const s = stations.find((x) => x.stationId === id);
      next = s
        ? { kind: 'station', stationId: s.stationId, name: s.name }
        : saved.kind === 'station' && saved.stationId === id
          ? saved
          : PRINT_HERE;
    }
    setPending(next);
    setError(null);
    try {
      await updateSettings({ printAt: next });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(null);
    }
  };

  const savedUnseen = saved.kind === 'station' && !stations.some((s) => s.stationId === saved.stationId);
  return (
    <div className="field print-at-field">
      <label className="field-label" htmlFor={ids.select}>
        Print badges at
      </label>
      <select
        id={ids.select}
        value={valueOf(printAt)}
        aria-describedby={help ? ids.help : undefined}
        onChange={(e) => void choose(e.target.value)}
      >
        <option value="here">{printAtText(PRINT_HERE)}</option>
        <option value="nearest">Nearest free station</option>
        {stations.map((s) => (
          <option key={s.stationId} value={`station:${s.stationId}`}>
            {stationChoiceLabel(s)}
          </option>
        ))}
        {savedUnseen ? <option value={valueOf(saved)}>{printAtText(saved, stations)}</option> : null}
      </select>
      {help ? (
        <p id={ids.help} className="muted small field-help">
          {help}
        </p>
      ) : null}
      <InlineError message={error} />
    </div>
  );
}
