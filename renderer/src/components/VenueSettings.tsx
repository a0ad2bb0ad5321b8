// Settings → Venue (issue 16): start a venue or join one by its pairing code (a discovered desk
// or a typed address), the pairing code as text and as a QR code, the venue's desks with their
// presence (online, last seen HH:MM, clock off), remove a desk, rotate the secret.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import QRCode from 'qrcode';
import { errorMessage } from '../bridge.ts';
import { formatClock } from '../format.ts';
import { isAdmin, useStore } from '../store/index.ts';

export function VenueSection() {
  const venue = useStore((s) => s.venue);
  const unavailable = useStore((s) => s.venueUnavailable);
  const admin = useStore(isAdmin);
  const refreshVenue = useStore((s) => s.refreshVenue);

  useEffect(() => {
    void refreshVenue();
  }, [refreshVenue]);

  return (
    <section className="settings-section" aria-labelledby="venue-title">
      <div className="section-header">
        <h2 id="venue-title">Venue</h2>
      </div>
      {unavailable ? (
        <p className="muted">{unavailable}</p>
      ) : !venue ? (
        <p className="muted">Reading the venue…</p>
      ) : venue.venue ? (
        <VenueDesks />
      ) : admin ? (
        <NoVenue />
      ) : (
        <p className="muted">This desk works alone. An admin can start a venue or join one.</p>
      )}
    </section>
  );
}

function NoVenue() {
  const startVenue = useStore((s) => s.startVenue);
  const joinVenue = useStore((s) => s.joinVenue);
  const discovered = useStore((s) => s.venue?.discovered ?? []);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="venue-setup">
      <form
        aria-label="Start a venue"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(() => startVenue(name));
        }}
      >
        <label>
          Venue name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />
        </label>
        <button type="submit" className="button" disabled={busy}>
          Start a venue
        </button>
      </form>
      <form
        aria-label="Join a venue"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(() => joinVenue(code, address));
        }}
      >
        {discovered.length > 0 ? (
          <fieldset>
            <legend>Desks found on this network</legend>
            {discovered.map((d) => (
              <label key={`${d.host}:${d.port}`}>
                <input type="radio" name="venue-desk" checked={address === `${d.host}:${d.port}`} onChange={() => setAddress(`${d.host}:${d.port}`)} />
                {d.deskName}
                {d.venueName ? ` · ${d.venueName}` : ''} ({d.host}:{d.port})
              </label>
            ))}
          </fieldset>
        ) : null}
        <label>
          Desk address <input value={address} onChange={(e) => setAddress(e.target.value)} placeholder="192.168.1.20:41234" required />
        </label>
        <label>
          Pairing code <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="BD1-…" required autoComplete="off" />
        </label>
        <button type="submit" className="button" disabled={busy}>
          Join
        </button>
      </form>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function VenueDesks() {
  const venue = useStore((s) => s.venue!);
  const admin = useStore(isAdmin);
  const code = useStore((s) => s.pairingCode);
  const showPairingCode = useStore((s) => s.showPairingCode);
  const hidePairingCode = useStore((s) => s.hidePairingCode);
  const removeVenueDesk = useStore((s) => s.removeVenueDesk);
  const rotateVenueSecret = useStore((s) => s.rotateVenueSecret);
  const addVenueDesk = useStore((s) => s.addVenueDesk);
  const toast = useStore((s) => s.toast);
  const [qr, setQr] = useState<string | null>(null);
  const [address, setAddress] = useState('');

  useEffect(() => {
    if (!code) return setQr(null);
    let live = true;
    void QRCode.toDataURL(code, { margin: 1, width: 220 }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [code]);

  const act = async (action: () => Promise<unknown>, done?: (result: unknown) => void) => {
    try {
      done?.(await action());
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const notReachedToast = (notReached: unknown) => {
    const names = notReached as string[];
    toast(names.length ? `New secret sent. Not reached (join again with the new code): ${names.join(', ')}` : 'New secret sent to every desk', names.length ? 'error' : 'success');
  };

  return (
    <div className="venue-desks">
      <p>
        Venue <strong>{venue.venue!.name}</strong> · this desk listens on port {venue.thisDesk.port}
      </p>
      {admin ? (
        <div className="section-actions">
          {code ? (
            <button type="button" className="button" onClick={hidePairingCode}>
              Hide pairing code
            </button>
          ) : (
            <button type="button" className="button" onClick={() => void act(showPairingCode)}>
              Show pairing code
            </button>
          )}
          <button type="button" className="button" onClick={() => void act(rotateVenueSecret, notReachedToast)}>
            Rotate secret
          </button>
        </div>
      ) : null}
      {code ? (
        <figure className="pairing-code">
          {qr ? <img src={qr} alt="Pairing code as a QR code" width={220} height={220} /> : null}
          <figcaption>
            <code data-testid="pairing-code">{code}</code>
          </figcaption>
        </figure>
      ) : null}
      <table className="venue-desk-table">
        <thead>
          <tr>
            <th scope="col">Desk</th>
            <th scope="col">Status</th>
            <th scope="col">Last seen</th>
            <th scope="col">Clock</th>
            {admin ? <th scope="col"></th> : null}
          </tr>
        </thead>
        <tbody>
          {venue.desks.map((d) => (
            <tr key={d.stationId} data-testid="venue-desk">
              <td>
                {d.name}
                {d.thisDesk ? ' (this desk)' : ''}
              </td>
              <td>{d.online ? 'online' : 'offline'}</td>
              <td>{d.thisDesk ? '—' : d.lastSeenAt ? formatClock(d.lastSeenAt) : 'never'}</td>
              <td>{d.clockOff && d.clockOffsetMs !== null ? `off by ${Math.round(Math.abs(d.clockOffsetMs) / 60_000)} min` : 'ok'}</td>
              {admin ? (
                <td>
                  {d.thisDesk ? null : (
                    <button type="button" className="button button-small" onClick={() => void act(() => removeVenueDesk(d.stationId), notReachedToast)}>
                      Remove
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {admin ? (
        <form
          aria-label="Add a desk by address"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void act(() => addVenueDesk(address));
          }}
        >
          <label>
            Desk address <input value={address} onChange={(e) => setAddress(e.target.value)} placeholder="192.168.1.20:41234" required />
          </label>
          <button type="submit" className="button">
            Connect
          </button>
        </form>
      ) : null}
      {venue.refusalCount > 0 ? (
        <details>
          <summary>{venue.refusalCount} refused connections or messages</summary>
          <ul>
            {venue.refusals.map((r, i) => (
              <li key={i}>
                {formatClock(r.at)} {r.from}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** The top bar's compact indicator: how many of the venue's desks are online. */
export function VenueIndicator() {
  const venue = useStore((s) => s.venue);
  const navigate = useStore((s) => s.navigate);
  if (!venue?.venue) return null;
  const online = venue.desks.filter((d) => d.online).length;
  return (
    <button type="button" className="venue-indicator" data-testid="venue-indicator" title={`Venue ${venue.venue.name}`} onClick={() => navigate({ name: 'settings', section: 'venue' })}>
      {venue.venue.name}: {online}/{venue.desks.length} desks
    </button>
  );
}
