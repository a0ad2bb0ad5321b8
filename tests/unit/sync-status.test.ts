import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OFFLINE_REASON,
  VENUE_EVENT_REASON,
  type SyncStatus,
  SYNC_STATUSES,
  SYNC_TRANSITIONS,
  canTransition,
  describeEventSync,
  describeSyncStatus,
  importEtaText,
  nextAttemptText,
} from '../../shared/sync-status.ts';

test('every (status, job running?) pair maps to exactly what the status table of the product says', () => {
  const expected = {
    'PENDING/job': { alert: null, pill: false, progress: true, dialog: null, toast: null },
    'PENDING/idle': {
      alert: ['Import failed', 'Retry', 'retryImport'],
      pill: false,
      progress: false,
      dialog: 'Set Up Sync',
      toast: 'Retrying import',
    },
    'ACTIVE/job': { alert: null, pill: true, progress: false, dialog: null, toast: null },
    'ACTIVE/idle': { alert: null, pill: true, progress: false, dialog: null, toast: null },
    'FAILED/idle': {
      alert: ['Sync failed', 'Retry', 'retry'],
      pill: false,
      progress: false,
      dialog: 'Reconnect',
      toast: 'Reconnecting event',
    },
    'DISCONNECTED/idle': {
      alert: ['Integration disconnected', 'Reconnect', 'reconnect'],
      pill: false,
      progress: false,
      dialog: 'Reconnect',
      toast: 'Reconnecting event',
    },
  } as const;
  for (const [key, want] of Object.entries(expected)) {
    const [status, job] = key.split('/') as [(typeof SYNC_STATUSES)[number], string];
    const view = describeSyncStatus(status, job === 'job');
    assert.deepEqual(
      view.alert ? [view.alert.title, view.alert.button, view.alert.action] : null,
      want.alert,
      key,
    );
    assert.equal(view.showSyncingPill, want.pill, key);
    assert.equal(view.showImportProgress, want.progress, key);
    assert.equal(view.dialogTitle, want.dialog, key);
    assert.equal(view.toast, want.toast, key);
  }
});

test('every status has a distinct badge label', () => {
  const labels = SYNC_STATUSES.map((s) => describeSyncStatus(s, false).badge.label);
  assert.equal(new Set(labels).size, SYNC_STATUSES.length);
});

test('transition table: no self-loops, DISCONNECTED leaves only through PENDING (Reconnect)', () => {
  for (const from of SYNC_STATUSES) {
    assert.equal(canTransition(from, from), false, `${from} -> ${from}`);
    for (const to of SYNC_TRANSITIONS[from]) assert.ok(SYNC_STATUSES.includes(to));
  }
  assert.deepEqual(SYNC_TRANSITIONS.DISCONNECTED, ['PENDING']);
  assert.equal(canTransition('DISCONNECTED', 'ACTIVE'), false);
  assert.equal(canTransition('PENDING', 'ACTIVE'), true);
});

test('one calm offline state: every (status, reason, job running?) combination', () => {
  const reasons = [
    OFFLINE_REASON,
    'no access to this event',
    'the provider did not answer',
    'bad response from the provider',
    null,
  ];
  for (const status of SYNC_STATUSES) {
    for (const statusReason of reasons) {
      for (const hasActiveJob of [false, true]) {
        const key = `${status}/${statusReason}/${hasActiveJob ? 'job' : 'idle'}`;
        const view = describeEventSync({ status, statusReason, hasActiveJob });
        const plain = describeSyncStatus(status, hasActiveJob);
        const calm = status === 'FAILED' && statusReason === OFFLINE_REASON && !hasActiveJob;
        assert.equal(view.showOfflineBanner, calm, key);
        if (calm) {
          assert.equal(view.alert, null, `${key}: no red alert beside the banner`);
          assert.deepEqual(view.badge, { label: 'Offline', tone: 'grey' }, key);
          assert.equal(view.showSyncingPill, false, key);
        } else {
          assert.deepEqual(
            view,
            { ...plain, showOfflineBanner: false, pillLabel: 'Syncing' },
            `${key}: everything else is as the status says`,
          );
        }
      }
    }
  }
  // The errors that need a person keep their alert.
  assert.equal(
    describeEventSync({ status: 'FAILED', statusReason: 'no access to this event', hasActiveJob: false })
      .alert?.title,
    'Sync failed',
  );
  assert.equal(
    describeEventSync({ status: 'DISCONNECTED', statusReason: OFFLINE_REASON, hasActiveJob: false }).alert
      ?.title,
    'Integration disconnected',
  );
});

test('import ETA in words: the budget named when it sets the pace', () => {
  const eta = (remainingMs: number, budgetLimit: { limit: number; windowMs: number } | null) => ({
    finishAt: '2026-11-23T09:00:00Z',
    remainingMs,
    budgetLimit,
  });
  assert.equal(
    importEtaText(eta(52 * 60_000, { limit: 2000, windowMs: 3_600_000 }), 'eventbrite'),
    'about 52 min left — Eventbrite allows 2,000 requests an hour per token',
  );
  assert.equal(importEtaText(eta(3 * 60_000 + 10_000, null), 'eventbrite'), 'about 3 min left');
  assert.equal(importEtaText(eta(20_000, null), 'luma'), 'less than a minute left');
  assert.equal(
    importEtaText(eta(85 * 60_000, { limit: 200, windowMs: 60_000 }), 'luma'),
    'about 85 min left — Luma allows 200 requests a minute per API key',
  );
  assert.equal(importEtaText(eta(125 * 60_000, null), 'eventbrite'), 'about 2 h 5 min left');
  assert.equal(
    importEtaText(eta(120 * 60_000, { limit: 48000, windowMs: 86_400_000 }), 'eventbrite'),
    'about 2 h left — Eventbrite allows 48,000 requests a day per token',
  );
  assert.equal(
    nextAttemptText('2026-11-23T10:42:00Z', (iso) => iso.slice(11, 16)),
    'Will try again at 10:42',
  );
});

test('an event another desk syncs shows that desk, named: its status, its alert with what can be done here, calm while it is offline or out of sight', () => {
  const via = (status: SyncStatus, over: { online?: boolean; statusReason?: string | null } = {}) => ({
    status: 'DISCONNECTED' as SyncStatus,
    statusReason: VENUE_EVENT_REASON,
    hasActiveJob: false,
    integrationId: null,
    syncVia: {
      deskName: 'Desk 1',
      online: over.online ?? true,
      status,
      statusReason: over.statusReason ?? null,
    },
  });
  const active = describeEventSync(via('ACTIVE'));
  assert.deepEqual(
    [active.badge.label, active.badge.tone, active.showSyncingPill, active.pillLabel, active.alert],
    ['Syncing via Desk 1', 'green', true, 'Syncing via Desk 1', null],
  );
  assert.equal(describeEventSync(via('PENDING')).badge.label, 'Importing via Desk 1');
  const disconnected = describeEventSync(via('DISCONNECTED'));
  assert.equal(
    disconnected.alert?.title,
    'Integration disconnected on Desk 1 — an admin there can reconnect, or connect an account here',
  );
  assert.equal(disconnected.alert?.action, 'reconnect');
  const failed = describeEventSync(via('FAILED', { statusReason: 'bad response from the provider' }));
  assert.equal(failed.badge.label, 'Sync failed on Desk 1');
  assert.equal(failed.alert?.action, 'reconnect', "Retry is not this desk's to run: it has no account");
  const offline = describeEventSync(via('FAILED', { statusReason: OFFLINE_REASON }));
  assert.deepEqual([offline.badge.label, offline.alert], ['Desk 1 offline', null]);
  const unseen = describeEventSync(via('ACTIVE', { online: false }));
  assert.deepEqual(
    [unseen.badge.label, unseen.showSyncingPill, unseen.alert],
    ['Desk 1 not seen', false, null],
  );
  // Nobody has said yet: the admin can connect an account here.
  const nobody = describeEventSync({
    status: 'DISCONNECTED',
    statusReason: VENUE_EVENT_REASON,
    hasActiveJob: false,
    integrationId: null,
    syncVia: null,
  });
  assert.equal(nobody.badge.label, 'From the venue');
  assert.equal(nobody.alert?.action, 'reconnect');
  // This station's own event is described as before, whatever another desk says.
  const own = describeEventSync({
    status: 'ACTIVE',
    statusReason: null,
    hasActiveJob: false,
    integrationId: 3,
    syncVia: { deskName: 'Desk 1', online: true, status: 'FAILED', statusReason: null },
  });
  assert.deepEqual([own.badge.label, own.pillLabel], ['Syncing', 'Syncing']);
});
