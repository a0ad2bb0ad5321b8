// The provider simulator: an Eventbrite-like and a Luma-like HTTP server on 127.0.0.1, each with
// its own accounts, tokens, events and attendees in memory, and controls for tests, benchmarks
// and the demo workspace (the API facts are docs/PROVIDERS.md's).
//
//   const sim = await startSimulator({ now: () => clock.now() });
//   const { token } = sim.eventbrite.addAccount({ email: 'a@example.com', name: 'Ada' });
//   const eventId = sim.eventbrite.addEvent(token, { name: 'Expo' });
//   sim.eventbrite.seedAttendees(eventId, 500);
//   // point the Eventbrite client at sim.eventbrite.baseUrl, then:
//   sim.eventbrite.failNext(1, 503);
//   await sim.close();
//
// Every control is also reachable over HTTP at `<controlUrl>` (see sim-controls.ts for the format).
import { EventbriteSim } from './eventbrite.ts';
import { LumaSim } from './luma.ts';

export { EventbriteSim } from './eventbrite.ts';
export type {
  EventbriteAttendeeOptions,
  EventbriteEventInput,
  EventbriteEventStatus,
  EventbriteOrderInput,
} from './eventbrite.ts';
export { LumaSim, LUMA_APPROVAL_STATUSES } from './luma.ts';
export type { LumaApprovalStatus, LumaGuestInput, LumaRouteFamily } from './luma.ts';
export { personAt } from './people.ts';
export * from './types.ts';

export interface SimulatorOptions {
  /** Default 0: any free port. */
  eventbritePort?: number;
  /** Default 0: any free port. */
  lumaPort?: number;
  /** The station's clock; each provider's own clock is this plus its offset. Default Date.now. */
  now?: () => number;
  /** Both providers' clocks run this far ahead of `now` (negative: behind); default 0. See setClockOffset. */
  clockOffsetMs?: number;
  /** Attendees per Eventbrite page; default 50. */
  eventbritePageSize?: number;
  /** Guests per Luma page when the request has no pagination_limit; default 50 (a request may ask up to 100). */
  lumaPageSize?: number;
  /** Whether Luma guests carry `updated_at` (the real API sends none); default false. */
  lumaGuestUpdatedAt?: boolean;
  /**
   * Whether Luma accounts answer on the current route family; false: 404 there, so clients
   * fall back to the older family. Default true. See LumaSim.setCurrentRoutes.
   */
  lumaCurrentRoutes?: boolean;
}

export interface Simulator {
  eventbrite: EventbriteSim;
  luma: LumaSim;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const now = opts.now ?? Date.now;
  const clockOffsetMs = opts.clockOffsetMs ?? 0;
  const eventbrite = new EventbriteSim({ now, clockOffsetMs, pageSize: opts.eventbritePageSize ?? 50 });
  const luma = new LumaSim({
    now,
    clockOffsetMs,
    pageSize: opts.lumaPageSize ?? 50,
    includeGuestUpdatedAt: opts.lumaGuestUpdatedAt ?? false,
    currentRoutes: opts.lumaCurrentRoutes ?? true,
  });
  const close = async () => {
    await Promise.all([eventbrite.close(), luma.close()]);
  };
  try {
    await eventbrite.listen(opts.eventbritePort ?? 0);
    await luma.listen(opts.lumaPort ?? 0);
  } catch (error) {
    await close();
    throw error;
  }
  return { eventbrite, luma, close };
}
