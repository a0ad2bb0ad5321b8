// The check-in lists as the event page and the desk read them: each event's lists with who is
// inside, this desk's list and mode (a station setting), and on the event page the statistics and
// the charts' series. The charts move live: each push of new entries (from any desk) carries their
// tallies, applied at once; the series are read whole again now and then.
import type { ListDefinition, DeskPassage } from '../../../shared/lists.ts';
import { applyTallies, type ListCharts, type ListStats, type ListsView } from '../../../shared/list-stats.ts';
import { errorMessage } from '../ui/format.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export interface ListFigures {
  eventId: number;
  stats: ListStats | null;
  charts: ListCharts | null;
  error: string | null;
}

export interface ListsSlice {
  /** Each event's lists and who is inside, as last read (the event page and the desk read them). */
  lists: Record<number, ListsView>;
  /** The open event page's statistics and charts. */
  listFigures: ListFigures | null;
  loadLists(eventId: number): Promise<void>;
  /** Adds a list (no listId) or changes one; a refusal is the caller's to show (the dialog stays open). */
  saveList(eventId: number, listId: string | undefined, definition: ListDefinition): Promise<void>;
  removeList(eventId: number, listId: string): Promise<boolean>;
  checkOutAll(eventId: number, listId: string): Promise<boolean>;
  /** The list this station's desk checks in for, and whether it records exits (admin). */
  setDeskPassage(eventId: number, passage: DeskPassage): Promise<boolean>;
  exportListCsv(eventId: number, listId: string): Promise<{ filename: string; csv: string }>;
}

/** How soon the lists (inside now) are re-read after a push; the charts are re-read at once. */
const LISTS_AFTER_PUSH_MS = 100;
const STATS_AFTER_PUSH_MS = 1_000;
const CHARTS_AFTER_PUSH_MS = 2_000;

export const createListsSlice: SliceCreator<ListsSlice> =
  ({ call, adminCall, timers, signals, newActionId }) =>
  (set, get) => {
    const reads = new Coalescer();
    const throttle = new Throttle(timers);

    const loadLists = (eventId: number) =>
      reads.run(`lists:${eventId}`, async () => {
        const view = await call('lists.view', { eventId });
        set((s) => ({ lists: { ...s.lists, [eventId]: view } }));
      });

    /** The charts' series: read at once on a change, so a new entry shows without a wait. */
    const refreshCharts = (eventId: number) =>
      reads.run(`charts:${eventId}`, async () => {
        if (get().listFigures?.eventId !== eventId) return;
        try {
          const charts = await call('lists.charts', { eventId });
          set((s) =>
            s.listFigures?.eventId === eventId ? { listFigures: { ...s.listFigures, charts } } : {},
          );
        } catch (err) {
          set((s) =>
            s.listFigures?.eventId === eventId
              ? { listFigures: { ...s.listFigures, error: errorMessage(err) } }
              : {},
          );
        }
      });

    /** The tables' figures: a heavier read, at most once a second while entries pour in. */
    const refreshStats = (eventId: number) =>
      reads.run(`stats:${eventId}`, async () => {
        if (get().listFigures?.eventId !== eventId) return;
        try {
          const stats = await call('lists.stats', { eventId });
          set((s) =>
            s.listFigures?.eventId === eventId
              ? { listFigures: { ...s.listFigures, stats, error: null } }
              : {},
          );
        } catch (err) {
          set((s) =>
            s.listFigures?.eventId === eventId
              ? { listFigures: { ...s.listFigures, error: errorMessage(err) } }
              : {},
          );
        }
      });

    const refreshFigures = (eventId: number) => Promise.all([refreshCharts(eventId), refreshStats(eventId)]);

    const changed = (eventId: number) => {
      if (get().lists[eventId])
        throttle.soon(`lists:${eventId}`, LISTS_AFTER_PUSH_MS, () => void loadLists(eventId));
      if (get().listFigures?.eventId !== eventId) return;
      // The pushes' tallies move the charts at once (passagesChanged); the whole series is read
      // again now and then, and the tables at most once a second.
      throttle.soon(`charts:${eventId}`, CHARTS_AFTER_PUSH_MS, () => void refreshCharts(eventId));
      throttle.soon(`stats:${eventId}`, STATS_AFTER_PUSH_MS, () => void refreshStats(eventId));
    };
    signals.onPush('passagesChanged', ({ eventId, tallies, complete, venueInside }) => {
      const figures = get().listFigures;
      if (figures?.eventId !== eventId) return;
      if (!complete || !figures.charts || figures.charts.slots.length === 0) {
        void refreshCharts(eventId);
        return;
      }
      const charts = applyTallies(figures.charts, tallies, venueInside);
      set((s) => (s.listFigures?.eventId === eventId ? { listFigures: { ...s.listFigures, charts } } : {}));
    });
    signals.onPush('checkinsChanged', ({ eventId }) => changed(eventId));
    signals.onPush('listsChanged', ({ eventId }) => changed(eventId));
    signals.onPush('venueChanged', ({ eventId }) => {
      if (eventId !== null) changed(eventId);
    });
    signals.onReconnect(() => {
      for (const id of Object.keys(get().lists)) void loadLists(Number(id));
      const open = get().listFigures;
      if (open) void refreshFigures(open.eventId);
    });
    signals.onRoute((route, cause) => {
      if (route.name === 'event' || route.name === 'desk')
        void loadLists(route.eventId).catch(() => undefined);
      if (route.name === 'event') {
        if (get().listFigures?.eventId !== route.eventId)
          set({ listFigures: { eventId: route.eventId, stats: null, charts: null, error: null } });
        void refreshFigures(route.eventId);
      } else if (cause === 'navigate') set({ listFigures: null });
    });

    const act = async (run: () => Promise<unknown>, done: string, failed: string, eventId: number) => {
      try {
        await run();
        if (done) get().toast(done, 'success');
        void loadLists(eventId);
        if (get().listFigures?.eventId === eventId) void refreshFigures(eventId);
        return true;
      } catch (err) {
        get().toast(`${failed}: ${errorMessage(err)}`, 'error');
        return false;
      }
    };

    return {
      lists: {},
      listFigures: null,
      loadLists,

      async saveList(eventId, listId, definition) {
        await adminCall('lists.save', {
          eventId,
          actionId: newActionId(),
          definition,
          ...(listId ? { listId } : {}),
        });
        get().toast(`List “${definition.name.trim()}” saved`, 'success');
        void loadLists(eventId);
        if (get().listFigures?.eventId === eventId) void refreshFigures(eventId);
      },

      removeList(eventId, listId) {
        return act(
          () => adminCall('lists.remove', { eventId, listId, actionId: newActionId() }),
          'List removed',
          'Could not remove the list',
          eventId,
        );
      },

      checkOutAll(eventId, listId) {
        return act(
          async () => {
            const { checkedOut } = await adminCall('lists.checkOutAll', {
              eventId,
              listId,
              actionId: newActionId(),
            });
            get().toast(`${checkedOut} checked out`, 'success');
          },
          '',
          'Could not check everyone out',
          eventId,
        );
      },

      setDeskPassage(eventId, passage) {
        return act(
          async () => {
            const saved = await adminCall('lists.setDesk', { eventId, ...passage });
            set((s) => ({
              settings: {
                ...s.settings,
                deskLists: { ...(s.settings.deskLists ?? {}), [String(eventId)]: saved },
              },
            }));
          },
          'This desk’s list is saved',
          'Could not choose this desk’s list',
          eventId,
        );
      },

      exportListCsv(eventId, listId) {
        return adminCall('lists.exportCsv', { eventId, listId });
      },
    };
  };
