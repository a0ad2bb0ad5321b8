// The station's role. It runs as an operator; an admin unlocks with a PIN (stored as a salted
// scrypt hash, never in clear), and the lock returns after a stretch of inactivity.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { KeyValueStore } from './types.ts';
import type { SessionInfo } from '../../shared/ipc-contract.ts';
import type { Actor } from '../../shared/types.ts';
import { AppError } from '../../shared/errors.ts';
import { isWellFormedPin } from '../../shared/pin.ts';

const PIN_KEY = 'adminPinHash';
const MAX_FAILED_UNLOCKS = 5;
const FAILED_UNLOCK_COOLDOWN_MS = 30_000;

function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(pin, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function verifyPin(pin: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export class StationSession {
  private adminUntil: number | null = null;
  private failedUnlocks = 0;
  private lockedOutUntil = 0;

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly lockAfterMs: () => number,
    private readonly stationName: () => string,
  ) {}

  /** A fresh data folder may get its PIN from the environment, so a script can unlock. */
  presetPin(pin: string | undefined): void {
    if (pin && !this.pinSet() && isWellFormedPin(pin)) this.store.set(PIN_KEY, hashPin(pin));
  }

  pinSet(): boolean {
    return typeof this.store.get(PIN_KEY) === 'string';
  }

  private isAdmin(): boolean {
    return this.adminUntil !== null && this.clock.now() < this.adminUntil;
  }

  info(): SessionInfo {
    const admin = this.isAdmin();
    return {
      role: admin ? 'admin' : 'operator',
      pinSet: this.pinSet(),
      adminUntil: admin ? isoTime(this.adminUntil!) : null,
    };
  }

  actor(): Actor {
    return { role: this.isAdmin() ? 'admin' : 'operator', name: this.stationName() };
  }

  /** Any admin action counts as activity and pushes the lock back. */
  touch(): void {
    if (this.isAdmin()) this.adminUntil = this.clock.now() + this.lockAfterMs();
  }

  /** When the admin lock returns, or null while locked. */
  lockDueAt(): number | null {
    return this.isAdmin() ? this.adminUntil : null;
  }

  /** First run: anyone at the station sets the PIN. Later: only an admin, who must know the current one. */
  setPin(pin: string, currentPin: string | undefined): SessionInfo {
    if (this.pinSet()) {
      if (!this.isAdmin()) throw new AppError('FORBIDDEN', 'only an admin may change the PIN');
      if (!currentPin || !verifyPin(currentPin, this.store.get(PIN_KEY) as string)) {
        throw new AppError('FORBIDDEN', 'the current PIN is wrong');
      }
    }
    this.store.set(PIN_KEY, hashPin(pin));
    this.adminUntil = this.clock.now() + this.lockAfterMs();
    return this.info();
  }

  unlock(pin: string): SessionInfo {
    if (!this.pinSet()) throw new AppError('INVALID_STATE', 'no admin PIN is set yet');
    const now = this.clock.now();
    if (now < this.lockedOutUntil) {
      throw new AppError(
        'FORBIDDEN',
        `too many wrong PINs; try again in ${Math.ceil((this.lockedOutUntil - now) / 1000)} s`,
      );
    }
    if (!verifyPin(pin, this.store.get(PIN_KEY) as string)) {
      this.failedUnlocks++;
      if (this.failedUnlocks >= MAX_FAILED_UNLOCKS) {
        this.failedUnlocks = 0;
        this.lockedOutUntil = now + FAILED_UNLOCK_COOLDOWN_MS;
      }
      throw new AppError('FORBIDDEN', 'wrong PIN');
    }
    this.failedUnlocks = 0;
    this.adminUntil = now + this.lockAfterMs();
    return this.info();
  }

  lock(): SessionInfo {
    this.adminUntil = null;
    return this.info();
  }
}
