// A Zebra-compatible label printer stand-in on 127.0.0.1: accepts raw ZPL on a TCP port, keeps
// every label, answers the host status (~HS: paper out, pause, buffer full, head open; or garbage,
// or nothing), and can refuse connections (printer off) or hold them open (printer jammed).
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

/** What ~HS reports (ZPL II guide: string 1 b paper out, c pause, f buffer full; string 2 o head up). */
export interface ZebraFaults {
  paperOut: boolean;
  paused: boolean;
  bufferFull: boolean;
  headOpen: boolean;
}

export interface ZplStandIn {
  port: number;
  labels: ZplLabel[];
  /** Connections that carried a label so far (a sender starting a label). */
  readonly connections: number;
  /** Label connections open now: a label on its way, or one the printer has not let go of yet. */
  readonly openConnections: number;
  /** ~HS questions answered (or left unanswered) so far. */
  readonly statusRequests: number;
  /** Sets what ~HS reports; a label sent meanwhile is kept all the same (a Zebra holds it until it can print). */
  setFaults(faults: Partial<ZebraFaults>): void;
  /** How ~HS is answered: three status strings, bytes that are none, or not at all. */
  statusReply(mode: 'normal' | 'garbage' | 'silent'): void;
  /** After `n` labels in all, ~HS reports these faults (a printer that runs out mid-day). */
  faultAfter(n: number, faults: Partial<ZebraFaults>): void;
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
  const labelSockets = new Set<Socket>();
  let jammed = false;
  let holdMs = 0;
  let connections = 0;
  let statusRequests = 0;
  let replyMode: 'normal' | 'garbage' | 'silent' = 'normal';
  const faults: ZebraFaults = { paperOut: false, paused: false, bufferFull: false, headOpen: false };
  let pendingFault: { after: number; faults: Partial<ZebraFaults> } | null = null;
  const bit = (b: boolean) => (b ? '1' : '0');
  const hostStatus = () => {
    const one = `030,${bit(faults.paperOut)},${bit(faults.paused)},1218,000,${bit(faults.bufferFull)},0,0,000,0,0,0`;
    const two = `001,0,${bit(faults.headOpen)},0,0,2,6,0,00000000,1,000`;
    return [one, two, '1234,0'].map((str) => `\x02${str}\x03\r\n`).join('');
  };
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    // A sender that dies mid-label (the app killed) resets the connection: a printer shrugs.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      labelSockets.delete(socket);
    });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      raw += chunk;
      // A tilde command is answered at once, wherever it stands in the stream.
      while (raw.includes('~HS')) {
        raw = raw.replace('~HS', '');
        statusRequests++;
        if (replyMode === 'normal') socket.write(hostStatus());
        else if (replyMode === 'garbage') socket.write('HELLO? 12,,x\r\n');
      }
      if (!labelSockets.has(socket) && raw.includes('^XA')) {
        labelSockets.add(socket);
        connections++;
      }
    });
    socket.on('end', () => {
      // A status question alone is no label.
      if (!raw.includes('^XA')) return void socket.end();
      if (jammed) return; // keeps the connection half-open: the sender waits
      const fields = [...raw.matchAll(/\^FD(.*?)\^FS/gs)].map((m) => decodeZplField(m[1]!));
      labels.push({ raw, fields, receivedAt: performance.now() });
      if (pendingFault && labels.length >= pendingFault.after) {
        Object.assign(faults, pendingFault.faults);
        pendingFault = null;
      }
      for (const w of [...waiters])
        if (labels.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(labels.slice());
        }
      if (holdMs > 0) setTimeout(() => socket.end(), holdMs);
      else socket.end();
    });
  };
  // Half-open allowed: the printer, not Node, decides when a connection ends (a jammed printer
  // never does; one slow to let go does so late). Node's default ends it as the sender does.
  let server: Server = createServer({ allowHalfOpen: true }, onConnection);
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
      return labelSockets.size;
    },
    get statusRequests() {
      return statusRequests;
    },
    setFaults(next) {
      Object.assign(faults, next);
    },
    statusReply(mode) {
      replyMode = mode;
    },
    faultAfter(n, next) {
      pendingFault = { after: n, faults: next };
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
        server = createServer({ allowHalfOpen: true }, onConnection);
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
