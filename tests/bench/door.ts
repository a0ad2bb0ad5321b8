// The door's figures, through the IPC boundary of an offline app host on the imported event's data
// folder, with auto-print on to a ZPL label printer stand-in on 127.0.0.1:
// - walk_in_to_print_dispatch_p95_ms: from submitting the walk-in form (door.registerWalkIn) to the
//   badge's bytes arriving at the printer, over 100 walk-ins at a brisk desk pace (goal < 200);
// - group_checkin_10_p95_ms: "Check in all 10" (desk.checkInGroup) on orders of 10, their badges
//   queued in the same call, over 100 orders (goal < 50).
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../../main/ground/secrets.ts';
import { percentile, startOfflineAppHost } from './stats.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';
import { person } from '../helpers/desk-db.ts';

export interface DoorFigures {
  walk_ins: number;
  walk_in_interval_ms: number;
  walk_in_to_print_dispatch_p50_ms: number;
  walk_in_to_print_dispatch_p95_ms: number;
  group_checkins: number;
  group_checkin_10_p50_ms: number;
  group_checkin_10_p95_ms: number;
}

const pct = (values: number[], p: number) => percentile(values, p, 1);

export async function measureDoor(opts: {
  dataDir: string;
  secretStore: SecretStore;
  eventId: number;
  walkIns?: number;
  orders?: number;
  intervalMs?: number;
}): Promise<DoorFigures> {
  const walkIns = opts.walkIns ?? 100;
  const orders = opts.orders ?? 100;
  const intervalMs = opts.intervalMs ?? 100;
  const zpl = await startZplStandIn();
  const app = await startOfflineAppHost({ ...opts, env: { BADGE_DESK_ADMIN_PIN: '2468' } });
  const invoke = async (channel: string, input: unknown) => {
    const r = await app.invoke(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  try {
    await invoke('session.unlock', { pin: '2468' });
    const printer = await invoke('printers.add', {
      name: 'Bench Zebra (door)',
      config: { kind: 'zpl_tcp', host: '127.0.0.1', port: zpl.port, dpi: 203 },
    });
    await invoke('settings.update', { printerId: printer.id, autoPrint: true });
    await invoke('session.lock', {});

    // Walk-ins, one after another at a brisk desk's pace.
    const started: number[] = [];
    for (let i = 0; i < walkIns; i++) {
      const t0 = performance.now();
      started.push(t0);
      const out = await invoke('door.registerWalkIn', {
        eventId: opts.eventId,
        actionId: randomUUID(),
        firstName: `Walk`,
        lastName: `In ${i}`,
        company: 'Bench Co',
        ticketName: 'Walk-in',
      });
      if ((out.checkIn as { kind: string }).kind !== 'checked_in')
        throw new Error('the walk-in was not checked in');
      const wait = t0 + intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // One printer, one worker, first in first out: label i is walk-in i's badge.
    const labels = await zpl.waitForLabels(walkIns);
    const dispatch = labels.map((l, i) => l.receivedAt - started[i]!);

    // Orders of ten, added to the event as a sync would, then checked in a whole order at a time.
    const { store } = app.core;
    const people = Array.from({ length: orders * 10 }, (_, i) =>
      person({
        providerAttendeeId: `bench-order-${i}`,
        fullName: `Order Guest ${i}`,
        orderId: `bench-order-${Math.floor(i / 10)}`,
      }),
    );
    store.upsertAttendees(opts.eventId, people, null, new Date().toISOString());
    const groupTimes: number[] = [];
    for (let o = 0; o < orders; o++) {
      const attendeeIds = people
        .slice(o * 10, o * 10 + 10)
        .map((p) => store.findAttendeeByProviderId(opts.eventId, p.providerAttendeeId)!.id);
      const t0 = performance.now();
      const out = await invoke('desk.checkInGroup', {
        eventId: opts.eventId,
        actionId: randomUUID(),
        attendeeIds,
      });
      groupTimes.push(performance.now() - t0);
      const admitted = (out.results as { result: string }[]).filter((r) => r.result === 'checked_in').length;
      if (admitted !== 10) throw new Error(`a group check-in admitted ${admitted} of 10`);
    }
    await app.core.printing.idle();
    return {
      walk_ins: walkIns,
      walk_in_interval_ms: intervalMs,
      walk_in_to_print_dispatch_p50_ms: pct(dispatch, 0.5),
      walk_in_to_print_dispatch_p95_ms: pct(dispatch, 0.95),
      group_checkins: orders,
      group_checkin_10_p50_ms: pct(groupTimes, 0.5),
      group_checkin_10_p95_ms: pct(groupTimes, 0.95),
    };
  } finally {
    await app.close();
    await zpl.close();
  }
}
