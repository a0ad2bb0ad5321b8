import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SYNC_STATUSES, SYNC_TRANSITIONS, canTransition, describeSyncStatus } from '../../shared/sync-status.ts';

test('every (status, job running?) pair maps to exactly what DESIGN.md says', () => {
  const expected = {
    'PENDING/job': { alert: null, pill: false, progress: true, dialog: null, toast: null },
    'PENDING/idle': { alert: ['Import failed', 'Retry', 'retryImport'], pill: false, progress: false, dialog: 'Set Up Sync', toast: 'Retrying import' },
    'ACTIVE/job': { alert: null, pill: true, progress: false, dialog: null, toast: null },
    'ACTIVE/idle': { alert: null, pill: true, progress: false, dialog: null, toast: null },
    'FAILED/idle': { alert: ['Sync failed', 'Retry', 'retry'], pill: false, progress: false, dialog: 'Reconnect', toast: 'Reconnecting event' },
    'DISCONNECTED/idle': { alert: ['Integration disconnected', 'Reconnect', 'reconnect'], pill: false, progress: false, dialog: 'Reconnect', toast: 'Reconnecting event' },
  } as const;
  for (const [key, want] of Object.entries(expected)) {
    const [status, job] = key.split('/') as [(typeof SYNC_STATUSES)[number], string];
    const view = describeSyncStatus(status, job === 'job');
    assert.deepEqual(view.alert ? [view.alert.title, view.alert.button, view.alert.action] : null, want.alert, key);
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
