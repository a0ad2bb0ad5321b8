// The wire between renderer and main, without the schemas: envelopes, push events, the bridge
// and the Electron channel names. Kept free of zod so the preload and the renderer bundle stay
// small; shared/ipc-contract.ts (channels and their schemas) re-exports all of it.
import type { AppErrorData } from './errors.ts';
import type { ProviderKind, Role, SyncJob } from './types.ts';
import type { PrintJob } from './printing.ts';
import type { PrinterStatusView } from './printer-status.ts';
import type { SyncStatus } from './sync-status.ts';
import type { StorageStatus } from './storage.ts';
import type { ChannelInput, ChannelName, ChannelResult } from './ipc-contract.ts';

export interface SessionInfo {
  role: Role;
  /** Whether an admin PIN exists yet (first run sets one). */
  pinSet: boolean;
  /** When the admin lock returns, if unlocked (ISO). */
  adminUntil: string | null;
}

/** Every answer crosses the boundary as an envelope: a thrown Error would lose its type over IPC. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

/** Push events, main -> renderer. */
export interface PushEventMap {
  statusChanged: { eventId: number; from: SyncStatus | null; to: SyncStatus; reason: string; at: string };
  jobProgress: { eventId: number; job: SyncJob };
  jobFinished: { eventId: number; job: SyncJob };
  attendeesChanged: { eventId: number; attendeeIds: number[] };
  /** A check-in or undo was recorded (at this station). */
  checkinsChanged: { eventId: number; attendeeIds: number[] };
  /** A print job was added or changed state. */
  printJobChanged: { job: PrintJob };
  /** A printer's state changed (paper out, ready again, the labels loaded): the queue and Settings say it. */
  printerStatusChanged: PrinterStatusView;
  integrationChanged: { integrationId: number; status: 'CONNECTED' | 'DISCONNECTED'; reason: string | null };
  eventAdded: { eventId: number };
  /** The event's sync data changed without a status change (next attempt, a repair, an internal error): re-read it. */
  syncChanged: { eventId: number };
  /** The verdict on this station's clock against a provider's changed: re-read `sync.clockChecks`. */
  clockChecked: { provider: ProviderKind };
  /** Check-ins started or stopped being saved (disk full, read-only, folder gone), or free space ran low. */
  storageChanged: StorageStatus;
  sessionChanged: SessionInfo;
  /** The venue's entries changed (another desk's arrived, or some were refused); eventId null: not one event's. */
  venueChanged: { eventId: number | null };
  /** The venue's desks, their presence, the pairing or refused connections changed: re-read venue.status. */
  venueDesksChanged: { venueId: string | null };
  /** The event's check-in lists changed, or a check-out moved people out of one: re-read them. */
  listsChanged: { eventId: number };
  /**
   * Entries and exits just kept (at this desk or from another): the changes to the tallies the
   * arrivals chart draws, and inside the venue now, so a chart moves without reading its series again.
   */
  passagesChanged: {
    eventId: number;
    tallies: PassageTally[];
    /** False when there were more than one push carries (a heal): the chart reads its series again. */
    complete: boolean;
    venueInside: number;
  };
  /** The event was forgotten on this desk: its attendees are gone from here; re-read it. */
  eventForgotten: { eventId: number };
}

/** A change to the entries (or exits) of one list, desk and 5-minute slot. */
export interface PassageTally {
  listId: string;
  stationId: string;
  stationName: string;
  /** The slot's start (ISO). */
  slot: string;
  action: 'check_in' | 'exit';
  delta: number;
}
export type PushEventName = keyof PushEventMap;
export const PUSH_EVENTS: readonly PushEventName[] = [
  'statusChanged',
  'jobProgress',
  'jobFinished',
  'attendeesChanged',
  'checkinsChanged',
  'printJobChanged',
  'printerStatusChanged',
  'integrationChanged',
  'eventAdded',
  'syncChanged',
  'clockChecked',
  'storageChanged',
  'sessionChanged',
  'venueChanged',
  'venueDesksChanged',
  'listsChanged',
  'passagesChanged',
  'eventForgotten',
];
export interface PushMessage<K extends PushEventName = PushEventName> {
  event: K;
  payload: PushEventMap[K];
}

/** The surface the preload (Electron) or the HTTP bridge (browser host) gives the renderer. */
export interface BadgeDeskBridge {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelResult<C>>>;
  /** Subscribes to every push event; returns the unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void;
}

/** Electron IPC channel names (prefixed so they cannot collide with anything else). */
export const ELECTRON_INVOKE_CHANNEL = 'badge-desk:invoke';
export const ELECTRON_PUSH_CHANNEL = 'badge-desk:push';
