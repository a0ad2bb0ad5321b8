// Settings → Printers: the printers this workspace knows (PDF folder, ZPL label printer, system
// printer), a test print on each, and where this station prints its badges. Changing any of it
// is an admin's call (main enforces it); operators see the list and the station's choice.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Printer, PrinterConfig, PrinterKind } from '../../../shared/printing.ts';
import { PRINTER_KIND_LABEL, PRINTER_KINDS } from '../../../shared/printing.ts';
import { errorMessage } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { StatusPill } from '../ui/StatusPill.tsx';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError, Loading } from '../ui/states.tsx';

export function printerConfigSummary(config: PrinterConfig): string {
  switch (config.kind) {
    case 'pdf_folder':
      return `Folder: ${config.folder}`;
    case 'zpl_tcp':
      return `${config.host}:${config.port} · ${config.dpi} dpi`;
    case 'os':
      return `Device: ${config.deviceName}`;
  }
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
  const removePrinter = useStore((s) => s.removePrinter);
  const toast = useStore((s) => s.toast);
  const [busy, setBusy] = useState<'test' | 'remove' | null>(null);

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
      </div>
      <div className="printer-status">
        {station ? <StatusPill label="This station" tone="blue" /> : null}
        {!printer.available ? <StatusPill label="Not available here" tone="grey" /> : null}
      </div>
      {admin ? (
        <div className="printer-actions">
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

/** Where this station prints, and whether a check-in prints a badge by itself. Saved as it changes. */
function StationPrinting() {
  const printers = useStore((s) => s.printers);
  const savedPrinterId = useStore((s) => s.settings.printerId);
  const savedAutoPrint = useStore((s) => s.settings.autoPrint);
  const admin = useStore(isAdmin);
  const updateSettings = useStore((s) => s.updateSettings);
  // The choice shows at once; the saved settings take over when main has answered.
  const [pending, setPending] = useState<{ printerId?: number | null; autoPrint?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const ids = { printer: useId(), auto: useId() };
  const printerId = pending.printerId !== undefined ? pending.printerId : savedPrinterId;
  const autoPrint = pending.autoPrint ?? savedAutoPrint;
  const current = printers?.find((p) => p.id === printerId) ?? null;

  const save = async <K extends 'printerId' | 'autoPrint'>(
    key: K,
    value: K extends 'printerId' ? number | null : boolean,
  ) => {
    setPending((p) => ({ ...p, [key]: value }));
    setError(null);
    try {
      await updateSettings({ [key]: value });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending((p) => {
        if (p[key] !== value) return p;
        const next = { ...p };
        delete next[key];
        return next;
      });
    }
  };

  if (!admin) {
    return (
      <div className="station-printing">
        <h3 className="station-printing-title">This station</h3>
        <p data-testid="station-printer">
          {printerId === null
            ? 'No badge printer chosen for this station.'
            : `Badges print on ${current?.name ?? 'a printer that is no longer set up'}.`}{' '}
          {printerId !== null
            ? autoPrint
              ? 'A badge prints at check-in.'
              : 'Badges print only when asked for.'
            : null}
        </p>
      </div>
    );
  }

  return (
    <div className="station-printing">
      <h3 className="station-printing-title">This station</h3>
      <div className="form form-grid">
        <div className="field">
          <label className="field-label" htmlFor={ids.printer}>
            Print badges on
          </label>
          <select
            id={ids.printer}
            value={printerId === null ? '' : String(printerId)}
            onChange={(e) => void save('printerId', e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">No printer</option>
            {printerId !== null && !current ? (
              <option value={String(printerId)}>Unknown printer</option>
            ) : null}
            {(printers ?? []).map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.available ? p.name : `${p.name} (not available here)`}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-checkbox">
          <input
            id={ids.auto}
            type="checkbox"
            checked={autoPrint}
            onChange={(e) => void save('autoPrint', e.target.checked)}
          />
          <label htmlFor={ids.auto}>Print a badge at check-in</label>
        </div>
        {autoPrint && printerId === null ? (
          <p className="muted small station-printing-hint">
            Choose a printer: without one, check-ins print nothing.
          </p>
        ) : null}
        <InlineError message={error} />
      </div>
    </div>
  );
}

const HOST_PATTERN = /^[A-Za-z0-9.:-]+$/;

function AddPrinterDialog({ onClose }: { onClose: () => void }) {
  const addPrinter = useStore((s) => s.addPrinter);
  const systemPrinters = useStore((s) => s.systemPrinters);
  const toast = useStore((s) => s.toast);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PrinterKind>('pdf_folder');
  const [folder, setFolder] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('9100');
  const [dpi, setDpi] = useState<203 | 300>(203);
  const [system, setSystem] = useState<{ name: string; isDefault: boolean }[] | null>(null);
  const [systemError, setSystemError] = useState<string | null>(null);
  const [deviceName, setDeviceName] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const ids = {
    name: useId(),
    kind: useId(),
    folder: useId(),
    host: useId(),
    port: useId(),
    dpi: useId(),
    device: useId(),
  };

  useEffect(() => {
    if (kind !== 'os' || system !== null) return;
    let cancelled = false;
    systemPrinters().then(
      (list) => {
        if (cancelled) return;
        setSystem(list);
        setDeviceName((d) => d || (list.find((p) => p.isDefault) ?? list[0])?.name || '');
      },
      (err: unknown) => {
        if (cancelled) return;
        setSystem([]);
        setSystemError(errorMessage(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [kind, system, systemPrinters]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cleanName = name.trim();
    if (!cleanName) return setError('Give the printer a name.');
    let config: PrinterConfig;
    if (kind === 'pdf_folder') {
      if (!folder.trim()) return setError('Give the folder the PDF files go to.');
      config = { kind, folder: folder.trim() };
    } else if (kind === 'zpl_tcp') {
      const p = Number(port);
      if (!HOST_PATTERN.test(host.trim())) return setError('Give the printer’s host name or IP address.');
      if (!Number.isInteger(p) || p < 1 || p > 65535)
        return setError('The port is a whole number from 1 to 65535.');
      config = { kind, host: host.trim(), port: p, dpi };
    } else {
      if (!deviceName) return setError('Choose a system printer.');
      config = { kind, deviceName };
    }
    await run(async () => {
      const printer = await addPrinter(cleanName, config);
      toast(`Added printer ${printer.name}`, 'success');
    });
  };

  const noSystemPrinters = kind === 'os' && system !== null && system.length === 0;
  return (
    <Dialog
      title="Add printer"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={`${ids.name}-form`}
          onCancel={onClose}
          busy={busy}
          label="Add printer"
          busyLabel="Adding…"
          disabled={noSystemPrinters}
        />
      }
    >
      <form id={`${ids.name}-form`} className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Name
          </label>
          <input
            id={ids.name}
            type="text"
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Front desk labels"
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.kind}>
            Type
          </label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as PrinterKind)}>
            {PRINTER_KINDS.map((k) => (
              <option key={k} value={k}>
                {PRINTER_KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        {kind === 'pdf_folder' ? (
          <div className="field">
            <label className="field-label" htmlFor={ids.folder}>
              Folder
            </label>
            <input
              id={ids.folder}
              type="text"
              maxLength={1000}
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              placeholder="/Users/desk/Badges"
            />
            <p className="muted small field-help">
              Each badge is saved there as a PDF of the label’s exact size.
            </p>
          </div>
        ) : null}
        {kind === 'zpl_tcp' ? (
          <>
            <div className="field">
              <label className="field-label" htmlFor={ids.host}>
                Host
              </label>
              <input
                id={ids.host}
                type="text"
                maxLength={253}
                value={host}
                onChange={(e) => setHost(e.target.value)}
                placeholder="192.168.1.50"
                autoComplete="off"
                spellCheck={false}
              />
            </div>
            <div className="field-row">
              <div className="field">
                <label className="field-label" htmlFor={ids.port}>
                  Port
                </label>
                <input
                  id={ids.port}
                  type="number"
                  min={1}
                  max={65535}
                  step={1}
                  value={port}
                  onChange={(e) => setPort(e.target.value)}
                />
              </div>
              <div className="field">
                <label className="field-label" htmlFor={ids.dpi}>
                  Resolution
                </label>
                <select
                  id={ids.dpi}
                  value={String(dpi)}
                  onChange={(e) => setDpi(e.target.value === '300' ? 300 : 203)}
                >
                  <option value="203">203 dpi</option>
                  <option value="300">300 dpi</option>
                </select>
              </div>
            </div>
          </>
        ) : null}
        {kind === 'os' ? (
          <div className="field">
            <label className="field-label" htmlFor={ids.device}>
              System printer
            </label>
            {system === null ? (
              <p className="muted small">Looking for system printers…</p>
            ) : system.length === 0 ? (
              <p className="muted" data-testid="no-system-printers">
                No system printers found{systemError ? ` (${systemError})` : ''}
              </p>
            ) : (
              <select id={ids.device} value={deviceName} onChange={(e) => setDeviceName(e.target.value)}>
                {system.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.isDefault ? `${p.name} (default)` : p.name}
                  </option>
                ))}
              </select>
            )}
          </div>
        ) : null}
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
