// A live region that reads every answer aloud, even one that reads exactly as the one before (the
// same person scanned twice): messages alternate between two regions, so each one is new text in
// its region and the screen reader speaks it. The regions exist before any message (a region
// added with its text is not read), two polite and two assertive. Hidden on screen: the page
// shows the answer itself.

import type { Announcement } from './announcement.ts';

const REGIONS = [
  { live: 'polite', urgent: false, parity: 0 },
  { live: 'polite', urgent: false, parity: 1 },
  { live: 'assertive', urgent: true, parity: 0 },
  { live: 'assertive', urgent: true, parity: 1 },
] as const;

export function LiveAnnouncer({
  announcement,
  testId,
}: {
  announcement: Announcement | null;
  testId?: string;
}) {
  return (
    <div className="visually-hidden" data-testid={testId}>
      {REGIONS.map((r, i) => (
        <p key={i} aria-live={r.live} aria-atomic="true">
          {announcement && announcement.urgent === r.urgent && announcement.id % 2 === r.parity
            ? announcement.text
            : ''}
        </p>
      ))}
    </div>
  );
}
