// The recovery dialog: one component for the three alerts (Sync failed, Integration
// disconnected, Import failed). It lists the CONNECTED integrations of the event's provider;
// choosing one runs the recovery the alert stands for, closes, and shows the status's toast.
import { useEffect, useState } from 'react';
import type { Integration, SyncedEvent } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';
import { errorMessage } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { StatusPill } from '../ui/StatusPill.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export interface ReconnectEventDialogProps {
  event: SyncedEvent;
  onClose: () => void;
}

export function ReconnectEventDialog({ event, onClose }: ReconnectEventDialogProps) {
  const recoveryOptions = useStore((s) => s.recoveryOptions);
  const recoverEvent = useStore((s) => s.recoverEvent);
  const navigate = useStore((s) => s.navigate);
  // What the dialog is for is fixed when it opens (the event may change status underneath).
  const [view] = useState(() => describeSyncStatus(event.status, event.activeJob !== null));
  const [options, setOptions] = useState<Integration[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const provider = PROVIDER_LABEL[event.provider];

  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    recoveryOptions(event.id).then(
      (list) => {
        if (!cancelled)
          setOptions(list.filter((i) => i.status === 'CONNECTED' && i.provider === event.provider));
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(errorMessage(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [event.id, event.provider, recoveryOptions, reloadKey]);

  const choose = async (integration: Integration) => {
    setBusyId(integration.id);
    setError(null);
    try {
      await recoverEvent(event.id, integration.id);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusyId(null);
    }
  };

  const goToIntegrations = () => {
    onClose();
    navigate({ name: 'settings', section: 'integrations' });
  };

  const intro =
    view.alert?.action === 'reconnect'
      ? `Choose a connected ${provider} account to link “${event.name}” again. Its attendees are re-imported; check-ins and VIP flags stay.`
      : view.alert?.action === 'retryImport'
        ? `The import of “${event.name}” did not finish. Choose the ${provider} account to run it again.`
        : `The last sync of “${event.name}” failed. Choose the ${provider} account to retry with.`;

  return (
    <Dialog
      title={view.dialogTitle ?? 'Reconnect'}
      onClose={onClose}
      busy={busyId !== null}
      className="dialog-wide"
    >
      {loadError ? (
        <div>
          <InlineError message={loadError} />
          <button type="button" className="button button-small" onClick={() => setReloadKey((k) => k + 1)}>
            Try again
          </button>
        </div>
      ) : options === null ? (
        <p className="muted" aria-live="polite">
          Loading accounts…
        </p>
      ) : options.length === 0 ? (
        <div className="empty-state empty-state-compact">
          <p className="empty-title">No connected {provider} account</p>
          <p className="muted">
            Connect or reconnect your {provider} account in Settings → Integrations, then come back to this
            event.
          </p>
          <button type="button" className="button button-primary" onClick={goToIntegrations}>
            Go to integrations
          </button>
        </div>
      ) : (
        <>
          <p className="muted">{intro}</p>
          <ul className="account-list" aria-label={`Connected ${provider} accounts`}>
            {options.map((integration) => (
              <li key={integration.id} className="account-card">
                <div className="account-card-text">
                  <span className="account-email">{integration.accountEmail}</span>
                  {integration.accountName ? (
                    <span className="account-name muted">{integration.accountName}</span>
                  ) : null}
                </div>
                <StatusPill label="Connected" tone="green" />
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => void choose(integration)}
                  disabled={busyId !== null}
                >
                  {busyId === integration.id ? 'Reconnecting…' : 'Reconnect with this account'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <InlineError message={error} />
    </Dialog>
  );
}
