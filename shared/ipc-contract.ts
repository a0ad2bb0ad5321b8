// The IPC contract, as data: every channel's name, its input schema, whether it needs the admin
// role, and its result type. Main validates against it, the preload and the browser host carry
// it, the renderer calls through it, and the fuzz test walks it. One table, no drift.
import { z } from 'zod';
import type {
  ProviderKind,
  Attendee,
  Integration,
  StatusTransition,
  SyncedEvent,
  SyncJob,
  SyncRepair,
} from './types.ts';
import type { ProviderClockCheck } from './station-clock.ts';
import type { SyncStarted } from './venue-poller.ts';
import { PROVIDERS } from './types.ts';
import type { SessionInfo } from './ipc-wire.ts';
import type { CheckInLogEntry, CheckInOutcome, CheckInStats, DeskSearchResult, UndoOutcome } from './desk.ts';
import type { BadgeLayout, BadgeTemplate } from './badge.ts';
import { BADGE_FIELDS, MAX_TEMPLATE_ANSWER_LABEL, PAGE_SIZE_IDS } from './badge.ts';
import type { Printer, PrintJob, PrintQueueSummary } from './printing.ts';
import { PRINT_JOB_STATES } from './printing.ts';
import type { PrinterStatusView } from './printer-status.ts';
import { BROTHER_MODELS } from './brother.ts';
import { ATTENDEE_SORT_KEYS, ATTENDEE_STATUSES } from './attendee-list.ts';
import type { DamagedDatabaseNotice, SalvagedCheckIn, StorageStatus } from './storage.ts';
import { channel, empty, eventRef, id } from './ipc-channel.ts';
import { answerSettingsSchema, type EventQuestionsView } from './answers.ts';
import { VENUE_CHANNELS } from './venue-ipc.ts';
import { DOOR_CHANNELS } from './door-ipc.ts';
import { LIST_CHANNELS, deskPassagesSchema, overrideReasonSchema, type DeskPassages } from './list-ipc.ts';
import { STATION_CHANNELS } from './station-ipc.ts';
import { PRINT_STATION_CHANNELS, printAtSchema, printStationNameSchema } from './print-station-ipc.ts';
import type { PrintAt } from './print-stations.ts';
import { FORGET_CHANNELS } from './forget-ipc.ts';
import { pinSchema } from './pin.ts';
import { DEFAULT_FORGET_AFTER_DAYS, MAX_FORGET_AFTER_DAYS, MIN_FORGET_AFTER_DAYS } from './forget.ts';

// A unique id per desk action (a UUID from the renderer): a retried call cannot record twice.
const actionId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'an action id is 8 to 64 letters, digits or dashes');
const pin = pinSchema;

export interface StationSettings {
  stationName: string;
  pollIntervalMs: number;
  /** The printer this station prints badges on (a printer id), or none. */
  printerId: number | null;
  /**
   * More printers that share this station's badges (a pool with printerId): each badge goes to
   * the next free one, and a stopped one is passed over. Absent: none.
   */
  poolPrinterIds?: number[];
  autoPrint: boolean;
  /** Where this desk's badges print: its own printers (default), a print station of the venue, or the nearest free one. */
  printAt?: PrintAt;
  /** The name this desk offers its printers to the venue under, as a print station; null or absent: it offers none. */
  printStationName?: string | null;
  /** Minutes of inactivity before the admin lock returns. */
  adminLockMinutes: number;
  /** The check-in list this desk checks in for, and whether it records exits, by event id (shared/lists.ts). */
  deskLists?: DeskPassages;
  /** Events are forgotten on this desk this many days after they end (shared/forget.ts). */
  forgetAfterDays?: number;
}

export const DEFAULT_SETTINGS: StationSettings = {
  stationName: 'Desk 1',
  pollIntervalMs: 30_000,
  printerId: null,
  poolPrinterIds: [],
  autoPrint: false,
  printAt: { kind: 'here' },
  printStationName: null,
  adminLockMinutes: 5,
  deskLists: {},
  forgetAfterDays: DEFAULT_FORGET_AFTER_DAYS,
};

export const settingsPatchSchema = z
  .object({
    stationName: z.string().trim().min(1).max(60),
    pollIntervalMs: z.number().int().min(5_000).max(3_600_000),
    printerId: id.nullable(),
    poolPrinterIds: z.array(id).max(8),
    autoPrint: z.boolean(),
    printAt: printAtSchema,
    printStationName: printStationNameSchema,
    adminLockMinutes: z.number().int().min(1).max(240),
    forgetAfterDays: z.number().int().min(MIN_FORGET_AFTER_DAYS).max(MAX_FORGET_AFTER_DAYS),
  })
  .partial()
  .strict();

/** The settings as stored: the patch's fields, and the desk's lists (set through lists.setDesk, which checks the list). */
export const storedSettingsSchema = settingsPatchSchema.extend({ deskLists: deskPassagesSchema.optional() });

export interface DemoInfo {
  /** A demo can start only while no real integration is connected. */
  available: boolean;
  running: boolean;
}

export interface AppSnapshot {
  session: SessionInfo;
  settings: StationSettings;
  integrations: Integration[];
  events: SyncedEvent[];
  demo: DemoInfo;
  /** False where credentials cannot be encrypted at rest (say so to the admin). */
  credentialsEncrypted: boolean;
  /** Where this window runs: the Electron app or the development browser host. */
  host: 'electron' | 'browser';
  /** Whether check-ins are being saved, and free space (the desk banner, the low-space warning). */
  storage: StorageStatus;
  /** Damaged databases set aside at start-up that the admin has not dismissed (newest first). */
  damagedDatabases: DamagedDatabaseNotice[];
}

export interface ProviderEventOption {
  providerEventId: string;
  name: string;
  startsAt: string | null;
  alreadyAdded: boolean;
}

export interface AttendeePage {
  rows: Attendee[];
  /** The rows the query matches: the whole event when nothing narrows it. */
  total: number;
}

// A label printer's address: any host an admin types (printers live anywhere, even outside the
// local network), and only the port the admin typed: Badge Desk connects to nothing else there.
const printerHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, 'a host name or IP address');
const printerPort = z.number().int().min(1).max(65535);

export const IPC_CHANNELS = {
  'app.snapshot': channel<AppSnapshot>()(empty, { admin: false }),

  'session.setPin': channel<SessionInfo>()(z.object({ pin, currentPin: pin.optional() }).strict(), {
    admin: false,
  }),
  'session.unlock': channel<SessionInfo>()(z.object({ pin: z.string().max(64) }).strict(), { admin: false }),
  'session.lock': channel<SessionInfo>()(empty, { admin: false }),

  'settings.update': channel<StationSettings>()(settingsPatchSchema, { admin: true }),

  'integrations.list': channel<Integration[]>()(empty, { admin: false }),
  'integrations.connect': channel<Integration>()(
    z
      .object({
        provider: z.enum(PROVIDERS),
        // Sent as an HTTP header: printable ASCII only. A line break could smuggle a header, and the
        // HTTP library quotes an invalid value in its error (found by tests/security/credentials-at-rest).
        credential: z
          .string()
          .trim()
          .min(1)
          .max(4096)
          .regex(
            /^[\x21-\x7E]+$/,
            'a token or key is letters, digits and symbols, without spaces or line breaks',
          ),
      })
      .strict(),
    { admin: true },
  ),
  'integrations.startOAuth': channel<{ authorizeUrl: string }>()(
    z.object({ provider: z.literal('eventbrite') }).strict(),
    { admin: true },
  ),
  'integrations.remove': channel<null>()(z.object({ integrationId: id }).strict(), { admin: true }),

  'events.list': channel<SyncedEvent[]>()(empty, { admin: false }),
  'events.get': channel<SyncedEvent>()(eventRef, { admin: false }),
  'events.history': channel<StatusTransition[]>()(eventRef, { admin: false }),
  'events.recoveryOptions': channel<Integration[]>()(eventRef, { admin: false }),
  'events.providerList': channel<ProviderEventOption[]>()(z.object({ integrationId: id }).strict(), {
    admin: true,
  }),
  'events.import': channel<SyncedEvent>()(
    z.object({ integrationId: id, providerEventId: z.string().min(1).max(200) }).strict(),
    { admin: true },
  ),
  'events.retry': channel<SyncJob>()(eventRef, { admin: true }),
  'events.retryImport': channel<SyncJob>()(eventRef, { admin: true }),
  'events.reconnect': channel<SyncJob>()(z.object({ eventId: id, integrationId: id }).strict(), {
    admin: true,
  }),
  /** The Sync button: run here, or asked of the venue desk that polls the event (shared/venue-poller.ts). */
  'events.sync': channel<SyncStarted>()(eventRef, { admin: false }),
  /** Disagreements between mirror and provider that a full listing repaired (for the admin). */
  'events.syncRepairs': channel<SyncRepair[]>()(eventRef, { admin: false }),
  /** The event's registration questions and its local choices about the answers (the desk reads them too). */
  'events.questions': channel<EventQuestionsView>()(eventRef, { admin: false }),
  'events.setAnswerSettings': channel<EventQuestionsView>()(
    z.object({ eventId: id, settings: answerSettingsSchema }).strict(),
    { admin: true },
  ),
  /** This station's clock against each provider's (their Date headers), newest reading each. */
  'sync.clockChecks': channel<ProviderClockCheck[]>()(empty, { admin: false }),

  // The event page's list. Without text, filter or sort: the whole event by name. The text is
  // matched as the desk's search (shared/attendee-list.ts); see there for each sort.
  'attendees.list': channel<AttendeePage>()(
    z
      .object({
        eventId: id,
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
        text: z.string().max(200).optional(),
        filter: z
          .object({
            checkIn: z.enum(['checked_in', 'not_checked_in']).optional(),
            vip: z.literal(true).optional(),
            status: z.enum(ATTENDEE_STATUSES).optional(),
            ticketName: z.string().min(1).max(200).optional(),
            walkIn: z.literal(true).optional(),
            admittedTwice: z.literal(true).optional(),
          })
          .strict()
          .optional(),
        sort: z
          .object({ key: z.enum(ATTENDEE_SORT_KEYS), direction: z.enum(['asc', 'desc']) })
          .strict()
          .optional(),
      })
      .strict(),
    { admin: false },
  ),
  'attendees.setVip': channel<Attendee>()(z.object({ attendeeId: id, vip: z.boolean() }).strict(), {
    admin: false,
  }),

  'desk.search': channel<DeskSearchResult>()(
    z
      .object({ eventId: id, query: z.string().max(200), limit: z.number().int().min(1).max(100).optional() })
      .strict(),
    { admin: false },
  ),
  // A scanner types the code and Enter; a person picks a row. Both end here: an exact barcode
  // match of `code` wins, else `attendeeId`, else "not found".
  'desk.checkIn': channel<CheckInOutcome>()(
    z
      .object({
        eventId: id,
        actionId,
        code: z.string().trim().min(1).max(500).optional(),
        attendeeId: id.optional(),
        // The operator confirmed a person flagged "needs attention" (shared/door.ts).
        confirm: z.boolean().optional(),
        // An admin admits the person over the desk's list's refusal, for this reason (shared/lists.ts).
        override: overrideReasonSchema.optional(),
      })
      .strict()
      .refine(
        (v) => v.code !== undefined || v.attendeeId !== undefined,
        'give a scanned code or an attendee id',
      ),
    { admin: false },
  ),
  'desk.undo': channel<UndoOutcome>()(z.object({ eventId: id, attendeeId: id, actionId }).strict(), {
    admin: false,
  }),
  'desk.log': channel<CheckInLogEntry[]>()(
    z.object({ eventId: id, limit: z.number().int().min(1).max(500), beforeId: id.optional() }).strict(),
    { admin: false },
  ),
  'desk.stats': channel<CheckInStats>()(eventRef, { admin: false }),
  // The log holds attendee names and emails: exporting it is an admin's call.
  'desk.exportCsv': channel<{ filename: string; csv: string }>()(eventRef, { admin: true }),

  'printers.list': channel<Printer[]>()(empty, { admin: false }),
  'printers.add': channel<Printer>()(
    z
      .object({
        name: z.string().trim().min(1).max(80),
        config: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('pdf_folder'), folder: z.string().trim().min(1).max(1000) }).strict(),
          z
            .object({
              kind: z.literal('zpl_tcp'),
              host: printerHost,
              port: printerPort,
              dpi: z.union([z.literal(203), z.literal(300)]),
            })
            .strict(),
          z
            .object({
              kind: z.literal('brother_ql'),
              host: printerHost,
              port: printerPort,
              model: z.enum(BROTHER_MODELS),
            })
            .strict(),
          z.object({ kind: z.literal('os'), deviceName: z.string().trim().min(1).max(300) }).strict(),
        ]),
      })
      .strict(),
    { admin: true },
  ),
  'printers.remove': channel<null>()(z.object({ printerId: id }).strict(), { admin: true }),
  'printers.test': channel<PrintJob>()(z.object({ printerId: id }).strict(), { admin: true }),
  /** Each printer's last known state (label printers that say it: paper out, head open, the loaded labels). */
  'printers.status': channel<PrinterStatusView[]>()(empty, { admin: false }),
  /** Asks a label printer its state now (connects to the address and port an admin entered). */
  'printers.checkStatus': channel<PrinterStatusView>()(z.object({ printerId: id }).strict(), {
    admin: true,
  }),
  /** The operating system's printers (empty where the host has none to offer: the browser host). */
  'printers.system': channel<{ name: string; isDefault: boolean }[]>()(empty, { admin: true }),

  'templates.list': channel<BadgeTemplate[]>()(empty, { admin: false }),
  'templates.save': channel<BadgeTemplate>()(
    z
      .object({
        id: id.optional(),
        name: z.string().trim().min(1).max(80),
        pageSize: z.enum(PAGE_SIZE_IDS as [string, ...string[]]),
        ticketName: z.string().trim().min(1).max(200).nullable(),
        // The question whose answer the badge prints (its wording); absent or null: none.
        answerLabel: z.string().trim().min(1).max(MAX_TEMPLATE_ANSWER_LABEL).nullable().optional(),
        fields: z
          .object(
            Object.fromEntries(BADGE_FIELDS.map((f) => [f, z.boolean()])) as Record<
              (typeof BADGE_FIELDS)[number],
              z.ZodBoolean
            >,
          )
          .strict(),
      })
      .strict(),
    { admin: true },
  ),
  'templates.remove': channel<null>()(z.object({ templateId: id }).strict(), { admin: true }),
  /** The badge as it will print, for the preview: the template given, else the attendee's variant. */
  'badges.preview': channel<BadgeLayout>()(
    z
      .object({
        eventId: id,
        attendeeId: id.optional(),
        templateId: id.optional(),
        // A template being edited, not saved yet: the preview follows every change.
        draft: z
          .object({
            pageSize: z.enum(PAGE_SIZE_IDS as [string, ...string[]]),
            answerLabel: z.string().trim().min(1).max(MAX_TEMPLATE_ANSWER_LABEL).nullable().optional(),
            fields: z
              .object(
                Object.fromEntries(BADGE_FIELDS.map((f) => [f, z.boolean()])) as Record<
                  (typeof BADGE_FIELDS)[number],
                  z.ZodBoolean
                >,
              )
              .strict(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    { admin: false },
  ),

  /** The first badge of an attendee. A second copy is a reprint: refused here with CONFLICT. */
  'print.badge': channel<PrintJob>()(z.object({ attendeeId: id }).strict(), { admin: false }),
  'print.reprint': channel<PrintJob>()(
    z.object({ attendeeId: id, note: z.string().trim().min(1).max(200) }).strict(),
    { admin: false },
  ),
  'print.batch': channel<{ queued: number; alreadyPrinted: number }>()(
    z.object({ eventId: id, vipOnly: z.boolean(), ticketName: z.string().max(200).nullable() }).strict(),
    { admin: true },
  ),
  'print.jobs': channel<PrintJob[]>()(
    z
      .object({
        eventId: id.optional(),
        states: z.array(z.enum(PRINT_JOB_STATES)).max(6).optional(),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    { admin: false },
  ),
  'print.summary': channel<PrintQueueSummary>()(empty, { admin: false }),
  'print.retry': channel<PrintJob>()(z.object({ jobId: id }).strict(), { admin: false }),
  'print.cancel': channel<PrintJob>()(z.object({ jobId: id }).strict(), { admin: false }),
  /** A "may have printed" job a person checked: the badge did come out. */
  'print.markPrinted': channel<PrintJob>()(z.object({ jobId: id }).strict(), { admin: false }),

  'demo.start': channel<AppSnapshot>()(empty, { admin: false }),

  'storage.status': channel<StorageStatus>()(empty, { admin: false }),
  /** "Try again" on the banner: free space read again, and a real write tried while writes fail. */
  'storage.recheck': channel<StorageStatus>()(empty, { admin: false }),

  'recovery.notices': channel<DamagedDatabaseNotice[]>()(empty, { admin: false }),
  /** The check-ins read back from a damaged file, in its log's order. */
  'recovery.salvaged': channel<SalvagedCheckIn[]>()(
    z
      .object({
        damagedId: id,
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    { admin: true },
  ),
  /** Imports them: each goes into the log, under its own action id, once its attendee exists again. */
  'recovery.importSalvaged': channel<DamagedDatabaseNotice>()(z.object({ damagedId: id }).strict(), {
    admin: true,
  }),
  'recovery.dismiss': channel<null>()(z.object({ damagedId: id }).strict(), { admin: true }),
  ...VENUE_CHANNELS,
  ...DOOR_CHANNELS,
  ...LIST_CHANNELS,
  ...STATION_CHANNELS,
  ...PRINT_STATION_CHANNELS,
  ...FORGET_CHANNELS,
} as const;

export type ChannelName = keyof typeof IPC_CHANNELS;
export type ChannelInput<C extends ChannelName> = z.input<(typeof IPC_CHANNELS)[C]['input']>;
export type ChannelResult<C extends ChannelName> = Exclude<(typeof IPC_CHANNELS)[C]['result'], undefined>;
export const CHANNEL_NAMES = Object.keys(IPC_CHANNELS) as ChannelName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(IPC_CHANNELS, name);
}

export type { ProviderKind };
export * from './ipc-wire.ts';
