// Import event: pick a connected account, pick one of its provider events, import it, and land
// on the new event's page (which shows "Import in progress").
import { useEffect, useId, useMemo, useState } from 'react';
import type { ProviderEventOption } from '../../../shared/ipc-contract.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { errorMessage, formatEventDate } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export function ImportEventDialog({ onClose }: { onClose: () => void }) {
  const integrations = useStore((s) => s.integrations);
  const listProviderEvents = useStore((s) => s.listProviderEvents);
  const importEvent = useStore((s) => s.importEvent);
  const navigate = useStore((s) => s.navigate);
  const connected = useMemo(() => integrations.filter((i) => i.status === 'CONNECTED'), [integrations]);
  const [integrationId, setIntegrationId] = useState<number | null>(connected[0]?.id ?? null);
  const [options, setOptions] = useState<ProviderEventOption[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const { busy, error, run } = useDialogAction(onClose);
  const accountId = useId();
  const listLabelId = useId();

  useEffect(() => {
    if (integrationId === null) return;
    let cancelled = false;
    setOptions(null);
    setLoadError(null);
    setSelected(null);
    listProviderEvents(integrationId).then(
      (list) => {
        if (!cancelled) setOptions(list);
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(errorMessage(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [integrationId, listProviderEvents, reloadKey]);

  const onImport = async () => {
    if (integrationId === null || selected === null) return;
    await run(async () => {
      const event = await importEvent(integrationId, selected);
      navigate({ name: 'event', eventId: event.id });
    });
  };

  const goToIntegrations = () => {
    onClose();
    navigate({ name: 'settings', section: 'integrations' });
  };

  if (connected.length === 0) {
    return (
      <Dialog title="Import event" onClose={onClose}>
        <div className="empty-state empty-state-compact">
          <p>No connected account</p>
          <p className="muted">Connect Eventbrite or Luma first, then import an event from it.</p>
          <button type="button" className="button button-primary" onClick={goToIntegrations}>
            Go to integrations
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Import event"
      onClose={onClose}
      busy={busy}
      className="dialog-wide"
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void onImport()}
            disabled={busy || selected === null}
          >
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <div className="form">
        <div className="field">
          <label className="field-label" htmlFor={accountId}>
            Account
          </label>
          <select
            id={accountId}
            value={integrationId ?? ''}
            onChange={(e) => setIntegrationId(Number(e.target.value))}
            disabled={busy}
          >
            {connected.map((i) => (
              <option key={i.id} value={i.id}>
                {`${PROVIDER_LABEL[i.provider]} — ${i.accountEmail}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="field-label" id={listLabelId}>
            Event
          </span>
          {loadError ? (
            <div>
              <InlineError message={loadError} />
              <button
                type="button"
                className="button button-small"
                onClick={() => setReloadKey((k) => k + 1)}
              >
                Try again
              </button>
            </div>
          ) : options === null ? (
            <p className="muted" aria-live="polite">
              Loading events…
            </p>
          ) : options.length === 0 ? (
            <p className="muted">This account has no events.</p>
          ) : (
            <div className="choice-list" role="radiogroup" aria-labelledby={listLabelId}>
              {options.map((option) => (
                <label
                  key={option.providerEventId}
                  className={`choice${option.alreadyAdded ? ' choice-disabled' : ''}${selected === option.providerEventId ? ' choice-selected' : ''}`}
                >
                  <input
                    type="radio"
                    name="provider-event"
                    value={option.providerEventId}
                    checked={selected === option.providerEventId}
                    disabled={option.alreadyAdded || busy}
                    onChange={() => setSelected(option.providerEventId)}
                  />
                  <span className="choice-text">
                    <span className="choice-title">{option.name}</span>
                    <span className="choice-sub">{formatEventDate(option.startsAt)}</span>
                  </span>
                  {option.alreadyAdded ? <span className="badge badge-grey">Already added</span> : null}
                </label>
              ))}
            </div>
          )}
        </div>
        <InlineError message={error} />
      </div>
    </Dialog>
  );
}
