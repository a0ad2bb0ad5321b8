// Reading QR codes, Code 128 and PDF417 from a frame's pixels with ZXing compiled to WebAssembly.
// The same module decodes in the desk's worker (decode-worker.ts), in the tests and in the
// benchmark. The WebAssembly file is the app's own: zxing-wasm fetches it from a CDN unless told
// otherwise, so loadDecoder must be given the bundled file's URL (or its bytes) before any decode.
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

export const CAMERA_FORMATS = ['QRCode', 'Code128', 'PDF417'] as const;

/** A code found in a frame. `binary`: the decoder found bytes, not text (never a ticket). */
export interface DecodedCode {
  text: string;
  format: string;
  binary: boolean;
}

/** RGBA pixels, as ImageData holds them. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const READER_OPTIONS: ReaderOptions = {
  formats: [...CAMERA_FORMATS],
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  // A person holds up one ticket; stopping at the first code keeps a frame's decode short.
  maxNumberOfSymbols: 1,
  // The bytes as they are: binary data shows as the control characters the desk refuses.
  textMode: 'Plain',
};

/** Where the WebAssembly comes from: the bundled file's URL in the app, its bytes in Node. */
export type DecoderWasm = { url: string } | { bytes: Uint8Array };

let loading: Promise<void> | null = null;

/** Instantiates the decoder once, from the given file; later calls share it. */
export function loadDecoder(wasm: DecoderWasm): Promise<void> {
  loading ??= prepareZXingModule({
    overrides:
      'url' in wasm
        ? {
            locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm.url : prefix + path),
          }
        : { wasmBinary: wasm.bytes.slice().buffer as ArrayBuffer },
    fireImmediately: true,
  }).then(() => undefined);
  return loading;
}

/** The codes in a frame (at most one), once loadDecoder was called. */
export async function decodePixels(pixels: Pixels): Promise<DecodedCode[]> {
  if (!loading) throw new Error('loadDecoder first: the decoder never fetches its file by itself');
  await loading;
  const results = await readBarcodes(pixels as ImageData, READER_OPTIONS);
  return results
    .filter((r) => r.isValid)
    .map((r) => ({ text: r.text, format: r.format, binary: r.contentType === 'Binary' }));
}
