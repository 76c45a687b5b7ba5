// The panel's session view on a synthetic 1-hour, 4-connection session, in a
// plain page (no extension needed: the data is handed over as a dump would be).
// Measures, in the browser:
//  - open: from the events in hand to every chart of the first connection
//    drawn (model built, view rendered, uPlot drawn: checked, no canvas may
//    be blank at that moment), for the ended session
//    (whole call shown) and for the same session while live (last 5 min shown);
//  - live update: one more stats sample per connection, then every chart
//    redrawn; median over 30 updates;
//  - baseline: JSON.parse of the same events, the least any viewer does with
//    them, for a ratio that holds on a loaded machine.

import { render } from 'preact';
import { syntheticSession } from '../../src/core/synthetic';
import { SessionModel } from '../../src/core/view/session-model';
import { ConnectionView } from '../../src/ui/session/ConnectionView';
import type { StoredEvent } from '../../src/core/trace';
import type { SessionRecord } from '../../src/core/session';

const flush = () => new Promise<void>((r) => queueMicrotask(r));
const frame = () => new Promise((r) => requestAnimationFrame(r));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function open(session: SessionRecord, events: StoredEvent[], pc: string, app: HTMLElement) {
  const t = performance.now();
  const model = new SessionModel(session);
  model.add(events);
  render(<ConnectionView model={model} connection={model.connections.get(pc)!} version={model.version} />, app);
  await flush();
  const ms = performance.now() - t;
  // nothing ran since: a chart whose canvas is still blank was not drawn by then
  const canvases = [...app.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')];
  const blank = canvases.filter((c) => !new Uint32Array(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.buffer).some((px) => px !== 0));
  if (blank.length > 0) throw new Error(`${blank.length} of ${canvases.length} charts were not drawn when the open was timed`);
  return { model, ms, charts: canvases.length };
}

async function run() {
  const dump = syntheticSession({ connections: 4, minutes: 60 });
  const pcs = dump.session.connections.length;
  const pc0 = dump.session.connections[0]!.id;
  // hold back the last 30 samples of every connection to feed them as live updates
  const statsIdx = dump.events.map((e, i) => (e.method === 'getStats' ? i : -1)).filter((i) => i >= 0);
  const cut = statsIdx[statsIdx.length - 30 * pcs]!;
  const initial = dump.events.slice(0, cut);
  const later = dump.events.slice(cut).filter((e) => e.method === 'getStats');

  const json = JSON.stringify(initial);
  const t0 = performance.now();
  JSON.parse(json);
  const baselineMs = performance.now() - t0;

  const app = document.getElementById('app')!;
  const ended = await open(dump.session, initial, pc0, app);
  render(null, app);
  await frame();
  const live = await open({ ...dump.session, endTime: null }, initial, pc0, app);

  const updates: number[] = [];
  for (let i = 0; i < later.length; i += pcs) {
    await frame();
    const t = performance.now();
    live.model.add(later.slice(i, i + pcs));
    render(<ConnectionView model={live.model} connection={live.model.connections.get(pc0)!} version={live.model.version} />, app);
    await flush();
    updates.push(performance.now() - t);
  }
  return {
    events: initial.length,
    charts: ended.charts,
    baselineMs,
    openEndedMs: ended.ms,
    openLiveMs: live.ms,
    updateMedianMs: median(updates),
    updates: updates.length,
  };
}

(window as unknown as { bench: Promise<unknown> }).bench = run();
