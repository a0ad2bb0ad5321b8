// The OS printer driver's Electron half: lists the system's printers and prints a badge silently
// to the chosen device at the label's exact page size with no margins. The page is the badge's
// layout drawn as SVG (the same layout the preview draws and the PDF writes) with the same font.
import { BrowserWindow, webContents } from 'electron';
import type { PrinterInfo } from 'electron';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsPrinting } from '../printing/drivers.ts';
import { PrinterUnreachableError } from '../printing/drivers.ts';
import { FONT_BOLD, FONT_REGULAR, layoutToSvg } from '../printing/render.ts';

const MICRONS_PER_POINT = 25_400 / 72;

function hiddenWindow(): BrowserWindow {
  // No preload, no Node, no scripts at all: the page is a picture.
  return new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
}

// CUPS reports the default printer in its options; other platforms may not say.
const toSystemPrinter = (p: PrinterInfo) => ({
  name: p.name,
  isDefault: (p.options as Record<string, unknown> | undefined)?.['is-default'] === 'true',
});

export function electronOsPrinting(): OsPrinting {
  return {
    async list() {
      const contents = webContents.getAllWebContents()[0];
      if (contents) return (await contents.getPrintersAsync()).map(toSystemPrinter);
      const win = hiddenWindow();
      try {
        return (await win.webContents.getPrintersAsync()).map(toSystemPrinter);
      } finally {
        win.destroy();
      }
    },

    async print(deviceName, _pdf, layout) {
      const dir = await mkdtemp(join(tmpdir(), 'badge-desk-print-'));
      const win = hiddenWindow();
      try {
        await copyFile(FONT_REGULAR, join(dir, 'regular.ttf'));
        await copyFile(FONT_BOLD, join(dir, 'bold.ttf'));
        const html = `<!doctype html><meta charset="utf-8"><style>
@font-face { font-family: "Badge Sans"; src: url(regular.ttf); font-weight: 400; }
@font-face { font-family: "Badge Sans"; src: url(bold.ttf); font-weight: 700; }
@page { size: ${layout.widthPt}pt ${layout.heightPt}pt; margin: 0; }
html, body { margin: 0; padding: 0; }
svg { display: block; }
</style>${layoutToSvg(layout, 'Badge Sans')}`;
        await writeFile(join(dir, 'badge.html'), html, 'utf8');
        await win.loadFile(join(dir, 'badge.html'));
        await win.webContents.executeJavaScript('document.fonts.ready', false).catch(() => undefined);
        const printers = await win.webContents.getPrintersAsync();
        if (!printers.some((p) => p.name === deviceName))
          throw new PrinterUnreachableError(`the system printer "${deviceName}" is not connected`);
        await new Promise<void>((resolve, reject) => {
          win.webContents.print(
            {
              silent: true,
              deviceName,
              printBackground: true,
              margins: { marginType: 'none' },
              pageSize: {
                width: Math.round(layout.widthPt * MICRONS_PER_POINT),
                height: Math.round(layout.heightPt * MICRONS_PER_POINT),
              },
            },
            (success, reason) =>
              success ? resolve() : reject(new Error(`the system printer refused the badge: ${reason}`)),
          );
        });
      } finally {
        win.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
