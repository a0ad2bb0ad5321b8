// The form of one IPC channel (input schema, admin flag, result type) and the schemas every
// table of channels uses. Apart from shared/ipc-contract.ts so that the venue's table
// (shared/venue-ipc.ts), which the contract spreads in, can use them without an import cycle.
import { z } from 'zod';

export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const eventRef = z.object({ eventId: id }).strict();
export const empty = z.object({}).strict();

export interface Channel<S extends z.ZodType, R> {
  input: S;
  admin: boolean;
  /** Phantom: the result type, for typing only. */
  result?: R;
}

export function channel<R>() {
  return <S extends z.ZodType>(input: S, opts: { admin: boolean }): Channel<S, R> => ({
    input,
    admin: opts.admin,
  });
}
