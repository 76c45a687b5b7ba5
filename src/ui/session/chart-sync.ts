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
  private static next = 0;

  constructor() {
    this.key = `conn-${ChartSync.next++}`;
  }

  add(u: uPlot): void {
    this.charts.add(u);
    if (this.zoom) u.setScale('x', this.zoom);
  }

  remove(u: uPlot): void {
    this.charts.delete(u);
  }

  /** From a chart's setScale hook: the user zoomed or reset it. */
  scaled(from: uPlot, min: number, max: number, dataMin: number, dataMax: number): void {
    if (this.applying) return;
    const full = min <= dataMin && max >= dataMax;
    this.zoom = full ? null : { min, max };
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
