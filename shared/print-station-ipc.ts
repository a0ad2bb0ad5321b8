// Print stations' channels and settings, spread into the IPC contract by shared/ipc-contract.ts:
// what this desk offers and the stations it sees, and a badge that came back sent elsewhere (any
// operator, as Retry is). Where this desk's badges print (printAt) and the name it offers its
// printers under (printStationName) are station settings, an admin's.
import { z } from 'zod';
import { channel, empty, id } from './ipc-channel.ts';
import type { PrintJob } from './printing.ts';
import { MAX_STATION_NAME_CHARS, type PrintStationsView } from './print-stations.ts';
import { STATION_ID } from './venue.ts';

const stationName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_STATION_NAME_CHARS)
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v), 'no control characters');
const stationId = z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes');

/** Where this desk's badges print: here, one print station (its id and the name it had when chosen), or the nearest free one. */
export const printAtSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('here') }).strict(),
  z.object({ kind: z.literal('nearest') }).strict(),
  z.object({ kind: z.literal('station'), stationId, name: stationName }).strict(),
]);

/** The name this desk offers its printers to the venue under; null: it offers none. */
export const printStationNameSchema = stationName.nullable();

export const PRINT_STATION_CHANNELS = {
  /** What this desk offers as a print station, and the stations it sees now. */
  'printStations.view': channel<PrintStationsView>()(empty, { admin: false }),
  /** A badge that came back from its print station (or failed there), sent to another, or the nearest free one. */
  'print.sendElsewhere': channel<PrintJob>()(
    z
      .object({
        jobId: id,
        to: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('station'), stationId }).strict(),
          z.object({ kind: z.literal('nearest') }).strict(),
        ]),
      })
      .strict(),
    { admin: false },
  ),
} as const;
