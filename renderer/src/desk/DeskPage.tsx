// The check-in desk: one search field that takes typed names and scanned tickets alike, the
// results to pick from, a big answer panel, and the recent check-ins. Keyboard first: ↑ ↓ choose,
// Enter checks in the chosen person, Esc clears; the field keeps the focus so the next scan always
// lands in it. "Scan with camera" reads codes from a webcam into the same path as a scanner's. At the top, what the desk's list may be missing (describeDeskList) and, once, that
// badges are not printing here (badgesNotPrintingText).
import { useEffect, useRef } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { isWorkingOffline } from '../../../shared/desk.ts';
import type { DeskListView } from '../../../shared/desk-list.ts';
import { describeDeskList } from '../../../shared/desk-list.ts';
import { badgesNotPrintingText } from '../../../shared/printing.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';
import { formatCount, formatTime } from '../ui/format.ts';
import { useNow } from '../ui/use-now.ts';
import { useCurrentEvent, useStore } from '../app/use-store.ts';
import { EventMissing, OfflineBanner, SyncStatusPill } from '../events/index.ts';
import { StorageBanner } from '../storage/index.ts';
import { DeskPassageBar } from '../lists/index.ts';
import { Results, SearchBox } from './SearchResults.tsx';
import { DeskAnnouncer, FeedbackPanel } from './CheckInFeedback.tsx';
import { RecentCheckIns } from './RecentCheckIns.tsx';
import { DoorPanel } from './DoorPanel.tsx';
import { CameraScanner } from '../camera/index.ts';
import { DeskGlance } from './DeskGlance.tsx';

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

/** "2 h ago" moves on while the desk stays open. */
const LIST_AGE_REFRESH_MS = 30_000;

function DeskView({ event }: { event: SyncedEvent }) {
  const navigate = useStore((s) => s.navigate);
  const deskScan = useStore((s) => s.deskScan);
  const now = useNow(LIST_AGE_REFRESH_MS);
  const list = describeDeskList(event, { now, time: formatTime });
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
      <DeskHeader event={event} list={list} onBack={() => navigate({ name: 'event', eventId: event.id })} />
      <StorageBanner />
      <div className="desk-grid">
        <div className="desk-main">
          <SearchBox inputRef={inputRef} />
          <CameraScanner
            onScan={(code) => void deskScan(code.text, { binary: code.binary })}
            afterControl={focusField}
          />
          <Results focusField={focusField} notFoundNote={list.notFoundNote} />
        </div>
        <div className="desk-side">
          <FeedbackPanel focusField={focusField} notFoundNote={list.notFoundNote} />
          <DeskAnnouncer />
          <DeskGlance />
          <DoorPanel eventId={event.id} focusField={focusField} />
          <RecentCheckIns />
        </div>
      </div>
    </main>
  );
}

function DeskHeader({ event, list, onBack }: { event: SyncedEvent; list: DeskListView; onBack: () => void }) {
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
      <DeskPassageBar eventId={event.id} />
      {offline ? <OfflineBanner event={event} /> : null}
      <ListBanner list={list} />
      <PrintingNotice />
    </div>
  );
}

/** "List incomplete: the import failed …", "List last synced 2 h ago (09:12): sync failed …", "List from Desk 1, …". */
function ListBanner({ list }: { list: DeskListView }) {
  const banner = list.banner;
  if (!banner) return null;
  if (banner.tone === 'calm')
    return (
      <p className="desk-list-calm" data-testid="desk-list">
        {banner.title}
      </p>
    );
  return (
    <div className={`alert alert-${banner.tone}`} role="alert" data-testid="desk-list">
      <div className="alert-text">
        <p className="alert-title">{banner.title}</p>
        {banner.detail ? <p className="alert-reason">{banner.detail}</p> : null}
      </div>
    </div>
  );
}

/** Said once, as a line that stays: check-ins at this desk print no badge. */
function PrintingNotice() {
  const settings = useStore((s) => s.settings);
  const printers = useStore((s) => s.printers);
  const exists = printers === null || printers.some((p) => p.id === settings.printerId);
  const text = badgesNotPrintingText(settings, exists);
  return text ? (
    <p className="standing-notice" data-testid="badges-not-printing">
      {text}
    </p>
  ) : null;
}
