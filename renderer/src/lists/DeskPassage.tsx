// The desk header's line about its check-in list: which list this desk checks in for ("Workshop B",
// "Workshop B · Exit" at an exit desk) and who is inside it now. The list is a station setting an
// admin chooses on the event page.
import {
  DEFAULT_DESK_PASSAGE,
  MAIN_LIST_NAME,
  deskPassageText,
  insideNowText,
} from '../../../shared/lists.ts';
import { useStore } from '../app/use-store.ts';

export function DeskPassageBar({ eventId }: { eventId: number }) {
  const passage = useStore((s) => s.settings.deskLists?.[String(eventId)] ?? DEFAULT_DESK_PASSAGE);
  const list = useStore((s) => s.lists[eventId]?.lists.find((l) => l.id === passage.listId) ?? null);
  const loaded = useStore((s) => s.lists[eventId] !== undefined);
  const name =
    list?.name ??
    (passage.listId === DEFAULT_DESK_PASSAGE.listId ? MAIN_LIST_NAME : 'a list not known here yet');
  return (
    <p className={`desk-passage${passage.exit ? ' desk-passage-exit' : ''}`} data-testid="desk-passage">
      <span className="desk-passage-list" data-testid="desk-list-name">
        {deskPassageText(name, passage.exit)}
      </span>
      {list?.removed ? (
        <span className="desk-passage-warning"> — removed: an admin chooses another list</span>
      ) : null}
      {loaded ? (
        <span className="desk-passage-inside" data-testid="desk-inside-now">
          {insideNowText(list?.inside ?? 0)}
        </span>
      ) : null}
    </p>
  );
}
