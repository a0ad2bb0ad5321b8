// A Brother QL label printer stand-in on 127.0.0.1 (TCP, port 0): answers the status request
// (ESC i S) with the 32-byte status of the raster command reference (its media type, width and
// length, errors), reads each job with the reference reader (brother-raster-decoder.ts, written
// apart from Badge Desk's encoder), checks it against the loaded roll as a printer does, and keeps
// every label it printed. Faults: paper out, cover open, a jam (now, or after n labels), the wrong
// roll, garbage or no answer to the status request, and refusing connections (off).
import { createServer, type Server, type Socket } from 'node:net';
import {
  BrotherCommandReader,
  BrotherPageAssembler,
  pageToLabelImage,
  REFERENCE_DIE_CUT_LINES,
  REFERENCE_HEADS,
  REFERENCE_PRINTABLE_DOTS,
  RasterFormatError,
  type DecodedPage,
  type LabelImage,
} from './brother-raster-decoder.ts';

export type StandInModel = 'QL-800' | 'QL-810W' | 'QL-820NWB' | 'QL-1100' | 'QL-1110NWB' | 'QL-1115NWB';

/** A roll as the printer senses it. */
export interface StandInRoll {
  widthMm: number;
  kind: 'endless' | 'die_cut';
  /** 0 for endless. */
  lengthMm: number;
  twoColour: boolean;
}

export const ROLLS = {
  '62': { widthMm: 62, kind: 'endless', lengthMm: 0, twoColour: false },
  '62red': { widthMm: 62, kind: 'endless', lengthMm: 0, twoColour: true },
  '62x100': { widthMm: 62, kind: 'die_cut', lengthMm: 100, twoColour: false },
  '29': { widthMm: 29, kind: 'endless', lengthMm: 0, twoColour: false },
  '102': { widthMm: 102, kind: 'endless', lengthMm: 0, twoColour: false },
  '102x152': { widthMm: 102, kind: 'die_cut', lengthMm: 152, twoColour: false },
} as const satisfies Record<string, StandInRoll>;

export type StandInFault = 'paper_out' | 'cover_open' | 'jam';

export interface BrotherLabel {
  page: DecodedPage;
  image: LabelImage;
  roll: StandInRoll;
  /** Which connection brought it (1-based). */
  connection: number;
  receivedAt: number;
}

export interface BrotherStandIn {
  port: number;
  readonly model: StandInModel;
  labels: BrotherLabel[];
  /** Jobs the printer would not print, and why (the wrong roll, a raster line of the wrong width…). */
  refused: string[];
  readonly statusRequests: number;
  readonly connections: number;
  waitForLabels(n: number): Promise<BrotherLabel[]>;
  loadRoll(roll: StandInRoll): void;
  fault(fault: StandInFault | null): void;
  /** After `n` labels in all, the printer jams: the next status says so. */
  jamAfter(n: number): void;
  /** Jams while printing the next label: an error status instead of "printing completed". */
  jamDuringNext(): void;
  statusReply(mode: 'normal' | 'garbage' | 'silent'): void;
  /** How long a label takes to print before "printing completed". */
  printMs(ms: number): void;
  setOnline(online: boolean): Promise<void>;
  close(): Promise<void>;
}

const MODEL_CODE: Record<StandInModel, number> = {
  'QL-800': 0x38,
  'QL-810W': 0x39,
  'QL-820NWB': 0x41,
  'QL-1100': 0x43,
  'QL-1110NWB': 0x44,
  'QL-1115NWB': 0x45,
};

const seriesOf = (model: StandInModel) => (model.startsWith('QL-11') ? 'QL-1100' : 'QL-800');

export async function startBrotherStandIn(
  model: StandInModel,
  roll: StandInRoll = ROLLS['62x100'],
): Promise<BrotherStandIn> {
  const head = REFERENCE_HEADS[seriesOf(model)];
  const labels: BrotherLabel[] = [];
  const refused: string[] = [];
  const waiters: { n: number; resolve: (l: BrotherLabel[]) => void }[] = [];
  const sockets = new Set<Socket>();
  let loaded: StandInRoll = roll;
  let fault: StandInFault | null = null;
  let jamAt: number | null = null;
  let jamNext = false;
  let replyMode: 'normal' | 'garbage' | 'silent' = 'normal';
  let printMs = 0;
  let statusRequests = 0;
  let connections = 0;

  /** The 32 bytes of the reference's status information. */
  const status = (statusType: number, phase: number, errors: [number, number] = [0, 0]): Buffer => {
    const b = Buffer.alloc(32);
    b[0] = 0x80;
    b[1] = 0x20;
    b[2] = 0x42;
    b[3] = 0x34;
    b[4] = MODEL_CODE[model];
    b[5] = 0x30;
    b[6] = 0x30;
    let [e1, e2] = errors;
    if (fault === 'paper_out') e1 |= 0x01;
    if (fault === 'jam') e1 |= 0x04;
    if (fault === 'cover_open') e2 |= 0x10;
    b[8] = e1;
    b[9] = e2;
    const noMedia = fault === 'paper_out';
    b[10] = noMedia ? 0 : loaded.widthMm;
    b[11] = noMedia ? 0x00 : loaded.kind === 'endless' ? 0x0a : 0x0b;
    b[14] = 0x3f;
    b[17] = noMedia ? 0 : loaded.lengthMm;
    b[18] = statusType;
    b[19] = phase;
    b[25] = loaded.twoColour ? 0x81 : 0x01;
    return b;
  };

  const finish = () => {
    for (const w of [...waiters])
      if (labels.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(labels.slice());
      }
  };

  /** What a printer does with a whole page: refuse it (an error status) or print it. */
  const printPage = (socket: Socket, page: DecodedPage, connection: number) => {
    const refuse = (why: string, errors: [number, number]) => {
      refused.push(why);
      socket.write(status(0x02, 0x00, errors));
    };
    if (fault) return refuse(`a job arrived while ${fault}`, [0, 0]);
    const info = page.info;
    if (!info) return refuse('no print information (ESC i z)', [0, 0x01]);
    const kind = info.mediaType === 0x0a ? 'endless' : info.mediaType === 0x0b ? 'die_cut' : null;
    if (
      info.widthMm !== loaded.widthMm ||
      kind !== loaded.kind ||
      (kind === 'die_cut' && info.lengthMm !== loaded.lengthMm)
    )
      return refuse(
        `the job is for ${info.widthMm} mm ${kind ?? 'unknown'} labels; ${loaded.widthMm} mm ${loaded.kind} is loaded`,
        [0, 0x01],
      );
    // A black/red roll prints only two-colour jobs, and a black roll only one-colour ones.
    if (page.twoColour !== loaded.twoColour)
      return refuse(
        page.twoColour ? 'a two-colour job on a black roll' : 'a one-colour job on a black/red roll',
        [0, 0x01],
      );
    const printable = REFERENCE_PRINTABLE_DOTS[loaded.widthMm];
    const offset = head.offsets[loaded.widthMm as 62 | 102];
    if (printable === undefined || offset === null || offset === undefined)
      return refuse(`this stand-in has no page size for ${loaded.widthMm} mm`, [0, 0x01]);
    if (loaded.kind === 'die_cut') {
      const lines = REFERENCE_DIE_CUT_LINES[`${loaded.widthMm}x${loaded.lengthMm}`];
      if (lines !== undefined && page.lines.length !== lines)
        return refuse(`${page.lines.length} raster lines for a label of ${lines}`, [0, 0x01]);
    }
    socket.write(status(0x06, 0x01));
    const done = () => {
      if (jamNext) {
        jamNext = false;
        fault = 'jam';
        socket.write(status(0x02, 0x00));
        return;
      }
      labels.push({
        page,
        image: pageToLabelImage(page, offset, printable),
        roll: { ...loaded },
        connection,
        receivedAt: performance.now(),
      });
      socket.write(Buffer.concat([status(0x01, 0x00), status(0x06, 0x00)]));
      // The jam comes after this label: the next status says it.
      if (jamAt !== null && labels.length >= jamAt) {
        fault = 'jam';
        jamAt = null;
      }
      finish();
    };
    if (printMs > 0) setTimeout(done, printMs);
    else done();
  };

  const onConnection = (socket: Socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new BrotherCommandReader();
    const assembler = new BrotherPageAssembler(head.pins / 8);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const command of reader.push(chunk)) {
          if (command.kind === 'status_request') {
            statusRequests++;
            if (replyMode === 'normal') socket.write(status(0x00, 0x00));
            else if (replyMode === 'garbage')
              socket.write(Buffer.from('\x00\x13garbage from the printer\r\n'));
            continue;
          }
          const page = assembler.take(command);
          if (page) printPage(socket, page, connection);
        }
      } catch (err) {
        if (!(err instanceof RasterFormatError)) throw err;
        refused.push(err.message);
        socket.write(status(0x02, 0x00, [0, 0x04]));
        socket.destroy();
      }
    });
  };

  let server: Server = createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  let online = true;
  return {
    port,
    model,
    labels,
    refused,
    get statusRequests() {
      return statusRequests;
    },
    get connections() {
      return connections;
    },
    waitForLabels(n) {
      if (labels.length >= n) return Promise.resolve(labels.slice());
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    loadRoll(next) {
      loaded = next;
    },
    fault(next) {
      fault = next;
    },
    jamAfter(n) {
      jamAt = n;
    },
    jamDuringNext() {
      jamNext = true;
    },
    statusReply(mode) {
      replyMode = mode;
    },
    printMs(ms) {
      printMs = ms;
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
    async close() {
      for (const s of sockets) s.destroy();
      if (online) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
