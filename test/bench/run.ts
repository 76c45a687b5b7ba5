// `npm run bench`: figures of cost, measured in one run against a baseline.
//
//  1. Page main-thread busy time (DevTools protocol Performance.getMetrics
//     TaskDuration) during the same two-connection audio+video call, with
//     and without the extension, at 1 s polling: the extension's cost per
//     second of call. Target: under 5 ms/s.
//  2. Storage per connection-minute of the captured session, against the
//     webrtc-internals dumps of ../shared/fixtures. Target: under 30 KB.
//  3. Export and import of a synthetic 1-hour session with 4 connections at
//     1 s polling, per format: time and bytes. Target: each under 2 s.
//
//  4. Analysis (src/core/analysis): cost per getStats sample of one
//     connection with 4 tracks (target under 0.2 ms), and of a whole
//     imported 1-hour session with 4 connections (target under 1 s).
//
// BENCH_SKIP_CALLS=1 skips the calls (1, 2).
// BENCH_SECONDS (default 60) sets the call length, BENCH_ROUNDS (default 2)
// how many times each variant runs (alternating; medians are reported).

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';
import { getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { syntheticSession } from '../../src/core/synthetic';
import { exportDump, type ExportFormat } from '../../src/core/export';
import { importDump } from '../../src/core/import';
import { measurePanel } from './panel';
import { analyzeDump, SessionAnalyzer } from '../../src/core/analysis';
import { completeStatsSamples } from '../../src/core/session';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/dumps');

interface CallCost {
  busyMs: number;
  callSeconds: number;
  sessionBytes?: number;
  storageBytes?: number;
  connectionMinutes?: number;
}

type CallWindow = { call: { state: string; connectedAt: number; endedAt: number } };

async function measureCall(withExtension: boolean, pagePolls = false): Promise<CallCost> {
  const server = await servePages();
  const browser = await launchWithExtension({ withExtension });
  try {
    const bg = withExtension ? await browser.background() : null;
    const usage = () => bg!.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const usageBefore = bg ? await usage() : 0;
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskDuration = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[]).find((m) => m.name === 'TaskDuration')!.value;
    const url = `${server.origin}/call.html?seconds=${seconds}${pagePolls ? '&poll=1' : ''}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as CallWindow).call.state === 'connected', null, { timeout: 30000 });
    const busyStart = await taskDuration();
    await page.waitForFunction(() => (window as unknown as CallWindow).call.state === 'ended', null, { timeout: (seconds + 30) * 1000 });
    const busyEnd = await taskDuration();
    const call = await page.evaluate(() => (window as unknown as CallWindow).call);
    const cost: CallCost = { busyMs: (busyEnd - busyStart) * 1000, callSeconds: (call.endedAt - call.connectedAt) / 1000 };
    if (bg) {
      await page.goto('about:blank');
      // ended and compacted
      const summary = await waitFor(
        async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null && s.rawBytes === 0),
        'the session to be ended and compacted',
      );
      const { session, events } = await getSessionTrace(bg, summary.id);
      const minutes = session.connections.reduce((sum, c) => {
        const times = events.filter((e) => e.pc === c.id).map((e) => e.t);
        return sum + (Math.max(...times) - Math.min(...times)) / 60000;
      }, 0);
      cost.sessionBytes = session.bytes;
      cost.storageBytes = (await usage()) - usageBefore;
      cost.connectionMinutes = minutes;
    }
    return cost;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Bytes per connection-minute of a webrtc-internals dump: file size over the connections' stats time spans. */
function internalsBaseline(file: string): { bytesPerConnMinute: number; connectionMinutes: number } {
  const dump = JSON.parse(readFileSync(file, 'utf8')) as {
    PeerConnections: Record<string, { stats: Record<string, { values?: string }> }>;
  };
  let minutes = 0;
  for (const pc of Object.values(dump.PeerConnections)) {
    let first = Infinity;
    let last = -Infinity;
    for (const [key, series] of Object.entries(pc.stats)) {
      if (!key.endsWith('-timestamp') || !series.values) continue;
      const values = JSON.parse(series.values) as number[];
      first = Math.min(first, values[0]!);
      last = Math.max(last, values.at(-1)!);
    }
    if (last > first) minutes += (last - first) / 60000;
  }
  return { bytesPerConnMinute: statSync(file).size / minutes, connectionMinutes: minutes };
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** The devtools panel on a synthetic 1-hour, 4-connection session (test/bench/panel-page.tsx). */
async function panelFigures(): Promise<void> {
  const f = await measurePanel();
  const ratio = (ms: number) => `${(ms / f.baselineMs).toFixed(2)}× JSON.parse`;
  console.log(`\nDevtools panel, synthetic session of 4 connections × 60 min (${f.events} events; ${f.charts} charts for the connection shown; load average ${loadavg()[0]!.toFixed(1)}):\n`);
  console.log(row(['figure', 'ms', 'against the baseline', 'target']));
  console.log(row(['---', '---', '---', '---']));
  console.log(row(['baseline: JSON.parse of the events', f.baselineMs.toFixed(0), '1×', '']));
  console.log(row(['open the ended session until every chart is drawn (whole call)', f.openEndedMs.toFixed(0), ratio(f.openEndedMs), '≤ 500 ms']));
  console.log(row(['open it while live (last 5 min shown)', f.openLiveMs.toFixed(0), ratio(f.openLiveMs), '≤ 500 ms']));
  console.log(row([`one live update of all charts (median of ${f.updates})`, f.updateMedianMs.toFixed(1), ratio(f.updateMedianMs), '≤ 8 ms']));
}

async function formatFigures(): Promise<void> {
  const generated = await timed(async () => syntheticSession({ connections: 4, minutes: 60, pollMs: 1000 }));
  const dump = generated.value;
  console.log(`\nSynthetic session: 4 connections, 60 min, 1 s polling: ${dump.events.length} events (generated in ${(generated.ms / 1000).toFixed(1)} s).\n`);
  console.log(row(['format', 'export', 'bytes', 'import', 'target']));
  console.log(row(['---', '---', '---', '---', '---']));
  const cases: [ExportFormat, boolean][] = [['rtcstats', false], ['rtcstats', true], ['internals', false], ['internals', true], ['csv', false]];
  for (const [format, gzip] of cases) {
    const exported = await timed(() => exportDump(dump, format, { gzip }));
    const imported = format === 'csv' ? null : await timed(() => importDump(exported.value));
    console.log(
      row([
        `${format}${gzip ? ' (gzip)' : ''}`,
        `${(exported.ms / 1000).toFixed(2)} s`,
        `${(exported.value.length / 1024 / 1024).toFixed(1)} MB`,
        imported ? `${(imported.ms / 1000).toFixed(2)} s` : 'not an import format',
        '< 2 s each',
      ]),
    );
  }
}

async function analysisFigures(): Promise<void> {
  // per sample: one connection, 4 tracks, samples already complete (the live background has them so)
  const one = syntheticSession({ connections: 1, minutes: 20, pollMs: 1000 });
  const samples = new Map([...completeStatsSamples(one.events)].map(({ event, sample }) => [event, sample]));
  const perSample: number[] = [];
  let observations = 0;
  for (let round = 0; round < 5; round++) {
    const analyzer = new SessionAnalyzer(one.session);
    const start = performance.now();
    for (const e of one.events) analyzer.push(e, samples.get(e));
    perSample.push((performance.now() - start) / samples.size);
    observations = analyzer.result().observations.length;
  }
  perSample.sort((a, b) => a - b);
  const resultCost = await timed(async () => {
    const analyzer = new SessionAnalyzer(one.session);
    for (const e of one.events) analyzer.push(e, samples.get(e));
    const t = performance.now();
    for (let i = 0; i < 100; i++) analyzer.result();
    return (performance.now() - t) / 100;
  });

  // a whole imported hour: 4 connections, 1 s polling, read back from an rtcstats dump
  const hour = syntheticSession({ connections: 4, minutes: 60, pollMs: 1000 });
  const imported = await importDump(await exportDump(hour, 'rtcstats', { gzip: false }));
  const whole: number[] = [];
  for (let round = 0; round < 3; round++) whole.push((await timed(async () => analyzeDump(imported.dump))).ms);
  whole.sort((a, b) => a - b);
  // a baseline that slows down with the machine as the analysis does: parsing the session's events
  const text = JSON.stringify(imported.dump.events);
  const parse: number[] = [];
  for (let round = 0; round < 3; round++) parse.push((await timed(async () => JSON.parse(text) as unknown)).ms);
  parse.sort((a, b) => a - b);
  const vsParse = (ms: number) => `${(ms / parse[1]!).toFixed(2)}× JSON.parse of the hour's events (${parse[1]!.toFixed(0)} ms)`;

  console.log(`\nAnalysis (synthetic sessions; medians; load average ${loadavg()[0]!.toFixed(1)}):\n`);
  console.log(row(['figure', 'measured', 'against the baseline', 'target']));
  console.log(row(['---', '---', '---', '---']));
  console.log(row([`analysis per getStats sample, 1 connection with 4 tracks (${samples.size} samples, ${observations} observations)`, `${perSample[2]!.toFixed(3)} ms`, '', '< 0.2 ms']));
  console.log(row(['result() of that session (verdict, scores, lifecycle, observations)', `${resultCost.value.toFixed(3)} ms`, '', 'cheap enough for once a second']));
  console.log(row([
    `analyzeDump of an imported 1-hour session, 4 connections (${imported.dump.events.length} events; includes undoing the stored deltas)`,
    `${(whole[1]! / 1000).toFixed(2)} s`, vsParse(whole[1]!), '< 1 s',
  ]));
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_CALLS) {
    await formatFigures();
    await panelFigures();
    return analysisFigures();
  }
  console.log(
    `Two-connection audio+video call of ${seconds} s, 1 s polling, headless Chromium; ` +
      `${rounds} round(s) of (without, with the extension, without but the page polling getStats), medians reported.\n`,
  );
  const runsWithout: CallCost[] = [];
  const runsWith: CallCost[] = [];
  const runsPagePolls: CallCost[] = [];
  for (let r = 0; r < rounds; r++) {
    runsWithout.push(await measureCall(false));
    runsWith.push(await measureCall(true));
    runsPagePolls.push(await measureCall(false, true));
  }
  const perSecond = (c: CallCost) => c.busyMs / c.callSeconds;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const busyWithout = median(runsWithout.map(perSecond));
  const busyWith = median(runsWith.map(perSecond));
  const added = busyWith - busyWithout;
  const busyPagePolls = median(runsPagePolls.map(perSecond));
  const withExt = runsWith.at(-1)!;
  const without = runsWithout.at(-1)!;

  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const perConnMinute = median(runsWith.map((c) => (c.sessionBytes ?? 0) / (c.connectionMinutes ?? 1)));
  const storagePerConnMinute = median(runsWith.map((c) => (c.storageBytes ?? 0) / (c.connectionMinutes ?? 1)));
  const baseline = internalsBaseline(resolve(FIXTURES, 'internals/chrome147-two-pc-loopback.json'));

  console.log(row(['figure', 'without extension', 'with extension', 'difference / ratio', 'target']));
  console.log(row(['---', '---', '---', '---', '---']));
  console.log(
    row([
      'page main-thread busy, ms per s of call',
      busyWithout.toFixed(2),
      busyWith.toFixed(2),
      `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms/s`,
      '< 5 ms/s added',
    ]),
  );
  const pageAdded = busyPagePolls - busyWithout;
  console.log(
    row([
      'for comparison: the page itself calling getStats every second (no extension)',
      busyWithout.toFixed(2),
      busyPagePolls.toFixed(2),
      `${pageAdded >= 0 ? '+' : ''}${pageAdded.toFixed(2)} ms/s`,
      '',
    ]),
  );
  console.log(
    row([
      'stored trace per connection-minute (gzip chunks)',
      `webrtc-internals dump: ${kb(baseline.bytesPerConnMinute)}`,
      kb(perConnMinute),
      `${(perConnMinute / baseline.bytesPerConnMinute).toFixed(3)}× the dump`,
      '< 30 KB',
    ]),
  );
  console.log(
    row([
      'IndexedDB usage growth per connection-minute (navigator.storage.estimate; includes space freed but not yet reclaimed)',
      '',
      kb(storagePerConnMinute),
      `${(storagePerConnMinute / baseline.bytesPerConnMinute).toFixed(3)}× the dump`,
      '< 30 KB',
    ]),
  );
  console.log(`\nCall lengths (last round): ${without.callSeconds.toFixed(1)} s / ${withExt.callSeconds.toFixed(1)} s; ` +
    `connection-minutes stored: ${(withExt.connectionMinutes ?? 0).toFixed(2)}; baseline dump: ${baseline.connectionMinutes.toFixed(2)} connection-minutes.`);
  await formatFigures();
  await panelFigures();
  await analysisFigures();
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
