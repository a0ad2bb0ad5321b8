// What each printer last said of itself, and which printers are stopped (paper out, head or cover
// open, a jam, the wrong labels, unreachable). A stopped printer is not asked again for a while
// (longer each time, up to 30 s): its badges wait for it, or go to another printer of the pool.
// In memory: a restart asks every printer afresh.
import type { Clock } from '../ground/clock.ts';
import { canPrintOn, type PrinterStatus, type PrinterStatusView } from '../../shared/printer-status.ts';

const FIRST_HOLD_MS = 2_000;
const MAX_HOLD_MS = 30_000;

interface Health {
  status: PrinterStatus;
  /** Clock time until which a stopped printer is left alone; null: it may be asked now. */
  holdUntil: number | null;
  stops: number;
}

export class PrinterHealth {
  private readonly printers = new Map<number, Health>();

  constructor(private readonly deps: { clock: Clock; announce(view: PrinterStatusView): void }) {}

  status(printerId: number): PrinterStatus | null {
    return this.printers.get(printerId)?.status ?? null;
  }

  list(): PrinterStatusView[] {
    return [...this.printers].map(([printerId, h]) => ({ printerId, status: h.status }));
  }

  /** Records what the printer said (or that it could not be reached); announces a change. */
  record(printerId: number, status: PrinterStatus): void {
    const before = this.printers.get(printerId);
    const stopped = !canPrintOn(status.condition);
    const stops = stopped ? (before?.stops ?? 0) + 1 : 0;
    const hold = Math.min(MAX_HOLD_MS, FIRST_HOLD_MS * 2 ** Math.max(0, stops - 1));
    this.printers.set(printerId, {
      status,
      holdUntil: stopped ? this.deps.clock.now() + hold : null,
      stops,
    });
    const changed =
      !before ||
      before.status.condition !== status.condition ||
      before.status.detail !== status.detail ||
      before.status.media?.label !== status.media?.label;
    if (changed) this.deps.announce({ printerId, status });
  }

  /** Until when the printer is left alone (clock ms), or null when it may be asked now. */
  heldUntil(printerId: number): number | null {
    const h = this.printers.get(printerId);
    if (!h || h.holdUntil === null || h.holdUntil <= this.deps.clock.now()) return null;
    return h.holdUntil;
  }

  /** A person says the printer is fixed (Retry, Check status): it is asked at once. */
  release(printerId: number): void {
    const h = this.printers.get(printerId);
    if (h) h.holdUntil = null;
  }

  forget(printerId: number): void {
    this.printers.delete(printerId);
  }
}
