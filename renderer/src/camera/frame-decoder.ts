// The page's side of the decode worker: one frame at a time (the camera's loop waits for the
// answer before it grabs the next), answers matched to their frame by id.
import type { DecodeAnswer, DecodeRequest } from './decode-protocol.ts';
import type { DecodedCode, Pixels } from './zxing-decoder.ts';

export interface DecodedFrame {
  codes: DecodedCode[];
  decodeMs: number;
}

export class FrameDecoder {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(f: DecodedFrame): void; reject(e: Error): void }>();

  constructor() {
    this.worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<DecodeAnswer>) => {
      const answer = event.data;
      const waiter = this.waiting.get(answer.id);
      if (!waiter) return;
      this.waiting.delete(answer.id);
      if ('error' in answer) waiter.reject(new Error(answer.error));
      else waiter.resolve({ codes: answer.codes, decodeMs: answer.decodeMs });
    };
    this.worker.onerror = (event) => this.failAll(new Error(event.message || 'the decode worker failed'));
  }

  /** Decodes a frame; a bitmap is handed over to the worker (and closed there). */
  decode(frame: ImageBitmap | Pixels): Promise<DecodedFrame> {
    const id = this.nextId++;
    const request: DecodeRequest = 'close' in frame ? { id, bitmap: frame } : { id, pixels: frame };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(request, 'close' in frame ? [frame] : [frame.data.buffer]);
    });
  }

  close(): void {
    this.worker.terminate();
    this.failAll(new Error('the camera stopped'));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
