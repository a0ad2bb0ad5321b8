// How complete the desk's list is (shared/desk-list.ts), the honest words of a failed sync's alert
// (failureReasonText) and the standing notice of a desk that prints no badge (badgesNotPrintingText).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agoText, describeDeskList, type DeskListFacts } from '../../shared/desk-list.ts';
import { failureReasonText, OFFLINE_REASON } from '../../shared/sync-status.ts';
import { badgesNotPrintingText } from '../../shared/printing.ts';
import type { EventSyncSource, SyncJob } from '../../shared/types.ts';

const NOW = Date.parse('2026-12-03T11:12:00.000Z');
const SYNCED = '2026-12-03T09:12:00.000Z'; // 2 h before NOW
const clock = { now: NOW, time: (iso: string) => iso.slice(11, 16) };

const job: SyncJob = {
  id: 1,
  eventId: 1,
  kind: 'import',
  state: 'running',
  startedAt: SYNCED,
  finishedAt: null,
  fetched: 10,
  expectedTotal: 300,
  error: null,
};

function facts(over: Partial<DeskListFacts>): DeskListFacts {
  return {
    status: 'ACTIVE',
    statusReason: null,
    activeJob: null,
    importCompletedAt: SYNCED,
    lastSyncedAt: SYNCED,
    integrationId: 1,
    syncVia: null,
    ...over,
  };
}

function via(over: Partial<EventSyncSource>): EventSyncSource {
  return {
    stationId: 'st-1',
    deskName: 'Desk 1',
    online: true,
    status: 'ACTIVE',
    statusReason: null,
    lastError: null,
    lastSyncedAt: SYNCED,
    at: SYNCED,
    ...over,
  };
}

test('a syncing list is complete: no banner, and "not found" adds nothing', () => {
  assert.deepEqual(describeDeskList(facts({}), clock), { complete: true, banner: null, notFoundNote: null });
  // A re-import keeps the whole list meanwhile.
  assert.equal(
    describeDeskList(facts({ status: 'PENDING', activeJob: { ...job, kind: 'reimport' } }), clock).complete,
    true,
  );
});

test('a failed first import: the list is incomplete, said at the top and with every "not found"', () => {
  const view = describeDeskList(
    facts({ status: 'PENDING', importCompletedAt: null, lastSyncedAt: null }),
    clock,
  );
  assert.equal(view.complete, false);
  assert.deepEqual(view.banner, {
    tone: 'red',
    title: 'List incomplete: the import failed',
    detail: 'Registered people may be missing. Ask an admin to Retry.',
  });
  assert.equal(
    view.notFoundNote,
    'The list may be missing people (the import failed). Try their email or order code.',
  );
  // Still importing: incomplete too, and it says so.
  const running = describeDeskList(
    facts({ status: 'PENDING', importCompletedAt: null, lastSyncedAt: null, activeJob: job }),
    clock,
  );
  assert.equal(running.banner?.title, 'List incomplete: the import is still running');
});

test('a sync that failed or lost its integration: the list is stale since its last sync, said with the time', () => {
  const failed = describeDeskList(facts({ status: 'FAILED', statusReason: 'server error' }), clock);
  assert.equal(failed.complete, false);
  assert.equal(failed.banner?.tone, 'amber');
  assert.equal(failed.banner?.title, 'List last synced 2 h ago (09:12): sync failed');
  assert.match(
    failed.notFoundNote!,
    /^The list may be missing people \(list last synced 2 h ago \(09:12\): sync failed\)/,
  );
  const disconnected = describeDeskList(
    facts({ status: 'DISCONNECTED', statusReason: 'token revoked' }),
    clock,
  );
  assert.equal(disconnected.banner?.title, 'List last synced 2 h ago (09:12): integration disconnected');
  assert.match(disconnected.banner!.detail!, /Ask an admin to Reconnect/);
  // Offline: the offline banner says it; "not found" still does.
  const offline = describeDeskList(facts({ status: 'FAILED', statusReason: OFFLINE_REASON }), clock);
  assert.equal(offline.banner, null);
  assert.equal(offline.complete, false);
  assert.match(offline.notFoundNote!, /list last synced 2 h ago \(09:12\): offline/);
});

test('a venue desk speaks of the desk its list comes from, in the same words on every desk', () => {
  const venue = (v: Partial<EventSyncSource>) =>
    describeDeskList(
      facts({ integrationId: null, status: 'DISCONNECTED', importCompletedAt: null, syncVia: via(v) }),
      clock,
    );
  assert.deepEqual(venue({}), {
    complete: true,
    banner: { tone: 'calm', title: 'List from Desk 1, last synced 2 h ago (09:12)', detail: null },
    notFoundNote: null,
  });
  assert.equal(
    venue({ status: 'FAILED', statusReason: 'server error' }).banner?.title,
    'List from Desk 1, last synced 2 h ago (09:12): sync failed on Desk 1',
  );
  assert.equal(
    venue({ online: false }).notFoundNote,
    'The list may be missing people (list from Desk 1, last synced 2 h ago (09:12): Desk 1 not seen). Try their email or order code.',
  );
  assert.equal(
    venue({ status: 'PENDING' }).banner?.title,
    'List incomplete: the import on Desk 1 is not finished',
  );
  // No desk has synced it yet.
  const none = describeDeskList(facts({ integrationId: null, status: 'DISCONNECTED', syncVia: null }), clock);
  assert.equal(none.banner?.title, 'List incomplete: no desk of the venue has synced this event yet');
});

test('ages read as a person says them', () => {
  const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
  assert.equal(agoText(at(0.5), NOW), 'just now');
  assert.equal(agoText(at(12), NOW), '12 min ago');
  assert.equal(agoText(at(125), NOW), '2 h ago');
  assert.equal(agoText(at(3 * 24 * 60), NOW), '3 days ago');
});

test('a failed sync that tries again never says it gave up; an import that stopped still does', () => {
  const reason = 'server error: INTERNAL_ERROR — Something went wrong. (503); gave up after 4 attempts';
  assert.equal(
    failureReasonText(reason, 'FAILED'),
    'server error: INTERNAL_ERROR — Something went wrong. (503); 4 attempts in a row failed',
  );
  assert.equal(
    failureReasonText('timeout; gave up after 1 attempt', 'FAILED'),
    'timeout; the attempt failed',
  );
  assert.equal(failureReasonText(reason, 'PENDING'), reason);
  assert.equal(failureReasonText('no access to this event', 'FAILED'), 'no access to this event');
});

test('a desk whose check-ins print no badge says so: no printer, a printer gone, or printing at check-in off', () => {
  const noPrinter = 'Badges are not printing at this desk — set a printer in Settings';
  assert.equal(badgesNotPrintingText({ printerId: null, autoPrint: true }), noPrinter);
  assert.equal(badgesNotPrintingText({ printerId: 3, autoPrint: true }, false), noPrinter);
  assert.match(
    badgesNotPrintingText({ printerId: 3, autoPrint: false })!,
    /^Badges are not printing at this desk — /,
  );
  assert.equal(badgesNotPrintingText({ printerId: 3, autoPrint: true }), null);
});
