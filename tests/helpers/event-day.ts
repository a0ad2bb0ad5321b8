// An event day on the injected clock: one Eventbrite and one Luma event, imported before the
// doors open, polled live all day by the real sync engine (runLivePass every 5 s, as the app's
// live loop does), while registrations, edits and cancellations arrive on the providers and the
// desk checks people in (scans, picks from a search, undos, double scans, retried calls).
// Everything runs in virtual time: an 8-hour day takes seconds and never sleeps for real.
//
// Used by tests/integration/event-day.test.ts (functional properties, asserted) and by the
// benchmark (requests per provider per hour against the budgets, heap over the day).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AppHost } from '../../main/app/types.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator, personAt, type Simulator } from '../../main/simulator/index.ts';
import type { ProviderKind } from '../../shared/types.ts';
import type { CheckInOutcome, DeskSearchResult, UndoOutcome } from '../../shared/desk.ts';
import { lumaRouteOf } from './luma-families.ts';
import { simulatedAppHost } from './app-harness.ts';
// The same choices every run (mulberry32).
import { seededFractions as prng } from '../../main/simulator/people.ts';

export interface EventDayOptions {
  /** Registrations made before the day (imported at 07:00). */
  seeded: Record<ProviderKind, number>;
  /** Registrations arriving during the day. */
  registrations: Record<ProviderKind, number>;
  /** Provider-side edits (company, and every third a last name) and cancellations during the day. */
  edits: Record<ProviderKind, number>;
  cancellations: Record<ProviderKind, number>;
  /** Distinct people checked in over the day. */
  checkIns: number;
  hours?: number;
  seed?: number;
  /** Called after each full hour of the day (1..hours), e.g. to sample the heap. */
  onHour?: (hour: number, day: EventDay) => void | Promise<void>;
}

/** A registration the day knows the truth of, to compare the mirror with at the end. */
export interface PersonRef {
  provider: ProviderKind;
  providerAttendeeId: string;
}

export interface EventDay {
  app: AppHost;
  sim: Simulator;
  clock: VirtualClock;
  /** Local event ids. */
  eventIds: Record<ProviderKind, number>;
  providerEventIds: Record<ProviderKind, string>;
  /** 08:00 and the end of the day, virtual time. */
  dayStart: number;
  dayEnd: number;
  /** The virtual time of every request each provider received (attempts, 429s and failures included). */
  requestTimes: Record<ProviderKind, number[]>;
  /** When each pass over the provider's event listing started (its first page answered 200): the import's, then live sync's. */
  passTimes: Record<ProviderKind, number[]>;
  /** What the providers hold that the mirror must show by the end. */
  truth: {
    registered: Map<string, { ref: PersonRef; at: number; fullName: string; email: string }>;
    edited: Map<string, { ref: PersonRef; company: string; lastName: string | null }>;
    cancelled: Map<string, { ref: PersonRef; at: number }>;
  };
  /** Who should end the day checked in, once each (key: provider + id). */
  expectedCheckedIn: Set<string>;
  /** Check-ins that were undone and done again. */
  redone: number;
  counts: {
    scans: number;
    picks: number;
    searches: number;
    undos: number;
    duplicateScans: number;
    retriedCalls: number;
    cancelledScans: number;
  };
  /** Registration on the provider to its row in the mirror, virtual ms. */
  mirrorLagMs: number[];
  /** The same, by provider. */
  mirrorLagByProvider: Record<ProviderKind, number[]>;
  /** Real time of each desk call, for the benchmark. */
  deskMs: { checkIn: number[]; search: number[] };
  /** Everything that did not answer as a person at the desk would expect. */
  problems: string[];
  /**
   * Empties the simulator's own request logs (diagnostics, capped at 10,000 records each): they
   * fill up during the day and are the stand-in provider's memory, not the app's.
   */
  trimSimulatorLogs(): void;
  /** Real time the day took. */
  wallMs: number;
  /** Push messages a window of the app received over the day. */
  pushes: number;
  close(): Promise<void>;
}

export const keyOf = (ref: PersonRef) => `${ref.provider}:${ref.providerAttendeeId}`;

const HOUR = 3600_000;
const MINUTE = 60_000;
/** The app's live loop wakes every min(poll interval, 5 s). */
const TICK_MS = 5_000;
/** Share of the day's check-ins in each hour from 08:00: the morning rush, lunch, the afternoon. */
const ARRIVAL_CURVE = [0.28, 0.2, 0.12, 0.08, 0.1, 0.09, 0.07, 0.06];
/** A person registered during the day reaches the desk this long afterwards, at the earliest. */
const TRAVEL_MS = 20 * MINUTE;

type DeskAction =
  | { at: number; kind: 'scan' | 'pick'; ref: PersonRef; then?: 'undo' | 'duplicate' | 'retry' }
  | { at: number; kind: 'undo' | 'redo' | 'duplicate'; ref: PersonRef }
  | { at: number; kind: 'browse'; ref: PersonRef }
  | { at: number; kind: 'cancelledScan'; ref: PersonRef };

type ProviderChange =
  | { at: number; kind: 'register'; provider: ProviderKind; index: number }
  | { at: number; kind: 'edit'; ref: PersonRef; index: number }
  | { at: number; kind: 'cancel'; ref: PersonRef }
  | { at: number; kind: 'fault'; provider: ProviderKind };

export async function runEventDay(opts: EventDayOptions): Promise<EventDay> {
  const hours = opts.hours ?? ARRIVAL_CURVE.length;
  const random = prng(opts.seed ?? 20261123);
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 6, 30));
  const dayStart = Date.UTC(2026, 10, 23, 8, 0);
  const dayEnd = dayStart + hours * HOUR;
  const sim = await startSimulator({ now: () => clock.now() });
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-day-'));
  const app = await simulatedAppHost({ dataDir, clock, sim, env: { BADGE_DESK_ADMIN_PIN: '2468' } });
  // A window of the app listens to every push, as the renderer does.
  let pushes = 0;
  app.subscribe(() => pushes++);
  const closeAll = async () => {
    await app.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const requestTimes: Record<ProviderKind, number[]> = { eventbrite: [], luma: [] };
    const passTimes: Record<ProviderKind, number[]> = { eventbrite: [], luma: [] };
    for (const p of ['eventbrite', 'luma'] as const) {
      sim[p].on('request', (r) => {
        requestTimes[p].push(clock.now());
        // A pass over an event's attendees starts with the listing's first page (no cursor; a
        // status= listing is the sync engine's count check, not a pass).
        const listing =
          p === 'eventbrite'
            ? r.path.endsWith('/attendees/') && !r.query.continuation && !r.query.status
            : lumaRouteOf(r.path)?.name === 'guests' && !r.query.pagination_cursor;
        // One pass may list twice at the same moment (Luma's newest registrations, then its share of a full pass).
        if (listing && r.status === 200 && passTimes[p].at(-1) !== clock.now())
          passTimes[p].push(clock.now());
      });
    }

    const invoke = async <T>(channel: string, input: unknown): Promise<T> => {
      const r = await app.invoke(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };

    // ---- before the doors open: registrations so far, connect, import ----
    const providers: ProviderKind[] = ['eventbrite', 'luma'];
    const providerEventIds = {} as Record<ProviderKind, string>;
    const tokens = {} as Record<ProviderKind, string>;
    for (const p of providers) {
      tokens[p] = sim[p].addAccount({ email: `${p}@venue.example`, name: `${p} admin` }).token;
      providerEventIds[p] = sim[p].addEvent(tokens[p], {
        name: `${p} day`,
        startsAt: new Date(dayStart).toISOString(),
      });
      sim[p].seedAttendees(providerEventIds[p], opts.seeded[p]);
    }
    clock.advance(30 * MINUTE); // 07:00
    await invoke('session.unlock', { pin: '2468' });
    const eventIds = {} as Record<ProviderKind, number>;
    for (const p of providers) {
      const integration = await invoke<{ id: number }>('integrations.connect', {
        provider: p,
        credential: tokens[p],
      });
      const event = await invoke<{ id: number }>('events.import', {
        integrationId: integration.id,
        providerEventId: providerEventIds[p],
      });
      await app.core.engine.waitForJob(event.id);
      eventIds[p] = event.id;
    }
    await invoke('session.lock', {});

    // ---- the day's plan, drawn from the seeded PRNG ----
    const seededRefs: Record<ProviderKind, PersonRef[]> = {
      eventbrite: sim.eventbrite
        .attendeeIds(providerEventIds.eventbrite)
        .map((id) => ({ provider: 'eventbrite', providerAttendeeId: id })),
      luma: sim.luma
        .attendeeIds(providerEventIds.luma)
        .map((id) => ({ provider: 'luma', providerAttendeeId: id })),
    };
    const dayLength = dayEnd - dayStart;
    const changes: ProviderChange[] = [];
    const touched = new Set<string>();
    const pickUntouched = (p: ProviderKind): PersonRef => {
      for (;;) {
        const ref = seededRefs[p][Math.floor(random() * seededRefs[p].length)]!;
        if (!touched.has(keyOf(ref))) {
          touched.add(keyOf(ref));
          return ref;
        }
      }
    };
    for (const p of providers) {
      // Until five minutes before the end, so the last ones still have to be mirrored in time.
      for (let i = 0; i < opts.registrations[p]; i++) {
        changes.push({
          at: dayStart + Math.floor(((i + 0.5) * (dayLength - 5 * MINUTE)) / opts.registrations[p]),
          kind: 'register',
          provider: p,
          index: i,
        });
      }
      for (let i = 0; i < opts.edits[p]; i++)
        changes.push({
          at: dayStart + Math.floor(random() * dayLength),
          kind: 'edit',
          ref: pickUntouched(p),
          index: i,
        });
      for (let i = 0; i < opts.cancellations[p]; i++) {
        changes.push({
          at: dayStart + 30 * MINUTE + Math.floor(random() * (dayLength - 2 * HOUR)),
          kind: 'cancel',
          ref: pickUntouched(p),
        });
      }
    }
    // Providers misbehave a little: Luma throttles once (Retry-After 10 s), Eventbrite answers
    // one 503. Both are retried inside the request; the events must stay ACTIVE.
    changes.push({ at: dayStart + 3 * HOUR + 7 * MINUTE, kind: 'fault', provider: 'luma' });
    changes.push({ at: dayStart + 5 * HOUR + 13 * MINUTE, kind: 'fault', provider: 'eventbrite' });
    changes.sort((a, b) => a.at - b.at);

    // Candidates for the desk: every seeded person not cancelled (edited ones too), in a random
    // order; registrations of the day join when they can have travelled to the venue.
    const cancelledKeys = new Set(changes.filter((c) => c.kind === 'cancel').map((c) => keyOf(c.ref)));
    const candidates: PersonRef[] = [];
    for (const p of providers)
      for (const ref of seededRefs[p]) if (!cancelledKeys.has(keyOf(ref))) candidates.push(ref);
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }

    const truth: EventDay['truth'] = { registered: new Map(), edited: new Map(), cancelled: new Map() };
    /** Applies a provider-side change; a registration answers with the new person. */
    const applyChange = (c: ProviderChange): PersonRef | null => {
      switch (c.kind) {
        case 'register': {
          const person = personAt(500_000 + c.index * 2 + (c.provider === 'luma' ? 1 : 0));
          const email = `day-${c.provider}-${c.index}@walk-in.example`;
          const input = {
            firstName: person.firstName,
            lastName: person.lastName,
            email,
            company: person.company,
          };
          const id = sim[c.provider].addAttendee(providerEventIds[c.provider], input);
          const ref: PersonRef = { provider: c.provider, providerAttendeeId: id };
          truth.registered.set(keyOf(ref), {
            ref,
            at: clock.now(),
            fullName: `${person.firstName} ${person.lastName}`,
            email,
          });
          return ref;
        }
        case 'edit': {
          const company = `Renamed Co ${c.index}`;
          const lastName = c.index % 3 === 0 ? `Married-Name ${c.index}` : null;
          sim[c.ref.provider].editAttendee(
            providerEventIds[c.ref.provider],
            c.ref.providerAttendeeId,
            lastName ? { company, lastName } : { company },
          );
          truth.edited.set(keyOf(c.ref), { ref: c.ref, company, lastName });
          return null;
        }
        case 'cancel':
          sim[c.ref.provider].cancelAttendee(providerEventIds[c.ref.provider], c.ref.providerAttendeeId);
          truth.cancelled.set(keyOf(c.ref), { ref: c.ref, at: clock.now() });
          return null;
        case 'fault':
          if (c.provider === 'luma') sim.luma.throttleNext(1, 10);
          else sim.eventbrite.failNext(1, 503);
          return null;
      }
    };

    // Check-in slots along the arrival curve; each takes the next candidate who is there by then.
    const slots: number[] = [];
    const curve = ARRIVAL_CURVE.slice(0, hours);
    const curveSum = curve.reduce((a, b) => a + b, 0);
    let assigned = 0;
    curve.forEach((w, h) => {
      const n =
        h === curve.length - 1 ? opts.checkIns - assigned : Math.round((opts.checkIns * w) / curveSum);
      assigned += n;
      for (let k = 0; k < n; k++) slots.push(dayStart + h * HOUR + Math.floor(((k + 0.5) * HOUR) / n));
    });

    const actions: DeskAction[] = [];
    // Cancelled people who come anyway, a while after the cancellation reached the provider.
    changes
      .filter((c): c is Extract<ProviderChange, { kind: 'cancel' }> => c.kind === 'cancel')
      .filter((_, i) => i % 3 === 0)
      .forEach((c) => actions.push({ at: c.at + 15 * MINUTE, kind: 'cancelledScan', ref: c.ref }));

    // A registration's provider id exists only once it happened, so today's registrants are
    // planned as placeholders ("@late:<provider>:<index>") resolved when they reach the desk.
    const registrations = changes.filter(
      (c): c is Extract<ProviderChange, { kind: 'register' }> => c.kind === 'register',
    );
    let registered = 0;
    let plannedLate = 0;
    let candidateAt = 0;
    slots.forEach((at, j) => {
      while (registered < registrations.length && registrations[registered]!.at + TRAVEL_MS <= at)
        registered++;
      // Every fifth arrival is someone who registered today, while there are such people.
      let ref: PersonRef;
      if (j % 5 === 4 && plannedLate < registered) {
        const r = registrations[plannedLate++]!;
        ref = { provider: r.provider, providerAttendeeId: `@late:${r.provider}:${r.index}` };
      } else {
        if (candidateAt >= candidates.length)
          throw new Error(`not enough attendees for ${opts.checkIns} check-ins`);
        ref = candidates[candidateAt++]!;
      }
      const mode = j % 4 === 0 ? 'pick' : 'scan';
      const then =
        j % 40 === 7 ? 'undo' : j % 100 === 13 ? 'duplicate' : j % 250 === 99 ? 'retry' : undefined;
      if (j % 3 === 1) actions.push({ at: at - 10_000, kind: 'browse', ref });
      actions.push({ at, kind: mode, ref, ...(then ? { then } : {}) });
      if (then === 'undo') {
        actions.push({ at: at + 20_000, kind: 'undo', ref });
        actions.push({ at: at + 3 * MINUTE, kind: 'redo', ref });
      }
      if (then === 'duplicate') actions.push({ at: at + MINUTE, kind: 'duplicate', ref });
    });
    actions.sort((a, b) => a.at - b.at);

    // ---- the day ----
    const lateIds = new Map<string, string>(); // "@late:provider:index" -> provider attendee id
    const resolve = (ref: PersonRef): PersonRef => {
      if (!ref.providerAttendeeId.startsWith('@late:')) return ref;
      const id = lateIds.get(ref.providerAttendeeId);
      if (!id) throw new Error(`late registration ${ref.providerAttendeeId} was planned before it happened`);
      return { provider: ref.provider, providerAttendeeId: id };
    };
    const day: EventDay = {
      app,
      sim,
      clock,
      eventIds,
      providerEventIds,
      dayStart,
      dayEnd,
      requestTimes,
      passTimes,
      truth,
      expectedCheckedIn: new Set(),
      redone: 0,
      counts: {
        scans: 0,
        picks: 0,
        searches: 0,
        undos: 0,
        duplicateScans: 0,
        retriedCalls: 0,
        cancelledScans: 0,
      },
      mirrorLagMs: [],
      mirrorLagByProvider: { eventbrite: [], luma: [] },
      deskMs: { checkIn: [], search: [] },
      problems: [],
      wallMs: 0,
      pushes: 0,
      trimSimulatorLogs() {
        for (const p of providers) (sim[p].requests as unknown[]).length = 0;
      },
      close: closeAll,
    };
    const problem = (s: string) => {
      if (day.problems.length < 50)
        day.problems.push(`${new Date(clock.now()).toISOString().slice(11, 19)} ${s}`);
    };
    const mirrorRow = (ref: PersonRef) =>
      app.core.store.findAttendeeByProviderId(eventIds[ref.provider], ref.providerAttendeeId);
    const search = async (ref: PersonRef, query: string) => {
      const t0 = performance.now();
      const found = await invoke<DeskSearchResult>('desk.search', { eventId: eventIds[ref.provider], query });
      day.deskMs.search.push(performance.now() - t0);
      day.counts.searches++;
      return found.rows;
    };
    const checkIn = async (
      ref: PersonRef,
      by: { code: string } | { attendeeId: number },
      actionId = randomUUID(),
    ) => {
      const t0 = performance.now();
      const out = await invoke<CheckInOutcome>('desk.checkIn', {
        eventId: eventIds[ref.provider],
        actionId,
        ...by,
      });
      day.deskMs.checkIn.push(performance.now() - t0);
      return { out, actionId };
    };

    const perform = async (a: DeskAction) => {
      const ref = resolve(a.ref);
      const key = keyOf(ref);
      const row = mirrorRow(ref);
      if (!row) return problem(`${a.kind}: ${key} is at the desk but not in the mirror`);
      switch (a.kind) {
        case 'browse': {
          // Someone types the first letters of a last name and looks at the list.
          const word = (row.lastName ?? row.fullName).split(/\s+/).pop() ?? row.fullName;
          await search(ref, word.slice(0, 3));
          return;
        }
        case 'scan':
        case 'pick':
        case 'redo': {
          let by: { code: string } | { attendeeId: number };
          if (a.kind === 'pick') {
            day.counts.picks++;
            // The name first; the email when the name is shared by more people than the list shows.
            let rows = await search(ref, row.fullName);
            if (!rows.some((r) => r.id === row.id) && row.email) rows = await search(ref, row.email);
            const picked = rows.find((r) => r.id === row.id);
            if (!picked) return problem(`pick: ${row.fullName} <${row.email}> not found by name or email`);
            by = { attendeeId: picked.id };
          } else {
            day.counts.scans++;
            by = { code: row.barcode ?? '' };
          }
          const { out, actionId } = await checkIn(ref, by);
          if (out.kind !== 'checked_in' || out.attendee.id !== row.id)
            return problem(`${a.kind}: ${key} answered ${out.kind}`);
          day.expectedCheckedIn.add(key);
          if (a.kind === 'redo') day.redone++;
          if (a.kind !== 'redo' && 'then' in a && a.then === 'retry') {
            // The answer was lost on the way: the desk sends the same action again.
            day.counts.retriedCalls++;
            const again = await checkIn(ref, by, actionId);
            if (again.out.kind !== 'checked_in' || again.out.actionId !== actionId)
              problem(`retry: ${key} answered ${again.out.kind}`);
          }
          return;
        }
        case 'undo': {
          day.counts.undos++;
          const t0 = performance.now();
          const out = await invoke<UndoOutcome>('desk.undo', {
            eventId: eventIds[ref.provider],
            attendeeId: row.id,
            actionId: randomUUID(),
          });
          day.deskMs.checkIn.push(performance.now() - t0);
          if (out.kind !== 'undone') return problem(`undo: ${key} answered ${out.kind}`);
          day.expectedCheckedIn.delete(key);
          return;
        }
        case 'duplicate': {
          day.counts.duplicateScans++;
          const { out } = await checkIn(ref, { code: row.barcode ?? '' });
          if (out.kind !== 'already_checked_in') problem(`second scan: ${key} answered ${out.kind}`);
          return;
        }
        case 'cancelledScan': {
          day.counts.cancelledScans++;
          const { out } = await checkIn(ref, { code: row.barcode ?? '' });
          if (out.kind !== 'not_attending') problem(`cancelled: ${key} answered ${out.kind}`);
          return;
        }
      }
    };

    const pendingMirror = new Map<string, { ref: PersonRef; at: number }>();
    const checkMirrored = () => {
      for (const [key, p] of pendingMirror) {
        if (mirrorRow(p.ref)) {
          day.mirrorLagMs.push(clock.now() - p.at);
          day.mirrorLagByProvider[p.ref.provider].push(clock.now() - p.at);
          pendingMirror.delete(key);
        }
      }
    };
    const started = performance.now();
    let changeAt = 0;
    let actionAt = 0;
    // Live polling runs from the end of the imports (about 07:00); the day's changes start at 08:00.
    let nextTick = clock.now();
    let nextHour = 1;
    for (;;) {
      const nextChange = changes[changeAt]?.at ?? Infinity;
      const nextAction = actions[actionAt]?.at ?? Infinity;
      const next = Math.min(nextTick, nextChange, nextAction);
      if (next >= dayEnd) break;
      // Waits inside a pass (a Retry-After, a backoff) may have moved the clock past `next`.
      if (next > clock.now()) clock.advance(next - clock.now());
      if (next === nextChange) {
        const c = changes[changeAt++]!;
        const ref = applyChange(c);
        if (ref && c.kind === 'register') {
          lateIds.set(`@late:${c.provider}:${c.index}`, ref.providerAttendeeId);
          pendingMirror.set(keyOf(ref), { ref, at: clock.now() });
        }
        continue;
      }
      if (next === nextAction) {
        await perform(actions[actionAt++]!);
        continue;
      }
      // The live loop: a pass over the events that are due, then 5 s of sleep.
      await app.core.engine.runLivePass();
      checkMirrored();
      nextTick = clock.now() + TICK_MS;
      for (; nextHour < hours && clock.now() >= dayStart + nextHour * HOUR; nextHour++)
        await opts.onHour?.(nextHour, day);
    }
    // A minute more of polling: the day's last changes reach the mirror.
    const settleUntil = Math.max(clock.now(), dayEnd) + MINUTE;
    while (clock.now() < settleUntil) {
      clock.advance(TICK_MS);
      await app.core.engine.runLivePass();
      checkMirrored();
    }
    for (; nextHour <= hours; nextHour++) await opts.onHour?.(nextHour, day);
    for (const [key] of pendingMirror) problem(`registration ${key} never reached the mirror`);
    if (changeAt < changes.length || actionAt < actions.length) problem('the day ended before its plan did');
    day.wallMs = performance.now() - started;
    day.pushes = pushes;
    return day;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The most requests in any window of `windowMs` (times sorted, as they are recorded). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! >= windowMs) from++;
    max = Math.max(max, to - from + 1);
  }
  return max;
}

/** Requests in each clock hour from `start` (an hour boundary) to `end`. */
export function perHour(times: readonly number[], start: number, end: number): number[] {
  const out = Array.from({ length: Math.ceil((end - start) / HOUR) }, () => 0);
  for (const t of times) if (t >= start && t < end) out[Math.floor((t - start) / HOUR)]!++;
  return out;
}
