// The rows of the mirror's tables (integrations, events, sync jobs and repairs, provider-owned
// attendees) and their one mapping to the shared types. The SQL that reads and writes them is in
// integration-store.ts, event-store.ts, job-store.ts and attendee-store.ts.
import type { ForgetDue, ForgetReason } from '../../shared/forget.ts';
import type {
  Attendee,
  AttendeeCounts,
  AttendeeStatus,
  Integration,
  IntegrationStatus,
  ProviderKind,
  ProviderOwnedAttendeeFields,
  SyncJob,
  SyncJobKind,
  SyncJobState,
  SyncRepair,
  SyncRepairTrigger,
  SyncedEvent,
} from '../../shared/types.ts';
import type { SyncStatus } from '../../shared/sync-status.ts';
import type { ProviderAttendee } from '../providers/types.ts';
import { isWalkInId } from '../../shared/door.ts';
import { companyLine, type RegistrationAnswer } from '../../shared/answers.ts';

export interface IntegrationRow {
  id: number;
  provider: ProviderKind;
  account_id: string;
  account_email: string;
  account_name: string;
  status: IntegrationStatus;
  status_reason: string | null;
  secret_ref: string;
  created_at: string;
  updated_at: string;
}

export interface EventRow {
  id: number;
  /** Null for an event mirrored from the venue's poller (no account on this station). */
  integration_id: number | null;
  provider: ProviderKind;
  provider_event_id: string;
  name: string;
  starts_at: string | null;
  ends_at: string | null;
  timezone: string | null;
  url: string | null;
  status: SyncStatus;
  status_reason: string | null;
  status_changed_at: string;
  last_error: string | null;
  last_error_at: string | null;
  last_synced_at: string | null;
  import_completed_at: string | null;
  sync_watermark: string | null;
  forgotten_at: string | null;
  forgotten_reason: ForgetReason | null;
  /** JSON of a ForgetDue, or null. */
  forget_due: string | null;
}

export interface JobRow {
  id: number;
  event_id: number;
  kind: SyncJobKind;
  state: SyncJobState;
  started_at: string;
  finished_at: string | null;
  fetched: number;
  expected_total: number | null;
  error: string | null;
}

export interface SyncRepairRow {
  id: number;
  event_id: number;
  at: string;
  trigger: SyncRepairTrigger;
  provider_attending: number | null;
  provider_not_attending: number | null;
  mirror_attending: number | null;
  mirror_not_attending: number | null;
  changed: number;
  removed: number;
}

export interface AttendeeRow {
  id: number;
  event_id: number;
  provider_attendee_id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string;
  email: string | null;
  company: string | null;
  job_title: string | null;
  ticket_name: string | null;
  other_ticket_names: string | null;
  order_id: string | null;
  barcode: string | null;
  status: AttendeeStatus;
  provider_status: string | null;
  registered_at: string | null;
  provider_updated_at: string | null;
  /** JSON array of RegistrationAnswer; NULL: none. */
  answers: string | null;
  /** The provider's company; `company` is the line the desk shows (the event's company question may replace it). */
  provider_company: string | null;
  /** The venue roster's order of the record (records without a provider stamp); NULL: none yet. */
  roster_order: number | null;
  vip: number | null;
  checkin_at: string | null;
  checkin_station: string | null;
  /** Stations holding a check-in not undone (2 or more: a double admission). */
  admission_stations: number | null;
  /** The door's state (attendee_door, ticket_door: migration 012); null where there is none. */
  badge_first_name: string | null;
  badge_last_name: string | null;
  badge_full_name: string | null;
  badge_company: string | null;
  base_full_name: string | null;
  base_company: string | null;
  corrected_at: string | null;
  corrected_by: string | null;
  door_note: string | null;
  door_attention: string | null;
  linked_to: string | null;
  ticket_note: string | null;
}

/**
 * An attendee row with its local state (VIP, current check-in): every read of attendees selects
 * this, so each Attendee carries the same fields wherever it comes from. Alias `a` is attendees.
 */
const ATTENDEE_COLUMNS = `a.*, l.vip, c.at AS checkin_at, c.station AS checkin_station, c.admission_stations,
  d.badge_first_name, d.badge_last_name, d.badge_full_name, d.badge_company, d.base_full_name, d.base_company,
  d.corrected_at, d.corrected_by, d.note AS door_note, d.attention AS door_attention, d.linked_to, t.note AS ticket_note`;
const ATTENDEE_LOCAL_JOINS = `LEFT JOIN attendee_local l ON l.attendee_id = a.id
  LEFT JOIN attendee_checkin c ON c.attendee_id = a.id AND c.checked_in = 1
  LEFT JOIN attendee_door d ON d.event_id = a.event_id AND d.provider_attendee_id = a.provider_attendee_id
  LEFT JOIN ticket_door t ON t.event_id = a.event_id AND t.ticket_name = a.ticket_name`;
export const ATTENDEE_SELECT = `SELECT ${ATTENDEE_COLUMNS} FROM attendees a ${ATTENDEE_LOCAL_JOINS}`;

/**
 * The name a person shows as in lists that read attendees alias `a` (the print queue, Recent
 * check-ins): a badge-name correction's when there is one, else the provider's. Needs SHOWN_NAME_JOIN.
 */
export const SHOWN_NAME = 'coalesce(dn.badge_full_name, a.full_name)';
export const SHOWN_NAME_JOIN = `LEFT JOIN attendee_door dn ON dn.event_id = a.event_id
  AND dn.provider_attendee_id = a.provider_attendee_id AND dn.corrected_at IS NOT NULL`;

export function toIntegration(r: IntegrationRow): Integration {
  return {
    id: r.id,
    provider: r.provider,
    accountId: r.account_id,
    accountEmail: r.account_email,
    accountName: r.account_name,
    status: r.status,
    statusReason: r.status_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** An event as the mirror holds it; the engine's timing (next attempt, ETA) is added by the core. */
export type StoredEvent = Omit<SyncedEvent, 'nextAttemptAt' | 'importEta' | 'syncVia'>;

/** The event row with what the mirror derives for it: its running job and its attendee counts. */
export function toStoredEvent(r: EventRow, activeJob: SyncJob | null, counts: AttendeeCounts): StoredEvent {
  return {
    id: r.id,
    integrationId: r.integration_id,
    provider: r.provider,
    providerEventId: r.provider_event_id,
    name: r.name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timezone: r.timezone,
    url: r.url,
    status: r.status,
    statusReason: r.status_reason,
    statusChangedAt: r.status_changed_at,
    lastErrorAt: r.last_error_at,
    lastError: r.last_error,
    lastSyncedAt: r.last_synced_at,
    importCompletedAt: r.import_completed_at,
    activeJob,
    counts,
    forgotten:
      r.forgotten_at && r.forgotten_reason ? { at: r.forgotten_at, reason: r.forgotten_reason } : null,
    forgetDue: r.forget_due ? (JSON.parse(r.forget_due) as ForgetDue) : null,
  };
}

export function toJob(r: JobRow): SyncJob {
  return {
    id: r.id,
    eventId: r.event_id,
    kind: r.kind,
    state: r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    fetched: r.fetched,
    expectedTotal: r.expected_total,
    error: r.error,
  };
}

export function toSyncRepair(r: SyncRepairRow): SyncRepair {
  return {
    id: r.id,
    eventId: r.event_id,
    at: r.at,
    trigger: r.trigger,
    providerCounts:
      r.provider_attending === null || r.provider_not_attending === null
        ? null
        : { attending: r.provider_attending, notAttending: r.provider_not_attending },
    mirrorCounts:
      r.mirror_attending === null || r.mirror_not_attending === null
        ? null
        : { attending: r.mirror_attending, notAttending: r.mirror_not_attending },
    changed: r.changed,
    removed: r.removed,
  };
}

export function toAttendee(r: AttendeeRow): Attendee {
  const provider = providerOwnedFields(r, 'shown');
  const corrected = r.corrected_at !== null && r.badge_first_name !== null && r.badge_full_name !== null;
  return {
    id: r.id,
    eventId: r.event_id,
    ...provider,
    // A badge-name correction is what the desk shows and what prints; the provider's record goes beside it.
    ...(corrected
      ? {
          firstName: r.badge_first_name,
          lastName: r.badge_last_name,
          fullName: r.badge_full_name!,
          company: r.badge_company,
        }
      : {}),
    vip: r.vip === 1,
    checkedIn:
      r.checkin_at !== null && r.checkin_station !== null
        ? { at: r.checkin_at, station: r.checkin_station }
        : null,
    // The door's facts only where there are some: a plain attendee reads as it always did.
    ...(isWalkInId(r.provider_attendee_id) ? { walkIn: true } : {}),
    ...(admittedTwice(r) ? { admittedTwice: true as const } : {}),
    ...(corrected
      ? {
          correction: {
            provider: {
              firstName: provider.firstName,
              lastName: provider.lastName,
              fullName: provider.fullName,
              company: provider.company,
            },
            base: { fullName: r.base_full_name ?? provider.fullName, company: r.base_company },
            at: r.corrected_at!,
            stationName: r.corrected_by ?? '',
          },
        }
      : {}),
    ...(r.door_note !== null ? { note: r.door_note } : {}),
    ...(r.ticket_note !== null ? { ticketNote: r.ticket_note } : {}),
    ...(r.door_attention !== null ? { attention: r.door_attention } : {}),
    ...(r.linked_to !== null ? { linkedTo: r.linked_to } : {}),
  };
}

/** Whether the row's check-ins not undone come from two or more stations (its stamps are read apart). */
export function admittedTwice(r: Pick<AttendeeRow, 'admission_stations'>): boolean {
  return (r.admission_stations ?? 0) > 1;
}

// Provider-owned columns, in one list so the insert, the update and the "did anything change"
// test can never drift apart. `company` is derived from two of them (provider_company and the
// answers) and the event's company question, and written with them.
export const PROVIDER_COLUMNS = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'company',
  'provider_company',
  'answers',
  'job_title',
  'ticket_name',
  'other_ticket_names',
  'order_id',
  'barcode',
  'status',
  'provider_status',
  'provider_checked_in',
  'registered_at',
  'provider_updated_at',
] as const;

/** The provider columns' values, in PROVIDER_COLUMNS order; `companyQuestion` is the event's choice (null: none). */
export function providerValues(
  a: ProviderAttendee,
  companyQuestion: string | null,
): (string | number | null)[] {
  return [
    a.firstName,
    a.lastName,
    a.fullName,
    a.email,
    companyLine(a.company, a.answers, companyQuestion),
    a.company,
    answersColumn(a.answers),
    a.jobTitle,
    a.ticketName,
    otherTicketNamesColumn(a.otherTicketNames),
    a.orderId,
    a.barcode,
    a.status,
    a.providerStatus,
    a.providerCheckedIn ? 1 : 0,
    a.registeredAt,
    a.providerUpdatedAt,
  ];
}

/** The provider-owned columns of an attendee row, in the one mapping every read uses. */
type ProviderColumnsRow = Omit<
  AttendeeRow,
  'id' | 'event_id' | 'vip' | 'checkin_at' | 'checkin_station' | 'roster_order' | DoorColumn
>;
/** The columns of the row's local state that the door adds (migration 012). */
type DoorColumn =
  | 'admission_stations'
  | 'badge_first_name'
  | 'badge_last_name'
  | 'badge_full_name'
  | 'badge_company'
  | 'base_full_name'
  | 'base_company'
  | 'corrected_at'
  | 'corrected_by'
  | 'door_note'
  | 'door_attention'
  | 'linked_to'
  | 'ticket_note';

/**
 * The row's fields: for the desk (`company` the line it shows), or as the provider sent them
 * (`company` the provider's, what a sync compares and the venue roster carries).
 */
function providerOwnedFields(r: ProviderColumnsRow, as: 'shown' | 'provider'): ProviderOwnedAttendeeFields {
  return {
    providerAttendeeId: r.provider_attendee_id,
    firstName: r.first_name,
    lastName: r.last_name,
    fullName: r.full_name,
    email: r.email,
    company: as === 'shown' ? r.company : r.provider_company,
    jobTitle: r.job_title,
    ticketName: r.ticket_name,
    otherTicketNames: otherTicketNamesFromColumn(r.other_ticket_names),
    orderId: r.order_id,
    barcode: r.barcode,
    status: r.status,
    providerStatus: r.provider_status,
    registeredAt: r.registered_at,
    providerUpdatedAt: r.provider_updated_at,
    answers: answersFromColumn(r.answers),
  };
}

export type ProviderRecordRow = ProviderColumnsRow & { provider_checked_in: number };

export function toProviderRecord(r: ProviderRecordRow): ProviderAttendee {
  return { ...providerOwnedFields(r, 'provider'), providerCheckedIn: r.provider_checked_in === 1 };
}

/** Stored as a JSON array, NULL when there are none (nearly every row), so one ticket costs nothing. */
function otherTicketNamesColumn(names: readonly string[] | undefined): string | null {
  return names && names.length > 0 ? JSON.stringify(names) : null;
}

function otherTicketNamesFromColumn(column: string | null): string[] {
  if (column === null) return [];
  try {
    const parsed: unknown = JSON.parse(column);
    return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    // Only this code writes the column; an unreadable value hides the extra names, not the row.
    return [];
  }
}

/** Stored as a JSON array, NULL when there are none. */
function answersColumn(answers: readonly RegistrationAnswer[] | undefined): string | null {
  return answers && answers.length > 0 ? JSON.stringify(answers) : null;
}

export function answersFromColumn(column: string | null): RegistrationAnswer[] {
  if (column === null) return [];
  try {
    const parsed: unknown = JSON.parse(column);
    if (!Array.isArray(parsed)) return [];
    // Only this code writes the column; an unreadable entry hides that answer, not the row.
    return parsed.filter(
      (a): a is RegistrationAnswer =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as RegistrationAnswer).label === 'string' &&
        typeof (a as RegistrationAnswer).text === 'string',
    );
  } catch {
    return [];
  }
}
