// Settings → Printers: the printers this workspace knows (PDF folder, ZPL label printer, Brother
// QL, system printer), what each label printer last said of itself, a test print on each, and
// where this station prints its badges. Changing any of it is an admin's call (main enforces it);
// operators see the list, the printers' states and the station's choice.
import { useState } from 'react';
import type { Printer, PrinterConfig } from '../../../shared/printing.ts';
import { PRINTER_KIND_LABEL, printerTellsStatus } from '../../../shared/printing.ts';
import { canPrintOn, printerStatusText, type PrinterStatus } from '../../../shared/printer-status.ts';
import { errorMessage, formatClock } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { StatusPill, type PillTone } from '../ui/StatusPill.tsx';
import { Loading } from '../ui/states.tsx';
import { AddPrinterDialog } from './AddPrinterDialog.tsx';
import { StationPrinting } from './StationPrinting.tsx';

export function printerConfigSummary(config: PrinterConfig): string {
  switch (config.kind) {
    case 'pdf_folder':
      return `Folder: ${config.folder}`;
    case 'zpl_tcp':
      return `${config.host}:${config.port} · ${config.dpi} dpi`;
    case 'brother_ql':
      return `${config.host}:${config.port} · ${config.model}`;
    case 'os':
      return `Device: ${config.deviceName}`;
  }
}

/** A printer's state as a pill: ready, stopped, or unknown. */
export function printerStatusTone(status: PrinterStatus): PillTone {
  return status.condition === 'ready' ? 'green' : canPrintOn(status.condition) ? 'grey' : 'amber';
}

export function PrintersSection() {
  const printers = useStore((s) => s.printers);
  const admin = useStore(isAdmin);
  const stationPrinterId = useStore((s) => s.settings.printerId);
  const [adding, setAdding] = useState(false);

  return (
    <section className="settings-section" aria-labelledby="printers-title">
      <div className="section-header">
        <h2 id="printers-title" tabIndex={-1}>
          Printers
        </h2>
        {admin ? (
          <div className="section-actions">
            <button type="button" className="button" onClick={() => setAdding(true)}>
              Add printer
            </button>
          </div>
        ) : null}
      </div>
      {!admin ? (
        <p className="muted">
          Only an admin can add printers or choose where this station prints. Unlock admin to change them.
        </p>
      ) : null}
      {printers === null ? (
        <Loading />
      ) : printers.length === 0 ? (
        <p className="muted empty-inline">
          No printers yet. Add a PDF folder, a label printer or a system printer to print badges.
        </p>
      ) : (
        <ul className="printer-list" aria-label="Printer list">
          {printers.map((printer) => (
            <PrinterCard
              key={printer.id}
              printer={printer}
              admin={admin}
              station={printer.id === stationPrinterId}
            />
          ))}
        </ul>
      )}
      <StationPrinting />
      {adding ? <AddPrinterDialog onClose={() => setAdding(false)} /> : null}
    </section>
  );
}

function PrinterCard({ printer, admin, station }: { printer: Printer; admin: boolean; station: boolean }) {
  const testPrinter = useStore((s) => s.testPrinter);
  const checkStatus = useStore((s) => s.checkPrinterStatus);
  const status = useStore((s) => s.printerStatuses[printer.id]) ?? null;
  const removePrinter = useStore((s) => s.removePrinter);
  const toast = useStore((s) => s.toast);
  const [busy, setBusy] = useState<'test' | 'remove' | 'status' | null>(null);

  const onCheck = async () => {
    setBusy('status');
    try {
      await checkStatus(printer.id);
    } catch (err) {
      toast(`Could not ask ${printer.name}: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const onTest = async () => {
    setBusy('test');
    try {
      await testPrinter(printer.id);
      toast(`Test badge sent to ${printer.name}`, 'success');
    } catch (err) {
      toast(`Test print on ${printer.name} failed: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const onRemove = async () => {
    setBusy('remove');
    try {
      await removePrinter(printer.id);
      toast(`Removed printer ${printer.name}`, 'info');
    } catch (err) {
      toast(`Could not remove ${printer.name}: ${errorMessage(err)}`, 'error');
      setBusy(null);
    }
  };

  return (
    <li className="printer-card">
      <div className="printer-main">
        <span className="printer-name">{printer.name}</span>
        <span className="printer-kind">{PRINTER_KIND_LABEL[printer.config.kind]}</span>
        <span className="printer-config">{printerConfigSummary(printer.config)}</span>
        {status ? (
          <span className="printer-state" data-testid="printer-state">
            {printerStatusText(printer.name, status)}
            {status.media ? ` · ${status.media.label} loaded` : ''}
            <span className="muted small"> · asked {formatClock(status.checkedAt)}</span>
          </span>
        ) : null}
      </div>
      <div className="printer-status">
        {station ? <StatusPill label="This station" tone="blue" /> : null}
        {!printer.available ? <StatusPill label="Not available here" tone="grey" /> : null}
        {status ? (
          <StatusPill
            label={
              status.condition === 'ready'
                ? 'Ready'
                : canPrintOn(status.condition)
                  ? 'Status unknown'
                  : 'Stopped'
            }
            tone={printerStatusTone(status)}
          />
        ) : null}
      </div>
      {admin ? (
        <div className="printer-actions">
          {printerTellsStatus(printer.config) ? (
            <button
              type="button"
              className="button button-small"
              aria-label={`Check status of ${printer.name}`}
              onClick={() => void onCheck()}
              disabled={busy !== null}
              aria-busy={busy === 'status' || undefined}
            >
              {busy === 'status' ? 'Asking…' : 'Check status'}
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small"
            aria-label={`Test print on ${printer.name}`}
            onClick={() => void onTest()}
            disabled={busy !== null}
            aria-busy={busy === 'test' || undefined}
          >
            {busy === 'test' ? 'Sending…' : 'Test print'}
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            aria-label={`Remove ${printer.name}`}
            onClick={() => void onRemove()}
            disabled={busy !== null}
          >
            Remove
          </button>
        </div>
      ) : null}
    </li>
  );
}
