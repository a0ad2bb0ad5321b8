// The /_sim/ control dispatcher: the op table every simulator shares, its zod schemas, and the
// handler that answers control requests.
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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-util.ts';
import { SIM_FAULTS, SimulatorError, type ProviderSim, type SimFault } from './types.ts';

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

/** Answers a /_sim/ request: GET describes the simulator, POST runs one op from `controls`. */
export async function serveControl(
  sim: ProviderSim,
  controls: Map<string, ControlOp>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'GET') {
    sendJson(res, 200, {
      kind: sim.kind,
      port: sim.port,
      baseUrl: sim.baseUrl,
      requestCount: sim.requestCount,
      ops: [...controls.keys()],
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
  const op = controls.get(call.op);
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

/** The ops every simulator offers, each calling the ProviderSim method of the same name. */
export function commonControlOps(sim: ProviderSim): Record<string, ControlOp> {
  const id = z.string().min(1);
  return {
    addAccount: controlOp(
      z.tuple([z.object({ email: z.string(), name: z.string(), token: z.string().optional() }).strict()]),
      ([account]) => sim.addAccount(account),
    ),
    revokeToken: controlOp(z.tuple([id]), ([token]) => sim.revokeToken(token)),
    restoreToken: controlOp(z.tuple([id]), ([token]) => sim.restoreToken(token)),
    addEvent: controlOp(z.tuple([id, eventInputSchema]), ([token, event]) => sim.addEvent(token, event)),
    seedAttendees: controlOp(
      z.tuple([id, z.number().int().min(0), seedOptionsSchema.optional()]),
      ([eventId, n, opts]) => sim.seedAttendees(eventId, n, opts),
    ),
    cancelAttendee: controlOp(z.tuple([id, id]), ([eventId, attendeeId]) =>
      sim.cancelAttendee(eventId, attendeeId),
    ),
    setCheckedIn: controlOp(z.tuple([id, id, z.boolean()]), ([eventId, attendeeId, checkedIn]) =>
      sim.setCheckedIn(eventId, attendeeId, checkedIn),
    ),
    attendeeIds: controlOp(z.tuple([id]), ([eventId]) => sim.attendeeIds(eventId)),
    failNext: controlOp(
      z.tuple([
        z.number().int().min(1),
        faultSchema,
        z.object({ pathIncludes: z.string().optional() }).strict().optional(),
      ]),
      ([n, fault, opts]) => sim.failNext(n, fault, opts),
    ),
    throttleNext: controlOp(
      z.tuple([z.number().int().min(1), z.number().min(0).optional()]),
      ([n, retryAfter]) => sim.throttleNext(n, retryAfter),
    ),
    throttleFor: controlOp(
      z.tuple([z.number().min(0), z.number().min(0).optional()]),
      ([seconds, retryAfter]) => sim.throttleFor(seconds, retryAfter),
    ),
    repeatCursor: controlOp(z.tuple([z.boolean()]), ([repeating]) => sim.repeatCursor(repeating)),
    setClockOffset: controlOp(z.tuple([z.number().int()]), ([offsetMs]) => sim.setClockOffset(offsetMs)),
    clock: controlOp(z.tuple([]), () => ({ now: sim.now(), offsetMs: sim.clockOffset })),
    clearFaults: controlOp(z.tuple([]), () => sim.clearFaults()),
    setLatency: controlOp(z.tuple([z.number().min(0)]), ([ms]) => sim.setLatency(ms)),
    setPageSize: controlOp(z.tuple([z.number().int().min(1)]), ([size]) => sim.setPageSize(size)),
    goOfflineFor: controlOp(z.tuple([z.number().min(0)]), ([ms]) => sim.goOfflineFor(ms), {
      afterResponse: true,
    }),
    requestCount: controlOp(z.tuple([]), () => sim.requestCount),
    requests: controlOp(z.tuple([z.number().int().min(0).optional()]), ([last]) =>
      last === undefined ? sim.requests : sim.requests.slice(Math.max(0, sim.requests.length - last)),
    ),
  };
}
