// The integrations, as the core offers them: the provider accounts this station holds a
// credential for (connect, list, remove), and what happens when a provider rejects one.
import type { MirrorStore } from '../db/store.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { SecretStore } from '../ground/secrets.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Integration, ProviderKind } from '../../shared/types.ts';
import { requireAdmin } from './guards.ts';
import { toProviderAppError, type ProviderClients } from './provider-clients.ts';
import { IntegrationAccounts } from './integration-accounts.ts';

export interface IntegrationHandlersDeps {
  store: MirrorStore;
  events: CoreEvents;
  secretStore: SecretStore;
  providers: ProviderClients;
  now(): string;
  /** The events of a rejected credential stop syncing (the sync engine marks them DISCONNECTED). */
  disconnectEvents(integrationId: number, reason: string): void;
}

/** A provider rejected the integration's credential: it and its events wait for a new one. */
export function markIntegrationDisconnected(
  deps: IntegrationHandlersDeps,
  integrationId: number,
  reason: string,
): void {
  const integration = deps.store.getIntegration(integrationId);
  if (!integration || integration.status === 'DISCONNECTED') return;
  deps.store.setIntegrationStatus(integrationId, 'DISCONNECTED', reason, deps.now());
  deps.events.emit('integrationChanged', { integrationId, status: 'DISCONNECTED', reason });
  deps.disconnectEvents(integrationId, reason);
}

export function createIntegrationHandlers(deps: IntegrationHandlersDeps) {
  const { store, events, secretStore, providers, now } = deps;
  const integrationAccounts = new IntegrationAccounts(secretStore);
  return {
    listIntegrations(): Integration[] {
      return store.listIntegrations();
    },

    /** Verifies the credential with the provider's who-am-I, then stores it (secret store) and the account. */
    async connectIntegration(actor: Actor, provider: ProviderKind, credential: string): Promise<Integration> {
      requireAdmin(actor);
      const trimmed = credential.trim();
      if (!trimmed) throw new AppError('INVALID_INPUT', 'the token or key is empty');
      const probe = providers.forCredential(provider, trimmed).client;
      let account;
      try {
        account = await probe.whoAmI();
      } catch (err) {
        throw toProviderAppError(err);
      }
      const secretRef = `integration:${provider}:${account.accountId}`;
      secretStore.set(secretRef, trimmed);
      const integration = store.upsertIntegration({
        provider,
        accountId: account.accountId,
        accountEmail: account.email,
        accountName: account.name,
        secretRef,
        now: now(),
      });
      integrationAccounts.remember({ ...integration, secretRef });
      providers.forget(integration.id);
      events.emit('integrationChanged', { integrationId: integration.id, status: 'CONNECTED', reason: null });
      return integration;
    },

    removeIntegration(actor: Actor, integrationId: number): void {
      requireAdmin(actor);
      const integration = store.getIntegration(integrationId);
      if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
      if (store.countEventsOfIntegration(integrationId) > 0) {
        throw new AppError(
          'CONFLICT',
          'events still sync through this integration; reconnect them to another account first',
        );
      }
      store.deleteIntegration(integrationId);
      secretStore.delete(integration.secretRef);
      integrationAccounts.forget(integration.secretRef);
      providers.forget(integrationId);
    },

    /** Points the clients at other provider URLs (the demo workspace's simulator). */
    setProviderBaseUrls(urls: Record<ProviderKind, string>): void {
      providers.setBaseUrls(urls);
    },
  };
}

export type IntegrationHandlers = ReturnType<typeof createIntegrationHandlers>;
