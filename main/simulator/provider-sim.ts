// What both simulated providers share: the loopback HTTP server and its offline switch, the
// token registry, the provider's clock, injected faults and latency, the request log, the
// /_sim/ control dispatcher, and the events with their rows (registry.ts: ticket types, who may
// read an event). Eventbrite and Luma subclasses supply routes, JSON shapes and error bodies.
//
// HTTP control format (so a simulator in another process can be driven):
//   GET  /_sim/  -> 200 {kind, port, baseUrl, requestCount, ops: [names]}
//   POST /_sim/  with body {"op": "<method name>", "args": [...positional arguments...]}
//     -> 200 {"ok": true, "result": <the method's return value, or null>}
//     -> 400 {"ok": false, "error": "<why>"} for an unknown op, arguments that do not fit,
//        or an unknown token, event or attendee.
//   Ops are the ProviderSim methods of the same name, e.g.
//     {"op": "addAttendee", "args": ["<eventId>", {"firstName": "Zoë", "ticketName": "VIP"}]}
//     {"op": "failNext", "args": [2, "timeout", {"pathIncludes": "/attendees/"}]}
//     {"op": "requests", "args": [20]}   (the last 20 log records; no argument: all of them)
//   plus "requestCount". Going offline over HTTP needs a way back, so only "goOfflineFor"
//   [ms] is offered (answered first, then the listener stops, and returns after ms).
//   Control requests skip faults, latency and the request log, and need no credentials.
//
// The provider keeps its own clock: the injected clock plus an offset (setClockOffset), so a
// test can put the provider days ahead of or behind the station. Every stamp the provider
// writes and every `Date` header it sends come from that clock.
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ProviderKind } from '../../shared/types.ts';
import { isGone, queryRecord, readBody, sendJson, sendText } from './http-util.ts';
import type { SimEventRecord } from './registry.ts';
import {
  SIM_FAULTS,
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

const REQUEST_LOG_CAP = 10_000;

/** A provider request as the route handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body of a POST; '' for other methods. */
  body: string;
}

/** A route's answer before it is written, so faults can reshape it. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The same answer without the fields a client needs, for the `missing_fields` fault. */
  withoutRequiredFields?: () => unknown;
}

/**
 * Thrown by route code to answer with an error right away (unknown event, no access, bad
 * argument), so handlers read top to bottom instead of checking a union after every lookup.
 */
export class ApiFailure extends Error {
  constructor(readonly response: ApiResponse) {
    super(`provider answered ${response.status}`);
    this.name = 'ApiFailure';
  }
}

export interface ProviderSimConfig {
  now: () => number;
  pageSize: number;
  /** The provider's clock runs this far ahead of `now` (negative: behind); default 0. */
  clockOffsetMs?: number;
}

/** One entry of the control dispatcher: how to validate the args array and what to run. */
export interface ControlOp {
  args: z.ZodType<unknown[]>;
  run: (args: unknown[]) => unknown;
  /** Run after the answer is on the wire (for ops that take the listener down). */
  afterResponse?: boolean;
}

export function controlOp<Schema extends z.ZodType<unknown[]>>(
  args: Schema,
  run: (args: z.output<Schema>) => unknown,
  options: { afterResponse?: boolean } = {},
): ControlOp {
  return { args, run: run as (args: unknown[]) => unknown, ...options };
}

const controlCallSchema = z.object({ op: z.string(), args: z.array(z.unknown()).optional() });

export const personInputSchema = z
  .object({
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    company: z.string().nullable(),
    jobTitle: z.string().nullable(),
    ticketName: z.string(),
  })
  .partial()
  .strict();

export const eventInputSchema = z
  .object({
    name: z.string(),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    timezone: z.string().optional(),
    ticketTypes: z.array(z.string()).min(1).optional(),
  })
  .strict();

const seedOptionsSchema = z
  .object({ ticketTypes: z.array(z.string()).min(1).optional(), mixedStatuses: z.boolean().optional() })
  .strict();

const faultSchema = z.custom<SimFault>((value) => SIM_FAULTS.includes(value as SimFault), {
  message: `fault must be one of ${SIM_FAULTS.join(', ')}`,
});

/** The shape a 200 takes when the `malformed` fault answers: what a captive portal or proxy sends. */
const MALFORMED_BODY = '<html><head><title>502</title></head><body>Upstream hiccup<br>';

interface QueuedFault {
  fault: SimFault | 'throttle';
  remaining: number;
  pathIncludes?: string;
  retryAfterSeconds?: number;
}

/** A throttleFor window: every provider request answers 429 until `untilMs` on the provider's clock. */
interface ThrottleWindow {
  untilMs: number;
  /** Fixed Retry-After; absent: the seconds left in the window, rounded up. */
  retryAfterSeconds?: number;
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
  private readonly faults: QueuedFault[] = [];
  private throttleWindow: ThrottleWindow | null = null;
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
    if (!SIM_FAULTS.includes(fault)) throw new SimulatorError(`unknown fault ${String(fault)}`);
    this.queueFault({ fault, remaining: checkCount(n), pathIncludes: opts.pathIncludes });
  }

  throttleNext(n: number, retryAfterSeconds?: number): void {
    this.queueFault({
      fault: 'throttle',
      remaining: checkCount(n),
      retryAfterSeconds: checkRetryAfter(retryAfterSeconds),
    });
  }

  throttleFor(seconds: number, retryAfterSeconds?: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new SimulatorError('seconds must be >= 0');
    this.throttleWindow = {
      untilMs: this.now() + seconds * 1000,
      retryAfterSeconds: checkRetryAfter(retryAfterSeconds),
    };
  }

  repeatCursor(repeating: boolean): void {
    this.repeatingCursor = repeating;
  }

  clearFaults(): void {
    this.faults.length = 0;
    this.throttleWindow = null;
    this.repeatingCursor = false;
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new SimulatorError('latency must be >= 0');
    this.latencyMs = ms;
  }

  setPageSize(size: number): void {
    this.pageSize = checkPageSize(size);
  }

  private queueFault(fault: QueuedFault): void {
    if (fault.remaining > 0) this.faults.push(fault);
  }

  /**
   * An open throttleFor window first (it answers every request without using up queued
   * faults), then the oldest queued fault this path qualifies for; faults for other paths wait
   * their turn.
   */
  private takeFault(path: string): QueuedFault | null {
    const window = this.throttleWindow;
    if (window) {
      const leftMs = window.untilMs - this.now();
      if (leftMs > 0) {
        return {
          fault: 'throttle',
          remaining: 0,
          retryAfterSeconds: window.retryAfterSeconds ?? Math.ceil(leftMs / 1000),
        };
      }
      this.throttleWindow = null;
    }
    const index = this.faults.findIndex((f) => !f.pathIncludes || path.includes(f.pathIncludes));
    if (index < 0) return null;
    const fault = this.faults[index] as QueuedFault;
    fault.remaining--;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return fault;
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
      await this.serveControl(req, res);
      return;
    }
    this.receivedCount++;
    const request = { method: req.method ?? 'GET', path: url.pathname, query: queryRecord(url.searchParams) };
    // Taken on arrival, so concurrent requests consume faults in the order they came in.
    const fault = this.takeFault(url.pathname);
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
      Object.entries({ ...this.commonControlOps(), ...this.providerControlOps() }),
    );
    return this.controlTable;
  }

  private async serveControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') {
      sendJson(res, 200, {
        kind: this.kind,
        port: this.port,
        baseUrl: this.baseUrl,
        requestCount: this.requestCount,
        ops: [...this.controls().keys()],
      });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: 'use GET or POST' });
      return;
    }
    let call: z.infer<typeof controlCallSchema>;
    try {
      call = controlCallSchema.parse(JSON.parse(await readBody(req)));
    } catch {
      sendJson(res, 400, { ok: false, error: 'body must be JSON {"op": string, "args": [...]}' });
      return;
    }
    const op = this.controls().get(call.op);
    if (!op) {
      sendJson(res, 400, { ok: false, error: `unknown op ${call.op}` });
      return;
    }
    const args = op.args.safeParse(call.args ?? []);
    if (!args.success) {
      sendJson(res, 400, { ok: false, error: `bad args for ${call.op}: ${z.prettifyError(args.error)}` });
      return;
    }
    if (op.afterResponse) {
      res.on('finish', () => {
        Promise.resolve(op.run(args.data)).catch(() => undefined);
      });
      sendJson(res, 200, { ok: true, result: null }, { connection: 'close' });
      return;
    }
    try {
      const result = await op.run(args.data);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (error) {
      const status = error instanceof SimulatorError ? 400 : 500;
      sendJson(res, status, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private commonControlOps(): Record<string, ControlOp> {
    const id = z.string().min(1);
    return {
      addAccount: controlOp(
        z.tuple([z.object({ email: z.string(), name: z.string(), token: z.string().optional() }).strict()]),
        ([account]) => this.addAccount(account),
      ),
      revokeToken: controlOp(z.tuple([id]), ([token]) => this.revokeToken(token)),
      restoreToken: controlOp(z.tuple([id]), ([token]) => this.restoreToken(token)),
      addEvent: controlOp(z.tuple([id, eventInputSchema]), ([token, event]) => this.addEvent(token, event)),
      seedAttendees: controlOp(
        z.tuple([id, z.number().int().min(0), seedOptionsSchema.optional()]),
        ([eventId, n, opts]) => this.seedAttendees(eventId, n, opts),
      ),
      cancelAttendee: controlOp(z.tuple([id, id]), ([eventId, attendeeId]) =>
        this.cancelAttendee(eventId, attendeeId),
      ),
      setCheckedIn: controlOp(z.tuple([id, id, z.boolean()]), ([eventId, attendeeId, checkedIn]) =>
        this.setCheckedIn(eventId, attendeeId, checkedIn),
      ),
      attendeeIds: controlOp(z.tuple([id]), ([eventId]) => this.attendeeIds(eventId)),
      failNext: controlOp(
        z.tuple([
          z.number().int().min(1),
          faultSchema,
          z.object({ pathIncludes: z.string().optional() }).strict().optional(),
        ]),
        ([n, fault, opts]) => this.failNext(n, fault, opts),
      ),
      throttleNext: controlOp(
        z.tuple([z.number().int().min(1), z.number().min(0).optional()]),
        ([n, retryAfter]) => this.throttleNext(n, retryAfter),
      ),
      throttleFor: controlOp(
        z.tuple([z.number().min(0), z.number().min(0).optional()]),
        ([seconds, retryAfter]) => this.throttleFor(seconds, retryAfter),
      ),
      repeatCursor: controlOp(z.tuple([z.boolean()]), ([repeating]) => this.repeatCursor(repeating)),
      setClockOffset: controlOp(z.tuple([z.number().int()]), ([offsetMs]) => this.setClockOffset(offsetMs)),
      clock: controlOp(z.tuple([]), () => ({ now: this.now(), offsetMs: this.clockOffsetMs })),
      clearFaults: controlOp(z.tuple([]), () => this.clearFaults()),
      setLatency: controlOp(z.tuple([z.number().min(0)]), ([ms]) => this.setLatency(ms)),
      setPageSize: controlOp(z.tuple([z.number().int().min(1)]), ([size]) => this.setPageSize(size)),
      goOfflineFor: controlOp(z.tuple([z.number().min(0)]), ([ms]) => this.goOfflineFor(ms), {
        afterResponse: true,
      }),
      requestCount: controlOp(z.tuple([]), () => this.requestCount),
      requests: controlOp(z.tuple([z.number().int().min(0).optional()]), ([last]) =>
        last === undefined ? this.log : this.log.slice(Math.max(0, this.log.length - last)),
      ),
    };
  }
}

function checkRetryAfter(seconds: number | undefined): number | undefined {
  if (seconds !== undefined && !(seconds >= 0)) throw new SimulatorError('retryAfterSeconds must be >= 0');
  return seconds;
}

export function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new SimulatorError('n must be a whole number >= 0');
  return n;
}

function checkOffset(offsetMs: number): number {
  if (!Number.isSafeInteger(offsetMs)) throw new SimulatorError('clock offset must be a whole number of ms');
  return offsetMs;
}

function checkPageSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new SimulatorError('page size must be a whole number >= 1');
  return size;
}
