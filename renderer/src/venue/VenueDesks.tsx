// The venue's members on Settings → Venue: each desk with its presence and clock, the relay, the
// pairing code (as text and as a QR code) for an admin, and connecting to a desk or relay by
// address where the network blocks discovery (mDNS).
import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { create as createQr } from 'qrcode';
import type { VenueDeskView, VenueRelayView } from '../../../shared/venue-desks.ts';
import { errorMessage, formatClock, formatMoment } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { StatusPill } from '../ui/StatusPill.tsx';
import { InlineError } from '../ui/states.tsx';

/** "Clock 3 min ahead": the other desk's clock against this one's, when more than 2 minutes apart. */
function clockOffText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `Clock ${minutes} min ${offsetMs > 0 ? 'ahead' : 'behind'}`;
}

export function VenueDeskCard({
  desk,
  admin,
  onRemove,
}: {
  desk: VenueDeskView;
  admin: boolean;
  onRemove: () => void;
}) {
  return (
    <li className="venue-desk-card" data-testid="venue-desk" data-online={desk.online}>
      <div className="venue-desk-main">
        <span className="venue-desk-name">{desk.name}</span>
        {desk.appVersion ? <span className="muted small">Badge Desk {desk.appVersion}</span> : null}
      </div>
      <div className="venue-desk-status">
        {desk.thisDesk ? <StatusPill label="This desk" tone="blue" /> : null}
        {desk.online ? (
          <StatusPill label="Online" tone="green" />
        ) : (
          <StatusPill label="Offline" tone="grey" />
        )}
        {!desk.thisDesk && desk.lastSeenAt ? (
          <span className="muted small" title={formatMoment(desk.lastSeenAt)}>
            last seen at <time dateTime={desk.lastSeenAt}>{formatClock(desk.lastSeenAt)}</time>
          </span>
        ) : null}
        {!desk.thisDesk && !desk.lastSeenAt ? (
          <span className="muted small">not seen since this desk started</span>
        ) : null}
        {desk.clockOff && desk.clockOffsetMs !== null ? (
          <StatusPill label={clockOffText(desk.clockOffsetMs)} tone="amber" />
        ) : null}
      </div>
      {admin && !desk.thisDesk ? (
        <div className="venue-desk-actions">
          <button
            type="button"
            className="button button-small button-danger"
            aria-label={`Remove ${desk.name}`}
            onClick={onRemove}
          >
            Remove
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** A relay (npm run relay): desks that cannot reach each other meet through it; it is no desk, so it has no name and no Remove. */
export function VenueRelayCard({ relay }: { relay: VenueRelayView }) {
  return (
    <li className="venue-desk-card" data-testid="venue-relay" data-online={relay.online}>
      <div className="venue-desk-main">
        <span className="venue-desk-name">Relay</span>
        {relay.address ? <span className="muted small mono">{relay.address}</span> : null}
      </div>
      <div className="venue-desk-status">
        {relay.online ? (
          <StatusPill label="Online" tone="green" />
        ) : (
          <StatusPill label="Offline" tone="grey" />
        )}
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
export function PairingCode() {
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
            <span className="muted small">
              Type or scan it on the desk that joins. Whoever has it can join this venue: show it to admins
              only.
            </span>
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
      for (let col = 0; col < modules.size; col++)
        if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
    return { size: modules.size + quiet * 2, path: d };
  }, [text]);
  return (
    <svg
      className="venue-qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
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
export function AddDeskForm() {
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
          <input
            id={id}
            type="text"
            className="mono"
            maxLength={300}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="192.168.1.20:41234"
            autoComplete="off"
            spellCheck={false}
            disabled={busy}
          />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        </div>
        <span className="field-help muted small">
          For a network that blocks discovery (mDNS), or a relay where the network keeps desks apart. Desks of
          this venue found nearby connect by themselves.
        </span>
      </div>
      <InlineError message={error} />
    </form>
  );
}
