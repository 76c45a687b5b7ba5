// `npm run bench`: figures of cost, measured in one run against a baseline.
//
//  1. Page main-thread busy time (DevTools protocol Performance.getMetrics
//     TaskDuration) during the same two-connection audio+video call, with
//     and without the extension, at 1 s polling: the extension's cost per
//     second of call. Target: under 5 ms/s.
//  2. Storage per connection-minute of the captured session, against the
//     webrtc-internals dumps of ../shared/fixtures. Target: under 30 KB.
//  3. Export and import of a synthetic 1-hour session with 4 connections at
//     1 s polling, per format: time and bytes, in Node (the command line's
//     path) and in a Chromium page (the viewer's), medians of 3 runs
//     (test/bench/formats.ts). Target: each under 2 s.
//  4. Analysis (src/core/analysis): cost per getStats sample of one
//     connection with 4 tracks (target under 0.2 ms), and of a whole
//     imported 1-hour session with 4 connections (target under 1 s).
//
// (1) is measured three ways. TaskDuration is the wall time of the main
// thread's tasks, ThreadTime its CPU time (less moved by other processes
// taking the cores); both count everything the main thread did, so a busy
// machine moves them by more than the extension costs: each
// round runs the three variants (without, with, the page polling getStats
// itself) in a rotating order, and the rows give the median and the range
// over rounds of each, and of the per-round difference. The third way is
// about the extension alone: the DevTools protocol Profiler samples the page's
// main thread during the call (with the extension), and the samples whose
// nearest JavaScript frame is one of the extension's scripts (the page hook
// and the content script, chrome-extension:// URLs; natives they call, such
// as postMessage and getStats, count with them, except where a page script
// is further up the stack: that is the page's own call of a wrapped API such
// as close(), which the page makes with or without the extension) are its time.
//
// BENCH_SKIP_CALLS=1 skips the calls (1, 2), BENCH_SKIP_FORMATS=1 skips (3) after the calls;
// BENCH_PROFILE_DIR=<dir> keeps the calls' profiles there (open them in DevTools' Performance panel),
// and the panel page's (panel.cpuprofile).
// BENCH_ONLY=panel runs only the panel rows (test/bench/panel.ts), BENCH_ONLY=formats only (3).
// BENCH_SECONDS (default 60) sets the call length, BENCH_ROUNDS (default 4)
// how many rounds of the three variants run.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';
import { getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { syntheticSession } from '../../src/core/synthetic';
import { exportDump } from '../../src/core/export';
import { importDump } from '../../src/core/import';
import { nodeGzip } from '../../src/cli/node-gzip';
import { VIEWER_EXPORTS } from '../../src/ui/viewer/export-formats';
import { measurePanel } from './panel';
import { measureFormats, type FormatFigures } from './formats';
import { benchFile, runBenchPage } from './page';
import { analyzeDump, SessionAnalyzer } from '../../src/core/analysis';
import { completeStatsSamples } from '../../src/core/session';
import { callReaches } from '../support/call-page';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/dumps');

interface CallCost {
  busyMs: number;
  /** the main thread's CPU time (Performance ThreadTime) */
  cpuMs: number;
  callSeconds: number;
  /** Profiler: main-thread ms in the extension's scripts during the call, per script file */
  extensionMs?: Record<string, number>;
  /** Profiler: ms of all samples during the call (idle excluded) */
  sampledBusyMs?: number;
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
    /** TaskDuration (wall time of the main thread's tasks) and ThreadTime (the main thread's CPU time), in s */
    const taskDuration = async () => {
      const metrics = (await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[];
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
      return { task: metric('TaskDuration'), cpu: metric('ThreadTime') };
    };
    // profiled in every variant, so that the profiler's own cost is on both sides of the difference
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); // µs
    const url = `${server.origin}/call.html?seconds=${seconds}${pagePolls ? '&poll=1' : ''}`;
    await page.goto(url);
    await callReaches(page, 'connected');
    await cdp.send('Profiler.start');
    const busyStart = await taskDuration();
    await callReaches(page, 'ended', (seconds + 30) * 1000);
    const busyEnd = await taskDuration();
    const call = await page.evaluate(() => (window as unknown as CallWindow).call);
    const cost: CallCost = {
      busyMs: (busyEnd.task - busyStart.task) * 1000,
      cpuMs: (busyEnd.cpu - busyStart.cpu) * 1000,
      callSeconds: (call.endedAt - call.connectedAt) / 1000,
    };
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    if (bg) Object.assign(cost, attribute(profile, `chrome-extension://${browser.extensionId}/`));
    if (process.env.BENCH_PROFILE_DIR) {
      const name = `call-${withExtension ? 'with' : pagePolls ? 'page-polls' : 'without'}-${Date.now()}.cpuprofile`;
      writeFileSync(join(process.env.BENCH_PROFILE_DIR, name), JSON.stringify(profile));
    }
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

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Main-thread time of a Profiler profile: per extension script (by file
 * name), the samples whose nearest frame with a URL is that script (for a
 * native, only when no page script called it through the script); and all
 * samples but idle ones.
 */
function attribute(profile: CpuProfile, prefix: string): { extensionMs: Record<string, number>; sampledBusyMs: number } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** per node: the extension script it counts for, or null */
  const owner = new Map<number, string | null>();
  const ownerOf = (id: number): string | null => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const url = node.callFrame.url;
    const parentId = parent.get(id);
    const result = url ? (url.startsWith(prefix) ? url.slice(prefix.length) : null) : parentId === undefined ? null : ownerOf(parentId);
    owner.set(id, result);
    return result;
  };
  /** per node: whether a page script (a URL not the extension's) is on the stack at or above it */
  const underPage = new Map<number, boolean>();
  const isUnderPage = (id: number): boolean => {
    const known = underPage.get(id);
    if (known !== undefined) return known;
    const url = byId.get(id)!.callFrame.url;
    const parentId = parent.get(id);
    const result = (url !== '' && !url.startsWith(prefix)) || (parentId !== undefined && isUnderPage(parentId));
    underPage.set(id, result);
    return result;
  };
  const extensionMs: Record<string, number> = {};
  let sampledBusyMs = 0;
  // timeDeltas[i] is the time from sample i-1 to sample i: the time of sample i-1
  for (let i = 0; i + 1 < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const ms = profile.timeDeltas[i + 1]! / 1000;
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    sampledBusyMs += ms;
    const script = ownerOf(id);
    if (script === null) continue;
    if (byId.get(id)!.callFrame.url === '' && isUnderPage(id)) continue; // the page's own call of a wrapped native
    extensionMs[script] = (extensionMs[script] ?? 0) + ms;
  }
  return { extensionMs, sampledBusyMs };
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

/** globalThis.gc without starting Node with --expose-gc (the formats rows start each run from a collected heap). */
function exposeGc(): void {
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
}

/** (3) in Node (the command line) and in a Chromium page (the viewer): test/bench/formats.ts. */
async function formatFigures(): Promise<void> {
  exposeGc();
  const node = await measureFormats(nodeGzip);
  const page = await runBenchPage<FormatFigures>({ entry: benchFile('formats-page.ts'), workers: [benchFile('../../src/ui/shared/gzip-worker.ts')] });
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `\nSynthetic session: 4 connections, 60 min, 1 s polling: ${node.events} events. Export and import per format (medians of 3 runs), ` +
      `in Node (the command line, gzip by node:zlib) and in headless Chromium (the viewer: a plain export until the Blob it saves is whole, gzip by CompressionStream in a worker); load average ${loadavg()[0]!.toFixed(1)}.`,
  );
  for (const [where, f] of [['Node', node], ['Chromium', page]] as const) {
    console.log(
      `Baseline in ${where}: JSON.stringify of the events ${s(f.stringifyMs)} (${(f.textBytes / 1048576).toFixed(1)} MB), JSON.parse of that ${s(f.parseMs)}.`,
    );
  }
  console.log(
    `The first write to each page of ${(node.rows.find((r) => r.format === 'csv')!.bytes / 1048576).toFixed(0)} MB of new memory (the CSV's size; a floor of its export): ` +
      `${s(node.touchMs)} in Node, ${s(page.touchMs)} in Chromium.`,
  );
  console.log('Export times are also given as × the stringify of the same environment, import times as × the parse.\n');
  const ratio = (ms: number, base: number) => `${s(ms)} (${(ms / base).toFixed(1)}×)`;
  console.log(row(['format', 'bytes', 'export, Node', 'export, Chromium', 'import, Node', 'import, Chromium', 'target']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---']));
  node.rows.forEach((n, i) => {
    const c = page.rows[i]!;
    const inViewer = VIEWER_EXPORTS.some((e) => e.format === c.format && e.gzip === c.gzip);
    console.log(
      row([
        `${n.format}${n.gzip ? ' (gzip)' : ''}`,
        `${(n.bytes / 1048576).toFixed(1)} MB`,
        ratio(n.exportMs, node.stringifyMs),
        `${ratio(c.exportMs, page.stringifyMs)}${inViewer ? '' : ' †'}`,
        n.importMs === null ? 'not an import format' : ratio(n.importMs, node.parseMs),
        c.importMs === null ? '' : ratio(c.importMs, page.parseMs),
        '< 2 s each',
      ]),
    );
  });
  console.log(
    '\n† not an export of the viewer (it offers rtcstats, rtcstats .gz, webrtc-internals and CSV): a webrtc-internals gzip is made in the extension only ' +
      "inside the support bundle; the command line's `convert --to internals --gzip` is the Node figure.",
  );
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
  if (process.env.BENCH_ONLY === 'panel') return panelFigures();
  if (process.env.BENCH_ONLY === 'formats') return formatFigures();
  if (process.env.BENCH_ONLY) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY}: only 'panel' and 'formats' are known`);
  if (process.env.BENCH_SKIP_CALLS) {
    await formatFigures();
    await panelFigures();
    return analysisFigures();
  }
  console.log(
    `Two-connection audio+video call of ${seconds} s, 1 s polling, headless Chromium; ` +
      `${rounds} round(s) of (without, with the extension, without but the page polling getStats) in rotating order; ` +
      `median and [min – max] over rounds.\n`,
  );
  const runsWithout: CallCost[] = [];
  const runsWith: CallCost[] = [];
  const runsPagePolls: CallCost[] = [];
  const variants = [() => measureCall(false).then((c) => runsWithout.push(c)), () => measureCall(true).then((c) => runsWith.push(c)), () => measureCall(false, true).then((c) => runsPagePolls.push(c))];
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < variants.length; v++) await variants[(v + r) % variants.length]!();
  }
  const perSecond = (c: CallCost) => c.busyMs / c.callSeconds;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  const spread = (xs: number[], format = (x: number) => x.toFixed(2)) => `${format(median(xs))} [${format(Math.min(...xs))} – ${format(Math.max(...xs))}]`;
  const busyWithout = runsWithout.map(perSecond);
  const busyWith = runsWith.map(perSecond);
  const busyPagePolls = runsPagePolls.map(perSecond);
  const cpuPerSecond = (c: CallCost) => c.cpuMs / c.callSeconds;
  const cpuWithout = runsWithout.map(cpuPerSecond);
  const cpuWith = runsWith.map(cpuPerSecond);
  const cpuAdded = cpuWith.map((b, i) => b - cpuWithout[i]!);
  // per round: with (or page polling) minus without of the same round
  const added = busyWith.map((b, i) => b - busyWithout[i]!);
  const pageAdded = busyPagePolls.map((b, i) => b - busyWithout[i]!);
  const extensionPerSecond = runsWith.map((c) => Object.values(c.extensionMs ?? {}).reduce((a, b) => a + b, 0) / c.callSeconds);
  const scripts = [...new Set(runsWith.flatMap((c) => Object.keys(c.extensionMs ?? {})))].sort();
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
      'page main-thread busy (Performance TaskDuration), ms per s of call',
      spread(busyWithout),
      spread(busyWith),
      `${spread(added, signed)} ms/s (per round)`,
      '< 5 ms/s added',
    ]),
  );
  console.log(
    row([
      'page main-thread CPU time (Performance ThreadTime), ms per s of call',
      spread(cpuWithout),
      spread(cpuWith),
      `${spread(cpuAdded, signed)} ms/s (per round)`,
      '< 5 ms/s added',
    ]),
  );
  console.log(
    row([
      'page main-thread time in the extension\'s scripts (Profiler samples), ms per s of call',
      '',
      spread(extensionPerSecond),
      scripts.map((f) => `${f}: ${median(runsWith.map((c) => (c.extensionMs?.[f] ?? 0) / c.callSeconds)).toFixed(2)}`).join(', '),
      '< 5 ms/s added',
    ]),
  );
  console.log(
    row([
      'for comparison: the page itself calling getStats every second (no extension)',
      spread(busyWithout),
      spread(busyPagePolls),
      `${spread(pageAdded, signed)} ms/s (per round)`,
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
  if (!process.env.BENCH_SKIP_FORMATS) await formatFigures();
  await panelFigures();
  await analysisFigures();
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
