// Small helpers shared by the simulated providers: bodies, JSON answers and time formats.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimulatorError } from './types.ts';

/** Control calls can carry many attendees; anything beyond this is a mistake, not a payload. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SimulatorError('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** True when the client or a close/offline switch already dropped the connection. */
export function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded || !res.socket || res.socket.destroyed;
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (isGone(res)) return;
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

export function queryRecord(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params.entries());
}

/** Eventbrite's UTC format: second resolution, `Z` suffix, e.g. `2026-11-23T08:00:00Z`. */
export function eventbriteUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Luma's format: a plain ISO string with milliseconds. */
export function lumaTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const localFormatters = new Map<string, Intl.DateTimeFormat>();

function localFormatter(timezone: string): Intl.DateTimeFormat {
  let formatter = localFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    localFormatters.set(timezone, formatter);
  }
  return formatter;
}

/** Wall-clock time in `timezone` without an offset, as Eventbrite's `start.local`: `2026-11-23T09:00:00`. */
export function localWallTime(ms: number, timezone: string): string {
  const parts: Record<string, string> = {};
  for (const part of localFormatter(timezone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function assertTimezone(timezone: string): void {
  try {
    localFormatter(timezone);
  } catch {
    throw new SimulatorError(`unknown timezone ${timezone}`);
  }
}

/** Milliseconds of an ISO time, or a SimulatorError naming the field. */
export function parseIsoTime(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SimulatorError(`${field} is not an ISO time: ${value}`);
  return ms;
}

/** A short URL-friendly slug for event URLs. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60) || 'event';
}
