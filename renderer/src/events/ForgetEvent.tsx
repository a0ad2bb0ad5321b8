// Forgetting the event on this desk (the rules and texts: shared/forget.ts). The event page says
// when the event was forgotten here, or why the retention rule or this desk's removal has not
// forgotten it yet; an admin forgets it by hand, after a confirmation that says what is removed,
// what stays, and whether the check-ins made here are held elsewhere (else the CSV comes first).
import { useEffect, useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import {
  FORGET_KEEPS_TEXT,
  FORGET_REMOVES_TEXT,
  checkInsSafe,
  forgottenText,
  heldText,
  refusalText,
  type ForgetCheck,
} from '../../../shared/forget.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { Dialog, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError, Loading } from '../ui/states.tsx';
import { downloadText } from '../ui/download.ts';
import { errorMessage, formatCount, formatMoment, formatTime, plural } from '../ui/format.ts';

/** The event was forgotten here, or is due to be and says what holds it back. */
export function ForgottenNotice({ event }: { event: SyncedEvent }) {
  if (event.forgotten)
    return (
      <div className="alert alert-amber" data-testid="forgotten-notice">
        <div className="alert-text">
          <p className="alert-title">Forgotten on this desk</p>
          <p className="alert-reason">{forgottenText(event.forgotten, formatMoment)}</p>
        </div>
      </div>
    );
  const due = event.forgetDue;
  if (!due) return null;
  const why =
    due.reason === 'removed'
      ? 'This desk was removed from its venue: it forgets this event once nothing would be lost.'
      : 'This event is past the time this desk keeps events: it forgets it once nothing would be lost.';
  return (
    <div className="alert alert-amber" role="status" data-testid="forget-due-notice">
      <div className="alert-text">
        <p className="alert-title">Waiting to be forgotten on this desk</p>
        <p className="alert-reason">
          {why} {due.detail.charAt(0).toUpperCase() + due.detail.slice(1)}.
        </p>
      </div>
    </div>
  );
}

/** The admin's action in the event's settings. */
export function ForgetEventAction({ event }: { event: SyncedEvent }) {
  const admin = useStore(isAdmin);
  const [open, setOpen] = useState(false);
  if (event.forgotten) return null;
  return (
    <div className="event-setting">
      <h3 className="event-setting-title">Forget this event on this desk</h3>
      <p className="event-setting-text">
        Removes every attendee&apos;s personal data of this event from this desk; the counts stay.
      </p>
      {admin ? (
        <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
          Forget on this desk…
        </button>
      ) : (
        <p className="muted small">An admin can forget this event on this desk.</p>
      )}
      {open && admin ? <ForgetEventDialog event={event} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function ForgetEventDialog({ event, onClose }: { event: SyncedEvent; onClose: () => void }) {
  const forgetCheck = useStore((s) => s.forgetCheck);
  const exportBeforeForgetting = useStore((s) => s.exportBeforeForgetting);
  const forgetEvent = useStore((s) => s.forgetEvent);
  const toast = useStore((s) => s.toast);
  const { busy, error, setError, run } = useDialogAction(onClose);
  const [check, setCheck] = useState<ForgetCheck | null>(null);
  const [exporting, setExporting] = useState(false);

  const readCheck = async () => {
    try {
      setCheck(await forgetCheck(event.id));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  // Once, as the dialog opens; the export reads it again.
  useEffect(() => {
    void readCheck();
  }, []);

  const onExport = async () => {
    setExporting(true);
    try {
      const { filename, csv } = await exportBeforeForgetting(event.id);
      downloadText(filename, csv, 'text/csv;charset=utf-8');
      toast(`Check-ins exported to ${filename}: keep that file`, 'success');
      await readCheck();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setExporting(false);
    }
  };

  const safe = check !== null && checkInsSafe(check.held);
  const canForget = check !== null && safe && check.waitingPrints === 0;
  return (
    <Dialog
      title={`Forget “${event.name}” on this desk?`}
      onClose={onClose}
      busy={busy}
      className="dialog-wide"
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger-solid"
            disabled={busy || !canForget}
            onClick={() =>
              void run(async () => {
                const outcome = await forgetEvent(event.id);
                toast(
                  `${event.name} forgotten on this desk: ${plural(outcome.removed.people, 'person', 'people')} and ${plural(outcome.removed.files, 'file', 'files')} removed`,
                  'success',
                );
              })
            }
          >
            {busy ? 'Forgetting…' : 'Forget on this desk'}
          </button>
        </>
      }
    >
      {check === null ? (
        error ? null : (
          <>
            <p>Asking the venue which check-ins it holds…</p>
            <Loading />
          </>
        )
      ) : (
        <>
          <h3 className="forget-subtitle">Removed from this desk</h3>
          <ul className="forget-list" data-testid="forget-removes">
            <li>{plural(check.removes.people, 'person', 'people')} of this event, walk-ins included</li>
            <li>{plural(check.removes.venueDocuments, 'venue document', 'venue documents')} kept here</li>
            <li>{plural(check.removes.badgeFiles, 'badge PDF', 'badge PDFs')} in the PDF printer’s folder</li>
            <li>{plural(check.removes.csvFiles, 'CSV file', 'CSV files')} this desk saved</li>
          </ul>
          <p className="small">{FORGET_REMOVES_TEXT}</p>
          <h3 className="forget-subtitle">Kept, for statistics</h3>
          <p className="small" data-testid="forget-keeps">
            {formatCount(check.keeps.attending)} attending, {formatCount(check.keeps.checkedIn)} checked in,
            and the anonymous check-in log ({plural(check.keeps.logEntries, 'entry', 'entries')}).{' '}
            {FORGET_KEEPS_TEXT}
          </p>
          <h3 className="forget-subtitle">The check-ins made here</h3>
          <p role="status" data-testid="forget-held" className={safe ? 'small' : 'inline-error-text'}>
            {heldText(check.held, formatTime)}
          </p>
          {!safe ? (
            <button
              type="button"
              className="button"
              onClick={() => void onExport()}
              disabled={exporting || busy}
              aria-busy={exporting || undefined}
            >
              {exporting ? 'Exporting…' : 'Export check-ins (CSV) first'}
            </button>
          ) : null}
          {check.waitingPrints > 0 ? (
            <p className="inline-error-text" data-testid="forget-prints">
              {refusalText({ refusal: 'print-waiting', waiting: check.waitingPrints }, formatTime)}
            </p>
          ) : null}
        </>
      )}
      <InlineError message={error} />
    </Dialog>
  );
}
