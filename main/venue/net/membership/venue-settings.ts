// What a desk keeps of its venue between runs: the venue (id, name, epoch), the peers it knows
// and its last port in venue.json; the secret, with its venue and epoch, in the secret store.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../../../ground/secrets.ts';
import type { VenueKeyMaterial } from '../transport/psk.ts';
import { VENUE_SECRET_BYTES } from './pairing-code.ts';

const SECRET_REF = 'venue:secret';
const CONFIG_FILE = 'venue.json';

const configSchema = z.object({
  venue: z
    .object({
      id: z.string().regex(/^[0-9a-f]{12}$/),
      name: z.string().min(1).max(80),
      epoch: z.number().int().min(1).max(65_535),
    })
    .nullable(),
  peers: z
    .array(z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65_535) }))
    .max(200),
  /**
   * The venue's relays this desk knows (from its pairing code and the directory), the one it
   * joined through first: it uses one at a time and moves to the next when that one dies.
   */
  relays: z
    .array(z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65_535) }))
    .max(16)
    .optional(),
  /** The port of the last run: taken again, so the other desks find this one after a restart. */
  port: z.number().int().min(1).max(65_535).optional(),
});
export type VenueConfig = z.infer<typeof configSchema>;

function readStoredKey(stored: string | null): VenueKeyMaterial | null {
  if (!stored) return null;
  try {
    const v = JSON.parse(stored) as { venueId?: unknown; epoch?: unknown; secret?: unknown };
    if (typeof v.venueId !== 'string' || typeof v.epoch !== 'number' || typeof v.secret !== 'string')
      return null;
    const secret = Buffer.from(v.secret, 'base64');
    return secret.length === VENUE_SECRET_BYTES ? { venueId: v.venueId, epoch: v.epoch, secret } : null;
  } catch {
    return null;
  }
}

/** The venue's configuration and key as this desk holds them now; saved when asked. */
export class VenueSettings {
  config: VenueConfig;
  /** The key in use (null: in no venue). */
  material: VenueKeyMaterial | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly secretStore: SecretStore,
  ) {
    this.config = this.loadConfig();
  }

  /** The stored key, or null when there is none or it is of another venue than the configured one. */
  storedKey(): VenueKeyMaterial | null {
    if (!this.config.venue) return null;
    const stored = readStoredKey(this.secretStore.get(SECRET_REF));
    return stored && stored.venueId === this.config.venue.id ? stored : null;
  }

  saveConfig(): void {
    const path = join(this.dataDir, CONFIG_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.config, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  /** Saves the key in use and the configuration. */
  saveKey(): void {
    // The secret with its venue and epoch, in one value: a crash between two writes cannot pair
    // a secret with the wrong epoch.
    if (this.material) {
      this.secretStore.set(
        SECRET_REF,
        JSON.stringify({
          venueId: this.material.venueId,
          epoch: this.material.epoch,
          secret: this.material.secret.toString('base64'),
        }),
      );
    }
    this.saveConfig();
  }

  deleteKey(): void {
    this.secretStore.delete(SECRET_REF);
  }

  private loadConfig(): VenueConfig {
    try {
      const parsed = configSchema.safeParse(
        JSON.parse(readFileSync(join(this.dataDir, CONFIG_FILE), 'utf8')),
      );
      if (parsed.success) return parsed.data;
    } catch {
      // First run (no file yet), or a damaged file: in no venue.
    }
    return { venue: null, peers: [] };
  }
}
