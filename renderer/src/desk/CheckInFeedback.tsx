// The desk's answer panel: what a check-in or an undo did (describeCheckInOutcome's words), read
// from arm's length, with Undo, and under it the line that follows the check-in's badge.
import { useState } from 'react';
import { PRINT_JOB_STATE_LABEL } from '../../../shared/printing.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { formatClock } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import type { DeskFeedback, DeskFeedbackTone, DeskPrintLine } from './desk-slice.ts';
import { ReprintDialog } from './ReprintDialog.tsx';
import { DeskAnswers } from './DeskAnswers.tsx';

const TONE_ICON: Record<DeskFeedbackTone, string> = {
  success: '✓',
  vip: '★',
  warning: '!',
  error: '✕',
  info: '↺',
};

export function FeedbackPanel({ focusField }: { focusField: () => void }) {
  const feedback = useStore((s) => s.desk?.feedback ?? null);
  const tone = feedback?.tone ?? 'idle';
  return (
    <div
      className={`feedback feedback-${tone}`}
      role="status"
      aria-live="polite"
      data-testid="checkin-feedback"
      data-tone={tone}
    >
      {feedback ? (
        <FeedbackBody key={feedback.id} feedback={feedback} focusField={focusField} />
      ) : (
        <p className="feedback-idle">Ready for the next person</p>
      )}
    </div>
  );
}

function FeedbackBody({ feedback, focusField }: { feedback: DeskFeedback; focusField: () => void }) {
  const deskUndo = useStore((s) => s.deskUndo);
  const undoable = feedback.undoable;
  const [reprinting, setReprinting] = useState(false);
  return (
    <div className="feedback-body">
      <span className="feedback-icon" aria-hidden="true">
        {TONE_ICON[feedback.tone]}
      </span>
      <div className="feedback-text">
        <p className="feedback-title">{feedback.title}</p>
        <p className="feedback-subject">{feedback.subject}</p>
        {feedback.detail ? <p className="feedback-detail">{feedback.detail}</p> : null}
        {undoable ? <DeskAnswers attendee={undoable} /> : null}
        {feedback.print ? (
          <PrintLine line={feedback.print} onReprint={undoable ? () => setReprinting(true) : null} />
        ) : null}
      </div>
      {undoable ? (
        <button
          type="button"
          className="button feedback-undo"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            focusField();
            void deskUndo(undoable).finally(focusField);
          }}
        >
          Undo
        </button>
      ) : null}
      {reprinting && undoable && feedback.print?.priorPrint ? (
        <ReprintDialog
          attendee={undoable}
          prompt={priorPrintPrompt(feedback.print.priorPrint, formatClock)}
          onClose={() => setReprinting(false)}
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
