// What both simulated providers share: the loopback HTTP server and its offline switch, the
// token registry, the provider's clock, injected faults and latency, the request log, the
// /_sim/ control dispatcher, and the events with their rows (registry.ts: ticket types, who may
// read an event). Eventbrite and Luma subclasses supply routes, JSON shapes and error bodies.
// The /_sim/ control format is described in sim-controls.ts; queued faults live in sim-faults.ts.
//
// The provider keeps its own clock: the injected clock plus an offset (setClockOffset), so a
// test can put the provider days ahead of or behind the station. Every stamp the provider
// writes and every `Date` header it sends come from that clock.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderKind } from '../../shared/types.ts';
import { isGone, queryRecord, readBody, sendJson, sendText } from './http-util.ts';
import type { SimEventRecord } from './registry.ts';
import { ApiFailure, type ApiRequest, type ApiResponse } from './sim-api.ts';
import { commonControlOps, serveControl, type ControlOp } from './sim-controls.ts';
import {
  FaultQueue,
  MALFORMED_BODY,
  checkCount,
  checkOffset,
  checkPageSize,
  type QueuedFault,
} from './sim-faults.ts';
import {
  SimulatorError,
  type FaultOptions,
  type ProviderSim,
  type ProviderSimEvents,
  type SeedOptions,
  type SimAccount,
  type SimAccountInput,
  type SimAttendeeInput,
  type SimEventInput,
  type SimFault,
  type SimRequestRecord,
} from './types.ts';

export { controlOp, eventInputSchema, personInputSchema, type ControlOp } from './sim-controls.ts';
export { checkCount } from './sim-faults.ts';
export { ApiFailure, type ApiRequest, type ApiResponse } from './sim-api.ts';

const REQUEST_LOG_CAP = 10_000;

export interface ProviderSimConfig {
  now: () => number;
  pageSize: number;
  /** The provider's clock runs this far ahead of `now` (negative: behind); default 0. */
  clockOffsetMs?: number;
}

interface TokenGrant {
  accountId: string;
  revoked: boolean;
}

export type TokenCheck = { accountId: string } | 'missing' | 'invalid';

/**
 * The common simulator. `Row` is the provider's attendee record, `Event` its event record; the
 * base keeps the events, finds events and rows for controls and routes, and hands out people.
 */
export abstract class ProviderSimBase<Row extends { readonly id: string }, Event extends SimEventRecord<Row>>
  extends EventEmitter<ProviderSimEvents>
  implements ProviderSim
{
  abstract readonly kind: ProviderKind;
  abstract get baseUrl(): string;
  /** What the provider calls a registrant, for control errors: 'attendee' or 'guest'. */
  protected abstract readonly attendeeNoun: string;

  protected readonly events = new Map<string, Event>();

  private readonly injectedNow: () => number;
  private clockOffsetMs: number;
  protected pageSize: number;
  /** While true, attendee and guest listings answer the cursor they were asked with (see repeatCursor). */
  protected repeatingCursor = false;

  private readonly server: Server;
  private boundPort = 0;
  private closed = false;
  private offline = false;
  /** Serialises offline/online switches so overlapping calls cannot interleave close and listen. */
  private transition: Promise<void> = Promise.resolve();
  private latencyMs = 0;
  private readonly faults = new FaultQueue(() => this.now());
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: SimRequestRecord[] = [];
  private receivedCount = 0;
  private readonly grants = new Map<string, TokenGrant>();
  private controlTable: Map<string, ControlOp> | null = null;
  /** Index of the next generated person, shared by seeding and adding so people never repeat. */
  private nextPersonIndex = 0;

  constructor(config: ProviderSimConfig) {
    super();
    this.injectedNow = config.now;
    this.clockOffsetMs = checkOffset(config.clockOffsetMs ?? 0);
    this.pageSize = checkPageSize(config.pageSize);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => this.answerInternalError(res, error));
    });
  }

  // ---- the provider's clock ----------------------------------------------------------------

  /** The provider's clock in ms: the injected clock plus the offset. */
  now(): number {
    return this.injectedNow() + this.clockOffsetMs;
  }

  /** Puts the provider's clock `offsetMs` ahead of the injected clock (negative: behind). */
  setClockOffset(offsetMs: number): void {
    this.clockOffsetMs = checkOffset(offsetMs);
  }

  get clockOffset(): number {
    return this.clockOffsetMs;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  get port(): number {
    return this.boundPort;
  }

  get controlUrl(): string {
    return `http://127.0.0.1:${this.boundPort}/_sim/`;
  }

  /** Starts listening on 127.0.0.1 (port 0: any free port, kept for later offline/online). */
  async listen(port: number): Promise<void> {
    await this.startListening(port);
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.transition;
    await this.stopListening();
  }

  setOffline(offline: boolean): Promise<void> {
    const next = this.transition.then(async () => {
      if (this.closed) {
        if (!offline) throw new SimulatorError(`${this.kind} simulator is closed`);
        return;
      }
      if (offline === this.offline) return;
      if (offline) {
        this.offline = true;
        await this.stopListening();
      } else {
        await this.startListening(this.boundPort);
        this.offline = false;
      }
    });
    // A failed switch must not wedge later ones; the caller still sees the failure.
    this.transition = next.catch(() => undefined);
    return next;
  }

  async goOfflineFor(ms: number): Promise<void> {
    await this.setOffline(true);
    this.schedule(ms, () => {
      this.setOffline(false).catch(() => undefined);
    });
  }

  private startListening(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        this.server.off('error', onError);
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(port, '127.0.0.1');
    });
  }

  private stopListening(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      // Without this, keep-alive sockets would keep answering and "offline" would be a lie.
      this.server.closeAllConnections();
    });
  }

  private schedule(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private delay(ms: number): Promise<void> {
    // Never resolves if the simulator closes first; the socket is destroyed by then anyway.
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  // ---- credentials -------------------------------------------------------------------------

  abstract addAccount(account: SimAccountInput): SimAccount;

  protected issueToken(accountId: string, token: string): string {
    if (token.length === 0) throw new SimulatorError('token must not be empty');
    if (this.grants.has(token)) throw new SimulatorError(`token already in use: ${token}`);
    this.grants.set(token, { accountId, revoked: false });
    return token;
  }

  revokeToken(token: string): void {
    this.grant(token).revoked = true;
  }

  restoreToken(token: string): void {
    this.grant(token).revoked = false;
  }

  private grant(token: string): TokenGrant {
    const grant = this.grants.get(token);
    if (!grant) throw new SimulatorError(`unknown ${this.kind} token ${token}`);
    return grant;
  }

  /** The account a control call acts for; revoked tokens still work here (they only fail over HTTP). */
  protected accountIdOf(token: string): string {
    return this.grant(token).accountId;
  }

  protected checkToken(token: string | undefined): TokenCheck {
    if (!token) return 'missing';
    const grant = this.grants.get(token);
    if (!grant || grant.revoked) return 'invalid';
    return { accountId: grant.accountId };
  }

  // ---- events and registrations ------------------------------------------------------------

  abstract addEvent(token: string, event: SimEventInput): string;
  abstract seedAttendees(eventId: string, n: number, opts?: SeedOptions): void;
  abstract addAttendee(eventId: string, person?: SimAttendeeInput): string;
  abstract editAttendee(eventId: string, attendeeId: string, patch: SimAttendeeInput): void;
  abstract cancelAttendee(eventId: string, attendeeId: string): void;
  abstract setCheckedIn(eventId: string, attendeeId: string, checkedIn: boolean): void;

  attendeeIds(eventId: string): string[] {
    return this.event(eventId).attendees.ids();
  }

  protected event(eventId: string): Event {
    const event = this.events.get(eventId);
    if (!event) throw new SimulatorError(`unknown ${this.kind} event ${eventId}`);
    return event;
  }

  protected attendee(event: Event, attendeeId: string): Row {
    const row = event.attendees.get(attendeeId);
    if (!row) throw new SimulatorError(`unknown ${this.attendeeNoun} ${attendeeId} in event ${event.id}`);
    return row;
  }

  /** The index of a generated person (people.ts) no registration has had yet. */
  protected takePersonIndex(): number {
    return this.nextPersonIndex++;
  }

  /** The ticket type names seeded rows spread over (created on the event when new). */
  protected seedTicketNames(event: Event, n: number, opts: SeedOptions): string[] {
    checkCount(n);
    return (opts.ticketTypes ?? event.ticketTypes.names()).map((name) => event.ticketTypes.named(name).name);
  }

  /** Whether the account may read the event over HTTP (Eventbrite also lets shared members in). */
  protected mayRead(event: Event, accountId: string): boolean {
    return event.accountId === accountId;
  }

  /** The provider's answer for an unknown event (404) or another account's (403). */
  protected abstract eventAccessError(status: 403 | 404): ApiResponse;

  /** The event, if the account may read it; otherwise the route ends with a 404 or a 403. */
  protected readableEvent(accountId: string, eventId: string): Event {
    const event = this.events.get(eventId);
    if (!event) throw new ApiFailure(this.eventAccessError(404));
    if (!this.mayRead(event, accountId)) throw new ApiFailure(this.eventAccessError(403));
    return event;
  }

  // ---- faults, latency, paging -------------------------------------------------------------

  failNext(n: number, fault: SimFault, opts: FaultOptions = {}): void {
    this.faults.failNext(n, fault, opts);
  }

  throttleNext(n: number, retryAfterSeconds?: number): void {
    this.faults.throttleNext(n, retryAfterSeconds);
  }

  throttleFor(seconds: number, retryAfterSeconds?: number): void {
    this.faults.throttleFor(seconds, retryAfterSeconds);
  }

  repeatCursor(repeating: boolean): void {
    this.repeatingCursor = repeating;
  }

  clearFaults(): void {
    this.faults.clear();
    this.repeatingCursor = false;
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new SimulatorError('latency must be >= 0');
    this.latencyMs = ms;
  }

  setPageSize(size: number): void {
    this.pageSize = checkPageSize(size);
  }

  // ---- request log -------------------------------------------------------------------------

  get requestCount(): number {
    return this.receivedCount;
  }

  get requests(): readonly SimRequestRecord[] {
    return this.log;
  }

  private record(
    request: Omit<SimRequestRecord, 'status'>,
    status: number,
    fault?: QueuedFault | null,
  ): void {
    const record: SimRequestRecord = fault
      ? { ...request, status, fault: fault.fault }
      : { ...request, status };
    this.log.push(record);
    if (this.log.length > REQUEST_LOG_CAP) this.log.shift();
    this.emit('request', record);
  }

  // ---- HTTP --------------------------------------------------------------------------------

  /** Routes a provider request; the subclass authenticates and renders its own shapes. */
  protected abstract handleApi(request: ApiRequest): ApiResponse;

  /** The provider's error answer for a status (401, 403, 404, 429, 5xx ...). */
  protected abstract errorResponse(status: number, message?: string): ApiResponse;

  /** Provider-specific control ops (add/edit attendee shapes differ), merged with the common ones. */
  protected abstract providerControlOps(): Record<string, ControlOp>;

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await serveControl(this, this.controls(), req, res);
      return;
    }
    this.receivedCount++;
    const request = { method: req.method ?? 'GET', path: url.pathname, query: queryRecord(url.searchParams) };
    // Taken on arrival, so concurrent requests consume faults in the order they came in.
    const fault = this.faults.take(url.pathname);
    const body = request.method === 'POST' ? await readBody(req) : '';
    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    if (isGone(res)) {
      this.record(request, 0, fault);
      return;
    }
    const apiRequest: ApiRequest = { ...request, query: url.searchParams, headers: req.headers, body };
    if (fault) {
      this.answerWithFault(req, res, apiRequest, fault);
      return;
    }
    const answer = this.answer(apiRequest);
    sendJson(res, answer.status, answer.body, this.providerHeaders(answer.headers));
    this.record(request, answer.status);
  }

  /** What every provider answer carries: the `Date` header from the provider's clock (RFC 7231). */
  private providerHeaders(headers: Record<string, string> = {}): Record<string, string> {
    return { ...headers, date: new Date(this.now()).toUTCString() };
  }

  private answerWithFault(
    req: IncomingMessage,
    res: ServerResponse,
    request: ApiRequest,
    fault: QueuedFault,
  ): void {
    const logged = { method: request.method, path: request.path, query: queryRecord(request.query) };
    switch (fault.fault) {
      case 'reset':
        req.socket.destroy();
        this.record(logged, 0, fault);
        return;
      case 'timeout':
        // Never answered: the socket stays open until the client gives up or closeAllConnections
        // (close, offline) ends it.
        this.record(logged, 0, fault);
        return;
      case 'malformed':
        sendText(res, 200, 'application/json; charset=utf-8', MALFORMED_BODY, this.providerHeaders());
        this.record(logged, 200, fault);
        return;
      case 'truncated': {
        const full = JSON.stringify(this.answer(request).body);
        const half = full.slice(0, Math.floor(full.length / 2));
        sendText(res, 200, 'application/json; charset=utf-8', half, this.providerHeaders());
        this.record(logged, 200, fault);
        return;
      }
      case 'missing_fields': {
        const answer = this.answer(request);
        const stripped =
          answer.status === 200 && answer.withoutRequiredFields ? answer.withoutRequiredFields() : {};
        sendJson(res, 200, stripped, this.providerHeaders());
        this.record(logged, 200, fault);
        return;
      }
      case 'throttle': {
        const answer = this.errorResponse(429);
        const headers =
          fault.retryAfterSeconds === undefined
            ? answer.headers
            : { ...answer.headers, 'retry-after': String(fault.retryAfterSeconds) };
        sendJson(res, 429, answer.body, this.providerHeaders(headers));
        this.record(logged, 429, fault);
        return;
      }
      default: {
        const answer = this.errorResponse(fault.fault);
        sendJson(res, answer.status, answer.body, this.providerHeaders(answer.headers));
        this.record(logged, answer.status, fault);
      }
    }
  }

  private answer(request: ApiRequest): ApiResponse {
    try {
      return this.handleApi(request);
    } catch (error) {
      if (error instanceof ApiFailure) return error.response;
      throw error;
    }
  }

  private answerInternalError(res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const answer = this.errorResponse(500, `simulator bug: ${message}`);
    sendJson(res, 500, answer.body, this.providerHeaders());
  }

  // ---- control dispatcher ------------------------------------------------------------------

  private controls(): Map<string, ControlOp> {
    this.controlTable ??= new Map(
      Object.entries({ ...commonControlOps(this), ...this.providerControlOps() }),
    );
    return this.controlTable;
  }
}
