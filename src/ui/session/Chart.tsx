// One uPlot chart of a connection: its series read from the model, the
// connection's markers as vertical lines, a shared cursor and zoom.

import { useLayoutEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ConnectionModel, Marker } from '../../core/view/session-model';
import type { ChartSpec } from '../../core/view/charts';
import type { ChartSync } from './chart-sync';
import { axisValue, clockTime, formatValue } from './format';

const SERIES_COLORS = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5', '--series-6'];
const MARKER_COLORS: Record<Marker['kind'], string> = {
  state: '--fg-muted',
  'ice-restart': '--series-4',
  renegotiation: '--series-6',
  'pair-switch': '--series-5',
  track: '--series-3',
  failure: '--bad',
};
/** qualityLimitationReason bands */
export const REASON_COLORS: Record<string, string> = { cpu: '--bad', bandwidth: '--warn', other: '--series-4' };

/**
 * A theme colour. Read once per task: getComputedStyle after the DOM changed
 * recomputes styles, and 32 charts opening (or a band per sample) would do it
 * each time; the theme can change between tasks.
 */
let colours: Map<string, string> | null = null;
function css(name: string): string {
  if (!colours) {
    colours = new Map();
    setTimeout(() => (colours = null), 0);
  }
  let value = colours.get(name);
  if (value === undefined) colours.set(name, (value = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888'));
  return value;
}

/**
 * The width of a chart's box. All boxes are read together, once per task:
 * every chart inserting its canvas changes the layout, so charts reading their
 * own width one after the other would lay the page out again each time.
 */
let widths: WeakMap<Element, number> | null = null;
function plotWidth(el: HTMLElement): number {
  let width = widths?.get(el);
  if (width === undefined) {
    if (!widths) {
      widths = new WeakMap();
      setTimeout(() => (widths = null), 0);
    }
    for (const box of document.querySelectorAll('.chart-plot')) widths.set(box, box.clientWidth);
    width = widths.get(el) ?? el.clientWidth;
  }
  return Math.max(200, width);
}

export interface ChartProps {
  model: ConnectionModel;
  spec: ChartSpec;
  markers: readonly Marker[];
  sync: ChartSync;
  /** changes whenever the model has new samples */
  version: number;
  height?: number;
}

/** Sample times in seconds (uPlot's x): one array per connection, shared by its charts, grown as samples arrive. */
const secondsOf = new WeakMap<ConnectionModel, number[]>();
function seconds(model: ConnectionModel): number[] {
  let xs = secondsOf.get(model);
  if (!xs) secondsOf.set(model, (xs = []));
  const times = model.times;
  for (let i = xs.length; i < times.length; i++) xs.push(times[i]! / 1000);
  return xs;
}

/**
 * The chart's data, grown in place: samples are only ever appended to a
 * connection's columns, so each update reads just the new ones.
 */
class ChartData {
  readonly x: number[];
  /** samples read so far */
  read = 0;
  readonly ys: (number | null)[][];
  readonly counts: number[];

  constructor(
    private readonly model: ConnectionModel,
    private readonly spec: ChartSpec,
  ) {
    this.x = seconds(model);
    this.ys = spec.series.map(() => []);
    this.counts = spec.series.map(() => 0);
  }

  update(): uPlot.AlignedData {
    const from = this.read;
    this.read = seconds(this.model).length;
    // the first read takes the arrays as they come (an hour is 3600 points a series), later ones append
    this.spec.series.forEach((s, k) => {
      const fresh =
        this.spec.kind === 'bands'
          ? // a flat line at 1 where the reason is not 'none'; the bands themselves are drawn by the plugin
            this.model.textSeries(s.statsId, s.name, from).map((r) => (r === null ? null : r === 'none' ? 0 : 1))
          : this.model.series(s.statsId, s.name, from);
      for (let i = 0; i < fresh.length; i++) {
        const v = fresh[i]!;
        if (v === null) continue;
        this.counts[k]!++;
        if (s.scale !== undefined) fresh[i] = v * s.scale;
      }
      if (from === 0) this.ys[k] = fresh;
      else for (const v of fresh) this.ys[k]!.push(v);
    });
    return [this.x, ...this.ys];
  }

  /** Points with a value, in the series that has most: what tests read (data-points). */
  get points(): number {
    return Math.max(0, ...this.counts);
  }
}

function markersPlugin(getMarkers: () => readonly Marker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        const min = u.scales.x!.min!;
        const max = u.scales.x!.max!;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        for (const m of getMarkers()) {
          const t = m.t / 1000;
          if (t < min || t > max) continue;
          const x = Math.round(u.valToPos(t, 'x', true));
          ctx.strokeStyle = css(MARKER_COLORS[m.kind]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

function bandsPlugin(getReasons: () => (string | null)[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const reasons = getReasons();
        const xs = u.data[0];
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.globalAlpha = 0.35;
        for (let i = 0; i < xs.length - 1; i++) {
          const reason = reasons[i];
          if (!reason || reason === 'none') continue;
          const x0 = u.valToPos(xs[i]!, 'x', true);
          const x1 = u.valToPos(xs[i + 1]!, 'x', true);
          ctx.fillStyle = css(REASON_COLORS[reason] ?? '--series-6');
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        }
        ctx.restore();
      },
    },
  };
}

export function Chart({ model, spec, markers, sync, version, height = 150 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dataRef = useRef<ChartData | null>(null);
  /** on screen (IntersectionObserver), and whether it has samples it has not drawn */
  const visible = useRef(true);
  const stale = useRef(false);
  const markersRef = useRef(markers);
  markersRef.current = markers;

  useLayoutEffect(() => {
    const el = box.current!;
    const source = new ChartData(model, spec);
    dataRef.current = source;
    const data = source.update();
    const reasons = () => model.textSeries(spec.series[0]!.statsId, spec.series[0]!.name);
    const opts: uPlot.Options = {
      width: plotWidth(el),
      height,
      cursor: { sync: { key: sync.key, setSeries: false }, drag: { x: true, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, ...(spec.kind === 'bands' ? { y: { range: [0, 1] as uPlot.Range.MinMax } } : {}) },
      axes: [
        {
          stroke: css('--fg-muted'),
          grid: { stroke: css('--border'), width: 1 },
          ticks: { stroke: css('--border') },
          values: (_u, splits) => splits.map((t) => clockTime(t * 1000).slice(0, 8)),
          space: 60,
        },
        {
          stroke: css('--fg-muted'),
          grid: { stroke: css('--border'), width: 1 },
          ticks: { stroke: css('--border') },
          size: 50,
          values: spec.kind === 'bands' ? () => [] : (_u, vals) => vals.map((v) => axisValue(v, spec.unit)),
        },
      ],
      series: [
        { label: 'time', value: (_u: uPlot, v: number | null) => (v === null ? '–' : clockTime(v * 1000)) },
        ...spec.series.map((s, i) =>
          spec.kind === 'bands'
            ? {
                label: s.label,
                stroke: 'transparent',
                value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? '–' : (reasons()[idx] ?? '–')),
              }
            : {
                label: s.label,
                stroke: css(SERIES_COLORS[i % SERIES_COLORS.length]!),
                width: 1.5,
                spanGaps: false,
                value: (_u: uPlot, v: number | null) => formatValue(v, spec.unit),
              },
        ),
      ],
      plugins: [markersPlugin(() => markersRef.current), ...(spec.kind === 'bands' ? [bandsPlugin(reasons)] : [])],
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            // the range shown, for tests and for people reading the DOM
            el.dataset.xMin = String(u.scales.x!.min);
            el.dataset.xMax = String(u.scales.x!.max);
            if (sync.isApplying) return;
            const xs = u.data[0];
            if (xs.length === 0) return;
            sync.scaled(u, u.scales.x!.min!, u.scales.x!.max!, xs[0]!, xs[xs.length - 1]!);
          },
        ],
      },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    el.dataset.points = String(source.points);
    sync.add(u);
    // (it reports the size it finds on observe too: a setSize to the same size would draw the chart again)
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (width !== u.width || height !== u.height) u.setSize({ width, height });
    });
    resize.observe(el);
    // Charts scrolled out of view take new samples but draw them only when they come back into view.
    const seen = new IntersectionObserver((entries) => {
      visible.current = entries.some((e) => e.isIntersecting);
      if (visible.current && stale.current) redraw();
    });
    seen.observe(el);
    return () => {
      seen.disconnect();
      resize.disconnect();
      sync.remove(u);
      u.destroy();
      plot.current = null;
    };
    // a new chart only for a new spec; data changes go through setData below
  }, [model, spec.key, spec.series.length]);

  /** Gives uPlot the data it has not drawn yet. */
  const redraw = () => {
    const u = plot.current;
    const source = dataRef.current;
    if (!u || !source) return;
    stale.current = false;
    const data: uPlot.AlignedData = [source.x, ...source.ys];
    const fixed = sync.range({ data } as unknown as uPlot);
    u.setData(data, fixed === null);
    if (fixed) sync.showRange(u);
  };

  useLayoutEffect(() => {
    const source = dataRef.current;
    if (!plot.current || !source) return;
    const before = source.read;
    source.update();
    if (source.read === before) return;
    box.current!.dataset.points = String(source.points);
    stale.current = true;
    if (visible.current) redraw();
  }, [version]);

  return (
    <figure class="chart" data-chart={spec.key}>
      <figcaption>
        {spec.title}
        {spec.unit && spec.unit !== 'px' ? <span class="muted"> ({spec.unit})</span> : null}
      </figcaption>
      <div ref={box} class="chart-plot" />
    </figure>
  );
}
