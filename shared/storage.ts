// The station's own storage, as both sides see it: whether check-ins are being saved, how much
// room is left, and the damaged-database notice with its salvaged check-ins. The words shown to
// a person come from here, so the desk banner, the event page and the IPC errors say the same.
import type { StorageErrorCode } from './errors.ts';
import type { ProviderKind } from './types.ts';

/** 'ok', or why writes fail right now (the storage error codes, in lower case). */
export type StorageState = 'ok' | 'full' | 'read_only' | 'unavailable';

export const STORAGE_STATE_OF_CODE: Readonly<Record<StorageErrorCode, Exclude<StorageState, 'ok'>>> = {
  STORAGE_FULL: 'full',
  STORAGE_READ_ONLY: 'read_only',
  STORAGE_UNAVAILABLE: 'unavailable',
};

/** What happened and what to do, for each way the data folder can refuse a write. */
export const STORAGE_PROBLEM_TEXT: Readonly<
  Record<Exclude<StorageState, 'ok'>, { what: string; fix: string; resumes: string }>
> = {
  full: {
    what: 'The disk of this computer is full.',
    fix: 'Free some space (empty the trash, delete large downloads).',
    resumes: 'The desk saves again by itself as soon as there is room.',
  },
  read_only: {
    what: "Badge Desk's data folder can no longer be written (it became read-only, or its permissions changed).",
    fix: 'Make the folder writable again, or plug the drive back in read-write.',
    resumes: 'The desk saves again by itself once it can; if this message stays, restart Badge Desk.',
  },
  unavailable: {
    what: "Badge Desk's data folder cannot be reached (the drive was removed, or it reports errors).",
    fix: 'Plug the drive back in, or check it.',
    resumes: 'The desk saves again by itself once the folder is back.',
  },
};

/** What happened and what to do, for a running desk (it resumes by itself). */
export function storageProblem(state: Exclude<StorageState, 'ok'>): { what: string; todo: string } {
  const t = STORAGE_PROBLEM_TEXT[state];
  return { what: t.what, todo: `${t.fix} ${t.resumes}` };
}

export interface StorageStatus {
  state: StorageState;
  /** When writes started failing (ISO), while they do. */
  since: string | null;
  /** Free bytes on the data folder's disk at the last look, or null when it could not be read. */
  freeBytes: number | null;
  lowSpaceThresholdBytes: number;
  /** Free space under the threshold: warn before the disk is full. */
  lowSpace: boolean;
  dataDir: string;
}

export interface StorageBanner {
  tone: 'red' | 'amber';
  title: string;
  body: string;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GB`
    : `${Math.max(0, Math.floor(bytes / 1024 ** 2))} MB`;
}

/**
 * The banner the desk and the event page show, or null when all is well. Failing writes win over
 * the low-space warning: "not being saved" is what the person at the desk must know first.
 */
export function describeStorage(s: StorageStatus): StorageBanner | null {
  if (s.state !== 'ok') {
    const text = storageProblem(s.state);
    return { tone: 'red', title: 'Check-ins are not being saved', body: `${text.what} ${text.todo}` };
  }
  if (s.lowSpace && s.freeBytes !== null) {
    return {
      tone: 'amber',
      title: 'Low disk space',
      body: `Only ${megabytes(s.freeBytes)} left on this computer's disk (below ${megabytes(s.lowSpaceThresholdBytes)}). Free some space before it fills up: on a full disk check-ins cannot be saved.`,
    };
  }
  return null;
}

/** One check-in (or undo) read back from a damaged database, keyed by provider identity, never by local row id. */
export interface SalvagedEntry {
  actionId: string;
  provider: ProviderKind;
  providerEventId: string;
  providerAttendeeId: string;
  action: 'check_in' | 'undo';
  station: string;
  at: string;
}

/** An event that was on a damaged database, to import again. */
export interface EventToReimport {
  provider: ProviderKind;
  providerEventId: string;
  name: string;
}

export interface SalvagedCheckIn extends SalvagedEntry {
  /**
   * offered: waiting for the admin; accepted: the admin said import, waiting for the attendee to
   * exist again (after the re-import); applied: in the log, with its own action id; skipped: not
   * applied, with the reason (the attendee's state had already moved on at this desk).
   */
  state: 'offered' | 'accepted' | 'applied' | 'skipped';
  skippedReason: string | null;
}

export interface SalvageCounts {
  offered: number;
  accepted: number;
  applied: number;
  skipped: number;
}

/** The damaged database notice for the admin: what happened, where the file is, what to do. */
export interface DamagedDatabaseNotice {
  id: number;
  /** Where the damaged file now lives (kept, never deleted). */
  damagedFile: string;
  /** What was wrong with it, in plain words. */
  reason: string;
  setAsideAt: string;
  /** Integrations read back from the damaged file whose credential this station still holds. */
  integrationsRestored: number;
  /** Events that were on the damaged database, to re-import: provider and provider event id. */
  eventsToReimport: EventToReimport[];
  salvage: SalvageCounts;
  whatToDo: string;
}

export const DAMAGED_DATABASE_WHAT_TO_DO =
  'Badge Desk started with a fresh database. Reconnect your accounts in Settings → Integrations if they are not listed, then re-import each event. ' +
  'The check-ins Badge Desk could read from the damaged file are offered below: import them and they are added to their attendees once those are back, each once. ' +
  'Once the venue exists again, the other desks give back the check-ins they saw. Keep the damaged file: support can look at it.';
