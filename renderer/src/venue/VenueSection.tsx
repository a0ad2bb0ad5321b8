// Settings → Venue: start a venue or join one by its pairing code, the code as text and as a QR
// code, the venue's desks with their presence, removing a desk and rotating the secret, what other
// desks sent that this one refused, and who was admitted or printed twice while desks were apart.
// Changing the venue is an admin's call (main enforces it); operators see the desks.
import { useState } from 'react';
import type { RefObject } from 'react';
import type { VenueDeskView, VenueStatus } from '../../../shared/venue-desks.ts';
import { plural } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { Loading } from '../ui/states.tsx';
import { AddDeskForm, PairingCode, VenueDeskCard, VenueRelayCard } from './VenueDesks.tsx';
import { Refusals, VenueConflictsList } from './VenueIncidents.tsx';
import { JoinVenueDialog, StartVenueDialog } from './JoinVenueDialogs.tsx';
import { LeaveVenueDialog, RemoveDeskDialog, RotateSecretDialog } from './ChangeVenueDialogs.tsx';

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
          <Loading />
        )
      ) : (
        <>
          {!admin ? (
            <p className="muted">
              Only an admin can start or join a venue, see its pairing code, or remove a desk. Unlock admin to
              change them.
            </p>
          ) : null}
          {venue ? (
            <InVenue status={status} admin={admin} />
          ) : (
            <p className="muted empty-inline">
              {status.thisDesk.name} works alone. Start a venue here, or join one with the pairing code
              another desk shows: desks in a venue share check-ins, VIP flags and printed badges over this
              network.
            </p>
          )}
        </>
      )}
      {dialog === 'start' ? <StartVenueDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'join' ? <JoinVenueDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'rotate' ? <RotateSecretDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'leave' && venue ? (
        <LeaveVenueDialog venueName={venue.name} onClose={() => setDialog(null)} />
      ) : null}
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
        This desk is {status.thisDesk.name}, listening on port{' '}
        <span data-testid="venue-this-port">{status.thisDesk.port}</span>: another desk types this machine's
        address and that port to connect when the network blocks discovery.
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
