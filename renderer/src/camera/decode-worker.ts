// The camera's decode worker: frames are read here, off the page's thread, so the desk's field
// and answer panel never wait for ZXing. Its WebAssembly is the file Vite bundled with the app,
// served from the app's own origin: nothing is fetched from anywhere else.
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { decodePixels, loadDecoder, type Pixels } from './zxing-decoder.ts';
import type { DecodeAnswer, DecodeRequest } from './decode-protocol.ts';

interface DecodeWorkerScope {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeAnswer): void;
}

const scope = globalThis as unknown as DecodeWorkerScope;
const ready = loadDecoder({ url: new URL(wasmUrl, location.href).href });
let canvas: OffscreenCanvas | null = null;

function pixelsOf(bitmap: ImageBitmap): Pixels {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height)
    canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D context in the decode worker');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

scope.onmessage = (event) => {
  const request = event.data;
  void ready
    .then(async () => {
      const started = performance.now();
      const pixels = 'bitmap' in request ? pixelsOf(request.bitmap) : request.pixels;
      const codes = await decodePixels(pixels);
      scope.postMessage({ id: request.id, codes, decodeMs: performance.now() - started });
    })
    .catch((err: unknown) =>
      scope.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
    );
};
