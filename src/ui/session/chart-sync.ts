// One cursor and one zoom for every chart of a connection: uPlot syncs the
// cursor by key; a zoom (drag to select, double-click to reset) on one chart is
// applied to the others here.

import type uPlot from 'uplot';

export class ChartSync {
  readonly key: string;
  private readonly charts = new Set<uPlot>();
  private applying = false;
  /** the x range the user zoomed to (seconds), or null to follow the data */
  zoom: { min: number; max: number } | null = null;
  /**
   * While not zoomed: show only the last this many seconds (a live call), or
   * everything (null). uPlot draws only the points in range, which keeps a live
   * update of an hour-long call as cheap as one of a five-minute call.
   */
  follow: number | null = null;
  private static next = 0;

  constructor() {
    this.key = `conn-${ChartSync.next++}`;
  }

  add(u: uPlot): void {
    this.charts.add(u);
    this.showRange(u);
  }

  /** The x range a chart shows now: the zoom, the live window, or all its data. */
  range(u: uPlot): { min: number; max: number } | null {
    if (this.zoom) return this.zoom;
    const xs = u.data[0];
    if (this.follow === null || xs.length === 0) return null;
    const last = xs[xs.length - 1]!;
    return { min: Math.max(xs[0]!, last - this.follow), max: last };
  }

  /** Applies the current range to a chart (after new data), without counting it as a user zoom. */
  showRange(u: uPlot): void {
    const range = this.range(u);
    if (!range) return;
    this.applying = true;
    try {
      u.setScale('x', range);
    } finally {
      this.applying = false;
    }
  }

  /** Shows every chart's range again (after the live window or the zoom changed). */
  refresh(): void {
    for (const u of this.charts) {
      if (this.range(u)) this.showRange(u);
      else {
        const xs = u.data[0];
        if (xs.length > 0) {
          this.applying = true;
          try {
            u.setScale('x', { min: xs[0]!, max: xs[xs.length - 1]! });
          } finally {
            this.applying = false;
          }
        }
      }
    }
  }

  remove(u: uPlot): void {
    this.charts.delete(u);
  }

  /** From a chart's setScale hook: the user zoomed, or reset the zoom (double-click: the whole data range). */
  scaled(from: uPlot, min: number, max: number, dataMin: number, dataMax: number): void {
    if (this.applying) return;
    const full = min <= dataMin && max >= dataMax;
    if (full) {
      // a reset; or uPlot fitting new data, which every chart does by itself
      if (this.zoom === null) return;
      this.zoom = null;
      this.refresh();
      return;
    }
    this.zoom = { min, max };
    this.applying = true;
    try {
      for (const u of this.charts) if (u !== from) u.setScale('x', { min, max });
    } finally {
      this.applying = false;
    }
  }

  /** Moves every chart to a moment (an observation or a log row), keeping the zoom's width. */
  focus(tSeconds: number, halfWidth = 30): void {
    this.zoom = { min: tSeconds - halfWidth, max: tSeconds + halfWidth };
    this.applying = true;
    try {
      for (const u of this.charts) u.setScale('x', this.zoom);
    } finally {
      this.applying = false;
    }
  }

  get isApplying(): boolean {
    return this.applying;
  }
}
