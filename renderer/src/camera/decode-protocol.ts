// The messages between the desk and its decode worker: a frame in (an ImageBitmap the worker
// reads and closes, or pixels), the codes it holds out, with the time the decode took.
import type { DecodedCode, Pixels } from './zxing-decoder.ts';

export type DecodeRequest = { id: number; bitmap: ImageBitmap } | { id: number; pixels: Pixels };

export type DecodeAnswer =
  { id: number; codes: DecodedCode[]; decodeMs: number } | { id: number; error: string };
