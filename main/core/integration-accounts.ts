// The accounts of this station's integrations, kept beside their credentials in the secret store
// as well as in the database. Rule: credentials and settings survive a damaged database, and so
// must the accounts they belong to. Salvage reads the integrations table back from a damaged file
// when it can, but a file overwritten with other bytes (or cut before that table) reads nothing,
// and a credential without its account (provider, account id, email, name) cannot be offered back.
import { z } from 'zod';
import { PROVIDERS, type ProviderKind } from '../../shared/types.ts';
import type { SecretStore } from '../ground/secrets.ts';

export interface IntegrationAccount {
  provider: ProviderKind;
  accountId: string;
  accountEmail: string;
  accountName: string;
  secretRef: string;
}

/** The secret store's entry that lists the accounts (a reference like the credentials' own). */
export const INTEGRATION_ACCOUNTS_REF = 'integration-accounts';

const accountSchema = z.object({
  provider: z.enum(PROVIDERS),
  accountId: z.string().min(1).max(1_000),
  accountEmail: z.string().max(1_000),
  accountName: z.string().max(1_000),
  secretRef: z.string().min(1).max(1_000),
});

export class IntegrationAccounts {
  constructor(private readonly secrets: SecretStore) {}

  /** The accounts remembered; an entry that does not read (edited by hand, damaged) is skipped alone. */
  list(): IntegrationAccount[] {
    const stored = this.secrets.get(INTEGRATION_ACCOUNTS_REF);
    if (stored === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry) => {
      const account = accountSchema.safeParse(entry);
      return account.success ? [account.data] : [];
    });
  }

  remember(account: IntegrationAccount): void {
    const others = this.list().filter((a) => a.secretRef !== account.secretRef);
    this.write([...others, pick(account)]);
  }

  forget(secretRef: string): void {
    const accounts = this.list();
    const kept = accounts.filter((a) => a.secretRef !== secretRef);
    if (kept.length !== accounts.length) this.write(kept);
  }

  /** Makes the list equal to the database's integrations; writes only when they differ. */
  replaceAll(accounts: readonly IntegrationAccount[]): void {
    const next = accounts.map(pick);
    if (JSON.stringify(next) !== JSON.stringify(this.list())) this.write(next);
  }

  private write(accounts: readonly IntegrationAccount[]): void {
    this.secrets.set(INTEGRATION_ACCOUNTS_REF, JSON.stringify(accounts));
  }
}

/** Only the account's fields, in one order, so two lists of the same accounts compare equal. */
function pick(a: IntegrationAccount): IntegrationAccount {
  return {
    provider: a.provider,
    accountId: a.accountId,
    accountEmail: a.accountEmail,
    accountName: a.accountName,
    secretRef: a.secretRef,
  };
}
