// The admin PIN's one rule: 4 to 12 digits. Main checks it at the IPC boundary (the schemas), the
// session checks a preset PIN with it, and the renderer's PIN fields say so before asking main.
import { z } from 'zod';

export const PIN_PATTERN = /^\d{4,12}$/;
export const MAX_PIN_DIGITS = 12;

export const pinSchema = z.string().regex(PIN_PATTERN, 'a PIN is 4 to 12 digits');

export function isWellFormedPin(pin: string): boolean {
  return PIN_PATTERN.test(pin);
}
