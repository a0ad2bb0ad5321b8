// Stations of a test venue that hold the account: each gets the same event and people (same
// provider ids) from here, as its own import would, in another order per station so local row
// ids differ. A desk without an account gets them from the roster instead
// (tests/integration/venue-roster.test.ts, tests/e2e/venue-roster.test.ts, the roster bench).
import type { BadgeDeskCore } from '../../../main/core/create-core.ts';
import { roster } from './replica-stations.ts';

/** Adds the event "Conf" (eventbrite) with n people a0..a(n-1), once; returns its local id. */
export function seedVenueEvent(core: BadgeDeskCore, shiftBy: number, n: number): number {
  const existing = core.store.findEventByProviderId('eventbrite', 'Conf');
  if (existing !== undefined) return existing;
  const integration = core.store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const eventId = core.store.insertEvent(
    integration,
    { providerEventId: 'Conf', name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  const people = roster(n);
  const shift = shiftBy % Math.max(1, n);
  core.store.upsertAttendees(
    eventId,
    [...people.slice(shift), ...people.slice(0, shift)],
    null,
    '2026-11-23T08:00:00Z',
  );
  core.events.emit('eventAdded', { eventId });
  return eventId;
}
