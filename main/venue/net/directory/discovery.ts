// mDNS discovery (bonjour-service): every desk advertises `_badgedesk._tcp` with its port, its
// desk name, its venue id and name. No secret is advertised: the venue id only tells desks
// of two venues on one network apart, and joining always needs the pairing code.
import { Bonjour, type Browser, type Service } from 'bonjour-service';

export interface Advertisement {
  stationId: string;
  deskName: string;
  port: number;
  protocol: number;
  venueId: string | null;
  venueName: string | null;
}

export interface FoundDesk {
  stationId: string;
  host: string;
  port: number;
  deskName: string;
  venueId: string | null;
  venueName: string | null;
}

/** What the venue needs from discovery; tests and hosts without multicast pass another. */
export interface Discovery {
  advertise(ad: Advertisement): void;
  /** The desks seen now (this desk excluded by the caller). */
  found(): FoundDesk[];
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

const SERVICE_TYPE = 'badgedesk';

function txtString(txt: unknown, key: string): string | null {
  const value = (txt as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value.length > 0 && value.length <= 80 ? value : null;
}

export class MdnsDiscovery implements Discovery {
  private readonly bonjour = new Bonjour(undefined, () => {
    // mDNS blocked or no multicast route: desks are then joined by a typed address.
  });
  private service: Service | null = null;
  private readonly browser: Browser;
  private readonly listeners: (() => void)[] = [];

  constructor() {
    this.browser = this.bonjour.find({ type: SERVICE_TYPE });
    this.browser.on('up', () => this.changed());
    this.browser.on('down', () => this.changed());
    this.browser.on('txt-update', () => this.changed());
  }

  advertise(ad: Advertisement): void {
    this.service?.stop?.();
    const txt: Record<string, string> = { station: ad.stationId, desk: ad.deskName, v: String(ad.protocol) };
    if (ad.venueId) txt.venue = ad.venueId;
    if (ad.venueName) txt.venuename = ad.venueName.slice(0, 60);
    this.service = this.bonjour.publish({
      name: `Badge Desk ${ad.stationId.slice(0, 8)}`,
      type: SERVICE_TYPE,
      port: ad.port,
      txt,
      probe: false,
    });
  }

  found(): FoundDesk[] {
    const out: FoundDesk[] = [];
    for (const service of this.browser.services) {
      const stationId = txtString(service.txt, 'station');
      const host = service.addresses?.find((a) => !a.includes(':')) ?? service.referer?.address;
      if (!stationId || !host || !Number.isInteger(service.port)) continue;
      out.push({
        stationId,
        host,
        port: service.port,
        deskName: txtString(service.txt, 'desk') ?? 'a desk',
        venueId: txtString(service.txt, 'venue'),
        venueName: txtString(service.txt, 'venuename'),
      });
    }
    return out;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async close(): Promise<void> {
    this.browser.stop();
    await new Promise<void>((resolve) => this.bonjour.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => this.bonjour.destroy(() => resolve()));
  }
}
