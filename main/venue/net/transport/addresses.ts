// Where a desk or a relay is reached: `host:port` as an admin types it, the directory keeps it and
// a pairing code carries it (an IPv6 host in brackets).
import type { Socket } from 'node:net';

export interface PeerAddress {
  host: string;
  port: number;
}

/** A host as a URL or `host:port` text needs it: an IPv6 address in brackets. */
export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function formatAddress(address: PeerAddress): string {
  return `${formatHost(address.host)}:${address.port}`;
}

/** `host:port` (or `[v6]:port`) as typed or stored; null when it is not one. */
export function parseAddress(text: string): PeerAddress | null {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 ? { host: match[1]!, port } : null;
}

/** One key per address, for the peers a desk keeps and the addresses it already knows. */
export function peerKey(address: PeerAddress): string {
  return `${address.host}:${address.port}`;
}

/** The other end of a connection, as a refusal names it. */
export function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}
