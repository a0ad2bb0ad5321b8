// A store that prepares each of its SQL statements once, on first use, and keeps it: preparing is a
// fair part of a short query's cost (a check-in reads several), and a statement needs no table to
// exist until it is first run (a store is built before migrations of an older file settle).
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';

export abstract class StatementCachingStore {
  private readonly statements = new Map<string, Statement>();

  constructor(protected readonly db: Db) {}

  protected cached<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }
}
