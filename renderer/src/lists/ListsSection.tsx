// The event page's check-in lists: who is inside the venue now (a person inside two lists counts
// once), which list this desk checks in for and whether it records exits (an admin's station
// setting), each list with its rules, who is inside, who came of whom was expected, the pace and
// when the rest will be in; the desks' entries, exits and pace; the split by ticket type; the two
// charts; and for an admin adding and changing lists, checking everyone out, and each list's CSV.
import { useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { DEFAULT_DESK_PASSAGE, insideNowText, ruleText, type CheckInList } from '../../../shared/lists.ts';
import {
  paceText,
  type ListStatsRow,
  type ListWithInside,
  type ListsView,
} from '../../../shared/list-stats.ts';
import { zonedTime } from '../../../shared/time-zone.ts';
import { errorMessage, formatCount } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { LoadError, Loading } from '../ui/states.tsx';
import { ListDialog } from './ListDialog.tsx';
import { ArrivalsChart, InsideChart } from './ListCharts.tsx';

export function ListsSection({ event }: { event: SyncedEvent }) {
  const view = useStore((s) => s.lists[event.id] ?? null);
  const figures = useStore((s) => (s.listFigures?.eventId === event.id ? s.listFigures : null));
  const admin = useStore(isAdmin);
  const [editing, setEditing] = useState<CheckInList | 'new' | null>(null);
  const ticketNames = (figures?.stats?.lists.find((l) => l.main)?.byTicket ?? [])
    .map((t) => t.ticketName)
    .filter((t): t is string => t !== null);

  return (
    <section className="lists-section" aria-labelledby="lists-title" data-testid="lists-section">
      <div className="section-header">
        <h2 id="lists-title">Check-in lists</h2>
        {view ? (
          <span className="lists-venue-inside" data-testid="venue-inside-now">
            {insideNowText(view.venueInside)} in the venue
          </span>
        ) : null}
        {admin ? (
          <button type="button" className="button button-small" onClick={() => setEditing('new')}>
            Add list
          </button>
        ) : null}
      </div>
      {view === null ? <Loading /> : <ThisDesk event={event} view={view} />}
      {figures?.error && !figures.stats ? (
        <LoadError>Could not load the lists’ figures: {figures.error}</LoadError>
      ) : null}
      {view ? (
        <ListsTable
          view={view}
          rows={figures?.stats?.lists ?? []}
          onEdit={(l) => setEditing(l)}
          eventId={event.id}
        />
      ) : null}
      {figures?.stats ? <DesksTable desks={figures.stats.desks} /> : null}
      {figures?.stats ? <TicketsTable rows={figures.stats.lists} /> : null}
      {figures?.charts && figures.charts.slots.length > 0 ? (
        <div className="list-charts">
          <ArrivalsChart charts={figures.charts} />
          <InsideChart charts={figures.charts} />
        </div>
      ) : null}
      {editing && view ? (
        <ListDialog
          eventId={event.id}
          list={editing === 'new' ? null : editing}
          zone={view.zone}
          ticketNames={ticketNames}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

/** Which list this desk checks in for and whether it records exits: an admin changes it, anyone reads it. */
function ThisDesk({ event, view }: { event: SyncedEvent; view: ListsView }) {
  const admin = useStore(isAdmin);
  const saved = useStore((s) => s.settings.deskLists?.[String(event.id)] ?? DEFAULT_DESK_PASSAGE);
  const setDeskPassage = useStore((s) => s.setDeskPassage);
  const choices = view.lists.filter((l) => !l.removed || l.id === saved.listId);
  const name = view.lists.find((l) => l.id === saved.listId)?.name ?? saved.listId;
  if (!admin)
    return (
      <p className="lists-this-desk" data-testid="this-desk-list">
        This desk checks {saved.exit ? 'people out of' : 'people in for'} <strong>{name}</strong>
      </p>
    );
  return (
    <div className="lists-this-desk" data-testid="this-desk-list">
      <label className="field-inline">
        This desk checks in for{' '}
        <select
          aria-label="This desk's list"
          value={saved.listId}
          onChange={(e) => void setDeskPassage(event.id, { listId: e.target.value, exit: saved.exit })}
        >
          {choices.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <select
          aria-label="This desk records"
          value={saved.exit ? 'exit' : 'entry'}
          onChange={(e) =>
            void setDeskPassage(event.id, { listId: saved.listId, exit: e.target.value === 'exit' })
          }
        >
          <option value="entry">Entries</option>
          <option value="exit">Exits (exit mode)</option>
        </select>
      </label>
    </div>
  );
}

function whenText(l: CheckInList, zone: string): string {
  const parts: string[] = [];
  if (l.window) {
    const t = (iso: string) => zonedTime(iso, zone, l.window!.opensAt);
    parts.push(
      `${zonedTime(l.window.opensAt, zone, new Date().toISOString())}–${t(l.window.closesAt)}` +
        (l.window.toleranceMinutes ? ` (±${l.window.toleranceMinutes} min)` : ''),
    );
  } else parts.push('Any time');
  if (l.checkOutAt) parts.push(`everyone out at ${l.checkOutAt}`);
  return parts.join('; ');
}

function ListsTable({
  view,
  rows,
  onEdit,
  eventId,
}: {
  view: ListsView;
  rows: ListStatsRow[];
  onEdit: (l: CheckInList) => void;
  eventId: number;
}) {
  const admin = useStore(isAdmin);
  const removeList = useStore((s) => s.removeList);
  const checkOutAll = useStore((s) => s.checkOutAll);
  const exportListCsv = useStore((s) => s.exportListCsv);
  const toast = useStore((s) => s.toast);
  const [confirm, setConfirm] = useState<{ list: ListWithInside; what: 'remove' | 'checkOut' } | null>(null);
  const byId = new Map(rows.map((r) => [r.id, r]));

  const onCsv = async (l: CheckInList) => {
    try {
      const { filename, csv } = await exportListCsv(eventId, l.id);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.style.display = 'none';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      toast(`${l.name} exported to ${filename}`, 'success');
    } catch (err) {
      toast(`Could not export ${l.name}: ${errorMessage(err)}`, 'error');
    }
  };

  return (
    <>
      <table className="simple-table lists-table" aria-label="Check-in lists">
        <thead>
          <tr>
            <th scope="col">List</th>
            <th scope="col">Admits</th>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col" className="num">
              Inside now
            </th>
            <th scope="col" className="num">
              Admitted / expected
            </th>
            <th scope="col" className="num">
              Pace
            </th>
            <th scope="col">Expected through</th>
            {admin ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {view.lists
            .filter((l) => !l.removed || byId.has(l.id))
            .map((l) => {
              const r = byId.get(l.id);
              return (
                <tr key={l.id} className={l.removed ? 'muted' : undefined} data-testid="list-row">
                  <th scope="row">
                    {l.name}
                    {l.removed ? ' (removed)' : ''}
                  </th>
                  <td>{l.ticketTypes ? l.ticketTypes.join(', ') : 'Every ticket'}</td>
                  <td>{whenText(l, view.zone)}</td>
                  <td>{ruleText(l)}</td>
                  <td className="num" data-testid="list-inside">
                    {formatCount(l.inside)}
                  </td>
                  <td className="num">
                    {r ? `${formatCount(r.admitted)} / ${formatCount(r.expected)}` : '—'}
                  </td>
                  <td className="num">{r && r.pacePerMinute > 0 ? paceText(r.pacePerMinute) : '—'}</td>
                  <td>
                    {r?.finishAt
                      ? `${zonedTime(r.finishAt, view.zone, new Date().toISOString())} (${formatCount(r.remaining)} to come)`
                      : r && r.remaining === 0 && r.expected > 0
                        ? 'Everyone is in'
                        : '—'}
                  </td>
                  {admin ? (
                    <td className="lists-actions">
                      <button type="button" className="button button-small" onClick={() => onEdit(l)}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button button-small"
                        disabled={l.inside === 0}
                        onClick={() => setConfirm({ list: l, what: 'checkOut' })}
                      >
                        Check out all
                      </button>
                      <button type="button" className="button button-small" onClick={() => void onCsv(l)}>
                        CSV
                      </button>
                      {!l.main && !l.removed ? (
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setConfirm({ list: l, what: 'remove' })}
                        >
                          Remove
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
        </tbody>
      </table>
      {confirm ? (
        <ConfirmDialog
          title={
            confirm.what === 'remove'
              ? `Remove ${confirm.list.name}?`
              : `Check everyone out of ${confirm.list.name}?`
          }
          label={confirm.what === 'remove' ? 'Remove' : 'Check out all'}
          busyLabel={confirm.what === 'remove' ? 'Removing…' : 'Checking out…'}
          danger={confirm.what === 'remove'}
          onConfirm={async () => {
            if (confirm.what === 'remove') await removeList(eventId, confirm.list.id);
            else await checkOutAll(eventId, confirm.list.id);
          }}
          onClose={() => setConfirm(null)}
        >
          <p>
            {confirm.what === 'remove'
              ? 'Desks can no longer check in for it; its entries stay in the log and the statistics.'
              : `${formatCount(confirm.list.inside)} people inside are checked out now, on every desk of the venue.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function DesksTable({
  desks,
}: {
  desks: { stationId: string; stationName: string; entries: number; exits: number; pacePerMinute: number }[];
}) {
  if (desks.length === 0) return null;
  return (
    <table className="simple-table lists-desks" aria-label="Entries and exits by desk">
      <thead>
        <tr>
          <th scope="col">Desk</th>
          <th scope="col" className="num">
            Entries
          </th>
          <th scope="col" className="num">
            Exits
          </th>
          <th scope="col" className="num">
            Pace now
          </th>
        </tr>
      </thead>
      <tbody>
        {desks.map((d) => (
          <tr key={d.stationId}>
            <th scope="row">{d.stationName}</th>
            <td className="num">{formatCount(d.entries)}</td>
            <td className="num">{formatCount(d.exits)}</td>
            <td className="num">{paceText(d.pacePerMinute)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TicketsTable({ rows }: { rows: ListStatsRow[] }) {
  const lines = rows.flatMap((l) => l.byTicket.map((t) => ({ list: l.name, id: l.id, ...t })));
  if (lines.length === 0) return null;
  return (
    <table className="simple-table lists-tickets" aria-label="Admitted by ticket type">
      <thead>
        <tr>
          <th scope="col">List</th>
          <th scope="col">Ticket</th>
          <th scope="col" className="num">
            Admitted
          </th>
          <th scope="col" className="num">
            Expected
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((t) => (
          <tr key={`${t.id}\u0000${t.ticketName ?? ''}`}>
            <td>{t.list}</td>
            <th scope="row" className={t.ticketName === null ? 'muted' : undefined}>
              {t.ticketName ?? 'No ticket type'}
            </th>
            <td className="num">{formatCount(t.admitted)}</td>
            <td className="num">{formatCount(t.expected)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
