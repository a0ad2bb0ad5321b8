// A badge that came back from its print station (handed back, or the station went away), or failed
// or may have printed there: a person sends it to another station, or to the nearest free one.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { PrintJob } from '../../../shared/printing.ts';
import { sentJobText } from '../../../shared/print-stations.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';
import { seenStations, stationChoiceLabel } from './PrintAtField.tsx';

export function SendElsewhereDialog({ job, onClose }: { job: PrintJob; onClose: () => void }) {
  const stations = useStore(seenStations);
  const refresh = useStore((s) => s.refreshPrintStations);
  const sendElsewhere = useStore((s) => s.sendPrintJobElsewhere);
  const [to, setTo] = useState('nearest');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const fieldId = useId();

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (stations.length === 0) {
      setError('No print station is seen now. Try again when one is.');
      return;
    }
    await run(() =>
      sendElsewhere(job, to === 'nearest' ? { kind: 'nearest' } : { kind: 'station', stationId: to }),
    );
  };

  return (
    <Dialog title="Send the badge elsewhere" onClose={onClose} busy={busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p>
          {job.attendeeName ?? 'This badge'}: {sentJobText(job) ?? job.error}
        </p>
        <div className="field">
          <label className="field-label" htmlFor={fieldId}>
            Send to
          </label>
          <select id={fieldId} data-autofocus value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="nearest">Nearest free station</option>
            {stations.map((s) => (
              <option key={s.stationId} value={s.stationId}>
                {stationChoiceLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Send" busyLabel="Sending…" />
        </div>
      </form>
    </Dialog>
  );
}
