// The fault suite: the real app host (the browser host's process, over its HTTP IPC) against the
// provider simulator and a label-printer stand-in, for N rounds. Each round picks a fault at
// random — a SIGKILL of the host mid-import, mid-live-sync, mid-check-in-burst or mid-print; the
// provider failing, throttling, slowing, revoking or sending broken bodies; the network dropping —
// then repairs what an admin would repair (one click per event) and checks the invariants:
//
//   - the database passes PRAGMA integrity_check (and foreign_key_check);
//   - every acknowledged check-in and undo is in the log once, for its attendee, and no attendee
//     is checked in twice without an undo between; the derived state agrees with the log;
//   - after a successful sync, the event's rows are exactly the provider's (ids, edits, cancels);
//   - no event is stuck: every PENDING event has a job that moves, or shows "Import failed";
//   - no badge printed twice without a click; the desk answered every check-in while only the
//     provider or the network was broken.
//
// Choices are seeded: the same seed replays the same faults with the same parameters (which
// attendees, how many, how long). The exact instant a SIGKILL lands in the host's work is up to
// the OS scheduler, which is the point: over many rounds it lands everywhere.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { once } from 'node:events';
import { spawnHost, ADMIN_PIN, type HostProcess } from '../helpers/e2e.ts';
import { startZplStandIn, type ZplStandIn } from '../helpers/zpl-standin.ts';
import {
  startSimulator,
  type Simulator,
  type SimFault,
  type SimRequestRecord,
} from '../../main/simulator/index.ts';
import { DeterministicRandom } from '../../main/simulator/people.ts';
import { describeSyncStatus, type SyncStatus } from '../../shared/sync-status.ts';
import type { ChannelInput, ChannelName, ChannelResult, IpcResult } from '../../shared/ipc-contract.ts';
import type { ProviderKind } from '../../shared/types.ts';
import {
  databaseDamagedRound,
  diskFullRound,
  formatStorageFigures,
  mountDataDisk,
  newStorageFigures,
  unmountDataDisk,
  type DataDisk,
  type StorageRoundFigures,
} from './storage-rounds.ts';

export const FAULT_KINDS = [
  'kill-mid-import',
  'kill-mid-live-sync',
  'kill-mid-check-in-burst',
  'kill-mid-print',
  'provider-error',
  'provider-throttle',
  'provider-slow',
  'provider-revoke',
  'provider-broken-body',
  'provider-repeating-cursor',
  'provider-long-429',
  'recover-during-wait',
  'network-drop',
  'disk-full',
  'database-damaged',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
type KillKind = Extract<FaultKind, `kill-${string}`>;
const KILL_KINDS = FAULT_KINDS.filter((k): k is KillKind => k.startsWith('kill-'));
const isKillKind = (k: FaultKind): k is KillKind => (KILL_KINDS as readonly FaultKind[]).includes(k);

export interface TortureOptions {
  rounds: number;
  seed: number;
  /** Progress lines (one per round); silent when absent. */
  log?: (line: string) => void;
  /** Most events the suite imports (new imports stop there; kills then land in resyncs). */
  maxEvents?: number;
  /** Only these fault kinds (default: all), e.g. to hammer one while chasing a bug. */
  kinds?: readonly FaultKind[];
}

export interface TortureSummary {
  seed: number;
  rounds: number;
  kinds: readonly FaultKind[];
  faults: Record<FaultKind, number>;
  hostKills: number;
  acknowledgedCheckIns: number;
  acknowledgedUndos: number;
  labelsPrinted: number;
  /** Events at the end and the attendee rows compared with the provider after every round. */
  events: number;
  rowsCompared: number;
  providerRequests: { eventbrite: number; luma: number };
  /**
   * Of the rounds of each kill kind, how many killed the host in the middle of that work: an
   * import job still running in the file, a provider request in flight, check-in calls
   * unanswered, a badge in state "printing" in the file. A kind that lands in fewer than half
   * its rounds fails the run: a fault that does not happen proves nothing.
   */
  killsMidWork: Record<KillKind, { kills: number; midWork: number }>;
  /** The storage rounds: what they did, or why the disk-full ones could not run here. */
  storage: StorageRoundFigures;
  violations: string[];
  elapsedMs: number;
}

// Statuses the simulator answers with that are not a broken body (those have their own kind).
const ERROR_FAULTS: SimFault[] = [500, 502, 503, 'reset', 401, 403, 404];
const BROKEN_BODY_FAULTS: SimFault[] = ['malformed', 'truncated', 'missing_fields'];
// 'timeout' is left out: each costs the client's real 30-second timeout per attempt. The
// provider clients' tests cover it with an injected clock.
const POLL_INTERVAL_MS = 250;
/**
 * The host's request timeout and its longest wait on 429s, shortened (test-only knobs) so a
 * round can make a pass wait out a timeout, or a Retry-After count as long, in seconds.
 */
const REQUEST_TIMEOUT_MS = 3_000;
const MAX_RATE_LIMIT_WAIT_MS = 5_000;
/** A job whose fetched count has not moved for this long is stuck. */
const STUCK_AFTER_MS = 30_000;
/** The longest the repairs after a round may take before the round counts as stuck. */
const SETTLE_TIMEOUT_MS = 120_000;

/** Seeded choices. */
export class Dice {
  private readonly random: DeterministicRandom;
  constructor(seed: number) {
    this.random = new DeterministicRandom(seed);
  }
  float(): number {
    return this.random.fraction();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('nothing to pick from');
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** The faults, in a seeded random order that uses every kind once before any repeats. */
export function faultSchedule(
  seed: number,
  rounds: number,
  kinds: readonly FaultKind[] = FAULT_KINDS,
): FaultKind[] {
  if (kinds.length === 0) throw new Error('no fault kinds to choose from');
  const dice = new Dice(seed);
  const out: FaultKind[] = [];
  while (out.length < rounds) out.push(...dice.shuffled(kinds));
  return out.slice(0, rounds);
}

class HostDown extends Error {}

/** The renderer's side of the browser host's IPC, as the page uses it. */
class HostClient {
  private readonly base: URL;
  private readonly token: string;
  constructor(url: string) {
    this.base = new URL(url);
    this.token = this.base.searchParams.get('token')!;
  }
  async call<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<IpcResult<ChannelResult<C>>> {
    let response: Response;
    try {
      response = await fetch(new URL(`/ipc/${channel}`, this.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-badge-desk-token': this.token },
        body: JSON.stringify(input),
      });
      return (await response.json()) as IpcResult<ChannelResult<C>>;
    } catch (error) {
      throw new HostDown(`${channel}: no answer from the host (${(error as Error).message})`);
    }
  }
  async must<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
    const result = await this.call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
}

export interface TrackedEvent {
  localId: number;
  provider: ProviderKind;
  providerEventId: string;
}

interface Acknowledged {
  actionId: string;
  attendeeId: number;
  action: 'check_in' | 'undo';
}

/** What the provider's rows must look like locally, beyond the set of ids: the suite's own edits. */
interface ExpectedEdits {
  lastNames: Map<string, string>;
  cancelled: Set<string>;
}

export class World {
  host!: HostProcess;
  client!: HostClient;
  hostKills = 0;
  /** What was under way when the host was last killed. */
  atLastKill = { providerRequestsInFlight: 0, msSinceProviderAnswer: Infinity, callsInFlight: 0 };
  callsInFlight = 0;
  callsAnswered = 0;
  private providerRequestsAnswered = 0;
  private lastProviderAnswerAt = -Infinity;
  readonly events: TrackedEvent[] = [];
  readonly acknowledged: Acknowledged[] = [];
  readonly edits = new Map<string, ExpectedEdits>();
  readonly tokens: Record<ProviderKind, string>;
  readonly violations: string[] = [];
  rowsCompared = 0;
  /** The data folder's disk (a tmpfs where the suite may mount one) and the storage rounds' figures. */
  disk: DataDisk = { mounted: false, reason: 'not mounted yet' };
  readonly storage: StorageRoundFigures = newStorageFigures();
  /** Labels printed before this index were judged against a print history a damaged database took with it. */
  labelsSince = 0;
  private roundLabel = 'setup';

  private constructor(
    readonly sim: Simulator,
    readonly printer: ZplStandIn,
    readonly dataDir: string,
    readonly env: Record<string, string>,
    readonly clockOffset: { ms: number },
  ) {
    for (const provider of [sim.eventbrite, sim.luma])
      provider.on('request', () => {
        this.providerRequestsAnswered++;
        this.lastProviderAnswerAt = performance.now();
      });
    this.tokens = {
      eventbrite: sim.eventbrite.addAccount({ email: 'torture@venue.example', name: 'Torture' }).token,
      luma: sim.luma.addAccount({ email: 'torture@venue.example', name: 'Torture' }).token,
    };
  }

  static async start(): Promise<World> {
    const clockOffset = { ms: 0 };
    const sim = await startSimulator({ now: () => Date.now() + clockOffset.ms });
    const printer = await startZplStandIn();
    const dataDir = mkdtempSync(join(tmpdir(), 'bd-torture-'));
    const disk = mountDataDisk(dataDir);
    const env = {
      BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl,
      BADGE_DESK_LUMA_URL: sim.luma.baseUrl,
      BADGE_DESK_ADMIN_PIN: ADMIN_PIN,
      BADGE_DESK_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      // Hundreds of rounds make more calls in an hour than a real provider's budget allows; the
      // suite is about crashes and faults, the simulated event day about budgets.
      BADGE_DESK_RATE_BUDGET_SCALE: '1000',
      BADGE_DESK_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      BADGE_DESK_MAX_RATE_LIMIT_WAIT_MS: String(MAX_RATE_LIMIT_WAIT_MS),
    };
    const world = new World(sim, printer, dataDir, env, clockOffset);
    world.disk = disk;
    await world.startHost();
    return world;
  }

  async close(): Promise<void> {
    await this.host?.kill();
    await this.sim.close();
    await this.printer.close();
    unmountDataDisk(this.dataDir, this.disk);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  setRound(label: string): void {
    this.roundLabel = label;
  }

  /** Records a violation once: a broken state that lasts is reported in the round it appeared. */
  /**
   * Records a violation once per round: a check that fails again in a later round is reported
   * again, so a fault that recurs is counted, not hidden behind its first report.
   */
  violation(message: string): void {
    const line = `${this.roundLabel}: ${message}`;
    if (this.reported.has(line)) return;
    this.reported.add(line);
    this.violations.push(line);
  }
  private readonly reported = new Set<string>();

  /**
   * The station prints to the label-printer stand-in at every check-in. Printers live in the
   * database, so after a damaged one the admin adds it again, as at a real desk.
   */
  async ensureLabelPrinter(): Promise<void> {
    const config = {
      kind: 'zpl_tcp' as const,
      host: '127.0.0.1',
      port: this.printer.port,
      dpi: 203 as const,
    };
    const printers = await this.client.must('printers.list', {});
    const { settings } = await this.client.must('app.snapshot', {});
    const existing = printers.find((p) => p.config.kind === 'zpl_tcp' && p.config.port === config.port);
    if (existing && settings.printerId === existing.id && settings.autoPrint) return;
    const printer =
      existing ?? (await this.client.must('printers.add', { name: 'Desk label printer', config }));
    await this.client.must('settings.update', { printerId: printer.id, autoPrint: true });
  }

  sims(provider: ProviderKind) {
    return provider === 'eventbrite' ? this.sim.eventbrite : this.sim.luma;
  }

  /** Provider changes stamped a day back, as registrations made before the event are. */
  inThePast(change: () => void): void {
    this.clockOffset.ms = -24 * 3600_000;
    try {
      change();
    } finally {
      this.clockOffset.ms = 0;
    }
  }

  /** The last lines the host wrote, for a report when it dies on its own. */
  private hostOutput = '';
  private killedByUs = false;

  async startHost(): Promise<void> {
    this.hostOutput = '';
    this.killedByUs = false;
    this.host = await spawnHost(this.dataDir, this.env, {
      onOutput: (text) => {
        this.hostOutput = (this.hostOutput + text).slice(-2_000);
        // Node prints an unhandled rejection as it ends the process; either way it is a violation.
        const unhandled = /UnhandledPromiseRejection|unhandled rejection|unhandledRejection/i.exec(text);
        if (unhandled) this.violation(`the host had an unhandled rejection: ${text.trim().slice(0, 300)}`);
      },
    });
    this.client = new HostClient(this.host.url);
    await this.client.must('session.unlock', { pin: ADMIN_PIN });
  }

  async killHost(): Promise<void> {
    this.atLastKill = {
      providerRequestsInFlight:
        this.sim.eventbrite.requestCount + this.sim.luma.requestCount - this.providerRequestsAnswered,
      msSinceProviderAnswer: performance.now() - this.lastProviderAnswerAt,
      callsInFlight: this.callsInFlight,
    };
    // A host already gone died by itself: that stays an unexpected exit, not a kill of ours.
    if (!this.hostAlive) return;
    this.killedByUs = true;
    await this.host.kill();
    this.hostKills++;
  }

  /** How the host ended, when it ended without the suite killing it; null while it runs or after a kill. */
  get unexpectedExit(): string | null {
    if (this.hostAlive || this.killedByUs) return null;
    const { exitCode, signalCode } = this.host.child;
    return `the host exited by itself (${signalCode ?? `code ${exitCode}`}); its last output: ${this.hostOutput.trim() || '(none)'}`;
  }

  get hostAlive(): boolean {
    return this.host.child.exitCode === null && this.host.child.signalCode === null;
  }

  /** Opens the database file directly, as nobody but this suite would, and closes it again. */
  withDatabase<T>(read: (db: Database.Database) => T): T {
    const db = new Database(join(this.dataDir, 'badge-desk.sqlite'), { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return read(db);
    } finally {
      db.close();
    }
  }

  integrationId(provider: ProviderKind): Promise<number> {
    return this.client.must('integrations.list', {}).then((list) => {
      const found = list.find((i) => i.provider === provider);
      if (!found) throw new Error(`no ${provider} integration`);
      return found.id;
    });
  }

  editsOf(event: TrackedEvent): ExpectedEdits {
    const key = `${event.provider}:${event.providerEventId}`;
    let edits = this.edits.get(key);
    if (!edits) this.edits.set(key, (edits = { lastNames: new Map(), cancelled: new Set() }));
    return edits;
  }

  /** Adds a provider event with `n` attendees and starts its import. */
  async addEvent(provider: ProviderKind, n: number, name: string): Promise<TrackedEvent> {
    const sim = this.sims(provider);
    const providerEventId = sim.addEvent(this.tokens[provider], { name });
    this.inThePast(() => sim.seedAttendees(providerEventId, n));
    const integrationId = await this.integrationId(provider);
    const event = await this.client.must('events.import', { integrationId, providerEventId });
    const tracked = { localId: event.id, provider, providerEventId };
    this.events.push(tracked);
    return tracked;
  }

  /** Attendees of the suite's events: [attendee id, barcode, event id], read from the database. */
  attendees(where = "a.status = 'ATTENDING'"): { id: number; barcode: string | null; eventId: number }[] {
    return this.withDatabase(
      (db) =>
        db
          .prepare(
            `SELECT a.id, a.barcode, a.event_id AS eventId FROM attendees a WHERE ${where} ORDER BY a.id`,
          )
          .all() as {
          id: number;
          barcode: string | null;
          eventId: number;
        }[],
    );
  }

  /**
   * Fires `n` check-ins (a few undos among them), `concurrency` at a time. Returns how many were
   * answered; the acknowledged ones are recorded. Calls the host does not answer (it was killed)
   * are neither acknowledged nor counted.
   */
  async checkInBurst(
    dice: Dice,
    n: number,
    opts: { concurrency?: number; pool?: { id: number; barcode: string | null; eventId: number }[] } = {},
  ): Promise<{ answered: number; refused: string[] }> {
    const pool = opts.pool ?? this.attendees();
    if (pool.length === 0) return { answered: 0, refused: [] };
    // Chosen up front, so the choices do not depend on the host's timing.
    const plan = Array.from({ length: n }, () => {
      const a = dice.pick(pool);
      const lastMine = dice.chance(0.1)
        ? this.acknowledged.filter((x) => x.action === 'check_in').at(-1 - dice.int(0, 5))
        : undefined;
      return { a, byCode: a.barcode !== null && dice.chance(0.5), undo: lastMine, actionId: randomUUID() };
    });
    let answered = 0;
    const refused: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < plan.length) {
        const step = plan[next++]!;
        try {
          if (step.undo) {
            const eventId = this.eventOfAttendee(step.undo.attendeeId);
            this.callsInFlight++;
            const r = await this.client
              .call('desk.undo', { eventId, attendeeId: step.undo.attendeeId, actionId: step.actionId })
              .finally(() => this.callsInFlight--);
            answered++;
            this.callsAnswered++;
            if (!r.ok) refused.push(`undo: ${r.error.code} ${r.error.message}`);
            else if (r.value.kind === 'undone')
              this.acknowledged.push({
                actionId: step.actionId,
                attendeeId: step.undo.attendeeId,
                action: 'undo',
              });
          } else {
            const input = step.byCode
              ? { eventId: step.a.eventId, actionId: step.actionId, code: step.a.barcode! }
              : { eventId: step.a.eventId, actionId: step.actionId, attendeeId: step.a.id };
            this.callsInFlight++;
            const r = await this.client.call('desk.checkIn', input).finally(() => this.callsInFlight--);
            answered++;
            this.callsAnswered++;
            if (!r.ok) refused.push(`check-in: ${r.error.code} ${r.error.message}`);
            else if (r.value.kind === 'checked_in')
              this.acknowledged.push({
                actionId: step.actionId,
                attendeeId: r.value.attendee.id,
                action: 'check_in',
              });
          }
        } catch (error) {
          if (error instanceof HostDown) return;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
    return { answered, refused };
  }

  private readonly eventOfAttendeeCache = new Map<number, number>();
  /** A fresh database (after a damaged one) has new local ids for the same people. */
  forgetLocalIds(): void {
    this.eventOfAttendeeCache.clear();
  }
  eventOfAttendee(attendeeId: number): number {
    let eventId = this.eventOfAttendeeCache.get(attendeeId);
    if (eventId === undefined) {
      eventId = this.withDatabase(
        (db) => db.prepare('SELECT event_id FROM attendees WHERE id = ?').pluck().get(attendeeId) as number,
      );
      this.eventOfAttendeeCache.set(attendeeId, eventId);
    }
    return eventId;
  }

  /** A provider change on one of the suite's events: registrations, edits and cancellations. */
  changeProvider(dice: Dice, event: TrackedEvent, round: number): void {
    const sim = this.sims(event.provider);
    const ids = sim.attendeeIds(event.providerEventId);
    const edits = this.editsOf(event);
    for (let i = dice.int(1, 15); i > 0; i--) sim.addAttendee(event.providerEventId);
    for (let i = dice.int(0, 5); i > 0; i--) {
      const id = dice.pick(ids);
      const lastName = `Edited-r${round}-${i}`;
      sim.editAttendee(event.providerEventId, id, { lastName });
      edits.lastNames.set(id, lastName);
    }
    for (let i = dice.int(0, 3); i > 0; i--) {
      const id = dice.pick(ids);
      sim.cancelAttendee(event.providerEventId, id);
      edits.cancelled.add(id);
    }
  }

  // ---- repairs -----------------------------------------------------------------------------

  /**
   * Ends every fault, starts the host again if it was killed, and does what an admin would:
   * reconnect a rejected account, then the one-click repair of each broken event. Waits until
   * every event is ACTIVE with no job; a job that stops moving, or an event that never heals,
   * is a violation.
   */
  async settle(): Promise<void> {
    for (const provider of ['eventbrite', 'luma'] as const) {
      const sim = this.sims(provider);
      sim.clearFaults();
      sim.setLatency(0);
      await sim.setOffline(false);
      sim.restoreToken(this.tokens[provider]);
    }
    this.printer.jam(false);
    this.printer.holdAfterPrint(0);
    if (!this.hostAlive) {
      const exit = this.unexpectedExit;
      if (exit !== null) this.violation(exit);
      await this.startHost();
    }

    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const progress = new Map<number, { fetched: number; since: number }>();
    const failedSince = new Map<number, number>();
    for (;;) {
      const integrations = await this.client.must('integrations.list', {});
      for (const integration of integrations) {
        if (integration.status !== 'CONNECTED') {
          await this.client.call('integrations.connect', {
            provider: integration.provider,
            credential: this.tokens[integration.provider],
          });
        }
      }
      const events = await this.client.must('events.list', {});
      let healthy = true;
      for (const event of events) {
        if (event.status === 'ACTIVE' && !event.activeJob) continue;
        healthy = false;
        if (event.status === 'PENDING' && event.activeJob) {
          const seen = progress.get(event.id);
          if (!seen || seen.fetched !== event.activeJob.fetched)
            progress.set(event.id, { fetched: event.activeJob.fetched, since: Date.now() });
          else if (Date.now() - seen.since > STUCK_AFTER_MS) {
            this.violation(
              `event ${event.id} is stuck: its ${event.activeJob.kind} job has not moved for ${STUCK_AFTER_MS / 1000} s`,
            );
            return;
          }
        } else if (event.status === 'PENDING') {
          // No job: the screen must say so, with its one-click repair.
          const view = describeSyncStatus(event.status, false);
          if (view.alert?.title !== 'Import failed')
            this.violation(`event ${event.id} is PENDING with no job and no "Import failed"`);
          await this.client.call('events.retryImport', { eventId: event.id });
        } else if (event.status === 'FAILED') {
          // Live sync heals a network failure by itself; give it a moment before Retry.
          const since = failedSince.get(event.id) ?? Date.now();
          failedSince.set(event.id, since);
          if (Date.now() - since > 4 * POLL_INTERVAL_MS)
            await this.client.call('events.retry', { eventId: event.id });
        } else if (event.status === 'DISCONNECTED') {
          const integrationId = integrations.find((i) => i.provider === event.provider)!.id;
          await this.client.call('events.reconnect', { eventId: event.id, integrationId });
        }
      }
      if (healthy) return;
      if (Date.now() > deadline) {
        const broken = events
          .filter((e) => e.status !== 'ACTIVE' || e.activeJob)
          .map((e) => `${e.id} ${e.status}${e.activeJob ? ' (job)' : ''}`);
        this.violation(`events did not heal within ${SETTLE_TIMEOUT_MS / 1000} s: ${broken.join(', ')}`);
        return;
      }
      await delay(50);
    }
  }

  /** A manual Sync of each event, then its rows against the provider's. */
  async compareWithProvider(): Promise<void> {
    for (const event of this.events) {
      const synced = await this.syncOnce(event.localId);
      if (!synced) {
        this.violation(`event ${event.localId}: a manual Sync after the repairs did not succeed`);
        continue;
      }
      const providerIds = new Set(this.sims(event.provider).attendeeIds(event.providerEventId));
      const rows = this.withDatabase(
        (db) =>
          db
            .prepare(
              'SELECT provider_attendee_id AS id, full_name AS fullName, status FROM attendees WHERE event_id = ?',
            )
            .all(event.localId) as {
            id: string;
            fullName: string;
            status: string;
          }[],
      );
      this.rowsCompared += rows.length;
      const localIds = new Set(rows.map((r) => r.id));
      const missing = [...providerIds].filter((id) => !localIds.has(id));
      const extra = [...localIds].filter((id) => !providerIds.has(id));
      if (rows.length !== localIds.size) this.violation(`event ${event.localId}: duplicate attendee rows`);
      if (missing.length || extra.length) {
        this.violation(
          `event ${event.localId}: ${missing.length} provider attendees missing locally, ${extra.length} local rows the provider does not have`,
        );
      }
      const edits = this.editsOf(event);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [id, lastName] of edits.lastNames) {
        const row = byId.get(id);
        if (row && !row.fullName.includes(lastName))
          this.violation(
            `event ${event.localId}: attendee ${id} is "${row.fullName}", the provider says ${lastName}`,
          );
      }
      for (const id of edits.cancelled) {
        const row = byId.get(id);
        if (row && row.status !== 'NOT_ATTENDING')
          this.violation(
            `event ${event.localId}: attendee ${id} was cancelled on the provider but is ${row.status}`,
          );
      }
    }
  }

  /** Runs the manual Sync until it completes; false when it keeps failing. */
  private async syncOnce(eventId: number): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const started = await this.client.call('events.sync', { eventId });
      if (!started.ok) {
        // A job (or a live pass) is running: wait for it and ask again.
        await delay(50);
        continue;
      }
      // One desk, no venue: the Sync always runs here.
      if (started.value.ranBy !== 'this-desk')
        throw new Error(`a lone desk's Sync was asked of ${started.value.deskName}`);
      const jobId = started.value.job.id;
      for (;;) {
        const event = await this.client.must('events.get', { eventId });
        if (event.activeJob?.id === jobId) {
          await delay(20);
          continue;
        }
        if (event.status === 'ACTIVE') return true;
        break;
      }
    }
    return false;
  }

  // ---- invariants --------------------------------------------------------------------------

  checkDatabase(): void {
    this.withDatabase((db) => {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') this.violation(`integrity_check: ${String(integrity)}`);
      const foreign = db.pragma('foreign_key_check') as unknown[];
      if (foreign.length) this.violation(`foreign_key_check: ${foreign.length} rows`);

      const byAction = db.prepare(
        'SELECT attendee_id AS attendeeId, action FROM checkins WHERE action_id = ?',
      );
      for (const ack of this.acknowledged) {
        const row = byAction.get(ack.actionId) as { attendeeId: number; action: string } | undefined;
        if (!row)
          this.violation(
            `acknowledged ${ack.action} ${ack.actionId} (attendee ${ack.attendeeId}) is not in the log`,
          );
        else if (row.attendeeId !== ack.attendeeId || row.action !== ack.action) {
          this.violation(
            `acknowledged ${ack.action} ${ack.actionId} is logged as ${row.action} of attendee ${row.attendeeId}`,
          );
        }
      }

      // The log alternates check-in, undo, check-in... per attendee, and the derived state is its last action.
      const log = db
        .prepare('SELECT attendee_id AS attendeeId, action FROM checkins ORDER BY attendee_id, id')
        .all() as { attendeeId: number; action: string }[];
      const derived = new Map(
        (
          db
            .prepare('SELECT attendee_id AS attendeeId, checked_in AS checkedIn FROM attendee_checkin')
            .all() as { attendeeId: number; checkedIn: number }[]
        ).map((r) => [r.attendeeId, r.checkedIn]),
      );
      let previous: { attendeeId: number; action: string } | undefined;
      const lastAction = new Map<number, string>();
      for (const entry of log) {
        const expected =
          previous?.attendeeId === entry.attendeeId && previous.action === 'check_in' ? 'undo' : 'check_in';
        if (entry.action !== expected)
          this.violation(
            `attendee ${entry.attendeeId}: log has ${entry.action} where ${expected} belongs (checked in twice, or an undo of nothing)`,
          );
        lastAction.set(entry.attendeeId, entry.action);
        previous = entry;
      }
      for (const [attendeeId, action] of lastAction) {
        if ((derived.get(attendeeId) === 1) !== (action === 'check_in'))
          this.violation(`attendee ${attendeeId}: check-in state disagrees with the log`);
      }

      const twice = db
        .prepare(
          `SELECT attendee_id AS attendeeId, count(*) AS n FROM print_jobs
           WHERE reason IN ('check_in', 'manual', 'batch') AND state = 'printed' GROUP BY attendee_id HAVING n > 1`,
        )
        .all() as { attendeeId: number; n: number }[];
      for (const t of twice) this.violation(`attendee ${t.attendeeId}: ${t.n} first prints marked printed`);
    });

    // What reached the printer: a QR code of the barcode on each badge, each barcode once.
    const copies = new Map<string, number>();
    for (const label of this.printer.labels.slice(this.labelsSince)) {
      const qr = label.fields.find((f) => f.startsWith('MA,'));
      if (qr) copies.set(qr, (copies.get(qr) ?? 0) + 1);
    }
    for (const [qr, n] of copies)
      if (n > 1) this.violation(`the badge with QR ${qr.slice(3)} printed ${n} times without a reprint`);
  }

  /** After a restart: no event may claim a job the dead process was running. */
  async checkNoGhostJobs(jobsBefore: Set<number>): Promise<void> {
    const events = await this.client.must('events.list', {});
    for (const event of events) {
      if (event.activeJob && jobsBefore.has(event.activeJob.id)) {
        this.violation(
          `event ${event.id} still shows job ${event.activeJob.id} of the killed host as running`,
        );
      }
    }
  }

  async runningJobIds(): Promise<Set<number>> {
    try {
      const events = await this.client.must('events.list', {});
      return new Set(events.flatMap((e) => (e.activeJob ? [e.activeJob.id] : [])));
    } catch (error) {
      if (error instanceof HostDown) return new Set();
      throw error;
    }
  }
}

// ---- the rounds ----------------------------------------------------------------------------

export interface Round {
  world: World;
  dice: Dice;
  round: number;
  maxEvents: number;
}

/** Kills the host after `ms`, remembering which jobs it was running. */
async function killAfter(world: World, ms: number, jobs: Set<number>): Promise<void> {
  await delay(ms);
  for (const id of await world.runningJobIds()) jobs.add(id);
  await world.killHost();
}

/** Polls a condition of the suite's own (no host involved) every few milliseconds, at most `ms`. */
async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;) await delay(2);
}

/**
 * Waits until an event shows `status` with no job running (live sync may get there before the
 * manual Sync's job has ended). At most 15 s; the repairs after the round judge the rest.
 */
async function untilStatus(world: World, eventId: number, status: SyncStatus): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await delay(20)) {
    const event = await world.client.must('events.get', { eventId });
    if (event.status === status && !event.activeJob) return;
  }
}

/** Waits until an event's job has fetched at least `n` (or has finished). */
async function untilFetched(world: World, eventId: number, n: number): Promise<void> {
  for (;;) {
    const event = await world.client.must('events.get', { eventId });
    if (!event.activeJob || event.activeJob.fetched >= n) return;
    await delay(10);
  }
}

/** The desk must answer every check-in while only the provider or the network is broken. */
async function deskKeepsWorking(r: Round, n: number): Promise<void> {
  const { answered, refused } = await r.world.checkInBurst(r.dice, n);
  if (answered !== n) r.world.violation(`the desk answered ${answered} of ${n} check-ins`);
  for (const why of refused) r.world.violation(`the desk refused a check-in: ${why}`);
}

function activeEventOf(r: Round, provider?: ProviderKind): TrackedEvent {
  const candidates = r.world.events.filter((e) => provider === undefined || e.provider === provider);
  return r.dice.pick(candidates);
}

type ProviderSim = ReturnType<World['sims']>;

/**
 * A provider fault on one of the events: `inject` sets it up, then a Sync and live sync run into
 * it for a while (`syncMs`, drawn) as the desk goes on checking people in.
 */
async function duringProviderFault(
  r: Round,
  inject: (sim: ProviderSim, event: TrackedEvent) => void,
  provoked: { what: string; answered: (request: SimRequestRecord) => boolean },
  syncMs: [number, number] = [200, 1_500],
): Promise<TrackedEvent> {
  const event = activeEventOf(r);
  const sim = r.world.sims(event.provider);
  // The fault must reach the desk, or the round proves nothing: the simulator says whether it
  // answered a request with it.
  // A request is logged once it is answered, which for a slow answer can be after the round's
  // own work: wait for it a while longer (bounded) before calling the fault missing.
  let answered = false;
  let onAnswered = () => undefined as void;
  const listener = (request: SimRequestRecord) => {
    if (!provoked.answered(request)) return;
    answered = true;
    onAnswered();
  };
  sim.on('request', listener);
  try {
    inject(sim, event);
    const runFor = r.dice.int(...syncMs);
    const sync = async () => {
      await r.world.client.call('events.sync', { eventId: event.localId });
      await delay(runFor);
    };
    await Promise.all([sync(), deskKeepsWorking(r, r.dice.int(5, 30))]);
    if (!answered)
      await Promise.race([new Promise<void>((resolve) => (onAnswered = resolve)), delay(PROVOKED_WITHIN_MS)]);
  } finally {
    sim.off('request', listener);
  }
  if (!answered)
    r.world.violation(
      `the provider never answered with ${provoked.what} (waited ${PROVOKED_WITHIN_MS / 1000} s more): the fault did not happen`,
    );
  return event;
}

const PROVOKED_WITHIN_MS = 5_000;

const faultAnswered = (faults: readonly SimFault[]) => (request: SimRequestRecord) =>
  request.fault !== undefined && request.fault !== 'throttle' && faults.includes(request.fault);

/**
 * After a repair (the history row `repairReason` names), the event must reach ACTIVE and its
 * history from that row on must be exactly PENDING -> ACTIVE: a pass begun before the repair
 * that wrote FAILED or DISCONNECTED over it is the race a repair must win.
 */
async function endsAsRepairEarned(
  world: World,
  eventId: number,
  repairReason: string,
  what: string,
): Promise<void> {
  await untilStatus(world, eventId, 'ACTIVE');
  const event = await world.client.must('events.get', { eventId });
  const history = await world.client.must('events.history', { eventId });
  const from = history.map((h) => h.reason).lastIndexOf(repairReason);
  const after = from === -1 ? [] : history.slice(from).map((h) => h.to);
  if (event.status !== 'ACTIVE' || after.join(' ') !== 'PENDING ACTIVE') {
    world.violation(
      `event ${eventId}: after ${what} it is ${event.status}, history since the repair ${after.join(' -> ') || '(none)'}`,
    );
  }
}

/** Resolves once the provider has logged a request matching `match` (at most `ms`). */
function providerLogs(
  sim: ProviderSim,
  match: (r: SimRequestRecord) => boolean,
  ms: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sim.off('request', listener);
      resolve(false);
    }, ms);
    const listener = (r: SimRequestRecord) => {
      if (!match(r)) return;
      clearTimeout(timer);
      sim.off('request', listener);
      resolve(true);
    };
    sim.on('request', listener);
  });
}

const ROUNDS: Record<FaultKind, (r: Round) => Promise<Set<number>>> = {
  async 'kill-mid-import'(r) {
    const { world, dice } = r;
    const provider = dice.pick(['eventbrite', 'luma'] as const);
    const size = dice.int(200, 1_500);
    const sim = world.sims(provider);
    // Slow enough pages that the import is still running when the suite sees it has got far
    // enough: at a few milliseconds a page it often finished first, and the kill fell after it.
    sim.setLatency(dice.int(20, 60));
    const jobs = new Set<number>();
    let eventId: number;
    if (world.events.length < r.maxEvents) {
      eventId = (await world.addEvent(provider, size, `Torture ${r.round}`)).localId;
    } else {
      // Enough events: the kill lands in a re-import, which lists every attendee again. An
      // admin starts one by reconnecting an event whose account was disconnected.
      eventId = activeEventOf(r, provider).localId;
      sim.revokeToken(world.tokens[provider]);
      await world.client.call('events.sync', { eventId });
      await untilStatus(world, eventId, 'DISCONNECTED');
      sim.restoreToken(world.tokens[provider]);
      const integration = await world.client.must('integrations.connect', {
        provider,
        credential: world.tokens[provider],
      });
      // Should the event not be DISCONNECTED after all (a refusal), the kill lands in whatever
      // runs, and the repairs after the round put it right.
      await world.client.call('events.reconnect', { eventId, integrationId: integration.id });
    }
    await untilFetched(world, eventId, dice.int(0, Math.floor(size * 0.8)));
    for (const id of await world.runningJobIds()) jobs.add(id);
    await world.killHost();
    return jobs;
  },

  async 'kill-mid-live-sync'(r) {
    const { world, dice } = r;
    const event = activeEventOf(r);
    const sim = world.sims(event.provider);
    const latency = dice.int(20, 150);
    sim.setLatency(latency);
    world.changeProvider(dice, event, r.round);
    // Aimed at the live pass that picks the change up: while its request is in flight, or just as
    // a page has arrived and is being written.
    if (dice.chance(0.5)) {
      const before = sim.requestCount;
      await until(() => sim.requestCount > before, 5_000);
      await delay(dice.int(0, latency - 10));
    } else {
      await Promise.race([once(sim, 'request'), delay(5_000)]);
      await delay(dice.int(0, 3));
    }
    await world.killHost();
    return new Set();
  },

  async 'kill-mid-check-in-burst'(r) {
    const { world, dice } = r;
    const jobs = new Set<number>();
    const n = dice.int(20, 150);
    // Aimed at the middle of the burst: after the k-th answer, with more calls on the way.
    const answeredBefore = world.callsAnswered;
    const k = dice.int(0, n - 10);
    const killMidBurst = async () => {
      await until(() => world.callsAnswered - answeredBefore >= k, 10_000);
      await killAfter(world, dice.int(0, 3), jobs);
    };
    await Promise.all([world.checkInBurst(dice, n, { concurrency: dice.int(1, 8) }), killMidBurst()]);
    return jobs;
  },

  async 'kill-mid-print'(r) {
    const { world, dice } = r;
    const pool = world.attendees(
      `a.status = 'ATTENDING' AND a.barcode IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM attendee_checkin c WHERE c.attendee_id = a.id AND c.checked_in = 1)
       AND NOT EXISTS (SELECT 1 FROM print_jobs p WHERE p.attendee_id = a.id)`,
    );
    // The kill lands while a badge is being sent: to a jammed printer (nothing printed) or to
    // one slow to let go (printed, the host not yet told). Either holds the connection open for
    // longer than the kill can take, so the kill always finds the job printing: a printer that
    // keeps up finishes a label in a millisecond, and a kill aimed at that lands after it.
    const printer = dice.pick(['jammed', 'slow to let go'] as const);
    world.printer.jam(printer === 'jammed');
    world.printer.holdAfterPrint(printer === 'slow to let go' ? 3_000 : 0);
    await world.ensureLabelPrinter();
    const jobs = new Set<number>();
    // Aimed at a badge on its way: once the printer has taken the n-th connection and holds it.
    const connections = world.printer.connections + dice.int(1, 3);
    const killWhilePrinting = async () => {
      await until(
        () => world.printer.connections >= connections && world.printer.openConnections > 0,
        20_000,
      );
      if (world.printer.openConnections === 0)
        world.violation('no badge reached the printer within 20 s: the kill could not land mid-print');
      await killAfter(world, dice.int(0, 20), jobs);
    };
    await Promise.all([
      world.checkInBurst(dice, dice.int(3, 25), { concurrency: 1, pool }),
      killWhilePrinting(),
    ]);
    return jobs;
  },

  async 'provider-error'(r) {
    await duringProviderFault(r, (sim) => sim.failNext(r.dice.int(1, 4), r.dice.pick(ERROR_FAULTS)), {
      what: 'an error',
      answered: faultAnswered(ERROR_FAULTS),
    });
    return new Set();
  },

  async 'provider-throttle'(r) {
    await duringProviderFault(r, (sim) => sim.throttleNext(r.dice.int(1, 3), 1), {
      what: 'a 429',
      answered: (request) => request.fault === 'throttle',
    });
    return new Set();
  },

  async 'provider-slow'(r) {
    const inject = (sim: ProviderSim, event: TrackedEvent) => {
      sim.setLatency(r.dice.int(200, 2_000));
      r.world.changeProvider(r.dice, event, r.round);
    };
    // Every request after the latency is set is a slow one.
    await duringProviderFault(r, inject, { what: 'a slow answer', answered: () => true }, [500, 2_500]);
    return new Set();
  },

  async 'provider-revoke'(r) {
    const { world } = r;
    const revoked = {
      what: 'a 401 for the revoked token',
      answered: (request: SimRequestRecord) => request.status === 401,
    };
    const event = await duringProviderFault(
      r,
      (sim, e) => sim.revokeToken(world.tokens[e.provider]),
      revoked,
      [100, 800],
    );
    // The revoked credential must show, on the event, as the recovery dialog's case.
    for (const deadline = Date.now() + 15_000; ; await delay(50)) {
      const now = await world.client.must('events.get', { eventId: event.localId });
      if (now.status === 'DISCONNECTED') break;
      if (Date.now() > deadline) {
        world.violation(
          `event ${event.localId} is ${now.status} 15 s after its token was revoked, not DISCONNECTED`,
        );
        break;
      }
    }
    return new Set();
  },

  async 'provider-broken-body'(r) {
    await duringProviderFault(r, (sim) => sim.failNext(r.dice.int(1, 3), r.dice.pick(BROKEN_BODY_FAULTS)), {
      what: 'a broken body',
      answered: faultAnswered(BROKEN_BODY_FAULTS),
    });
    return new Set();
  },

  async 'provider-repeating-cursor'(r) {
    const { world } = r;
    const event = activeEventOf(r);
    const sim = world.sims(event.provider);
    // Small pages, so the loop shows on any event; then a Sync runs into the repeating cursor.
    sim.setPageSize(r.dice.int(1, 20));
    sim.repeatCursor(true);
    const before = sim.requestCount;
    await world.client.call('events.sync', { eventId: event.localId });
    await Promise.all([untilStatus(world, event.localId, 'FAILED'), deskKeepsWorking(r, r.dice.int(5, 20))]);
    const made = sim.requestCount - before;
    // A Sync is an incremental page, a full listing that stops at the repeat, and live sync's
    // retries with their backoff: dozens at most, where a loop makes thousands a second.
    if (made > 200)
      world.violation(`event ${event.localId}: ${made} requests against a repeating cursor (paging loops)`);
    const failed = await world.client.must('events.get', { eventId: event.localId });
    if (failed.status !== 'FAILED' || !/repeats the page cursor/.test(failed.lastError ?? '')) {
      world.violation(
        `event ${event.localId} is ${failed.status} (${failed.lastError ?? 'no error'}) after a repeating cursor, not FAILED as a bad response`,
      );
    }
    sim.repeatCursor(false);
    sim.setPageSize(50);
    return new Set();
  },

  async 'provider-long-429'(r) {
    const { world } = r;
    const event = activeEventOf(r);
    const sim = world.sims(event.provider);
    // Longer than a request may wait: the request gives up, the token waits for the time named.
    const blockS = r.dice.int(MAX_RATE_LIMIT_WAIT_MS / 1000 + 1, MAX_RATE_LIMIT_WAIT_MS / 1000 + 4);
    sim.throttleFor(blockS);
    const blockEnds = Date.now() + blockS * 1000;
    await world.client.call('events.sync', { eventId: event.localId });
    await Promise.all([untilStatus(world, event.localId, 'FAILED'), deskKeepsWorking(r, r.dice.int(5, 20))]);
    const failed = await world.client.must('events.get', { eventId: event.localId });
    const next = failed.nextAttemptAt === null ? null : Date.parse(failed.nextAttemptAt);
    // Live sync's next try is its schedule or the block's end, whichever is later; never inside the block.
    if (next === null || next < blockEnds - 1_000) {
      world.violation(
        `event ${event.localId} shows next attempt ${failed.nextAttemptAt ?? 'none'} for a block of ${blockS} s ending ${new Date(blockEnds).toISOString()}`,
      );
    }
    // Nobody calls through the block: neither live sync of the token's events nor its Retry.
    const during = sim.requestCount;
    const retried = await world.client.call('events.retry', { eventId: event.localId });
    if (!retried.ok)
      world.violation(`Retry during the block was refused: ${retried.error.code} ${retried.error.message}`);
    await delay(Math.max(0, blockEnds - Date.now() - 500));
    if (sim.requestCount !== during)
      world.violation(`${sim.requestCount - during} requests went into the provider's block`);
    if (retried.ok)
      await endsAsRepairEarned(world, event.localId, 'retry requested', 'a Retry during a long 429');
    return new Set();
  },

  async 'recover-during-wait'(r) {
    const { world, dice } = r;
    const event = activeEventOf(r);
    const sim = world.sims(event.provider);
    const waitOn = dice.pick(['429', 'timeout'] as const);
    const repair = dice.pick(['retry', 'reconnect'] as const);
    const hold = () => {
      if (waitOn === '429') sim.throttleNext(1, dice.int(1, Math.floor(MAX_RATE_LIMIT_WAIT_MS / 1000) - 1));
      else sim.failNext(1, 'timeout');
    };
    if (repair === 'retry') {
      // FAILED first (every call to the provider fails; Luma names the event in the query, so no
      // path filter), then in one step the failures end and the next request is held: live
      // sync's own retry waits, and the admin presses Retry meanwhile.
      sim.failNext(1_000, 503);
      await world.client.call('events.sync', { eventId: event.localId });
      await untilStatus(world, event.localId, 'FAILED');
      const held = providerLogs(sim, (q) => q.status === 429 || q.fault === 'timeout', 10_000);
      sim.clearFaults();
      hold();
      if (!(await held))
        world.violation(`no pass met the ${waitOn} within 10 s: the repair did not happen during a wait`);
      const retried = await world.client.call('events.retry', { eventId: event.localId });
      if (!retried.ok)
        world.violation(
          `Retry while a pass waits was refused: ${retried.error.code} ${retried.error.message}`,
        );
      else
        await endsAsRepairEarned(
          world,
          event.localId,
          'retry requested',
          `a Retry while a pass waited out a ${waitOn}`,
        );
    } else {
      // A live pass is held; the token is revoked; a Sync (taking the event over) meets the
      // revocation; the admin reconnects while the held pass may still be waiting.
      const held = providerLogs(sim, (q) => q.status === 429 || q.fault === 'timeout', 10_000);
      hold();
      if (!(await held))
        world.violation(`no pass met the ${waitOn} within 10 s: the repair did not happen during a wait`);
      sim.revokeToken(world.tokens[event.provider]);
      await world.client.call('events.sync', { eventId: event.localId });
      await untilStatus(world, event.localId, 'DISCONNECTED');
      sim.restoreToken(world.tokens[event.provider]);
      const integration = await world.client.must('integrations.connect', {
        provider: event.provider,
        credential: world.tokens[event.provider],
      });
      const reconnected = await world.client.call('events.reconnect', {
        eventId: event.localId,
        integrationId: integration.id,
      });
      if (!reconnected.ok)
        world.violation(
          `Reconnect while a pass waits was refused: ${reconnected.error.code} ${reconnected.error.message}`,
        );
      else
        await endsAsRepairEarned(
          world,
          event.localId,
          `reconnected with ${integration.accountEmail}`,
          `a Reconnect while a pass waited out a ${waitOn}`,
        );
    }
    return new Set();
  },

  async 'network-drop'(r) {
    const { world, dice } = r;
    await Promise.all([world.sim.eventbrite.setOffline(true), world.sim.luma.setOffline(true)]);
    await Promise.all([deskKeepsWorking(r, dice.int(10, 60)), delay(dice.int(300, 3_000))]);
    await Promise.all([world.sim.eventbrite.setOffline(false), world.sim.luma.setOffline(false)]);
    return new Set();
  },

  'disk-full': (r) => diskFullRound(r),
  'database-damaged': (r) => databaseDamagedRound(r),
};

/** Whether a kill of this kind caught the host in the middle of that work (read before the restart). */
function killLandedMidWork(world: World, kind: KillKind): boolean {
  const count = (sql: string) => world.withDatabase((db) => db.prepare(sql).pluck().get() as number);
  switch (kind) {
    case 'kill-mid-import':
      return count("SELECT count(*) FROM sync_jobs WHERE state = 'running'") > 0;
    case 'kill-mid-live-sync':
      // A request in flight, or a page answered a moment ago and being written.
      return world.atLastKill.providerRequestsInFlight > 0 || world.atLastKill.msSinceProviderAnswer < 10;
    case 'kill-mid-check-in-burst':
      return world.atLastKill.callsInFlight > 0;
    case 'kill-mid-print':
      return count("SELECT count(*) FROM print_jobs WHERE state = 'printing'") > 0;
  }
}

/**
 * Runs `work`; should the host stop answering because it died on its own (not a kill of the
 * suite's), that is a violation, and the round goes on to the checks and a restart.
 */
async function survivingHostDeath<T>(world: World, work: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof HostDown)) throw error;
    // The child's exit may be reported a moment after its socket closed.
    if (world.hostAlive) await Promise.race([once(world.host.child, 'exit'), delay(5_000)]);
    if (world.hostAlive) {
      world.violation(`the host stopped answering (${error.message})`);
      await world.killHost();
      return fallback;
    }
    const exit = world.unexpectedExit;
    if (exit === null) return fallback; // the suite's own kill, mid-call
    world.violation(exit);
    return fallback;
  }
}

export async function runTorture(opts: TortureOptions): Promise<TortureSummary> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const schedule = faultSchedule(opts.seed, opts.rounds, opts.kinds);
  const killsMidWork = Object.fromEntries(
    KILL_KINDS.map((k) => [k, { kills: 0, midWork: 0 }]),
  ) as TortureSummary['killsMidWork'];
  const world = await World.start();
  try {
    // Two events to start from, imported to the end, and a label printer that prints at check-in.
    const setup = new Dice(opts.seed);
    world.setRound('setup');
    for (const provider of ['eventbrite', 'luma'] as const) {
      await world.client.must('integrations.connect', { provider, credential: world.tokens[provider] });
    }
    await world.addEvent('eventbrite', setup.int(300, 800), 'Torture Expo');
    await world.addEvent('luma', setup.int(200, 600), 'Torture Meetup');
    await world.ensureLabelPrinter();
    await world.settle();

    for (let round = 1; round <= opts.rounds; round++) {
      const kind = schedule[round - 1]!;
      faults[kind]++;
      const label = `round ${round} (${kind})`;
      world.setRound(label);
      const t0 = Date.now();
      const dice = new Dice((opts.seed ^ Math.imul(round, 0x9e3779b1)) >>> 0);
      const violationsBefore = world.violations.length;
      const jobsOfKilledHost = await survivingHostDeath(
        world,
        () => ROUNDS[kind]({ world, dice, round, maxEvents: opts.maxEvents ?? 6 }),
        new Set<number>(),
      );
      const diedByItself = world.unexpectedExit;
      if (diedByItself !== null) world.violation(diedByItself);
      const killed = !world.hostAlive;
      if (isKillKind(kind)) {
        const landed = killsMidWork[kind];
        landed.kills++;
        if (killed && killLandedMidWork(world, kind)) landed.midWork++;
      }
      if (killed) {
        // The crash is over: check the file before anyone opens it again, then start the app.
        world.checkDatabase();
        await world.startHost();
        await world.checkNoGhostJobs(jobsOfKilledHost);
      }
      await survivingHostDeath(
        world,
        async () => {
          await world.settle();
          await world.compareWithProvider();
        },
        undefined,
      );
      if (!world.hostAlive) {
        const exit = world.unexpectedExit;
        if (exit !== null) world.violation(exit);
        await world.startHost();
        await world.settle();
      }
      world.checkDatabase();
      const added = world.violations.length - violationsBefore;
      log(
        `${label}: ${killed ? 'host killed, restarted; ' : ''}${added === 0 ? 'invariants hold' : `${added} violation(s)`} (${Date.now() - t0} ms)`,
      );
    }
    world.setRound('summary');
    for (const kind of KILL_KINDS) {
      const { kills, midWork } = killsMidWork[kind];
      if (midWork * 2 < kills)
        world.violation(
          `${kind} landed mid-work in ${midWork} of its ${kills} rounds, fewer than half: the fault did not happen`,
        );
    }
    return {
      seed: opts.seed,
      rounds: opts.rounds,
      kinds: opts.kinds ?? FAULT_KINDS,
      faults,
      hostKills: world.hostKills,
      acknowledgedCheckIns: world.acknowledged.filter((a) => a.action === 'check_in').length,
      acknowledgedUndos: world.acknowledged.filter((a) => a.action === 'undo').length,
      labelsPrinted: world.printer.labels.length,
      events: world.events.length,
      rowsCompared: world.rowsCompared,
      killsMidWork,
      providerRequests: { eventbrite: world.sim.eventbrite.requestCount, luma: world.sim.luma.requestCount },
      storage: world.storage,
      violations: world.violations,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await world.close();
  }
}

export function formatSummary(s: TortureSummary): string {
  const only = s.kinds.length < FAULT_KINDS.length ? ` --only ${s.kinds.join(',')}` : '';
  const lines = [
    `torture: ${s.rounds} rounds, seed ${s.seed} (replay: npm run torture -- --rounds ${s.rounds} --seed ${s.seed}${only})`,
    `faults: ${FAULT_KINDS.map((k) => `${k} ${s.faults[k]}`).join(', ')}`,
    `kills that landed mid-work: ${KILL_KINDS.map((k) => `${k} ${s.killsMidWork[k].midWork}/${s.killsMidWork[k].kills}`).join(', ')}`,
    `host killed ${s.hostKills} times; ${s.acknowledgedCheckIns} acknowledged check-ins and ${s.acknowledgedUndos} undos; ${s.labelsPrinted} badges printed`,
    `${s.events} events; ${s.rowsCompared} attendee rows compared with the provider; provider requests: Eventbrite ${s.providerRequests.eventbrite}, Luma ${s.providerRequests.luma}`,
    formatStorageFigures(s.storage),
    `invariant violations: ${s.violations.length}`,
    ...s.violations.map((v) => `  - ${v}`),
    `elapsed: ${(s.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n');
}
