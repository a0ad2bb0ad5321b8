// The desk's answer panel: the latest action on the desk, read from arm's length. What a check-in
// or an undo did (describeCheckInOutcome's words), "Several match", "Not found" with what the
// desk's list may be missing, a badge printed without a check-in; with Undo and Print badge where
// they apply, and under it the line that follows the badge. The door's part (AnswerDoor.tsx): what
// staff must notice of the person, "Confirm and check in" for a flagged one, their order's people,
// and the Undo of a group check-in.
import { useState } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { PRINT_JOB_STATE_LABEL } from '../../../shared/printing.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { formatClock } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import type { DeskFeedback, DeskFeedbackTone, DeskPrintLine } from './desk-feedback.ts';
import { ReprintDialog } from './ReprintDialog.tsx';
import { DeskAnswers } from './DeskAnswers.tsx';
import { AnswerDoorFacts, AnswerOrder } from './AnswerDoor.tsx';
import { OverrideDialog } from './OverrideDialog.tsx';
import { LiveAnnouncer } from '../ui/LiveAnnouncer.tsx';
import { spokenAnswer } from './answer-speech.ts';

const TONE_ICON: Record<DeskFeedbackTone, string> = {
  success: '✓',
  vip: '★',
  warning: '!',
  error: '✕',
  info: '↺',
  badge: '▣',
};

/** The desk's live region: says each answer of the panel as it comes (spokenAnswer). */
export function DeskAnnouncer() {
  const feedback = useStore((s) => s.desk?.feedback ?? null);
  return <LiveAnnouncer announcement={feedback ? spokenAnswer(feedback) : null} testId="desk-announcer" />;
}

/** `notFoundNote`: what the desk's list may be missing (describeDeskList), said under a "not found". */
export function FeedbackPanel({
  focusField,
  notFoundNote,
}: {
  focusField: () => void;
  notFoundNote: string | null;
}) {
  const feedback = useStore((s) => s.desk?.feedback ?? null);
  const tone = feedback?.tone ?? 'idle';
  // Every answer is said by the desk's live region (DeskAnnouncer); the panel itself is not live,
  // so its buttons and print line are not read again at each change.
  return (
    <div
      className={`feedback feedback-${tone}`}
      role="region"
      aria-label="Answer"
      data-testid="checkin-feedback"
      data-tone={tone}
    >
      {feedback ? (
        <FeedbackBody
          key={feedback.id}
          feedback={feedback}
          focusField={focusField}
          notFoundNote={feedback.notFound ? notFoundNote : null}
        />
      ) : (
        <p className="feedback-idle">Ready for the next person</p>
      )}
    </div>
  );
}

function FeedbackBody({
  feedback,
  focusField,
  notFoundNote,
}: {
  feedback: DeskFeedback;
  focusField: () => void;
  notFoundNote: string | null;
}) {
  const deskUndo = useStore((s) => s.deskUndo);
  const deskPrintBadge = useStore((s) => s.deskPrintBadge);
  const deskReprinted = useStore((s) => s.deskReprinted);
  const deskConfirm = useStore((s) => s.deskConfirm);
  const undoGroup = useStore((s) => s.undoGroup);
  const undoable = feedback.undoable;
  const { person, confirmable, order, group } = feedback;
  // With no printer at this desk there is no badge to offer (the desk's standing notice says so).
  const hasPrinter = useStore((s) => s.settings.printerId !== null);
  const printable = hasPrinter ? (feedback.printable ?? null) : null;
  const [reprint, setReprint] = useState<{ attendee: Attendee; prompt: string | null } | null>(null);
  // A list's refusal: an admin may admit the person anyway, with a reason.
  const admin = useStore(isAdmin);
  const overridable = admin ? (feedback.overridable ?? null) : null;
  const [overriding, setOverriding] = useState<Attendee | null>(null);

  const onPrint = async (attendee: Attendee) => {
    const result = await deskPrintBadge(attendee);
    if (result.kind === 'already_printed') setReprint({ attendee, prompt: null });
    else if (result.kind === 'printed_in_venue')
      setReprint({ attendee, prompt: priorPrintPrompt(result.prior, formatClock) });
  };
  const priorPrint = feedback.print?.priorPrint;
  const onReprint =
    undoable && priorPrint
      ? () => setReprint({ attendee: undoable, prompt: priorPrintPrompt(priorPrint, formatClock) })
      : null;

  return (
    <div className="feedback-body">
      <span className="feedback-icon" aria-hidden="true">
        {TONE_ICON[feedback.tone]}
      </span>
      <div className="feedback-text">
        <p className="feedback-title">{feedback.title}</p>
        <p className="feedback-subject">{feedback.subject}</p>
        {feedback.detail ? (
          // A flagged person's reason is what the operator must read before confirming: large.
          <p
            className={confirmable ? 'answer-attention' : 'feedback-detail'}
            data-testid={confirmable ? 'answer-attention' : undefined}
          >
            {feedback.detail}
          </p>
        ) : null}
        {notFoundNote ? <p className="feedback-detail feedback-list-note">{notFoundNote}</p> : null}
        {person ? <AnswerDoorFacts person={person} flagSaid={Boolean(confirmable)} /> : null}
        {undoable ? <DeskAnswers attendee={undoable} /> : null}
        {feedback.print ? <PrintLine line={feedback.print} onReprint={onReprint} /> : null}
        {order && person ? <AnswerOrder person={person} order={order} focusField={focusField} /> : null}
      </div>
      {undoable || printable || confirmable || group || overridable ? (
        <div className="feedback-actions" onMouseDown={(e) => e.preventDefault()}>
          {overridable ? (
            <button
              type="button"
              className="button feedback-override"
              onClick={() => setOverriding(overridable)}
            >
              Admit anyway…
            </button>
          ) : null}
          {confirmable ? (
            <button
              type="button"
              className="button button-primary feedback-confirm"
              onClick={() => {
                focusField();
                void deskConfirm(confirmable).finally(focusField);
              }}
            >
              Confirm and check in
            </button>
          ) : null}
          {group ? (
            <button
              type="button"
              className="button feedback-undo"
              onClick={() => {
                focusField();
                void undoGroup(group).finally(focusField);
              }}
            >
              {group.checkedIn === 1 ? 'Undo' : `Undo all ${group.checkedIn}`}
            </button>
          ) : null}
          {undoable ? (
            <button
              type="button"
              className="button feedback-undo"
              onClick={() => {
                focusField();
                void deskUndo(undoable).finally(focusField);
              }}
            >
              Undo
            </button>
          ) : null}
          {printable ? (
            <button
              type="button"
              className="button feedback-print-badge"
              onClick={() => {
                focusField();
                void onPrint(printable);
              }}
            >
              Print badge
            </button>
          ) : null}
        </div>
      ) : null}
      {overriding ? (
        <OverrideDialog
          attendee={overriding}
          refusal={feedback.detail}
          onClose={() => {
            setOverriding(null);
            focusField();
          }}
        />
      ) : null}
      {reprint ? (
        <ReprintDialog
          attendee={reprint.attendee}
          prompt={reprint.prompt}
          onReprinted={(job) => deskReprinted(reprint.attendee, job)}
          onClose={() => setReprint(null)}
        />
      ) : null}
    </div>
  );
}

/**
 * "Badge printing on <printer>" under a check-in, following its job. A printer problem is amber
 * and says the check-in is done: the person is in, only the badge waits (see the Print queue).
 * A badge the venue already printed at some desk was not queued: the line asks, and offers a reprint.
 */
function PrintLine({ line, onReprint }: { line: DeskPrintLine; onReprint: (() => void) | null }) {
  const job = line.job;
  const printer = job?.printerName ?? line.printerName;
  if (!job && line.priorPrint) {
    return (
      <p
        className="feedback-print feedback-print-note"
        data-testid="auto-print-status"
        data-state="printed_in_venue"
      >
        {priorPrintPrompt(line.priorPrint, formatClock)}{' '}
        {onReprint ? (
          <button
            type="button"
            className="link-button"
            onMouseDown={(e) => e.preventDefault()}
            onClick={onReprint}
          >
            Reprint…
          </button>
        ) : null}
      </p>
    );
  }
  if (
    job &&
    (job.state === 'failed' || job.state === 'may_have_printed' || (job.state === 'queued' && job.error))
  ) {
    const problem = job.error ?? 'the app stopped while this badge was printing';
    return (
      <p
        className="feedback-print feedback-print-problem"
        data-testid="auto-print-status"
        data-state={job.state}
      >
        Printer problem: {problem} — check-in is done
      </p>
    );
  }
  if (!job && line.note) {
    return (
      <p className="feedback-print feedback-print-note" data-testid="auto-print-status" data-state="none">
        {line.note}
      </p>
    );
  }
  const state = job ? PRINT_JOB_STATE_LABEL[job.state] : 'Sending…';
  return (
    <p
      className={`feedback-print${job?.state === 'printed' ? ' feedback-print-done' : ''}`}
      data-testid="auto-print-status"
      data-state={job?.state ?? 'waiting'}
    >
      <span className="feedback-print-dot" aria-hidden="true" />
      Badge printing on {printer} · <span className="feedback-print-state">{state}</span>
    </p>
  );
}
