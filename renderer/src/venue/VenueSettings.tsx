// Settings → Venue (issue 16): start a venue or join one by its pairing code (desks found nearby
// are listed; an address can be typed where mDNS is blocked), the code as text and as a QR code,
// the venue's desks with their presence, removing a desk and rotating the secret, what other
// desks sent that this one refused, and who was admitted or printed twice while desks were apart.
// Changing the venue is an admin's call (main enforces it); operators see the desks.
import { useId, useMemo, useState } from 'react';
import type { FormEvent, ReactNode, RefObject } from 'react';
import { create as createQr } from 'qrcode';
import type { DiscoveredDesk, VenueDeskView, VenueRelayView, VenueStatus } from '../../../shared/venue-desks.ts';
import { doubleAdmissionText, doublePrintText, type VenueConflict } from '../../../shared/venue-view.ts';
import { errorMessage } from '../app/bridge.ts';
import { formatClock, formatMoment, plural } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { Badge } from '../ui/StatusPill.tsx';
import { Dialog, FormDialogActions, InlineError, useDialogAction } from '../ui/Dialog.tsx';

export function VenueSection({ headingRef }: { headingRef: RefObject<HTMLHeadingElement | null> }) {
  const status = useStore((s) => s.venue);
  const error = useStore((s) => s.venueError);
  const admin = useStore(isAdmin);
  const [dialog, setDialog] = useState<'start' | 'join' | 'rotate' | 'leave' | null>(null);
  const venue = status?.venue ?? null;

  return (
    <section className="settings-section" aria-labelledby="venue-title" data-testid="venue-section">
      <div className="section-header">
        <h2 id="venue-title" ref={headingRef} tabIndex={-1}>
          Venue
        </h2>
        {admin && status ? (
          <div className="section-actions">
            {venue ? (
              <>
                <button type="button" className="button" onClick={() => setDialog('rotate')}>
                  Rotate secret
                </button>
                <button type="button" className="button button-danger" onClick={() => setDialog('leave')}>
                  Leave venue
                </button>
              </>
            ) : (
              <>
                <button type="button" className="button button-primary" onClick={() => setDialog('start')}>
                  Start a venue
                </button>
                <button type="button" className="button" onClick={() => setDialog('join')}>
                  Join a venue
                </button>
              </>
            )}
          </div>
        ) : null}
      </div>
      {status === null ? (
        error ? (
          <p className="muted">The venue is not available here: {error}</p>
        ) : (
          <p className="muted small">Loading…</p>
        )
      ) : (
        <>
          {!admin ? <p className="muted">Only an admin can start or join a venue, see its pairing code, or remove a desk. Unlock admin to change them.</p> : null}
          {venue ? (
            <InVenue status={status} admin={admin} />
          ) : (
            <p className="muted empty-inline">
              {status.thisDesk.name} works alone. Start a venue here, or join one with the pairing code another desk shows: desks in a venue share check-ins,
              VIP flags and printed badges over this network.
            </p>
          )}
        </>
      )}
      {dialog === 'start' ? <StartVenueDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'join' ? <JoinVenueDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'rotate' ? <RotateSecretDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'leave' && venue ? <LeaveVenueDialog venueName={venue.name} onClose={() => setDialog(null)} /> : null}
    </section>
  );
}

function InVenue({ status, admin }: { status: VenueStatus; admin: boolean }) {
  const [removing, setRemoving] = useState<VenueDeskView | null>(null);
  const online = status.desks.filter((d) => d.online).length;
  return (
    <>
      <p className="venue-summary">
        <span className="strong" data-testid="venue-name">
          {status.venue?.name}
        </span>{' '}
        · {plural(status.desks.length, 'desk', 'desks')}, {online} online
      </p>
      <p className="muted small">
        This desk is {status.thisDesk.name}, listening on port <span data-testid="venue-this-port">{status.thisDesk.port}</span>: another desk types this
        machine's address and that port to connect when the network blocks discovery.
      </p>
      {admin ? <PairingCode /> : null}
      <ul className="venue-desk-list" aria-label="Desks of this venue">
        {status.desks.map((desk) => (
          <VenueDeskCard key={desk.stationId} desk={desk} admin={admin} onRemove={() => setRemoving(desk)} />
        ))}
      </ul>
      {status.relays.length > 0 ? (
        <ul className="venue-desk-list" aria-label="Relays of this venue">
          {status.relays.map((relay) => (
            <VenueRelayCard key={relay.stationId} relay={relay} />
          ))}
        </ul>
      ) : null}
      {admin ? <AddDeskForm /> : null}
      <Refusals status={status} />
      {admin ? <VenueConflictsList /> : null}
      {removing ? <RemoveDeskDialog desk={removing} onClose={() => setRemoving(null)} /> : null}
    </>
  );
}

/** "Clock 3 min ahead": the other desk's clock against this one's, when more than 2 minutes apart. */
function clockOffText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `Clock ${minutes} min ${offsetMs > 0 ? 'ahead' : 'behind'}`;
}

function VenueDeskCard({ desk, admin, onRemove }: { desk: VenueDeskView; admin: boolean; onRemove: () => void }) {
  return (
    <li className="venue-desk-card" data-testid="venue-desk" data-online={desk.online}>
      <div className="venue-desk-main">
        <span className="venue-desk-name">{desk.name}</span>
        {desk.appVersion ? <span className="muted small">Badge Desk {desk.appVersion}</span> : null}
      </div>
      <div className="venue-desk-status">
        {desk.thisDesk ? <Badge label="This desk" tone="blue" /> : null}
        {desk.online ? <Badge label="Online" tone="green" /> : <Badge label="Offline" tone="grey" />}
        {!desk.thisDesk && desk.lastSeenAt ? (
          <span className="muted small" title={formatMoment(desk.lastSeenAt)}>
            last seen at <time dateTime={desk.lastSeenAt}>{formatClock(desk.lastSeenAt)}</time>
          </span>
        ) : null}
        {!desk.thisDesk && !desk.lastSeenAt ? <span className="muted small">not seen since this desk started</span> : null}
        {desk.clockOff && desk.clockOffsetMs !== null ? <Badge label={clockOffText(desk.clockOffsetMs)} tone="amber" /> : null}
      </div>
      {admin && !desk.thisDesk ? (
        <div className="venue-desk-actions">
          <button type="button" className="button button-small button-danger" aria-label={`Remove ${desk.name}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** A relay (npm run relay): desks that cannot reach each other meet through it; it is no desk, so it has no name and no Remove. */
function VenueRelayCard({ relay }: { relay: VenueRelayView }) {
  return (
    <li className="venue-desk-card" data-testid="venue-relay" data-online={relay.online}>
      <div className="venue-desk-main">
        <span className="venue-desk-name">Relay</span>
        {relay.address ? <span className="muted small mono">{relay.address}</span> : null}
      </div>
      <div className="venue-desk-status">
        {relay.online ? <Badge label="Online" tone="green" /> : <Badge label="Offline" tone="grey" />}
        {relay.lastSeenAt ? (
          <span className="muted small" title={formatMoment(relay.lastSeenAt)}>
            last seen at <time dateTime={relay.lastSeenAt}>{formatClock(relay.lastSeenAt)}</time>
          </span>
        ) : (
          <span className="muted small">not seen since this desk started</span>
        )}
      </div>
    </li>
  );
}

/** The pairing code as text and as a QR code (admins only: it holds the venue secret). */
function PairingCode() {
  const code = useStore((s) => s.venueCode);
  return (
    <div className="venue-code">
      <div className="venue-code-text">
        <span className="field-label">Pairing code</span>
        {code ? (
          <>
            <code className="venue-code-value mono" data-testid="venue-pairing-code">
              {code}
            </code>
            <span className="muted small">Type or scan it on the desk that joins. Whoever has it can join this venue: show it to admins only.</span>
          </>
        ) : (
          <span className="muted small">Loading…</span>
        )}
      </div>
      {code ? <QrCode text={code} label="The pairing code as a QR code" /> : null}
    </div>
  );
}

/** QR modules as one SVG path, drawn by React: no markup strings and no script, under the page's strict CSP. */
function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => {
    const modules = createQr(text, { errorCorrectionLevel: 'M' }).modules;
    const quiet = 4;
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
    return { size: modules.size + quiet * 2, path: d };
  }, [text]);
  return (
    <svg className="venue-qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect className="venue-qr-light" width={size} height={size} />
      <path className="venue-qr-dark" d={path} />
    </svg>
  );
}

/**
 * When mDNS is blocked: connect to another desk of this venue by its address, or to the venue's
 * relay (the same form: the relay says what it is, and the desk then lists it as the relay and
 * puts it into the venue's pairing codes and directory, so every desk connects to it).
 */
function AddDeskForm() {
  const addVenueDesk = useStore((s) => s.addVenueDesk);
  const toast = useStore((s) => s.toast);
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const typed = address.trim();
    if (!typed) return setError('Type the address another desk or the relay shows, e.g. 192.168.1.20:41234.');
    setBusy(true);
    setError(null);
    try {
      await addVenueDesk(typed);
      setAddress('');
      toast(`Connecting to ${typed}`, 'info');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form venue-add-desk" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label className="field-label" htmlFor={id}>
          Connect to a desk or a relay by address
        </label>
        <div className="venue-address-row">
          <input id={id} type="text" className="mono" maxLength={300} value={address} onChange={(e) => setAddress(e.target.value)} placeholder="192.168.1.20:41234" autoComplete="off" spellCheck={false} disabled={busy} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        </div>
        <span className="field-help muted small">
          For a network that blocks discovery (mDNS), or a relay where the network keeps desks apart. Desks of this venue found nearby connect by themselves.
        </span>
      </div>
      <InlineError message={error} />
    </form>
  );
}

/** Connections this desk refused, and entries from other desks it did not accept. */
function Refusals({ status }: { status: VenueStatus }) {
  const refused = useStore((s) => s.venueRefused);
  const names = new Map(status.desks.map((d) => [d.stationId, d.name]));
  const entries = (refused ?? []).filter((r) => r.count > 0);
  if (status.refusalCount === 0 && entries.length === 0) return null;
  return (
    <div className="venue-refusals" data-testid="venue-refusals">
      <h3>Refused</h3>
      <ul className="venue-refusal-list">
        {entries.map((r) => (
          <li key={r.stationId ?? 'unknown'}>
            {plural(r.count, 'entry', 'entries')} from {r.stationId ? (names.get(r.stationId) ?? `station ${r.stationId}`) : 'a desk that did not say who it is'}, last at{' '}
            <time dateTime={r.lastAt} title={formatMoment(r.lastAt)}>
              {formatClock(r.lastAt)}
            </time>
            : {r.lastReason}
          </li>
        ))}
        {status.refusals.slice(0, 5).map((r, i) => (
          <li key={`${r.at}-${i}`}>
            Connection from {r.from} at{' '}
            <time dateTime={r.at} title={formatMoment(r.at)}>
              {formatClock(r.at)}
            </time>
            : {r.reason}
          </li>
        ))}
      </ul>
      {status.refusalCount > 5 ? <p className="muted small">{plural(status.refusalCount, 'connection', 'connections')} refused in all.</p> : null}
    </div>
  );
}

/** What happened twice while desks could not see each other, per event, for the admin. */
function VenueConflictsList() {
  const conflicts = useStore((s) => s.venueConflicts);
  const events = useStore((s) => s.events);
  const withConflicts = events.flatMap((event) => {
    const c = conflicts[event.id];
    return c && (c.admissions.length > 0 || c.prints.length > 0) ? [{ event, conflicts: c }] : [];
  });
  return (
    <div className="venue-conflicts" data-testid="venue-conflicts">
      <h3>While desks were apart</h3>
      {withConflicts.length === 0 ? (
        <p className="muted small">Nobody was admitted or given a badge twice.</p>
      ) : (
        withConflicts.map(({ event, conflicts: c }) => (
          <div key={event.id} className="venue-conflict-event">
            <h4>{event.name}</h4>
            <ul className="venue-conflict-list">
              {c.admissions.map((conflict) => (
                <ConflictRow key={`a-${conflict.attendeeId}`} conflict={conflict} text={doubleAdmissionText(conflict, formatClock)} />
              ))}
              {c.prints.map((conflict) => (
                <ConflictRow key={`p-${conflict.attendeeId}`} conflict={conflict} text={doublePrintText(conflict, formatClock)} />
              ))}
            </ul>
          </div>
        ))
      )}
    </div>
  );
}

function ConflictRow({ conflict, text }: { conflict: VenueConflict; text: string }) {
  return (
    <li className="venue-conflict" data-testid="venue-conflict">
      <span className="strong">{conflict.attendeeName}</span>
      <span>{text}</span>
    </li>
  );
}

function StartVenueDialog({ onClose }: { onClose: () => void }) {
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
    <Dialog title="Start a venue" onClose={onClose} busy={busy} actions={<FormDialogActions formId={ids.form} onCancel={onClose} busy={busy} label="Start venue" busyLabel="Starting…" />}>
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <p>This desk becomes the venue's first desk. A random secret is made; other desks join with the pairing code shown here.</p>
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Venue name
          </label>
          <input id={ids.name} type="text" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Main hall" autoComplete="off" data-autofocus />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

const desksNearbyLabel = (d: DiscoveredDesk) => `${d.deskName} · ${d.venueName ? `venue ${d.venueName}` : 'in no venue'}`;
const addressOf = (d: DiscoveredDesk) => `${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;

function JoinVenueDialog({ onClose }: { onClose: () => void }) {
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
    if (!trimmed) return setError('Type the pairing code another desk of the venue shows (it starts with BD1 or BD2).');
    // A typed address wins over a picked desk; neither lets main look for a desk of that venue nearby.
    const address = typed.trim() || picked;
    await run(async () => {
      await joinVenue(trimmed, address);
      toast('Joined the venue', 'success');
    });
  };

  return (
    <Dialog title="Join a venue" onClose={onClose} busy={busy} className="dialog-wide" actions={<FormDialogActions formId={ids.form} onCancel={onClose} busy={busy} label="Join" busyLabel="Joining…" />}>
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
          <span className="field-help muted small">Shown in Settings → Venue on a desk of the venue, as text and as a QR code.</span>
        </div>
        <fieldset className="field venue-nearby" aria-describedby={ids.nearby}>
          <legend className="field-label">Desks nearby</legend>
          {inVenue.length === 0 ? (
            <p id={ids.nearby} className="muted small">
              No desk of a venue found on this network yet. Type its address below if the network blocks discovery.
            </p>
          ) : (
            <ul id={ids.nearby} className="choice-list" aria-label="Desks nearby">
              {inVenue.map((d) => {
                const address = addressOf(d);
                const selected = picked === address;
                return (
                  <li key={address}>
                    <button type="button" className={`choice${selected ? ' choice-selected' : ''}`} aria-pressed={selected} onClick={() => setPicked(selected ? null : address)}>
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
          <input id={ids.address} type="text" className="mono" maxLength={300} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="192.168.1.20:41234" autoComplete="off" spellCheck={false} />
          <span className="field-help muted small">host:port, as the other desk's Settings → Venue shows it. A code that starts with BD2 needs none: it names the venue's relay.</span>
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

/** A rotation answers the desks the new secret did not reach: they join again with the new code. */
function rotationToast(prefix: string, notReached: string[]): string {
  return notReached.length === 0 ? prefix : `${prefix}. Not reached: ${notReached.join(', ')}; join them again with the new pairing code`;
}

/** Cancel, or the one thing the dialog asks about; its error shown inline. */
function ConfirmDialog(props: { title: string; label: string; busyLabel: string; danger: boolean; onConfirm: () => Promise<void>; onClose: () => void; children: ReactNode }) {
  const { busy, error, run } = useDialogAction(props.onClose);
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      busy={busy}
      actions={
        <>
          <button type="button" className="button" onClick={props.onClose} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button type="button" className={`button ${props.danger ? 'button-danger-solid' : 'button-primary'}`} onClick={() => void run(props.onConfirm)} disabled={busy}>
            {busy ? props.busyLabel : props.label}
          </button>
        </>
      }
    >
      {props.children}
      <InlineError message={error} />
    </Dialog>
  );
}

function RemoveDeskDialog({ desk, onClose }: { desk: VenueDeskView; onClose: () => void }) {
  const removeVenueDesk = useStore((s) => s.removeVenueDesk);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    const notReached = await removeVenueDesk(desk.stationId);
    toast(rotationToast(`Removed ${desk.name} and rotated the secret`, notReached), notReached.length === 0 ? 'success' : 'info');
  };
  return (
    <ConfirmDialog title="Remove desk" label="Remove" busyLabel="Removing…" danger onConfirm={confirm} onClose={onClose}>
      <p>
        Remove <span className="strong">{desk.name}</span> from the venue? The secret is rotated, so it can neither read nor write the venue's check-ins; the other desks get
        the new secret now.
      </p>
    </ConfirmDialog>
  );
}

function RotateSecretDialog({ onClose }: { onClose: () => void }) {
  const rotateVenueSecret = useStore((s) => s.rotateVenueSecret);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    const notReached = await rotateVenueSecret();
    toast(rotationToast('The venue has a new secret and pairing code', notReached), notReached.length === 0 ? 'success' : 'info');
  };
  return (
    <ConfirmDialog title="Rotate secret" label="Rotate" busyLabel="Rotating…" danger={false} onConfirm={confirm} onClose={onClose}>
      <p>Make a new venue secret? The desks online now get it at once; the old pairing code stops working, and a desk that is off joins again with the new one.</p>
    </ConfirmDialog>
  );
}

function LeaveVenueDialog({ venueName, onClose }: { venueName: string; onClose: () => void }) {
  const leaveVenue = useStore((s) => s.leaveVenue);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    await leaveVenue();
    toast(`Left the venue ${venueName}`, 'info');
  };
  return (
    <ConfirmDialog title="Leave venue" label="Leave" busyLabel="Leaving…" danger onConfirm={confirm} onClose={onClose}>
      <p>
        Leave <span className="strong">{venueName}</span>? This desk keeps its check-ins and works alone; joining again needs the pairing code.
      </p>
    </ConfirmDialog>
  );
}
