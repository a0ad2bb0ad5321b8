// Settings → Printers → Add printer: a PDF folder, a Zebra-compatible label printer (ZPL), a
// Brother QL (raster), or a system printer. A label printer's address may be anywhere (printers
// live outside the local network too); Badge Desk connects only to the port typed here.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { PrinterConfig, PrinterKind } from '../../../shared/printing.ts';
import { PRINTER_KIND_LABEL, PRINTER_KINDS } from '../../../shared/printing.ts';
import { BROTHER_MODELS, type BrotherModel } from '../../../shared/brother.ts';
import { errorMessage } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

const HOST_PATTERN = /^[A-Za-z0-9.:-]+$/;

export function AddPrinterDialog({ onClose }: { onClose: () => void }) {
  const addPrinter = useStore((s) => s.addPrinter);
  const systemPrinters = useStore((s) => s.systemPrinters);
  const toast = useStore((s) => s.toast);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PrinterKind>('pdf_folder');
  const [folder, setFolder] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('9100');
  const [dpi, setDpi] = useState<203 | 300>(203);
  const [model, setModel] = useState<BrotherModel>('QL-820NWB');
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
    model: useId(),
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
    } else if (kind === 'zpl_tcp' || kind === 'brother_ql') {
      const p = Number(port);
      if (!HOST_PATTERN.test(host.trim())) return setError('Give the printer’s host name or IP address.');
      if (!Number.isInteger(p) || p < 1 || p > 65535)
        return setError('The port is a whole number from 1 to 65535.');
      config =
        kind === 'zpl_tcp'
          ? { kind, host: host.trim(), port: p, dpi }
          : { kind, host: host.trim(), port: p, model };
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
        {kind === 'zpl_tcp' || kind === 'brother_ql' ? (
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
              {kind === 'zpl_tcp' ? (
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
              ) : (
                <div className="field">
                  <label className="field-label" htmlFor={ids.model}>
                    Model
                  </label>
                  <select
                    id={ids.model}
                    value={model}
                    onChange={(e) => setModel(e.target.value as BrotherModel)}
                  >
                    {BROTHER_MODELS.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
            <p className="muted small field-help">
              {kind === 'brother_ql'
                ? 'Badges print at the loaded labels’ size: 100 × 62 mm badges on 62 mm labels, 4 × 6 in or 4 × 3 in on 102 mm (QL-1100 series). A black/red roll prints the VIP mark red.'
                : 'The printer may be anywhere the network reaches; Badge Desk connects only to this port.'}
            </p>
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
