// Forgetting an event on this desk, spread into IPC_CHANNELS by shared/ipc-contract.ts. Every
// channel needs the admin: what forgetting removes and keeps, and whether the check-ins made here
// are held elsewhere (a live question to the venue's desks and relay), the CSV handed over before
// forgetting (not a file the desk keeps a record of: it is the admin's to keep), and the forget.
import { channel, eventRef } from './ipc-channel.ts';
import type { ForgetCheck, ForgetOutcome } from './forget.ts';

export const FORGET_CHANNELS = {
  'forget.check': channel<ForgetCheck>()(eventRef, { admin: true }),
  'forget.exportCheckIns': channel<{ filename: string; csv: string }>()(eventRef, { admin: true }),
  'forget.event': channel<ForgetOutcome>()(eventRef, { admin: true }),
} as const;
