// Development only: an in-memory BadgeDeskBridge for previewing the renderer without a host
// (`npx vite`, then open /?mock). Loaded by main.tsx under import.meta.env.DEV, so production
// builds never contain it. Admin PIN: 1234. A credential containing "bad" is rejected.
// Printing: jobs move queued -> printing -> printed on timers; a printer whose name contains
// "jam" fails every attempt (three tries, then "failed").
import type { AppSnapshot, ChannelInput, ChannelName, ChannelResult, IpcResult, PushMessage, SessionInfo, StationSettings } from '../../../shared/ipc-contract.ts';
import { DEFAULT_SETTINGS, IPC_CHANNELS } from '../../../shared/ipc-contract.ts';
import type { AppErrorData } from '../../../shared/errors.ts';
import type { Attendee, AttendeeStatus, Integration, ProviderKind, SyncedEvent, SyncJob, SyncJobKind } from '../../../shared/types.ts';
import type { SyncStatus } from '../../../shared/sync-status.ts';
import type { StorageStatus } from '../../../shared/storage.ts';
import type { CheckInLogEntry, CheckInStats, TicketStats } from '../../../shared/desk.ts';
import { ARRIVAL_SLOT_MINUTES, OFFLINE_REASON } from '../../../shared/desk.ts';
import type { BadgeLayout, BadgePerson, BadgeTemplate, MeasureText } from '../../../shared/badge.ts';
import { DEFAULT_TEMPLATE, layoutBadge, selectTemplate } from '../../../shared/badge.ts';
import type { Printer, PrintJob, PrintJobReason, PrintQueueSummary } from '../../../shared/printing.ts';
import { create as createQr } from 'qrcode';
import type { Transport } from '../bridge.ts';

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Radia', 'Tim', 'Frances', 'Edsger', 'Hedy', 'Niklaus', 'Karen', 'José', 'Zoë', 'Łukasz'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Perlman', 'Berners-Lee', 'Allen', 'Dijkstra', 'Lamarr', 'Wirth', 'Spärck Jones', 'Núñez'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', '<b>Not bold</b> Ltd', null];
const TICKETS = ['General Admission', 'Speaker', 'Sponsor', 'Student', 'VIP Pass'];

class MockError extends Error {
  constructor(
    readonly code: AppErrorData['code'],
    message: string,
  ) {
    super(message);
  }
}

const now = () => new Date().toISOString();

/** Text widths for previews: the canvas with the badge font when it has loaded, else an estimate. */
const measureCanvas = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
const measure: MeasureText = (text, fontSize, bold) => {
  if (measureCanvas) {
    measureCanvas.font = `${bold ? 'bold ' : ''}${fontSize}px "Badge Sans"`;
    return measureCanvas.measureText(text).width;
  }
  return [...text].length * fontSize * (bold ? 0.66 : 0.6);
};

function qrMatrix(payload: string): string[] {
  const { modules } = createQr(payload, { errorCorrectionLevel: 'M' });
  const rows: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    let row = '';
    for (let x = 0; x < modules.size; x++) row += modules.get(y, x) ? '1' : '0';
    rows.push(row);
  }
  return rows;
}


interface MockEvent {
  event: SyncedEvent;
  /** Attendees present at the provider. */
  size: number;
  /** Attendees mirrored so far. */
  mirrored: number;
}

export function createMockBridge(): Transport {
  const listeners = new Set<(m: PushMessage) => void>();
  const push = (message: PushMessage) => {
    setTimeout(() => listeners.forEach((l) => l(message)), 0);
  };
  let session: SessionInfo = { role: 'operator', pinSet: true, adminUntil: null };
  let settings: StationSettings = { ...DEFAULT_SETTINGS };
  const integrations: Integration[] = [];
  const events = new Map<number, MockEvent>();
  const vip = new Set<number>();
  /** Current check-ins by attendee id, and the append-only log they come from. */
  const checkins = new Map<number, { at: string; station: string }>();
  const checkinLog: CheckInLogEntry[] = [];
  let nextLogId = 1;
  let demoRunning = false;
  let nextId = 1;
  let nextJob = 1;

  // ---- printing ----
  const printers: Printer[] = [];
  const templates: BadgeTemplate[] = [{ ...structuredClone(DEFAULT_TEMPLATE), id: 1, updatedAt: now() }];
  let nextTemplate = 2;
  const printJobs: PrintJob[] = [];
  let nextPrintJob = 1;
  const busyPrinters = new Set<number>();

  const pushJob = (job: PrintJob) => push({ event: 'printJobChanged', payload: { job: { ...job } } });
  const touch = (job: PrintJob, patch: Partial<PrintJob>) => {
    Object.assign(job, patch, { updatedAt: now() });
    pushJob(job);
  };

  /** One queue per printer: the oldest due job prints next; a jammed printer holds up only itself. */
  const runPrinter = (printerId: number) => {
    if (busyPrinters.has(printerId)) return;
    const printer = printers.find((p) => p.id === printerId);
    const due = printJobs
      .filter((j) => j.printerId === printerId && j.state === 'queued' && (!j.nextAttemptAt || Date.parse(j.nextAttemptAt) <= Date.now()))
      .sort((a, b) => a.id - b.id)[0];
    if (!printer || !due) return;
    busyPrinters.add(printerId);
    touch(due, { state: 'printing', attempts: due.attempts + 1, nextAttemptAt: null });
    setTimeout(() => {
      busyPrinters.delete(printerId);
      if (due.state !== 'printing') return runPrinter(printerId);
      if (/jam/i.test(printer.name)) {
        const error = 'The printer did not answer (connect ECONNREFUSED 10.0.0.42:9100)';
        if (due.attempts < 3) {
          touch(due, { state: 'queued', error, nextAttemptAt: new Date(Date.now() + 3000).toISOString() });
          setTimeout(() => runPrinter(printerId), 3100);
        } else {
          touch(due, { state: 'failed', error });
        }
      } else {
        touch(due, { state: 'printed', error: null, printedAt: now() });
      }
      runPrinter(printerId);
    }, 700);
  };

  const queueJob = (printerId: number, reason: PrintJobReason, a: Attendee | null, note: string | null = null): PrintJob => {
    const printer = printers.find((p) => p.id === printerId);
    if (!printer) throw new MockError('NOT_FOUND', 'no such printer');
    const job: PrintJob = {
      id: nextPrintJob++,
      eventId: a?.eventId ?? null,
      attendeeId: a?.id ?? null,
      attendeeName: a?.fullName ?? null,
      printerId,
      printerName: printer.name,
      reason,
      state: 'queued',
      error: null,
      attempts: 0,
      nextAttemptAt: null,
      requestedBy: session.role,
      note,
      createdAt: now(),
      updatedAt: now(),
      printedAt: null,
    };
    printJobs.push(job);
    pushJob(job);
    setTimeout(() => runPrinter(printerId), 0);
    return job;
  };

  const stationPrinter = (): number => {
    if (settings.printerId === null || !printers.some((p) => p.id === settings.printerId)) {
      throw new MockError('INVALID_STATE', 'This station has no badge printer. Choose one in Settings → Printers.');
    }
    return settings.printerId;
  };

  const hasBadge = (attendeeId: number) =>
    printJobs.some((j) => j.attendeeId === attendeeId && j.reason !== 'test' && j.state !== 'cancelled' && j.state !== 'failed');

  const requireJob = (jobId: number) => {
    const job = printJobs.find((j) => j.id === jobId);
    if (!job) throw new MockError('NOT_FOUND', 'no such print job');
    return job;
  };

  const personOf = (a: Attendee): BadgePerson => ({
    firstName: a.firstName,
    lastName: a.lastName,
    fullName: a.fullName,
    company: a.company,
    ticketName: a.ticketName,
    barcode: a.barcode,
    vip: a.vip,
  });

  const addIntegration = (provider: ProviderKind, email: string): Integration => {
    const existing = integrations.find((i) => i.provider === provider && i.accountEmail === email);
    if (existing) {
      existing.status = 'CONNECTED';
      existing.statusReason = null;
      existing.updatedAt = now();
      return existing;
    }
    const integration: Integration = {
      id: nextId++,
      provider,
      accountId: `acct-${nextId}`,
      accountEmail: email,
      accountName: email.split('@')[0] ?? email,
      status: 'CONNECTED',
      statusReason: null,
      createdAt: now(),
      updatedAt: now(),
    };
    integrations.push(integration);
    return integration;
  };

  const counts = (m: MockEvent) => {
    let notAttending = 0;
    let notYet = 0;
    for (let i = 0; i < m.mirrored; i++) {
      const s = statusOf(i);
      if (s === 'NOT_ATTENDING') notAttending++;
      else if (s === 'NOT_YET_ATTENDING') notYet++;
    }
    let checkedIn = 0;
    for (const id of checkins.keys()) {
      const i = id % 1_000_000;
      if (Math.floor(id / 1_000_000) === m.event.id && i < m.mirrored && statusOf(i) === 'ATTENDING') checkedIn++;
    }
    return { attending: m.mirrored - notAttending - notYet, notAttending, notYetAttending: notYet, total: m.mirrored, checkedIn };
  };
  const statusOf = (i: number): AttendeeStatus => (i % 17 === 5 ? 'NOT_ATTENDING' : i % 23 === 7 ? 'NOT_YET_ATTENDING' : 'ATTENDING');

  const addEvent = (integration: Integration, name: string, size: number, status: SyncStatus, mirrored: number, lastError: string | null = null) => {
    const id = nextId++;
    const m: MockEvent = {
      size,
      mirrored,
      event: {
        id,
        integrationId: integration.id,
        provider: integration.provider,
        providerEventId: `pe-${id}`,
        name,
        startsAt: new Date(Date.now() + id * 86_400_000).toISOString(),
        endsAt: null,
        timezone: 'Europe/Berlin',
        url: null,
        status,
        statusReason: lastError,
        statusChangedAt: now(),
        lastErrorAt: lastError ? now() : null,
        lastError,
        lastSyncedAt: status === 'ACTIVE' ? now() : null,
        importCompletedAt: mirrored === size ? now() : null,
        activeJob: null,
        counts: { attending: 0, notAttending: 0, notYetAttending: 0, total: 0, checkedIn: 0 },
      },
    };
    events.set(id, m);
    return m;
  };

  const view = (m: MockEvent): SyncedEvent => ({ ...m.event, counts: counts(m) });

  const setStatus = (m: MockEvent, to: SyncStatus, reason: string) => {
    const from = m.event.status;
    m.event.status = to;
    m.event.statusReason = reason;
    m.event.statusChangedAt = now();
    push({ event: 'statusChanged', payload: { eventId: m.event.id, from, to, reason, at: now() } });
  };

  const runJob = (m: MockEvent, kind: SyncJobKind): SyncJob => {
    const job: SyncJob = {
      id: nextJob++,
      eventId: m.event.id,
      kind,
      state: 'running',
      startedAt: now(),
      finishedAt: null,
      fetched: 0,
      expectedTotal: m.event.provider === 'eventbrite' ? m.size : null,
      error: null,
    };
    m.event.activeJob = job;
    if (kind !== 'resync') m.mirrored = Math.min(m.mirrored, 0);
    const step = Math.max(1, Math.ceil(m.size / 40));
    const integration = integrations.find((i) => i.id === m.event.integrationId);
    const timer = setInterval(() => {
      if (integration?.status === 'DISCONNECTED') {
        clearInterval(timer);
        const done = { ...job, state: 'failed' as const, finishedAt: now(), error: 'Invalid OAuth token.' };
        m.event.activeJob = null;
        m.event.lastError = 'The provider rejected the token (401 INVALID_AUTH).';
        m.event.lastErrorAt = now();
        setStatus(m, 'DISCONNECTED', 'credential rejected');
        push({ event: 'jobFinished', payload: { eventId: m.event.id, job: done } });
        return;
      }
      job.fetched = Math.min(m.size, job.fetched + (kind === 'resync' ? m.size : step));
      if (kind !== 'resync') m.mirrored = job.fetched;
      push({ event: 'jobProgress', payload: { eventId: m.event.id, job: { ...job } } });
      push({ event: 'attendeesChanged', payload: { eventId: m.event.id, attendeeIds: [] } });
      if (job.fetched >= m.size) {
        clearInterval(timer);
        const done = { ...job, state: 'completed' as const, finishedAt: now() };
        m.event.activeJob = null;
        m.event.lastSyncedAt = now();
        m.event.importCompletedAt = now();
        if (m.event.status !== 'ACTIVE') setStatus(m, 'ACTIVE', `${kind} completed`);
        push({ event: 'jobFinished', payload: { eventId: m.event.id, job: done } });
      }
    }, kind === 'resync' ? 1500 : 150);
    return { ...job };
  };

  // The mock's disk is healthy with room to spare; the real app host reads statfs.
  const storageStatus = (): StorageStatus => ({
    state: 'ok',
    since: null,
    freeBytes: 40 * 1024 ** 3,
    lowSpaceThresholdBytes: 200 * 1024 ** 2,
    lowSpace: false,
    dataDir: '/home/desk/.config/Badge Desk',
  });

  const snapshot = (): AppSnapshot => ({
    session,
    settings,
    integrations: integrations.map((i) => ({ ...i })),
    events: [...events.values()].map(view),
    demo: { available: integrations.length === 0, running: demoRunning },
    credentialsEncrypted: false,
    host: 'browser',
    storage: storageStatus(),
    damagedDatabases: [],
  });

  const requireEvent = (eventId: number) => {
    const m = events.get(eventId);
    if (!m) throw new MockError('NOT_FOUND', `event ${eventId} does not exist`);
    return m;
  };

  const attendee = (m: MockEvent, i: number): Attendee => {
    // Every 50th pair: a very long name and a Japanese one, to see how badges lay them out.
    const special = i % 50 === 2 ? (['Maximiliana-Konstantina', 'Papadopoulou-Wolfeschlegelsteinhausen'] as const) : i % 50 === 3 ? (['美咲', '山田'] as const) : null;
    const first = special?.[0] ?? FIRST[i % FIRST.length]!;
    const last = special?.[1] ?? LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const id = m.event.id * 1_000_000 + i;
    return {
      id,
      eventId: m.event.id,
      providerAttendeeId: `a-${i}`,
      firstName: first,
      lastName: last,
      fullName: `${first} ${last} ${i + 1}`,
      email: `${first.toLowerCase()}.${i + 1}@example.com`,
      company: COMPANIES[i % COMPANIES.length] ?? null,
      jobTitle: null,
      ticketName: TICKETS[i % TICKETS.length] ?? null,
      orderId: `o-${i}`,
      barcode: `b-${i}`,
      status: statusOf(i),
      providerStatus: null,
      registeredAt: null,
      providerUpdatedAt: null,
      vip: vip.has(id),
      checkedIn: checkins.get(id) ?? null,
    };
  };

  const recordCheckIn = (a: Attendee, action: 'check_in' | 'undo', at: string, station = settings.stationName) => {
    const entry: CheckInLogEntry = {
      id: nextLogId++,
      actionId: `mock-${nextLogId}`,
      attendeeId: a.id,
      attendeeName: a.fullName,
      email: a.email,
      ticketName: a.ticketName,
      action,
      station,
      at,
    };
    checkinLog.push(entry);
    if (action === 'check_in') checkins.set(a.id, { at, station });
    else checkins.delete(a.id);
    return entry;
  };

  const attendeeById = (attendeeId: number): Attendee => {
    const m = requireEvent(Math.floor(attendeeId / 1_000_000));
    const i = attendeeId % 1_000_000;
    if (i >= m.mirrored) throw new MockError('NOT_FOUND', 'no such attendee');
    return attendee(m, i);
  };

  const search = (m: MockEvent, query: string, limit: number) => {
    const q = query.trim().toLowerCase();
    const exact: Attendee[] = [];
    const byName: Attendee[] = [];
    const other: Attendee[] = [];
    if (!q) return { rows: [], more: false };
    for (let i = 0; i < m.mirrored; i++) {
      const a = attendee(m, i);
      if (a.barcode?.toLowerCase() === q) exact.push(a);
      else if (a.fullName.toLowerCase().split(' ').some((w) => w.startsWith(q)) || a.fullName.toLowerCase().startsWith(q)) byName.push(a);
      else if (a.email?.toLowerCase().startsWith(q) || a.company?.toLowerCase().includes(q)) other.push(a);
      if (exact.length + byName.length > limit + 1) break;
    }
    const all = [...exact, ...byName, ...other];
    return { rows: all.slice(0, limit), more: all.length > limit };
  };

  const stats = (m: MockEvent): CheckInStats => {
    const byTicket = new Map<string | null, TicketStats>();
    let attending = 0;
    let checkedIn = 0;
    let cancelledAfterCheckIn = 0;
    for (let i = 0; i < m.mirrored; i++) {
      const a = attendee(m, i);
      if (a.status === 'NOT_ATTENDING' && a.checkedIn) cancelledAfterCheckIn++;
      if (a.status !== 'ATTENDING') continue;
      const t = byTicket.get(a.ticketName) ?? { ticketName: a.ticketName, attending: 0, checkedIn: 0 };
      t.attending++;
      attending++;
      if (a.checkedIn) {
        t.checkedIn++;
        checkedIn++;
      }
      byTicket.set(a.ticketName, t);
    }
    const slotMs = ARRIVAL_SLOT_MINUTES * 60_000;
    const slots = new Map<number, number>();
    let last: string | null = null;
    for (const [id, c] of checkins) {
      if (Math.floor(id / 1_000_000) !== m.event.id) continue;
      const slot = Math.floor(Date.parse(c.at) / slotMs) * slotMs;
      slots.set(slot, (slots.get(slot) ?? 0) + 1);
      if (!last || c.at > last) last = c.at;
    }
    const arrivals: { slotStart: string; count: number }[] = [];
    if (slots.size > 0) {
      const keys = [...slots.keys()];
      for (let t = Math.min(...keys); t <= Math.max(...keys); t += slotMs) arrivals.push({ slotStart: new Date(t).toISOString(), count: slots.get(t) ?? 0 });
    }
    return { eventId: m.event.id, attending, checkedIn, cancelledAfterCheckIn, byTicket: [...byTicket.values()], arrivals, lastCheckInAt: last };
  };

  const csvField = (v: string | null) => (v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

  const handlers: { [C in ChannelName]: (input: ChannelInput<C>) => ChannelResult<C> | Promise<ChannelResult<C>> } = {
    'app.snapshot': () => snapshot(),
    'session.setPin': () => {
      session = { ...session, pinSet: true };
      return session;
    },
    'session.unlock': ({ pin }) => {
      if (pin !== '1234') throw new MockError('FORBIDDEN', 'Wrong PIN');
      session = { role: 'admin', pinSet: true, adminUntil: new Date(Date.now() + settings.adminLockMinutes * 60_000).toISOString() };
      push({ event: 'sessionChanged', payload: session });
      return session;
    },
    'session.lock': () => {
      session = { ...session, role: 'operator', adminUntil: null };
      return session;
    },
    'settings.update': (patch) => {
      settings = { ...settings, ...patch };
      return settings;
    },
    'integrations.list': () => integrations.map((i) => ({ ...i })),
    'integrations.connect': async ({ provider, credential }) => {
      await new Promise((r) => setTimeout(r, 400));
      if (credential.includes('bad')) throw new MockError('CREDENTIAL_REJECTED', 'The OAuth token you provided was invalid. (401 INVALID_AUTH)');
      const integration = addIntegration(provider, `${credential.slice(0, 8)}@${provider}.example`);
      push({ event: 'integrationChanged', payload: { integrationId: integration.id, status: 'CONNECTED', reason: null } });
      return { ...integration };
    },
    'integrations.startOAuth': () => {
      setTimeout(() => {
        const integration = addIntegration('eventbrite', 'oauth-user@example.com');
        push({ event: 'integrationChanged', payload: { integrationId: integration.id, status: 'CONNECTED', reason: null } });
      }, 3000);
      return { authorizeUrl: 'https://www.eventbrite.com/oauth/authorize?response_type=code&client_id=demo' };
    },
    'integrations.remove': ({ integrationId }) => {
      if ([...events.values()].some((m) => m.event.integrationId === integrationId)) {
        throw new MockError('CONFLICT', 'events still sync through this integration; reconnect them to another account first');
      }
      const index = integrations.findIndex((i) => i.id === integrationId);
      if (index >= 0) integrations.splice(index, 1);
      return null as never;
    },
    'events.list': () => [...events.values()].map(view),
    'events.get': ({ eventId }) => view(requireEvent(eventId)),
    'events.history': () => [],
    'events.recoveryOptions': ({ eventId }) => {
      const m = requireEvent(eventId);
      return integrations.filter((i) => i.provider === m.event.provider && i.status === 'CONNECTED');
    },
    'events.providerList': ({ integrationId }) => {
      const integration = integrations.find((i) => i.id === integrationId);
      if (!integration) throw new MockError('NOT_FOUND', 'no such integration');
      return ['Spring Conference', 'Tech Summit 2025', 'Rust Meetup #12', 'Hackathon'].map((name, i) => ({
        providerEventId: `${integration.provider}-${i}`,
        name,
        startsAt: new Date(Date.now() + i * 7 * 86_400_000).toISOString(),
        alreadyAdded: [...events.values()].some((m) => m.event.name === name),
      }));
    },
    'events.import': ({ integrationId, providerEventId }) => {
      const integration = integrations.find((i) => i.id === integrationId);
      if (!integration) throw new MockError('NOT_FOUND', 'no such integration');
      const m = addEvent(integration, `Imported ${providerEventId}`, 3000, 'PENDING', 0);
      push({ event: 'eventAdded', payload: { eventId: m.event.id } });
      runJob(m, 'import');
      return view(m);
    },
    'events.retry': ({ eventId }) => {
      const m = requireEvent(eventId);
      setStatus(m, 'PENDING', 'retry requested');
      return runJob(m, 'reimport');
    },
    'events.retryImport': ({ eventId }) => runJob(requireEvent(eventId), 'import'),
    'events.reconnect': ({ eventId, integrationId }) => {
      const m = requireEvent(eventId);
      m.event.integrationId = integrationId;
      setStatus(m, 'PENDING', 'reconnected');
      return runJob(m, 'reimport');
    },
    'events.sync': ({ eventId }) => {
      const m = requireEvent(eventId);
      if (m.event.status !== 'ACTIVE') throw new MockError('INVALID_STATE', 'Sync runs on a healthy event');
      return runJob(m, 'resync');
    },
    'attendees.list': async ({ eventId, offset, limit }) => {
      const m = requireEvent(eventId);
      await new Promise((r) => setTimeout(r, 120));
      const rows: Attendee[] = [];
      for (let i = offset; i < Math.min(m.mirrored, offset + limit); i++) rows.push(attendee(m, i));
      return { rows, total: m.mirrored };
    },
    'attendees.setVip': ({ attendeeId, vip: on }) => {
      if (on) vip.add(attendeeId);
      else vip.delete(attendeeId);
      const m = requireEvent(Math.floor(attendeeId / 1_000_000));
      return attendee(m, attendeeId % 1_000_000);
    },
    'desk.search': ({ eventId, query, limit }) => search(requireEvent(eventId), query, limit ?? 20),
    'desk.checkIn': ({ eventId, code, attendeeId }) => {
      const m = requireEvent(eventId);
      let a: Attendee | null = null;
      const byCode = code ? /^b-(\d+)$/i.exec(code.trim()) : null;
      if (byCode && Number(byCode[1]) < m.mirrored) a = attendee(m, Number(byCode[1]));
      else if (attendeeId !== undefined) {
        a = attendeeById(attendeeId);
        if (a.eventId !== eventId) throw new MockError('INVALID_INPUT', 'this attendee belongs to another event');
      }
      if (!a) return { kind: 'not_found', code: code ?? '' };
      if (a.checkedIn) return { kind: 'already_checked_in', attendee: a };
      if (a.status === 'NOT_ATTENDING') return { kind: 'not_attending', attendee: a };
      if (a.status === 'NOT_YET_ATTENDING') return { kind: 'not_yet_attending', attendee: { ...a, providerStatus: 'pending_approval' } };
      const entry = recordCheckIn(a, 'check_in', now());
      push({ event: 'checkinsChanged', payload: { eventId, attendeeIds: [a.id] } });
      // A badge prints once: after an undo and a second check-in, no second copy.
      let printJob: PrintJob | null = null;
      if (settings.autoPrint && settings.printerId !== null && printers.some((p) => p.id === settings.printerId) && !hasBadge(a.id)) {
        printJob = queueJob(settings.printerId, 'check_in', attendeeById(a.id));
      }
      return { kind: 'checked_in', attendee: attendeeById(a.id), actionId: entry.actionId, via: byCode ? 'scan' : 'search', printJob };
    },
    'desk.undo': ({ eventId, attendeeId }) => {
      const a = attendeeById(attendeeId);
      if (a.eventId !== eventId) throw new MockError('INVALID_INPUT', 'this attendee belongs to another event');
      if (!a.checkedIn) return { kind: 'not_checked_in', attendee: a };
      const entry = recordCheckIn(a, 'undo', now());
      push({ event: 'checkinsChanged', payload: { eventId, attendeeIds: [a.id] } });
      return { kind: 'undone', attendee: attendeeById(a.id), actionId: entry.actionId };
    },
    'desk.log': ({ eventId, limit, beforeId }) =>
      checkinLog
        .filter((e) => Math.floor(e.attendeeId / 1_000_000) === eventId && (beforeId === undefined || e.id < beforeId))
        .sort((x, y) => y.id - x.id)
        .slice(0, limit),
    'desk.stats': ({ eventId }) => stats(requireEvent(eventId)),
    'desk.exportCsv': ({ eventId }) => {
      const m = requireEvent(eventId);
      const rows = checkinLog.filter((e) => Math.floor(e.attendeeId / 1_000_000) === eventId);
      const lines = ['at,action,station,attendee,email,ticket', ...rows.map((e) => [e.at, e.action, e.station, e.attendeeName, e.email, e.ticketName].map(csvField).join(','))];
      return { filename: `check-ins-${m.event.name.replace(/[^A-Za-z0-9]+/g, '-')}.csv`, csv: `${lines.join('\r\n')}\r\n` };
    },
    'printers.list': () => printers.map((p) => ({ ...p })),
    'printers.add': ({ name, config }) => {
      const printer: Printer = { id: nextId++, name, config, createdAt: now(), available: config.kind !== 'os' };
      printers.push(printer);
      return { ...printer };
    },
    'printers.remove': ({ printerId }) => {
      const index = printers.findIndex((p) => p.id === printerId);
      if (index < 0) throw new MockError('NOT_FOUND', 'no such printer');
      printers.splice(index, 1);
      if (settings.printerId === printerId) settings = { ...settings, printerId: null };
      for (const j of printJobs) if (j.printerId === printerId && (j.state === 'queued' || j.state === 'failed')) touch(j, { state: 'cancelled' });
      return null as never;
    },
    'printers.test': ({ printerId }) => queueJob(printerId, 'test', null),
    'printers.system': () => [
      { name: 'Office LaserJet', isDefault: true },
      { name: 'Zebra ZD421 (USB)', isDefault: false },
    ],
    'templates.list': () => structuredClone(templates),
    'templates.save': (input) => {
      const ticketName = input.ticketName ?? null;
      const clash = templates.find((t) => t.ticketName === ticketName && t.id !== input.id);
      if (clash && ticketName !== null) throw new MockError('CONFLICT', `The template "${clash.name}" is already the one for ticket "${ticketName}".`);
      const existing = input.id !== undefined ? templates.find((t) => t.id === input.id) : undefined;
      if (input.id !== undefined && !existing) throw new MockError('NOT_FOUND', 'no such template');
      if (existing && existing.ticketName === null && ticketName !== null && !templates.some((t) => t.id !== existing.id && t.ticketName === null)) {
        throw new MockError('CONFLICT', 'This is the only default template; make another default first.');
      }
      const saved: BadgeTemplate = {
        id: existing?.id ?? nextTemplate++,
        name: input.name,
        pageSize: input.pageSize as BadgeTemplate['pageSize'],
        ticketName,
        fields: input.fields,
        updatedAt: now(),
      };
      if (existing) Object.assign(existing, saved);
      else templates.push(saved);
      return structuredClone(saved);
    },
    'templates.remove': ({ templateId }) => {
      const index = templates.findIndex((t) => t.id === templateId);
      if (index < 0) throw new MockError('NOT_FOUND', 'no such template');
      const t = templates[index]!;
      if (t.ticketName === null && !templates.some((o) => o.id !== t.id && o.ticketName === null)) {
        throw new MockError('CONFLICT', 'The last default template cannot be deleted: every ticket needs a badge.');
      }
      templates.splice(index, 1);
      return null as never;
    },
    'badges.preview': async ({ eventId, attendeeId, templateId }) => {
      const m = requireEvent(eventId);
      await Promise.all([document.fonts.load('16px "Badge Sans"'), document.fonts.load('bold 16px "Badge Sans"')]).catch(() => undefined);
      const a = attendeeId !== undefined ? attendeeById(attendeeId) : m.mirrored > 0 ? attendee(m, 0) : null;
      const person: BadgePerson = a
        ? personOf(a)
        : { firstName: 'Alex', lastName: 'Example', fullName: 'Alex Example', company: 'Example Ltd', ticketName: 'General Admission', barcode: 'SAMPLE', vip: false };
      const template = templateId !== undefined ? templates.find((t) => t.id === templateId) : selectTemplate(templates, person.ticketName);
      if (!template) throw new MockError('NOT_FOUND', 'no such template');
      const layout: BadgeLayout = layoutBadge(template, person, measure);
      for (const item of layout.items) if (item.kind === 'qr') item.matrix = qrMatrix(item.payload);
      return layout;
    },
    'print.badge': ({ attendeeId }) => {
      const a = attendeeById(attendeeId);
      const printerId = stationPrinter();
      if (hasBadge(a.id)) throw new MockError('CONFLICT', `${a.fullName} has a badge already. A second copy is a reprint, with a reason.`);
      return queueJob(printerId, 'manual', a);
    },
    'print.reprint': ({ attendeeId, note }) => queueJob(stationPrinter(), 'reprint', attendeeById(attendeeId), note),
    'print.batch': ({ eventId, vipOnly, ticketName }) => {
      const m = requireEvent(eventId);
      const printerId = stationPrinter();
      let queued = 0;
      let alreadyPrinted = 0;
      for (let i = 0; i < Math.min(m.mirrored, 400); i++) {
        const a = attendee(m, i);
        if (a.status !== 'ATTENDING' || (vipOnly && !a.vip) || (ticketName !== null && a.ticketName !== ticketName)) continue;
        if (hasBadge(a.id)) alreadyPrinted++;
        else {
          queueJob(printerId, 'batch', a);
          queued++;
        }
        if (queued >= 25) break;
      }
      return { queued, alreadyPrinted };
    },
    'print.jobs': ({ eventId, states, limit }) =>
      printJobs
        .filter((j) => (eventId === undefined || j.eventId === eventId) && (!states || states.includes(j.state)))
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map((j) => ({ ...j })),
    'print.summary': (): PrintQueueSummary => ({
      queued: printJobs.filter((j) => j.state === 'queued').length,
      printing: printJobs.filter((j) => j.state === 'printing').length,
      failed: printJobs.filter((j) => j.state === 'failed').length,
      mayHavePrinted: printJobs.filter((j) => j.state === 'may_have_printed').length,
    }),
    'print.retry': ({ jobId }) => {
      const job = requireJob(jobId);
      if (job.state !== 'failed' && job.state !== 'may_have_printed' && !(job.state === 'queued' && job.error)) throw new MockError('INVALID_STATE', 'Only a failed job can be retried.');
      touch(job, { state: 'queued', nextAttemptAt: null, attempts: job.state === 'failed' ? 0 : job.attempts });
      setTimeout(() => runPrinter(job.printerId), 0);
      return { ...job };
    },
    'print.cancel': ({ jobId }) => {
      const job = requireJob(jobId);
      if (job.state !== 'queued' && job.state !== 'failed') throw new MockError('INVALID_STATE', 'Only a waiting or failed job can be cancelled.');
      touch(job, { state: 'cancelled' });
      return { ...job };
    },
    'print.markPrinted': ({ jobId }) => {
      const job = requireJob(jobId);
      if (job.state !== 'may_have_printed') throw new MockError('INVALID_STATE', 'Only a job that may have printed can be marked printed.');
      touch(job, { state: 'printed', printedAt: now(), error: null });
      return { ...job };
    },
    'storage.status': () => storageStatus(),
    'storage.recheck': () => storageStatus(),
    'recovery.notices': () => [],
    'recovery.salvaged': () => [],
    'recovery.importSalvaged': () => {
      throw new MockError('NOT_FOUND', 'no damaged database in the mock');
    },
    'recovery.dismiss': () => null,
    'demo.start': () => {
      const eb = addIntegration('eventbrite', 'demo@eventbrite.example');
      const eb2 = addIntegration('eventbrite', 'backup@eventbrite.example');
      const luma = addIntegration('luma', 'demo@luma.example');
      const summit = addEvent(eb, 'Tech Summit 2025', 50_000, 'ACTIVE', 50_000);
      // Some arrivals over the last two hours, and one person cancelled after checking in (index 5).
      const start = Date.now() - 2 * 3_600_000;
      for (let k = 0; k < 180; k++) {
        const i = 40 + k * 7;
        if (statusOf(i) !== 'ATTENDING') continue;
        const at = new Date(start + Math.round(Math.sqrt(k / 180) * 2 * 3_600_000)).toISOString();
        recordCheckIn(attendee(summit, i), 'check_in', at, k % 3 === 0 ? 'Desk 2' : 'Desk 1');
      }
      recordCheckIn(attendee(summit, 5), 'check_in', new Date(start + 600_000).toISOString(), 'Desk 2');
      addEvent(eb, 'Design Meetup <script>alert(1)</script>', 1200, 'DISCONNECTED', 1200, 'The OAuth token you provided was invalid. (401 INVALID_AUTH)');
      addEvent(luma, 'Founders Breakfast', 300, 'FAILED', 300, 'Luma answered 503 Service Unavailable after 4 attempts');
      const offline = addEvent(luma, 'Harbour Meetup (offline)', 600, 'FAILED', 600, 'getaddrinfo ENOTFOUND api.lu.ma');
      offline.event.statusReason = OFFLINE_REASON;
      offline.event.lastSyncedAt = new Date(Date.now() - 40 * 60_000).toISOString();
      addEvent(eb2, 'Community Night', 800, 'PENDING', 120, 'Connection reset while importing page 3');
      eb2.status = 'CONNECTED';
      // Printers: a working PDF folder (this station's), a jammed label printer, and a stale job.
      const pdf: Printer = { id: nextId++, name: 'Badges folder', config: { kind: 'pdf_folder', folder: '/home/desk/Badges' }, createdAt: now(), available: true };
      const zebra: Printer = { id: nextId++, name: 'Zebra (jammed)', config: { kind: 'zpl_tcp', host: '10.0.0.42', port: 9100, dpi: 300 }, createdAt: now(), available: true };
      const office: Printer = { id: nextId++, name: 'Office LaserJet', config: { kind: 'os', deviceName: 'Office LaserJet' }, createdAt: now(), available: false };
      printers.push(pdf, zebra, office);
      settings = { ...settings, printerId: pdf.id, autoPrint: true };
      templates.push({
        id: nextTemplate++,
        name: 'Speaker badge',
        pageSize: '4x6in',
        ticketName: 'Speaker',
        fields: { firstName: true, lastName: true, company: true, ticketName: true, qr: false, vipMark: true },
        updatedAt: now(),
      });
      const stale = queueJob(pdf.id, 'check_in', attendee(summit, 40));
      touch(stale, { state: 'may_have_printed', attempts: 1, error: null });
      for (let i = 41; i <= 43; i++) {
        const done = queueJob(pdf.id, 'manual', attendee(summit, i));
        touch(done, { state: 'printed', attempts: 1, printedAt: now() });
      }
      queueJob(zebra.id, 'manual', attendee(summit, 47));
      demoRunning = true;
      return snapshot();
    },
  };

  return {
    kind: 'mock',
    async invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelResult<C>>> {
      await new Promise((r) => setTimeout(r, 60));
      try {
        if (IPC_CHANNELS[channel].admin && session.role !== 'admin') throw new MockError('FORBIDDEN', 'this needs the admin role');
        const handler = handlers[channel] as (input: ChannelInput<C>) => ChannelResult<C> | Promise<ChannelResult<C>>;
        const value = await handler(input);
        return { ok: true, value: structuredClone(value) };
      } catch (err) {
        const code = err instanceof MockError ? err.code : 'INTERNAL';
        return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
