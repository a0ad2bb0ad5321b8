// Badges sent to print stations, as an event's venue document holds them (shared/print-stations.ts
// says the rules). Two maps, each key written by one desk only, so concurrent writes never meet:
//   stationJobs       Y.Map<jobId, StationJobRequest>   the sending desk's: the badge (by the
//                     provider's attendee id), the station it goes to and the send number (epoch);
//                     a badge sent elsewhere is the same key with the next epoch and another station.
//   stationJobStates  Y.Map<`${jobId}.${epoch}`, StationJobReport>   the station's word on that
//                     sending: waiting, held (its printers' condition), printing, printed, ...
// Every entry from another desk is checked here before it is acted on; a refused one is counted.
import { z } from 'zod';
import { PRINTER_CONDITIONS } from './printer-status.ts';
import { MAX_STATION_NAME_CHARS, STATION_JOB_STATES } from './print-stations.ts';
import { STATION_ID } from './venue.ts';

export const STATION_JOB_MAPS = { requests: 'stationJobs', states: 'stationJobStates' } as const;
export type StationJobMap = keyof typeof STATION_JOB_MAPS;

export const STATION_JOB_VERSION = 1;
/** A job's id in the documents: the sending desk's UUID. */
export const STATION_JOB_ID = /^[A-Za-z0-9-]{8,64}$/;
const STATE_KEY = /^([A-Za-z0-9-]{8,64})\.([0-9]{1,4})$/;
export const MAX_EPOCH = 9_999;
/** Characters of one entry as JSON. */
export const MAX_STATION_ENTRY_CHARS = 2048;

const ISO_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
const plain = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim() === s && !/[\p{Cc}]/u.test(s), 'plain text');
const stationId = z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes');
const jobId = z.string().regex(STATION_JOB_ID, 'a job id is 8 to 64 letters, digits or dashes');
const epoch = z.number().int().min(1).max(MAX_EPOCH);
const at = z
  .string()
  .regex(ISO_TIME, 'a time is an ISO time in UTC with milliseconds')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real time');

export const stationJobRequestSchema = z
  .object({
    v: z.literal(STATION_JOB_VERSION),
    job: jobId,
    epoch,
    attendee: z
      .string()
      .regex(/^[\x21-\x7E]{1,200}$/, 'a provider attendee id is 1 to 200 printable characters'),
    from: stationId,
    fromName: plain(60),
    to: stationId,
    toName: plain(MAX_STATION_NAME_CHARS),
    reason: z.enum(['check_in', 'manual', 'batch', 'reprint']),
    at,
    by: plain(80).optional(),
    note: plain(200).optional(),
  })
  .strict()
  .refine((r) => r.from !== r.to, 'a desk does not send a badge to itself');

export const stationJobReportSchema = z
  .object({
    v: z.literal(STATION_JOB_VERSION),
    job: jobId,
    epoch,
    station: stationId,
    stationName: plain(MAX_STATION_NAME_CHARS),
    state: z.enum(STATION_JOB_STATES),
    condition: z.enum(PRINTER_CONDITIONS).optional(),
    detail: z.string().min(1).max(300).optional(),
    at,
  })
  .strict()
  .refine((r) => (r.state === 'held') === (r.condition !== undefined), 'a held badge says why, and only it');

export type StationJobRequest = z.infer<typeof stationJobRequestSchema>;
export type StationJobReport = z.infer<typeof stationJobReportSchema>;

export function stationStateKey(job: string, epochOf: number): string {
  return `${job}.${epochOf}`;
}

type Checked<T> = { ok: true; entry: T } | { ok: false; reason: string; stationId: string | null };

function claimedStation(value: unknown, field: 'from' | 'station'): string | null {
  const v =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' && STATION_ID.test(v) ? v : null;
}

function sized(value: unknown): string | null {
  try {
    const size = (JSON.stringify(value) ?? '').length;
    return size > MAX_STATION_ENTRY_CHARS
      ? `entry of ${size} characters (at most ${MAX_STATION_ENTRY_CHARS})`
      : null;
  } catch {
    return 'not JSON';
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'malformed'}`;
}

/** A badge's request as a peer wrote it: its size, its shape, and that it is stored under its own job id. */
export function checkStationJobRequest(key: string, value: unknown): Checked<StationJobRequest> {
  const stationIdOf = claimedStation(value, 'from');
  const tooBig = sized(value);
  if (tooBig) return { ok: false, reason: tooBig, stationId: stationIdOf };
  if (!STATION_JOB_ID.test(key)) return { ok: false, reason: 'malformed job key', stationId: stationIdOf };
  const parsed = stationJobRequestSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error), stationId: stationIdOf };
  if (parsed.data.job !== key)
    return { ok: false, reason: 'stored under another job id', stationId: stationIdOf };
  return { ok: true, entry: parsed.data };
}

/** A station's word on one sending of a badge: its size, its shape, and that its key is its job and epoch. */
export function checkStationJobReport(key: string, value: unknown): Checked<StationJobReport> {
  const stationIdOf = claimedStation(value, 'station');
  const tooBig = sized(value);
  if (tooBig) return { ok: false, reason: tooBig, stationId: stationIdOf };
  const m = STATE_KEY.exec(key);
  if (!m) return { ok: false, reason: 'malformed job state key', stationId: stationIdOf };
  const parsed = stationJobReportSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: firstIssue(parsed.error), stationId: stationIdOf };
  if (parsed.data.job !== m[1] || parsed.data.epoch !== Number(m[2]))
    return { ok: false, reason: 'stored under another job or epoch', stationId: stationIdOf };
  return { ok: true, entry: parsed.data };
}
