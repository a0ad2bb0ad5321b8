// Starting a venue on this desk, or joining one with its pairing code through a desk found nearby
// or a typed address.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { DiscoveredDesk } from '../../../shared/venue-desks.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export function StartVenueDialog({ onClose }: { onClose: () => void }) {
  const startVenue = useStore((s) => s.startVenue);
  const toast = useStore((s) => s.toast);
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const ids = { name: useId(), form: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Give the venue a name (e.g. Main hall).');
    await run(async () => {
      await startVenue(trimmed);
      toast(`Venue ${trimmed} started: join other desks with its pairing code`, 'success');
    });
  };

  return (
    <Dialog
      title="Start a venue"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Start venue"
          busyLabel="Starting…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <p>
          This desk becomes the venue's first desk. A random secret is made; other desks join with the pairing
          code shown here.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Venue name
          </label>
          <input
            id={ids.name}
            type="text"
            required
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Main hall"
            autoComplete="off"
            data-autofocus
          />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

const desksNearbyLabel = (d: DiscoveredDesk) =>
  `${d.deskName} · ${d.venueName ? `venue ${d.venueName}` : 'in no venue'}`;
const addressOf = (d: DiscoveredDesk) => `${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;

export function JoinVenueDialog({ onClose }: { onClose: () => void }) {
  const joinVenue = useStore((s) => s.joinVenue);
  const discovered = useStore((s) => s.venue?.discovered ?? []);
  const toast = useStore((s) => s.toast);
  const [code, setCode] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const ids = { code: useId(), address: useId(), form: useId(), nearby: useId() };
  const inVenue = discovered.filter((d) => d.venueName !== null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = code.trim();
    if (!trimmed)
      return setError(
        'Type the pairing code another desk of the venue shows (it starts with BD1, BD2 or BD3).',
      );
    // A typed address wins over a picked desk; neither lets main look for a desk of that venue nearby.
    const address = typed.trim() || picked;
    await run(async () => {
      await joinVenue(trimmed, address);
      toast('Joined the venue', 'success');
    });
  };

  return (
    <Dialog
      title="Join a venue"
      onClose={onClose}
      busy={busy}
      className="dialog-wide"
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Join"
          busyLabel="Joining…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field-label" htmlFor={ids.code}>
            Pairing code
          </label>
          <input
            id={ids.code}
            type="text"
            className="mono"
            required
            maxLength={300}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder="BD1-XXXXX-XXXXX-…"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            data-autofocus
          />
          <span className="field-help muted small">
            Shown in Settings → Venue on a desk of the venue, as text and as a QR code.
          </span>
        </div>
        <fieldset className="field venue-nearby" aria-describedby={ids.nearby}>
          <legend className="field-label">Desks nearby</legend>
          {inVenue.length === 0 ? (
            <p id={ids.nearby} className="muted small">
              No desk of a venue found on this network yet. Type its address below if the network blocks
              discovery.
            </p>
          ) : (
            <ul id={ids.nearby} className="choice-list" aria-label="Desks nearby">
              {inVenue.map((d) => {
                const address = addressOf(d);
                const selected = picked === address;
                return (
                  <li key={address}>
                    <button
                      type="button"
                      className={`choice${selected ? ' choice-selected' : ''}`}
                      aria-pressed={selected}
                      onClick={() => setPicked(selected ? null : address)}
                    >
                      <span className="choice-text">
                        <span className="choice-title">{desksNearbyLabel(d)}</span>
                        <span className="choice-sub mono">{address}</span>
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </fieldset>
        <div className="field">
          <label className="field-label" htmlFor={ids.address}>
            Or its address
          </label>
          <input
            id={ids.address}
            type="text"
            className="mono"
            maxLength={300}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="192.168.1.20:41234"
            autoComplete="off"
            spellCheck={false}
          />
          <span className="field-help muted small">
            host:port, as the other desk's Settings → Venue shows it. A code that starts with BD2 or BD3 needs
            none: it names the venue's relays.
          </span>
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
