// The public shapes of the provider simulator: what tests, benchmarks and the demo workspace
// drive. The HTTP side follows docs/PROVIDERS.md; these are only the controls.
import type { ProviderKind } from '../../shared/types.ts';

/** A registrant as the simulator stores it; each provider renders it in its own JSON shape. */
export interface SimPerson {
  firstName: string;
  lastName: string;
  email: string;
  /** null: the registrant gave none, so the provider omits the field or answer. */
  company: string | null;
  jobTitle: string | null;
}

/** What addAttendee / editAttendee accept: any person field plus the ticket type name. */
export type SimAttendeeInput = Partial<SimPerson & { ticketName: string }>;

export interface SimAccountInput {
  email: string;
  name: string;
  /** The token (Eventbrite) or API key (Luma) to accept; generated when absent. */
  token?: string;
}

export interface SimAccount {
  accountId: string;
  token: string;
}

export interface SimEventInput {
  name: string;
  /** UTC ISO time; defaults to the top of the current hour of the simulator's clock. */
  startsAt?: string;
  /** UTC ISO time; defaults to eight hours after the start. */
  endsAt?: string;
  /** IANA zone; defaults to UTC. */
  timezone?: string;
  /** Ticket type names; defaults to General Admission, VIP and Speaker. */
  ticketTypes?: string[];
}

export interface SeedOptions {
  /** Ticket type names to spread the seeded attendees over (most get the first one). */
  ticketTypes?: string[];
  /**
   * Give a deterministic minority of the seeded rows a non-attending state (Eventbrite:
   * cancelled; Luma: declined, pending approval, waitlisted or invited). Off by default, so
   * "seeded N" means "N attending".
   */
  mixedStatuses?: boolean;
}

/** Injected failures, each answering one provider request (see ProviderSim.failNext). */
export type SimFault =
  500 | 502 | 503 | 401 | 403 | 404 | 'reset' | 'timeout' | 'malformed' | 'truncated' | 'missing_fields';

export const SIM_FAULTS: readonly SimFault[] = [
  500,
  502,
  503,
  401,
  403,
  404,
  'reset',
  'timeout',
  'malformed',
  'truncated',
  'missing_fields',
];

export interface FaultOptions {
  /** Only requests whose path contains this string consume the fault. */
  pathIncludes?: string;
}

/** One provider request as the simulator saw and answered it. */
export interface SimRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The HTTP status sent; 0 when no response was sent (fault `reset` or `timeout`). */
  status: number;
  /** The injected fault that answered this request, if any ('throttle' for throttleNext). */
  fault?: SimFault | 'throttle';
}

export interface ProviderSimEvents {
  request: [record: SimRequestRecord];
}

/** The controls both simulated providers share. */
export interface ProviderSim {
  readonly kind: ProviderKind;
  readonly port: number;
  /** What our client is configured with: Eventbrite `http://127.0.0.1:PORT/v3`, Luma `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** Where the HTTP control dispatcher listens: `http://127.0.0.1:PORT/_sim/`. */
  readonly controlUrl: string;
  readonly requestCount: number;
  /** The most recent provider requests (at most 10,000), oldest first. */
  readonly requests: readonly SimRequestRecord[];

  addAccount(account: SimAccountInput): SimAccount;
  revokeToken(token: string): void;
  restoreToken(token: string): void;
  addEvent(token: string, event: SimEventInput): string;
  seedAttendees(eventId: string, n: number, opts?: SeedOptions): void;
  addAttendee(eventId: string, person?: SimAttendeeInput): string;
  editAttendee(eventId: string, attendeeId: string, patch: SimAttendeeInput): void;
  cancelAttendee(eventId: string, attendeeId: string): void;
  /** The provider itself records a check-in (or undoes it): Eventbrite barcode used, Luma checked_in_at. */
  setCheckedIn(eventId: string, attendeeId: string, checkedIn: boolean): void;
  /** Every row the provider lists for the event, in listing order: the truth tests compare against. */
  attendeeIds(eventId: string): string[];

  /** The provider's clock (ms): the injected clock plus the offset. */
  now(): number;
  /** Moves the provider's clock `offsetMs` ahead of the injected one (negative: behind). */
  setClockOffset(offsetMs: number): void;
  readonly clockOffset: number;

  failNext(n: number, fault: SimFault, opts?: FaultOptions): void;
  /** The next `n` provider requests answer 429, with `Retry-After: retryAfterSeconds` when given. */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  /**
   * Every provider request answers 429 for the next `seconds` of the provider's clock, with
   * `Retry-After: retryAfterSeconds`, or by default the seconds left in the window.
   */
  throttleFor(seconds: number, retryAfterSeconds?: number): void;
  /** While on, attendee/guest listings answer cursor A with cursor A again, forever. */
  repeatCursor(repeating: boolean): void;
  /** Ends queued faults, a throttleFor window and repeatCursor. */
  clearFaults(): void;
  setLatency(ms: number): void;
  setPageSize(size: number): void;
  setOffline(offline: boolean): Promise<void>;
  /** Goes offline now and comes back on the same port after `ms` (what the HTTP control uses). */
  goOfflineFor(ms: number): Promise<void>;

  on(event: 'request', listener: (record: SimRequestRecord) => void): this;
  off(event: 'request', listener: (record: SimRequestRecord) => void): this;
}

/** A control call that cannot be honoured (unknown event or attendee, bad argument). */
export class SimulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorError';
  }
}
