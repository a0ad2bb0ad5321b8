// The lists' two charts, drawn by uPlot (bundled, so they work offline): entries per 5 minutes,
// one line per desk, and people inside the venue over the day. Each updates in place as the store
// brings new series (a push from any desk re-reads them), so a new entry shows without a redraw of
// the page. Desk names are drawn as text (uPlot sets the legend's textContent).
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ListCharts } from '../../../shared/list-stats.ts';
import { formatCount } from '../ui/format.ts';

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];
const HEIGHT = 220;

function seconds(slots: readonly string[], slotMinutes: number, end: boolean): number[] {
  return slots.map((s) => Date.parse(s) / 1000 + (end ? slotMinutes * 60 : 0));
}

/** One uPlot chart in a box, kept across renders: new data goes through setData, new series rebuild it. */
function Chart({
  label,
  testId,
  series,
  data,
  total,
}: {
  label: string;
  testId: string;
  series: { label: string; stroke: string; fill?: string }[];
  data: uPlot.AlignedData;
  /** What the chart shows in one number, set on the box once drawn (tests and the benchmark wait for it). */
  total: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth || 600),
      height: HEIGHT,
      // At least an hour across, from zero up: a first entry shows as a point in its morning, not
      // in a span of years, and a count of 1 does not look like a peak.
      scales: {
        x: { time: true, range: (_u, min, max) => [min, Math.max(max, min + 3600)] },
        y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.15))] },
      },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => formatCount(t)) }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 2,
          ...(s.fill ? { fill: s.fill } : {}),
        })),
      ],
      legend: { show: true },
    };
    const chart = new uPlot(opts, data, el);
    plot.current = chart;
    const resize = () => chart.setSize({ width: Math.max(240, el.clientWidth || 600), height: HEIGHT });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt when the series change (a new desk); data alone goes through setData below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
    if (box.current) box.current.dataset.total = String(total);
  }, [data, total]);

  return <div ref={box} className="list-chart-plot" role="img" aria-label={label} data-testid={testId} />;
}

export function ArrivalsChart({ charts }: { charts: ListCharts }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [seconds(charts.slots, charts.slotMinutes, false), ...charts.arrivals.map((d) => d.counts)],
    [charts],
  );
  const total = charts.arrivals.reduce((n, d) => n + d.counts.reduce((m, c) => m + c, 0), 0);
  return (
    <figure className="list-chart">
      <figcaption className="stat-label">Entries per {charts.slotMinutes} minutes, by desk</figcaption>
      <Chart
        label={`Entries per ${charts.slotMinutes} minutes by desk: ${formatCount(total)} in all`}
        testId="arrivals-by-desk"
        series={charts.arrivals.map((d, i) => ({
          label: d.stationName,
          stroke: PALETTE[i % PALETTE.length]!,
        }))}
        data={data}
        total={total}
      />
    </figure>
  );
}

export function InsideChart({ charts }: { charts: ListCharts }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [seconds(charts.slots, charts.slotMinutes, true), charts.inside],
    [charts],
  );
  const now = charts.inside[charts.inside.length - 1] ?? 0;
  return (
    <figure className="list-chart">
      <figcaption className="stat-label">Inside now, over the day</figcaption>
      <Chart
        label={`People inside over the day: ${formatCount(now)} now`}
        testId="inside-over-day"
        series={[{ label: 'Inside', stroke: '#0f766e', fill: 'rgba(15, 118, 110, 0.12)' }]}
        data={data}
        total={now}
      />
    </figure>
  );
}
