// Label printers on TCP port 9100, each session on one connection to the address and port an admin
// entered: Zebra (ask ~HS, then send the ZPL) and Brother QL (invalidate, initialise, ask ESC i S,
// then send the raster and read what the printer reports while it prints).
import { AppError } from '../../shared/errors.ts';
import { canPrintOn, type PrinterStatus } from '../../shared/printer-status.ts';
import {
  fitBadgeToMedia,
  mediaForPage,
  mediaFromReport,
  neededMediaText,
  pageMm,
  type BrotherModel,
} from '../../shared/brother.ts';
import type { PrinterConfig } from '../../shared/printing.ts';
import { renderZpl } from './render.ts';
import { brotherJob, BROTHER_STATUS_REQUEST, type BrotherJobPlan } from './brother-raster.ts';
import {
  BROTHER_STATUS_LENGTH,
  BROTHER_STATUS_TYPE,
  readBrotherStatus,
  readZebraHostStatus,
  zebraHostStatusStrings,
} from './printer-replies.ts';
import { TcpLink, type AnswerCheck } from './tcp-link.ts';
import type { BadgeToPrint, PrinterDriver, PrinterSession, SendOutcome } from './drivers.ts';

export interface LabelDriverTimes {
  /** Connecting, and the longest silence on a connection. */
  connectMs: number;
  /** How long a printer may take to answer its status question. */
  statusMs: number;
  /** How long a Brother may stay silent after a badge before it counts as printed. */
  completionMs: number;
  /** The time a status is stamped with (the core's clock). */
  now(): string;
}

const DEFAULT_TIMES: LabelDriverTimes = {
  connectMs: 5_000,
  statusMs: 2_000,
  completionMs: 5_000,
  now: () => new Date().toISOString(),
};

const STX = 0x02;
const ETX = 0x03;

/** Three <STX>…<ETX> strings (and the CR LF after the last), or not a host status at all. */
const zebraAnswer: AnswerCheck = (r) => {
  let at = 0;
  while (at < r.length && (r[at] === 0x0d || r[at] === 0x0a)) at++;
  if (at < r.length && r[at] !== STX) return 'garbage';
  let found = 0;
  for (let i = at; i < r.length; i++) {
    if (r[i] === ETX && ++found === 3) {
      let end = i + 1;
      while (end < r.length && end < i + 3 && (r[end] === 0x0d || r[end] === 0x0a)) end++;
      return end;
    }
  }
  return r.length > 1024 ? 'garbage' : 'wait';
};

const brotherAnswer: AnswerCheck = (r) => {
  if (r[0] !== 0x80) return 'garbage';
  if (r.length < BROTHER_STATUS_LENGTH) return 'wait';
  return r[1] === 0x20 && r[2] === 0x42 ? BROTHER_STATUS_LENGTH : 'garbage';
};

export function zplDriver(
  config: Extract<PrinterConfig, { kind: 'zpl_tcp' }>,
  times?: Partial<LabelDriverTimes>,
): PrinterDriver {
  const t = { ...DEFAULT_TIMES, ...times };
  const what = `label printer ${config.host}:${config.port}`;
  return {
    async open(): Promise<PrinterSession> {
      const link = await TcpLink.open(config.host, config.port, what, t.connectMs);
      link.write('~HS');
      const read = await link.read(zebraAnswer, t.statusMs);
      const status: PrinterStatus =
        read && 'answer' in read
          ? readZebraHostStatus(zebraHostStatusStrings(read.answer), t.now())
          : {
              condition: 'unknown',
              // Zebra firmware stays silent on ~HS while out of media or open: say so.
              detail: read
                ? 'host status not understood'
                : 'no answer to ~HS; it may be out of labels or open',
              media: null,
              checkedAt: t.now(),
            };
      return {
        status,
        refuse: () => null,
        async send(badge) {
          await link.finish(renderZpl(badge.layout, config.dpi));
          return { kind: 'printed' };
        },
        close: () => link.close(),
      };
    },
  };
}

type BrotherPlan = { plan: BrotherJobPlan } | { refusal: PrinterStatus };

/** The roll a badge prints on: the loaded one if the printer said, else the best roll for its size. */
function planFor(model: BrotherModel, status: PrinterStatus, badge: BadgeToPrint): BrotherPlan {
  const page = pageMm(badge.layout);
  const needed = neededMediaText(model, page);
  const refuse = (detail: string): BrotherPlan => ({
    refusal: { condition: 'wrong_media', detail, media: status.media, checkedAt: status.checkedAt },
  });
  const size = `${Math.round(page.widthMm)} × ${Math.round(page.heightMm)} mm`;
  if (!needed) return refuse(`no ${model} roll takes a ${size} badge — choose a 100 × 62 mm template`);
  if (status.media) {
    const loaded = mediaFromReport(model, {
      widthMm: status.media.widthMm,
      kind: status.media.lengthMm ? 'die_cut' : 'endless',
      lengthMm: status.media.lengthMm,
      twoColour: status.media.twoColour,
    });
    const fit = loaded ? fitBadgeToMedia(page, loaded) : null;
    if (!loaded || !fit) return refuse(`${status.media.label} loaded — load ${needed} labels`);
    return { plan: { model, media: loaded, rotated: fit.rotated } };
  }
  const media = mediaForPage(model, page).find((m) => !m.twoColour)!;
  return { plan: { model, media, rotated: fitBadgeToMedia(page, media)!.rotated } };
}

export function brotherDriver(
  config: Extract<PrinterConfig, { kind: 'brother_ql' }>,
  times?: Partial<LabelDriverTimes>,
): PrinterDriver {
  const t = { ...DEFAULT_TIMES, ...times };
  const what = `Brother ${config.model} ${config.host}:${config.port}`;
  return {
    async open(): Promise<PrinterSession> {
      const link = await TcpLink.open(config.host, config.port, what, t.connectMs);
      link.write(BROTHER_STATUS_REQUEST);
      const read = await link.read(brotherAnswer, t.statusMs);
      const reply = read && 'answer' in read ? readBrotherStatus(read.answer, config.model, t.now()) : null;
      const status: PrinterStatus = reply?.status ?? {
        condition: 'unknown',
        detail: read ? 'status reply not understood' : 'no answer to the status request',
        media: null,
        checkedAt: t.now(),
      };
      return {
        status,
        refuse(badge) {
          const p = planFor(config.model, status, badge);
          return 'refusal' in p ? p.refusal : null;
        },
        async send(badge): Promise<SendOutcome> {
          const p = planFor(config.model, status, badge);
          if ('refusal' in p) throw new AppError('INVALID_STATE', p.refusal.detail ?? 'wrong labels');
          await link.send(brotherJob(badge.layout, p.plan));
          // A printer that could not say its status cannot be heard printing either: the bytes left, it has them.
          if (!reply) return { kind: 'printed' };
          for (;;) {
            const next = await link.read(brotherAnswer, t.completionMs);
            if (!next || !('answer' in next)) return { kind: 'printed' };
            const during = readBrotherStatus(next.answer, config.model, t.now());
            if (!during) return { kind: 'printed' };
            if (during.statusType === BROTHER_STATUS_TYPE.printingCompleted)
              return { kind: 'printed', statusAfter: during.status };
            if (
              during.statusType === BROTHER_STATUS_TYPE.errorOccurred ||
              !canPrintOn(during.status.condition)
            )
              return { kind: 'fault_while_printing', status: during.status };
          }
        },
        close: () => link.close(),
      };
    },
  };
}
