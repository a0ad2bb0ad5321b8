// Live passes of a provider without changed-since that lists newest first (main/sync/newest-first.ts),
// against a provider in memory whose default order is not the registration order: new guests are
// found by reading newest first, the full pass goes round a few pages a pass, edits and removals
// land when it does, and a guest who registered behind its cursor is never taken for removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineRig, guest } from '../helpers/engine-stub.ts';
import { REMOVED_ON_PROVIDER } from '../../main/db/store.ts';
import type {
  AttendeePage,
  AttendeeQuery,
  ProviderAccount,
  ProviderAttendee,
  ProviderClient,
  ProviderEvent,
} from '../../main/providers/types.ts';

const INTERVAL = 30_000;

/** Guests in a default order that puts the newest first-in-list at the front; pages of two. */
class NewestFirstProvider implements ProviderClient {
  readonly kind = 'luma' as const;
  readonly supportsChangedSince = false;
  readonly supportsNewestFirst = true;
  readonly attendeePageSize = 2;
  guests: ProviderAttendee[] = [];
  readonly calls: AttendeeQuery[] = [];
  async whoAmI(): Promise<ProviderAccount> {
    return { accountId: 'a', email: 'a@example.com', name: 'A' };
  }
  async listEvents(): Promise<ProviderEvent[]> {
    return [];
  }
  async getEvent(providerEventId: string): Promise<ProviderEvent> {
    return { providerEventId, name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null };
  }
  async pageAttendees(
    _event: string,
    cursor: string | null,
    query: AttendeeQuery = {},
  ): Promise<AttendeePage> {
    this.calls.push(query);
    const order = query.newestFirst
      ? [...this.guests].sort((a, b) => Date.parse(b.registeredAt!) - Date.parse(a.registeredAt!))
      : this.guests;
    const from = cursor === null ? 0 : Number(cursor);
    const rows = order.slice(from, from + this.attendeePageSize);
    const next = from + this.attendeePageSize;
    return { attendees: rows, nextCursor: next < order.length ? String(next) : null, totalCount: null };
  }
  register(id: string, at: number): void {
    // A provider whose default order puts a new guest first: behind any cursor already past it.
    this.guests.unshift(guest(id, { registeredAt: new Date(at).toISOString(), providerUpdatedAt: null }));
  }
}

test('newest first: new guests found at once, the full pass goes round in a few passes, removals only of what it did not list', async (t) => {
  const rig = engineRig(t, {
    pollIntervalMs: INTERVAL,
    fullPassIntervalMs: 3 * INTERVAL,
    fullPassMinPages: 1,
  });
  const provider = new NewestFirstProvider();
  const start = rig.clock.now();
  for (let i = 11; i >= 0; i--) provider.register(`g${i}`, start - (12 - i) * 60_000);
  const integrationId = rig.addIntegration(provider);
  const eventId = await rig.importEvent(integrationId);
  assert.equal(rig.store.attendeeCounts(eventId).total, 12);

  const pass = async () => {
    rig.clock.advance(INTERVAL);
    provider.calls.length = 0;
    await rig.engine.liveTick(eventId);
    return provider.calls;
  };
  // A full pass is due a full interval after the import: until then one request a pass.
  assert.deepEqual(
    (await pass()).map((q) => q.newestFirst ?? false),
    [true],
    'newest first, one page, stops at a guest it has',
  );
  await pass();
  // The full pass begins: 7 pages estimated (12 guests and room for one more), 3 passes, 3 pages each.
  assert.deepEqual(
    (await pass()).map((q) => q.newestFirst ?? false),
    [true, false, false, false],
  );
  // Meanwhile: a guest registers (first in the default order, behind the pass's cursor), one
  // leaves the provider, one is edited on a page the pass has not reached.
  provider.register('late', rig.clock.now());
  const gone = provider.guests.findIndex((g) => g.providerAttendeeId === 'g8');
  provider.guests.splice(gone, 1);
  provider.guests = provider.guests.map((g) =>
    g.providerAttendeeId === 'g10' ? { ...g, fullName: 'Edited Ten' } : g,
  );
  // This pass reads the newest first, then the last three pages: the full pass ends.
  assert.deepEqual(
    (await pass()).map((q) => q.newestFirst ?? false),
    [true, false, false, false],
  );
  assert.ok(rig.store.findAttendeeByProviderId(eventId, 'late'), 'the new guest, found newest first');
  const row = (id: string) => rig.store.findAttendeeByProviderId(eventId, id)!;
  assert.equal(row('g10').fullName, 'Edited Ten', 'the edit, when the full pass reached it');
  assert.equal(row('g8').providerStatus, REMOVED_ON_PROVIDER, 'the guest who left, when the pass ended');
  assert.equal(row('late').status, 'ATTENDING', 'never removed: it registered behind the cursor');
  assert.equal(rig.status.current(eventId), 'ACTIVE');
});
