// The integrations table: one row per provider account this station holds a credential for
// (the credential itself lives in the secret store, named by secret_ref).
import type { Db } from './open.ts';
import type { Integration, IntegrationStatus, ProviderKind } from '../../shared/types.ts';
import { toIntegration, type IntegrationRow } from './mirror-rows.ts';

export interface NewIntegration {
  provider: ProviderKind;
  accountId: string;
  accountEmail: string;
  accountName: string;
  secretRef: string;
  now: string;
}

export class IntegrationStore {
  constructor(private readonly db: Db) {}

  /** Adds the account, or connects it again (same provider and account id) with its new credential. */
  upsertIntegration(input: NewIntegration): Integration {
    const row = this.db
      .prepare<unknown[], IntegrationRow>(
        `INSERT INTO integrations (provider, account_id, account_email, account_name, status, status_reason, secret_ref, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'CONNECTED', NULL, ?, ?, ?)
         ON CONFLICT (provider, account_id) DO UPDATE SET
           account_email = excluded.account_email, account_name = excluded.account_name,
           status = 'CONNECTED', status_reason = NULL, secret_ref = excluded.secret_ref, updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get(
        input.provider,
        input.accountId,
        input.accountEmail,
        input.accountName,
        input.secretRef,
        input.now,
        input.now,
      );
    return toIntegration(row!);
  }

  getIntegration(id: number): (Integration & { secretRef: string }) | undefined {
    const row = this.db.prepare<[number], IntegrationRow>('SELECT * FROM integrations WHERE id = ?').get(id);
    return row ? { ...toIntegration(row), secretRef: row.secret_ref } : undefined;
  }

  listIntegrations(): Integration[] {
    return this.db
      .prepare<[], IntegrationRow>('SELECT * FROM integrations ORDER BY id')
      .all()
      .map(toIntegration);
  }

  setIntegrationStatus(id: number, status: IntegrationStatus, reason: string | null, now: string): void {
    this.db
      .prepare('UPDATE integrations SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?')
      .run(status, reason, now, id);
  }

  countEventsOfIntegration(id: number): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM events WHERE integration_id = ?').get(id) as { n: number }
    ).n;
  }

  deleteIntegration(id: number): void {
    this.db.prepare('DELETE FROM integrations WHERE id = ?').run(id);
  }
}
