// The checks a handler makes before it acts: the admin role, an event or an integration that
// exists, and an account that works.
import { AppError } from '../../shared/errors.ts';
import type { Actor, Integration } from '../../shared/types.ts';
import type { MirrorStore } from '../db/store.ts';

export function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only a workspace admin may do this');
}

export function requireConnected(store: MirrorStore, integrationId: number): Integration {
  const integration = store.getIntegration(integrationId);
  if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
  if (integration.status !== 'CONNECTED')
    throw new AppError('INVALID_STATE', 'this integration is disconnected; connect it again first');
  return integration;
}

/** The event's integration on this station; an event the venue mirrors here has none. */
export function requireOwnAccount(event: { integrationId: number | null }): number {
  if (event.integrationId === null) {
    throw new AppError(
      'INVALID_STATE',
      'this desk holds no account for this event: the venue syncs it; connect an account here with Reconnect',
    );
  }
  return event.integrationId;
}

/**
 * That the event exists, and its name. The desk asks only this: reading the whole event also
 * counts its attendees, which the desk's hot path (a check-in per person in the queue) must not pay for.
 */
export function requireEventName(store: MirrorStore, eventId: number): { id: number; name: string } {
  const name = store.eventName(eventId);
  if (name === undefined) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
  return { id: eventId, name };
}
