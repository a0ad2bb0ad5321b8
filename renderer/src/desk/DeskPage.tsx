// The check-in desk: one search field that takes typed names and scanned tickets alike, the
// results to pick from, a big answer panel, and the recent check-ins. Keyboard first: ↑ ↓ choose,
// Enter checks in, Esc clears; the field keeps the focus so the next scan always lands in it.
import { useEffect, useRef } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { isWorkingOffline } from '../../../shared/desk.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';
import { formatCount } from '../ui/format.ts';
import { useCurrentEvent, useStore } from '../app/use-store.ts';
import { EventMissing, OfflineBanner, SyncStatusPill } from '../events/index.ts';
import { StorageBanner } from '../storage/index.ts';
import { Results, SearchBox } from './SearchResults.tsx';
import { FeedbackPanel } from './CheckInFeedback.tsx';
import { RecentCheckIns } from './RecentCheckIns.tsx';
import { DoorPanel } from './DoorPanel.tsx';

export function DeskPage() {
  const event = useCurrentEvent();
  if (!event) return <EventMissing label="Check-in desk" />;
  return <DeskView key={event.id} event={event} />;
}

/** Keys a person (or a scanner) types while the focus is elsewhere on the desk go to the search field. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role="dialog"]')) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function DeskView({ event }: { event: SyncedEvent }) {
  const navigate = useStore((s) => s.navigate);
  const inputRef = useRef<HTMLInputElement>(null);
  const focusField = () => inputRef.current?.focus();

  useEffect(() => {
    inputRef.current?.focus();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.length !== 1 || e.key === ' ') return;
      if (isTypingTarget(e.target)) return;
      // Focus moves before the key's default action, so the character lands in the field.
      inputRef.current?.focus();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  return (
    <main className="page desk-page" aria-label="Check-in desk">
      <DeskHeader event={event} onBack={() => navigate({ name: 'event', eventId: event.id })} />
      <StorageBanner />
      <div className="desk-grid">
        <div className="desk-main">
          <SearchBox inputRef={inputRef} />
          <Results focusField={focusField} />
        </div>
        <div className="desk-side">
          <FeedbackPanel focusField={focusField} />
          <DoorPanel eventId={event.id} focusField={focusField} />
          <RecentCheckIns />
        </div>
      </div>
    </main>
  );
}

function DeskHeader({ event, onBack }: { event: SyncedEvent; onBack: () => void }) {
  const offline = isWorkingOffline(event);
  const view = describeSyncStatus(event.status, event.activeJob !== null);
  return (
    <div className="desk-header">
      <div className="desk-header-row">
        <button type="button" className="button button-small desk-back" onClick={onBack}>
          <span aria-hidden="true">←</span> Back to event
        </button>
        <div className="desk-title">
          <h1>{event.name}</h1>
          {offline ? null : view.showSyncingPill ? (
            <span className="pill pill-green" data-testid="desk-sync-status">
              <span className="pill-dot" aria-hidden="true" />
              Syncing
            </span>
          ) : (
            <span data-testid="desk-sync-status" title="Check-in keeps working from local data">
              <SyncStatusPill event={event} />
            </span>
          )}
        </div>
        <p className="desk-counter" data-testid="desk-checked-in">
          <span className="desk-counter-value">
            {formatCount(event.counts.checkedIn)} / {formatCount(event.counts.attending)}
          </span>{' '}
          checked in
        </p>
      </div>
      {offline ? <OfflineBanner event={event} /> : null}
    </div>
  );
}
