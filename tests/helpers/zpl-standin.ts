// A Zebra-compatible label printer stand-in on 127.0.0.1: accepts raw ZPL on a TCP port, keeps
// every label, and can refuse connections (printer off) or hold them open (printer jammed).
import { createServer, type Server, type Socket } from 'node:net';

export interface ZplLabel {
  raw: string;
  /** ^FD field data with ^FH hex escapes decoded (UTF-8). */
  fields: string[];
  receivedAt: number;
}

export function decodeZplField(data: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === '_' && /^[0-9A-F]{2}$/i.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(data[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface ZplStandIn {
  port: number;
  labels: ZplLabel[];
  /** Connections accepted so far (a sender starting a label). */
  readonly connections: number;
  /** Connections open now: a label on its way, or one the printer has not let go of yet. */
  readonly openConnections: number;
  /** Resolves when `n` labels have arrived in all. */
  waitForLabels(n: number): Promise<ZplLabel[]>;
  /** Stop listening (connections are refused) or listen again on the same port. */
  setOnline(online: boolean): Promise<void>;
  /** Accept connections but never finish them (a jammed printer). */
  jam(jammed: boolean): void;
  /**
   * Print each label as it arrives but close the connection only `ms` later (a printer slow to
   * let go): a sender killed in that window has printed without knowing it.
   */
  holdAfterPrint(ms: number): void;
  close(): Promise<void>;
}

export async function startZplStandIn(): Promise<ZplStandIn> {
  const labels: ZplLabel[] = [];
  const waiters: { n: number; resolve: (l: ZplLabel[]) => void }[] = [];
  const sockets = new Set<Socket>();
  let jammed = false;
  let holdMs = 0;
  let connections = 0;
  const onConnection = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('end', () => {
      if (jammed) return; // keeps the connection half-open: the sender waits
      const fields = [...raw.matchAll(/\^FD(.*?)\^FS/gs)].map((m) => decodeZplField(m[1]!));
      labels.push({ raw, fields, receivedAt: performance.now() });
      for (const w of [...waiters])
        if (labels.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(labels.slice());
        }
      if (holdMs > 0) setTimeout(() => socket.end(), holdMs);
      else socket.end();
    });
  };
  let server: Server = createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  let online = true;
  return {
    port,
    labels,
    get connections() {
      return connections;
    },
    get openConnections() {
      return sockets.size;
    },
    waitForLabels(n) {
      if (labels.length >= n) return Promise.resolve(labels.slice());
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async setOnline(next) {
      if (next === online) return;
      online = next;
      if (!next) {
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => server.close(() => r()));
      } else {
        server = createServer(onConnection);
        await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      }
    },
    jam(j) {
      jammed = j;
    },
    holdAfterPrint(ms) {
      holdMs = ms;
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (online) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
