// Domain types shared by main and renderer. Pure: no Node, no Electron.
import type { ForgetDue, ForgottenEvent } from './forget.ts';
import type { SyncStatus } from './sync-status.ts';
import type { NameCorrection } from './door.ts';
import type { RegistrationAnswer } from './answers.ts';

export const PROVIDERS = ['eventbrite', 'luma'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

export const PROVIDER_LABEL: Record<ProviderKind, string> = {
  eventbrite: 'Eventbrite',
  luma: 'Luma',
};

export type IntegrationStatus = 'CONNECTED' | 'DISCONNECTED';

/**
 * ATTENDING counts in Total Attendees; NOT_ATTENDING is a cancellation (row kept);
 * NOT_YET_ATTENDING is a Luma guest still pending approval, invited or waitlisted: shown, marked, not counted.
 */
export type AttendeeStatus = 'ATTENDING' | 'NOT_ATTENDING' | 'NOT_YET_ATTENDING';

export type Role = 'admin' | 'operator';

export interface Actor {
  role: Role;
  /** Station or person name, kept in logs (status history reasons, check-ins). */
  name?: string;
}

export interface Integration {
  id: number;
  provider: ProviderKind;
  accountId: string;
  accountEmail: string;
  accountName: string;
  status: IntegrationStatus;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncedEvent {
  id: number;
  /** Null: no account on this station; the venue's poller mirrors the event here (syncVia). */
  integrationId: number | null;
  provider: ProviderKind;
  providerEventId: string;
  name: string;
  startsAt: string | null;
  endsAt: string | null;
  timezone: string | null;
  url: string | null;
  status: SyncStatus;
  statusReason: string | null;
  statusChangedAt: string;
  /** Time and provider message of the last failure, kept so an admin can escalate. */
  lastErrorAt: string | null;
  lastError: string | null;
  lastSyncedAt: string | null;
  importCompletedAt: string | null;
  activeJob: SyncJob | null;
  counts: AttendeeCounts;
  /**
   * When live sync will next call the provider for this event, when worth showing: the
   * provider asked the token to wait (a long 429), or a FAILED event waits for its automatic retry.
   */
  nextAttemptAt: string | null;
  /** While a listing job runs with a known total: when it should be done, the rate budget counted. */
  importEta: ImportEta | null;
  /**
   * The venue desk whose provider sync feeds this event's attendee list, when it is not this
   * station (the venue's one poller per event): its name, whether it is online, and its sync status as it last said.
   */
  syncVia: EventSyncSource | null;
  /** Forgotten on this desk (shared/forget.ts): its attendees' personal data is gone from here. */
  forgotten?: ForgottenEvent | null;
  /** The retention rule or this desk's removal would forget it, and what holds it back. */
  forgetDue?: ForgetDue | null;
}

/** Another desk's sync of an event, as it writes it into the event's venue document. */
export interface EventSyncSource {
  stationId: string;
  deskName: string;
  /** Seen online in the venue now. */
  online: boolean;
  status: SyncStatus;
  statusReason: string | null;
  lastError: string | null;
  lastSyncedAt: string | null;
  /** When that desk last wrote it (its clock). */
  at: string;
}

/** A running import's estimate (shared/sync-status.ts importEtaText words it). */
export interface ImportEta {
  /** When the listing should be done (ISO, this station's clock). */
  finishAt: string;
  remainingMs: number;
  /** The provider's budget window, when the budget rather than the network sets the pace. */
  budgetLimit: { limit: number; windowMs: number } | null;
}

export interface AttendeeCounts {
  /** Rows with status ATTENDING: the "Total Attendees" figure. */
  attending: number;
  notAttending: number;
  notYetAttending: number;
  total: number;
  /** ATTENDING rows currently checked in at any desk of the venue (from the merged log). */
  checkedIn: number;
}

export type SyncJobKind = 'import' | 'reimport' | 'resync';
export type SyncJobState = 'running' | 'completed' | 'failed' | 'abandoned';

export interface SyncJob {
  id: number;
  eventId: number;
  kind: SyncJobKind;
  state: SyncJobState;
  startedAt: string;
  finishedAt: string | null;
  /** Attendee records received from the provider so far. */
  fetched: number;
  /** The provider's own total, when it reports one (Eventbrite does; Luma does not). */
  expectedTotal: number | null;
  error: string | null;
}

/** The fields a provider owns: a sync writes exactly these, nothing else. */
export interface ProviderOwnedAttendeeFields {
  providerAttendeeId: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string;
  email: string | null;
  company: string | null;
  jobTitle: string | null;
  /** The provider's ticket type name; badge variants are chosen by it. */
  ticketName: string | null;
  /**
   * A Luma guest holding several tickets is one row: `ticketName` is the first ticket's, these
   * are the others' names, in the provider's order. Absent or empty: no other tickets
   * (a stored attendee always carries the list).
   */
  otherTicketNames?: string[];
  orderId: string | null;
  barcode: string | null;
  status: AttendeeStatus;
  /** The provider's own status text, kept for display and debugging. */
  providerStatus: string | null;
  registeredAt: string | null;
  /** The provider's last-changed time for this record, when it reports one. */
  providerUpdatedAt: string | null;
  /**
   * What the person answered to the organiser's questions, in the provider's order. Absent or
   * empty: no answers (a stored attendee always carries the list).
   */
  answers?: RegistrationAnswer[];
}

export interface Attendee extends ProviderOwnedAttendeeFields {
  id: number;
  eventId: number;
  /** Local state: never written by a sync. */
  vip: boolean;
  /**
   * Derived from the merged check-in log: the earliest check-in not undone, at whichever desk
   * (null: not checked in, or every check-in was undone).
   */
  checkedIn: { at: string; station: string } | null;
  // The door's local facts (shared/door.ts), never written by a sync and never sent to the provider.
  /** Registered at a desk of this app, not on the provider. */
  walkIn?: boolean;
  /**
   * A badge-name correction: firstName, lastName, fullName and company above are then the
   * corrected ones (what prints), and this holds the provider's record beside them.
   */
  correction?: NameCorrection | null;
  /** An admin's note on this person, shown large at check-in. */
  note?: string | null;
  /** An admin's note on this person's ticket type. */
  ticketNote?: string | null;
  /** "Needs attention" and why: a scan alone does not admit them, the operator confirms. */
  attention?: string | null;
  /** A walk-in an admin linked to the provider's record of the same person: that record's provider id. */
  linkedTo?: string | null;
  /** Check-ins not undone at two or more desks (a double admission): every read marks it. */
  admittedTwice?: true;
  /** Those check-ins, earliest first, where the desk shows them ("Admitted twice — …"). */
  admittedAt?: { at: string; station: string }[];
}

/** What found a disagreement between the mirror and the provider. */
export type SyncRepairTrigger = 'manual_sync' | 'live_check';

/** A disagreement that a full listing repaired: kept so an admin can see that it happened. */
export interface SyncRepair {
  id: number;
  eventId: number;
  at: string;
  trigger: SyncRepairTrigger;
  /** The provider's and the mirror's counts when a count check found the disagreement. */
  providerCounts: { attending: number; notAttending: number } | null;
  mirrorCounts: { attending: number; notAttending: number } | null;
  /** Rows the full listing added or changed after the incremental pass, and rows it marked removed. */
  changed: number;
  removed: number;
}

export interface StatusTransition {
  id: number;
  eventId: number;
  from: SyncStatus | null;
  to: SyncStatus;
  reason: string;
  at: string;
}
