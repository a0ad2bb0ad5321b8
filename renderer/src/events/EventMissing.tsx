// The page of an event that is not (or not yet) in the store, for the event page and its desk.
import { useStore } from '../app/use-store.ts';

/** Loading, or gone: with the way back to the event list. */
export function EventMissing({ label }: { label?: string }) {
  const phase = useStore((s) => s.phase);
  const navigate = useStore((s) => s.navigate);
  return (
    <main className="page" aria-label={label}>
      <div className="empty-state">
        <h1>{phase === 'ready' ? 'Event not found' : 'Loading…'}</h1>
        <button type="button" className="button" onClick={() => navigate({ name: 'events' })}>
          Back to the event list
        </button>
      </div>
    </main>
  );
}
