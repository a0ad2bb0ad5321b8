// What a relay keeps in its data folder: the venue's documents in a small SQLite file of its own
// (relay.sqlite; one merged Yjs update per document, as a desk's venue_documents table holds
// them), and its key (relay-key.json, mode 0600: the venue id, the epoch, the secret and the
// relay's own station id), so a restart needs no pairing code.
import { readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase, type Db } from '../../db/open.ts';
import type { Migration } from '../../db/migrations/index.ts';
import type { VenueDocumentPersistence } from '../contracts.ts';
import type { VenueKeyMaterial } from '../net/transport/psk.ts';
import { VENUE_SECRET_BYTES } from '../net/membership/pairing-code.ts';

export const RELAY_DATABASE_FILE = 'relay.sqlite';
export const RELAY_KEY_FILE = 'relay-key.json';

/** The relay's own schema: not the desk's migrations (it holds no mirror, no check-in log). */
const RELAY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'relay documents',
    sql: `CREATE TABLE relay_documents (
      name TEXT PRIMARY KEY,
      state BLOB NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;`,
  },
];

export class RelayDocumentStore implements VenueDocumentPersistence {
  private readonly db: Db;
  private readonly loadStatement;
  private readonly storeStatement;
  private closed = false;

  constructor(
    dataDir: string,
    private readonly now: () => number,
  ) {
    this.db = openDatabase(join(dataDir, RELAY_DATABASE_FILE), RELAY_MIGRATIONS);
    this.loadStatement = this.db.prepare<[string], { state: Buffer }>(
      'SELECT state FROM relay_documents WHERE name = ?',
    );
    this.storeStatement = this.db.prepare<[string, Buffer, string]>(
      'INSERT INTO relay_documents (name, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    );
  }

  load(documentName: string): Uint8Array | null {
    const row = this.loadStatement.get(documentName);
    return row ? new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength) : null;
  }

  store(documentName: string, state: Uint8Array): void {
    // After stop() stored every document: a store Hocuspocus still had scheduled holds nothing new.
    if (this.closed) return;
    this.storeStatement.run(
      documentName,
      Buffer.from(state.buffer, state.byteOffset, state.byteLength),
      new Date(this.now()).toISOString(),
    );
  }

  documentNames(): string[] {
    return this.db
      .prepare<[], { name: string }>('SELECT name FROM relay_documents ORDER BY name')
      .all()
      .map((r) => r.name);
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }
}

const keyFileSchema = z
  .object({
    stationId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    venueId: z.string().regex(/^[0-9a-f]{12}$/),
    epoch: z.number().int().min(1).max(65_535),
    secret: z.string().max(64),
  })
  .strict();

export interface RelayKey {
  stationId: string;
  material: VenueKeyMaterial;
}

/** The stored key, or null when there is none; a damaged file is said, never guessed around. */
export function loadRelayKey(dataDir: string): RelayKey | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, RELAY_KEY_FILE), 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: z.infer<typeof keyFileSchema>;
  try {
    parsed = keyFileSchema.parse(JSON.parse(text));
  } catch {
    throw new Error(
      `${join(dataDir, RELAY_KEY_FILE)} is damaged: start the relay with a pairing code (--code) to write it again`,
    );
  }
  const secret = Buffer.from(parsed.secret, 'base64');
  if (secret.length !== VENUE_SECRET_BYTES)
    throw new Error(
      `${join(dataDir, RELAY_KEY_FILE)} holds no valid secret: start the relay with a pairing code (--code)`,
    );
  return { stationId: parsed.stationId, material: { venueId: parsed.venueId, epoch: parsed.epoch, secret } };
}

/** Written whole (a temporary file renamed over the old one), readable by the relay's user only. */
export function saveRelayKey(dataDir: string, key: RelayKey): void {
  const path = join(dataDir, RELAY_KEY_FILE);
  const body = {
    stationId: key.stationId,
    venueId: key.material.venueId,
    epoch: key.material.epoch,
    secret: key.material.secret.toString('base64'),
  };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  // A file left by an earlier umask keeps its mode through writeFileSync: set it.
  chmodSync(`${path}.tmp`, 0o600);
  renameSync(`${path}.tmp`, path);
}
