// A real process killed mid-import (SIGKILL), then a restart and Retry, with exact counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startHarness, connect, admin } from '../helpers/harness.ts';
import { describeSyncStatus } from '../../shared/sync-status.ts';

test('SIGKILL mid-import leaves a consistent database; "Import failed"; Retry ends with exactly the provider rows', async (t) => {
  const h = await startHarness(t, { sim: { eventbritePageSize: 20 } });
  const { integration, token } = await connect(h, 'eventbrite');
  const providerEventId = h.sim.eventbrite.addEvent(token, { name: 'Crashy' });
  h.sim.eventbrite.seedAttendees(providerEventId, 1_000);
  const secretRef = h.core.store.getIntegration(integration.id)!.secretRef;
  await h.core.close();

  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/helpers/import-child.ts',
      h.dataDir,
      h.sim.eventbrite.baseUrl,
      secretRef,
      token,
      String(integration.id),
      providerEventId,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Kill it once it has committed a few pages, while pages are still being served.
  h.sim.eventbrite.setLatency(5);
  let output = '';
  const killed = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const fetched = [...output.matchAll(/progress (\d+)/g)].map((m) => Number(m[1]));
      if (!child.killed && fetched.some((n) => n >= 200)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await killed;
  const [, signal] = await once(child, 'exit');
  assert.equal(signal, 'SIGKILL');
  h.sim.eventbrite.setLatency(0);

  const core = h.reopen();
  assert.equal(core.store.db.pragma('integrity_check', { simple: true }), 'ok');
  const event = core.listEvents()[0]!;
  assert.equal(event.status, 'PENDING');
  assert.equal(event.activeJob, null, 'the dead process\'s job is not "running" any more');
  assert.equal(describeSyncStatus(event.status, false).alert?.title, 'Import failed');
  const partial = event.counts.total;
  assert.ok(partial >= 200 && partial < 1_000, `a partial import was committed (${partial})`);
  const job = core.store.jobsOfEvent(event.id)[0]!;
  assert.equal(job.state, 'abandoned');
  assert.equal(job.fetched, partial, 'progress was committed with the rows, never ahead of them');

  core.retryImport(admin, event.id);
  await core.engine.waitForJob(event.id);
  const healed = core.getEvent(event.id);
  assert.equal(healed.status, 'ACTIVE');
  assert.equal(healed.counts.total, 1_000);
  const ids = core.store.providerAttendeeIds(event.id);
  assert.equal(new Set(ids).size, 1_000, 'no duplicates');
  assert.deepEqual(ids, [...h.sim.eventbrite.attendeeIds(providerEventId)].sort(), 'no losses');
});
