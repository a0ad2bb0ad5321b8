// The station's own channels (shared/station-ipc.ts): the sound of the answer at a glance, and the
// kiosk. Both are this station's choices, kept in its settings store beside the station settings,
// re-validated on read. While the station is a kiosk it checks in for its one event and list (the
// station's desk list for that event when the kiosk started) under "<station> (kiosk)", and the desk's look-ups that list people are refused (kioskRefuses).
import { z } from 'zod';
import type { KeyValueStore } from './types.ts';
import type { StationSession } from './session.ts';
import type { BadgeDeskCore } from '../core/create-core.ts';
import type { StationSettings } from '../../shared/ipc-contract.ts';
import type { ChannelName } from '../../shared/ipc-contract.ts';
import type { Actor } from '../../shared/types.ts';
import { AppError } from '../../shared/errors.ts';
import { DEFAULT_ANSWER_SOUND, type AnswerSound } from '../../shared/glance.ts';
import { kioskStationName, MAX_COLLECT_AT_CHARS, type KioskStatus } from '../../shared/kiosk.ts';
import { deskPassageOf } from './list-handlers.ts';

const SOUND_KEY = 'answerSound';
const KIOSK_KEY = 'kiosk';

const soundSchema = z.object({ on: z.boolean(), volume: z.number().min(0).max(1) }).strict();
const kioskSchema = z
  .object({
    eventId: z.number().int().positive(),
    listId: z.string().min(1).max(100),
    collectAt: z.string().min(1).max(MAX_COLLECT_AT_CHARS),
  })
  .strict();

/** Channels a kiosk refuses: each lists or finds people by a part of their name. */
const LISTING_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'desk.search',
  'desk.log',
  'attendees.list',
  'desk.checkInGroup',
]);

export interface StationHandlerDeps {
  core: BadgeDeskCore;
  settingsStore: KeyValueStore;
  session: StationSession;
  settings: () => StationSettings;
  /** Tells the windows the session changed (leaving the kiosk unlocks the admin). */
  sessionChanged: () => void;
}

export function createStationHandlers(deps: StationHandlerDeps) {
  const { core, settingsStore, session } = deps;

  const sound = (): AnswerSound => {
    const parsed = soundSchema.safeParse(settingsStore.get(SOUND_KEY));
    return parsed.success ? parsed.data : DEFAULT_ANSWER_SOUND;
  };

  const kioskState = () => {
    const parsed = kioskSchema.safeParse(settingsStore.get(KIOSK_KEY));
    return parsed.success ? parsed.data : null;
  };

  const kioskStatus = (): KioskStatus | null => {
    const k = kioskState();
    if (!k) return null;
    const event = core.store.getEvent(k.eventId);
    // The event was removed: the station is a desk again.
    if (!event) return null;
    let listName: string;
    try {
      listName = core.lists.requireList(k.eventId, k.listId).name;
    } catch {
      // Its list was removed: the kiosk stops, as a desk on a removed list would.
      return null;
    }
    return {
      eventId: k.eventId,
      eventName: event.name,
      listId: k.listId,
      listName,
      collectAt: k.collectAt,
      printsBadges: core.printing.hasStationPrinter(),
    };
  };

  /** The kiosk's actor and list, for its one event: anything else is refused. */
  const kioskActor = (actor: Actor, eventId: number): { actor: Actor; listId: string } => {
    const k = kioskStatus();
    if (!k) throw new AppError('INVALID_STATE', 'this station is not a kiosk');
    if (k.eventId !== eventId) throw new AppError('FORBIDDEN', 'this kiosk checks in for another event');
    return {
      actor: { role: actor.role, name: kioskStationName(deps.settings().stationName) },
      listId: k.listId,
    };
  };

  return {
    /** Whether a kiosk refuses this channel now (main's check, whatever the window shows). */
    kioskRefuses(channel: ChannelName): boolean {
      return LISTING_CHANNELS.has(channel) && kioskStatus() !== null;
    },
    handlers: {
      'station.answerSound': () => sound(),
      'station.setAnswerSound': (input: AnswerSound) => {
        settingsStore.set(SOUND_KEY, input);
        return sound();
      },
      'kiosk.status': () => kioskStatus(),
      'kiosk.start': ({ eventId, collectAt }: { eventId: number; collectAt: string }) => {
        if (!core.store.getEvent(eventId)) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
        // One list: the one this station's desk checks in for at this event (entries, never exits).
        const { listId } = deskPassageOf(settingsStore, eventId);
        core.lists.requireList(eventId, listId);
        settingsStore.set(KIOSK_KEY, { eventId, listId, collectAt });
        return kioskStatus()!;
      },
      'kiosk.leave': ({ pin }: { pin: string }) => {
        if (!kioskStatus()) throw new AppError('INVALID_STATE', 'this station is not a kiosk');
        // The admin PIN, with the unlock's own lockout after wrong tries; the admin is then unlocked.
        session.unlock(pin);
        settingsStore.set(KIOSK_KEY, null);
        deps.sessionChanged();
        return null;
      },
      'kiosk.find': (
        { eventId, text, orderCode }: { eventId: number; text: string; orderCode?: string },
        actor: Actor,
      ) => {
        kioskActor(actor, eventId);
        return core.kiosk.find(eventId, text, orderCode);
      },
      'kiosk.checkIn': (
        input: {
          eventId: number;
          attendeeId: number;
          actionId: string;
          correction?: { actionId: string; firstName: string | null; lastName: string | null };
        },
        actor: Actor,
      ) => {
        const kiosk = kioskActor(actor, input.eventId);
        return core.kiosk.checkIn(kiosk.actor, { ...input, listId: kiosk.listId });
      },
    },
  };
}
