// Which of the venue's relays this desk uses. Several relay instances share a venue through Redis
// (main/venue/relay/redis-link.ts): a desk connects to one of them, the first it knows (the one it
// joined through, then the pairing code's, then the directory's), and moves to the next when
// that one's link has been down for `failoverMs`, round the list. A relay that comes back is not
// moved back to: the one in use stays while it answers.
import { formatAddress, type PeerAddress } from '../transport/addresses.ts';

export interface RelayChoiceDeps {
  connect(address: PeerAddress): void;
  disconnect(address: PeerAddress): void;
  /** Whether the link to this address is up now. */
  linkUp(address: PeerAddress): boolean;
  /** How long the relay in use may be unreachable before the next is tried (ms). */
  failoverMs: number;
  /** Real time (ms): a link's silence is measured on it, whatever the desk's clock says. */
  now(): number;
  /** The desk moved from one relay to another (for the log or the panel). */
  moved?(from: PeerAddress, to: PeerAddress): void;
}

export class RelayChoice {
  private candidates: PeerAddress[] = [];
  private current: PeerAddress | null = null;
  /** Since when the relay in use has been unreachable (null: it is up, or was just chosen). */
  private downSince: number | null = null;

  constructor(private readonly deps: RelayChoiceDeps) {}

  /** The relay in use now, or null. */
  get inUse(): PeerAddress | null {
    return this.current;
  }

  /** Whether this address is one of the venue's relays. */
  isRelay(address: PeerAddress): boolean {
    const key = formatAddress(address);
    return this.candidates.some((c) => formatAddress(c) === key);
  }

  /** The relays this desk may use, in the order it prefers them; the one in use stays if listed. */
  setCandidates(addresses: readonly PeerAddress[]): void {
    const seen = new Set<string>();
    this.candidates = addresses.filter((a) => {
      const key = formatAddress(a);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (this.current && !this.isRelay(this.current)) {
      this.deps.disconnect(this.current);
      this.current = null;
    }
    if (!this.current && this.candidates.length > 0) this.use(this.candidates[0]!);
  }

  /** Called every heartbeat: the relay in use, down for longer than the failover time, gives way to the next. */
  check(): void {
    const current = this.current;
    if (!current) return;
    if (this.deps.linkUp(current)) {
      this.downSince = null;
      return;
    }
    const now = this.deps.now();
    if (this.downSince === null) {
      this.downSince = now;
      return;
    }
    if (now - this.downSince < this.deps.failoverMs || this.candidates.length < 2) return;
    const at = this.candidates.findIndex((c) => formatAddress(c) === formatAddress(current));
    const next = this.candidates[(at + 1) % this.candidates.length]!;
    this.deps.disconnect(current);
    this.use(next);
    this.deps.moved?.(current, next);
  }

  /** No relay any more (the desk left its venue). */
  clear(): void {
    if (this.current) this.deps.disconnect(this.current);
    this.current = null;
    this.candidates = [];
  }

  private use(address: PeerAddress): void {
    this.current = address;
    this.downSince = null;
    this.deps.connect(address);
  }
}
