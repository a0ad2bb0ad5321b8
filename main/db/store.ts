// The mirror: what this station holds of its providers (integrations, events with their status
// history and sync repairs, sync jobs, provider-owned attendees). One module per table family
// holds its SQL; MirrorStore is the one object the core hands around, and each of its methods is
// one family's (see the section headers). With desk-store.ts and the other *-store.ts modules, the
// only code that writes SQL: everything else calls these typed functions.
import type { Db } from './open.ts';
import type {
  Attendee,
  AttendeeCounts,
  Integration,
  IntegrationStatus,
  ProviderKind,
  StatusTransition,
  SyncJob,
  SyncJobKind,
  SyncJobState,
  SyncRepair,
} from '../../shared/types.ts';
import type { SyncStatus } from '../../shared/sync-status.ts';
import type { ProviderAttendee, ProviderEvent } from '../providers/types.ts';
import { IntegrationStore, type NewIntegration } from './integration-store.ts';
import { EventStore, type EventSyncState } from './event-store.ts';
import { JobStore } from './job-store.ts';
import { AttendeeStore, type UpsertResult } from './attendee-store.ts';
import type { StoredEvent } from './mirror-rows.ts';
import { AnswerStore } from './answer-store.ts';
import { RosterOrderStore } from './roster-order-store.ts';
import { mergeQuestions, type EventAnswerSettings, type EventQuestion } from '../../shared/answers.ts';

export type { StoredEvent } from './mirror-rows.ts';
export type { EventSyncState } from './event-store.ts';
export { REMOVED_ON_PROVIDER, type UpsertResult } from './attendee-store.ts';

export class MirrorStore {
  readonly db: Db;
  private readonly integrations: IntegrationStore;
  private readonly events: EventStore;
  private readonly jobs: JobStore;
  private readonly attendees: AttendeeStore;
  private readonly answers: AnswerStore;
  private readonly rosterOrder: RosterOrderStore;

  constructor(db: Db) {
    this.db = db;
    this.integrations = new IntegrationStore(db);
    this.jobs = new JobStore(db);
    this.answers = new AnswerStore(db);
    this.rosterOrder = new RosterOrderStore(db);
    this.attendees = new AttendeeStore(
      db,
      this.jobs,
      (eventId) => this.answers.settings(eventId).companyQuestion,
    );
    this.events = new EventStore(db, this.jobs, this.attendees);
  }

  // ---- integrations (integration-store.ts) ----

  upsertIntegration(input: NewIntegration): Integration {
    return this.integrations.upsertIntegration(input);
  }
  getIntegration(id: number): (Integration & { secretRef: string }) | undefined {
    return this.integrations.getIntegration(id);
  }
  listIntegrations(): Integration[] {
    return this.integrations.listIntegrations();
  }
  setIntegrationStatus(id: number, status: IntegrationStatus, reason: string | null, now: string): void {
    this.integrations.setIntegrationStatus(id, status, reason, now);
  }
  countEventsOfIntegration(id: number): number {
    return this.integrations.countEventsOfIntegration(id);
  }
  deleteIntegration(id: number): void {
    this.integrations.deleteIntegration(id);
  }

  // ---- events, status history, sync repairs (event-store.ts) ----

  findEventByProviderId(provider: ProviderKind, providerEventId: string): number | undefined {
    return this.events.findEventByProviderId(provider, providerEventId);
  }
  insertEvent(integration: Integration, e: ProviderEvent, reason: string, now: string): number {
    return this.events.insertEvent(integration, e, reason, now);
  }
  insertVenueEvent(provider: ProviderKind, e: ProviderEvent, now: string): number {
    return this.events.insertVenueEvent(provider, e, now);
  }
  eventStatus(eventId: number): SyncStatus | undefined {
    return this.events.eventStatus(eventId);
  }
  eventHasIntegration(eventId: number): boolean {
    return this.events.eventHasIntegration(eventId);
  }
  eventSyncState(eventId: number): EventSyncState | undefined {
    return this.events.eventSyncState(eventId);
  }
  eventForgotten(eventId: number): boolean {
    return this.events.eventForgotten(eventId);
  }
  eventName(eventId: number): string | undefined {
    return this.events.eventName(eventId);
  }
  getEvent(eventId: number): StoredEvent | undefined {
    return this.events.getEvent(eventId);
  }
  listEvents(): StoredEvent[] {
    return this.events.listEvents();
  }
  eventIdsWithStatus(status: SyncStatus): number[] {
    return this.events.eventIdsWithStatus(status);
  }
  eventIdsPolling(): number[] {
    return this.events.eventIdsPolling();
  }
  liveEventCountOfIntegration(integrationId: number): number {
    return this.events.liveEventCountOfIntegration(integrationId);
  }
  eventIdsOfIntegration(integrationId: number): number[] {
    return this.events.eventIdsOfIntegration(integrationId);
  }
  writeStatus(
    eventId: number,
    from: SyncStatus,
    to: SyncStatus,
    reason: string,
    now: string,
    error?: { message: string },
  ): void {
    this.events.writeStatus(eventId, from, to, reason, now, error);
  }
  recordError(eventId: number, message: string, now: string): void {
    this.events.recordError(eventId, message, now);
  }
  statusHistory(eventId: number): StatusTransition[] {
    return this.events.statusHistory(eventId);
  }
  setEventIntegration(eventId: number, integrationId: number): void {
    this.events.setEventIntegration(eventId, integrationId);
  }
  updateEventDetails(eventId: number, e: ProviderEvent): void {
    this.events.updateEventDetails(eventId, e);
  }
  markSynced(eventId: number, now: string, watermark: string | null, importCompleted: boolean): void {
    this.events.markSynced(eventId, now, watermark, importCompleted);
  }
  recordSyncRepair(repair: Omit<SyncRepair, 'id'>): void {
    this.events.recordSyncRepair(repair);
  }
  syncRepairs(eventId: number): SyncRepair[] {
    return this.events.syncRepairs(eventId);
  }

  // ---- sync jobs (job-store.ts) ----

  startJob(eventId: number, kind: SyncJobKind, now: string): SyncJob {
    return this.jobs.startJob(eventId, kind, now);
  }
  activeJob(eventId: number): SyncJob | undefined {
    return this.jobs.activeJob(eventId);
  }
  getJob(jobId: number): SyncJob | undefined {
    return this.jobs.getJob(jobId);
  }
  jobsOfEvent(eventId: number): SyncJob[] {
    return this.jobs.jobsOfEvent(eventId);
  }
  finishJob(jobId: number, state: Exclude<SyncJobState, 'running'>, error: string | null, now: string): void {
    this.jobs.finishJob(jobId, state, error, now);
  }
  abandonRunningJobs(now: string): number {
    return this.jobs.abandonRunningJobs(now);
  }
  setJobExpectedTotal(jobId: number, total: number | null): void {
    this.jobs.setJobExpectedTotal(jobId, total);
  }

  // ---- provider-owned attendees (attendee-store.ts) ----

  upsertAttendees(
    eventId: number,
    rows: readonly ProviderAttendee[],
    jobId: number | null,
    now: string,
  ): UpsertResult {
    return this.attendees.upsertAttendees(eventId, rows, jobId, now);
  }
  unlistedSlice(
    eventId: number,
    listedIds: ReadonlySet<string>,
    cursor: string | null,
    limit: number,
  ): { unlisted: number[]; next: string | null } {
    return this.attendees.unlistedSlice(eventId, listedIds, cursor, limit);
  }
  markRemoved(eventId: number, ids: readonly number[], now: string): number[] {
    return this.attendees.markRemoved(eventId, ids, now);
  }
  listedCounts(eventId: number): { attending: number; notAttending: number } {
    return this.attendees.listedCounts(eventId);
  }
  attendeeCounts(eventId: number): AttendeeCounts {
    return this.attendees.attendeeCounts(eventId);
  }
  newestProviderStamp(eventId: number): string | null {
    return this.attendees.newestProviderStamp(eventId);
  }
  getAttendee(attendeeId: number): Attendee | undefined {
    return this.attendees.getAttendee(attendeeId);
  }
  findAttendeeByProviderId(eventId: number, providerAttendeeId: string): Attendee | undefined {
    return this.attendees.findAttendeeByProviderId(eventId, providerAttendeeId);
  }
  providerAttendeeIds(eventId: number): string[] {
    return this.attendees.providerAttendeeIds(eventId);
  }
  knownProviderIds(eventId: number, providerAttendeeIds: readonly string[]): Set<string> {
    return this.attendees.knownProviderIds(eventId, providerAttendeeIds);
  }
  maxAttendeeId(eventId: number): number {
    return this.attendees.maxAttendeeId(eventId);
  }
  providerRecords(eventId: number, ids?: readonly number[]): Map<string, ProviderAttendee> {
    return this.attendees.providerRecords(eventId, ids);
  }
  providerRecordsByProviderId(
    eventId: number,
    providerAttendeeIds: readonly string[],
  ): Map<string, ProviderAttendee> {
    return this.attendees.providerRecordsByProviderId(eventId, providerAttendeeIds);
  }
  setVip(attendeeId: number, vip: boolean, now: string): void {
    this.attendees.setVip(attendeeId, vip, now);
  }

  // ---- the event's registration answers: questions and local choices (answer-store.ts) ----

  answerSettings(eventId: number): EventAnswerSettings {
    return this.answers.settings(eventId);
  }
  /**
   * Stores the event's choices and, in the same transaction, gives every row the company line
   * they imply. Returns the ids of the rows whose line changed.
   */
  saveAnswerSettings(eventId: number, settings: EventAnswerSettings, now: string): number[] {
    return this.db.transaction(() => {
      const before = this.answers.settings(eventId).companyQuestion;
      this.answers.saveSettings(eventId, settings, now);
      return before === settings.companyQuestion
        ? []
        : this.attendees.applyCompanyQuestion(eventId, settings.companyQuestion, now);
    })();
  }
  /** The event's questions: those the provider listed, then those seen in the answers, with how many answered each. */
  eventQuestions(eventId: number): EventQuestion[] {
    return mergeQuestions(this.answers.listedQuestions(eventId), this.attendees.answeredQuestions(eventId));
  }

  // ---- the venue roster's order of records without a provider stamp (roster-order-store.ts) ----

  rosterOrders(eventId: number, providerAttendeeIds: readonly string[]): Map<string, number | null> {
    return this.rosterOrder.orders(eventId, providerAttendeeIds);
  }
  setRosterOrders(eventId: number, orders: ReadonlyMap<string, number>): void {
    this.rosterOrder.setOrders(eventId, orders);
  }
  raiseRosterCounter(eventId: number, order: number): void {
    this.rosterOrder.raiseCounter(eventId, order);
  }
  takeRosterOrders(eventId: number, count: number): number {
    return this.rosterOrder.takeOrders(eventId, count);
  }
}
