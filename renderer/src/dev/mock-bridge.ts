// Development only: an in-memory BadgeDeskBridge for previewing the renderer without a host
// (`npx vite`, then open /?mock). Loaded by main.tsx under import.meta.env.DEV, so production
// builds never contain it. Admin PIN: 1234. A credential containing "bad" is rejected.
import type { AppSnapshot, ChannelInput, ChannelName, ChannelResult, IpcResult, PushMessage, SessionInfo, StationSettings } from '../../../shared/ipc-contract.ts';
import { DEFAULT_SETTINGS, IPC_CHANNELS } from '../../../shared/ipc-contract.ts';
import type { AppErrorData } from '../../../shared/errors.ts';
import type { Attendee, AttendeeStatus, Integration, ProviderKind, SyncedEvent, SyncJob, SyncJobKind } from '../../../shared/types.ts';
import type { SyncStatus } from '../../../shared/sync-status.ts';
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
  let demoRunning = false;
  let nextId = 1;
  let nextJob = 1;

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
    return { attending: m.mirrored - notAttending - notYet, notAttending, notYetAttending: notYet, total: m.mirrored };
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
        counts: { attending: 0, notAttending: 0, notYetAttending: 0, total: 0 },
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

  const snapshot = (): AppSnapshot => ({
    session,
    settings,
    integrations: integrations.map((i) => ({ ...i })),
    events: [...events.values()].map(view),
    demo: { available: integrations.length === 0, running: demoRunning },
    credentialsEncrypted: false,
    host: 'browser',
  });

  const requireEvent = (eventId: number) => {
    const m = events.get(eventId);
    if (!m) throw new MockError('NOT_FOUND', `event ${eventId} does not exist`);
    return m;
  };

  const attendee = (m: MockEvent, i: number): Attendee => {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
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
    };
  };

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
    'demo.start': () => {
      const eb = addIntegration('eventbrite', 'demo@eventbrite.example');
      const eb2 = addIntegration('eventbrite', 'backup@eventbrite.example');
      const luma = addIntegration('luma', 'demo@luma.example');
      addEvent(eb, 'Tech Summit 2025', 50_000, 'ACTIVE', 50_000);
      addEvent(eb, 'Design Meetup <script>alert(1)</script>', 1200, 'DISCONNECTED', 1200, 'The OAuth token you provided was invalid. (401 INVALID_AUTH)');
      addEvent(luma, 'Founders Breakfast', 300, 'FAILED', 300, 'Luma answered 503 Service Unavailable after 4 attempts');
      addEvent(eb2, 'Community Night', 800, 'PENDING', 120, 'Connection reset while importing page 3');
      eb2.status = 'CONNECTED';
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
