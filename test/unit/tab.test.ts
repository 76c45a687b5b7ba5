// A tab's page loads as one dump (src/core/tab.ts): which sessions belong to
// the tab, and a merge that every format writes and reads back.

import { describe, expect, it } from 'vitest';
import { mergeTabSessions, sessionsOfSameTab } from '../../src/core/tab';
import { syntheticSession } from '../../src/core/synthetic';
import { exportDump } from '../../src/core/export';
import { importDump } from '../../src/core/import';
import { buildInternals } from '../../src/core/internals-export';
import { completeStatsSamples } from '../../src/core/session';
import type { SessionDump } from '../../src/core/dump';
import type { StatsSample } from '../../src/core/stats-delta';
import { makeSupportBundle } from '../../src/core/bundle';
import { strFromU8, unzipSync } from 'fflate';

describe('sessionsOfSameTab', () => {
  const s = (id: string, tabId: number, browserRun: string | undefined, startTime: number) => ({ id, tabId, browserRun, startTime });
  const all = [s('c', 7, 'run2', 300), s('a', 7, 'run2', 100), s('old', 7, 'run1', 50), s('other', 8, 'run2', 200), s('b', 7, 'run2', 200)];

  it('gives the sessions of the same tab in the same browser run, oldest first', () => {
    expect(sessionsOfSameTab(all, 'b').map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // tab ids start again after a restart: the earlier run's tab 7 is another tab
    expect(sessionsOfSameTab(all, 'old').map((x) => x.id)).toEqual(['old']);
    expect(sessionsOfSameTab(all, 'other').map((x) => x.id)).toEqual(['other']);
  });

  it('gives nothing for an unknown session, and groups sessions stored without a run by tab', () => {
    expect(sessionsOfSameTab(all, 'nope')).toEqual([]);
    const legacy = [s('x', 3, undefined, 1), s('y', 3, undefined, 2), s('z', 3, 'run2', 3)];
    expect(sessionsOfSameTab(legacy, 'y').map((x) => x.id)).toEqual(['x', 'y']);
  });
});

/** Two page loads of one tab: a 2-connection call, reloaded, then a 1-connection call. */
function reloadedCall(): [SessionDump, SessionDump] {
  const first = syntheticSession({ connections: 2, minutes: 1, pollMs: 1000, seed: 1 });
  const second = syntheticSession({ connections: 1, minutes: 1, pollMs: 1000, seed: 2, startTime: first.session.startTime + 90_000 });
  second.session.url = 'https://meet.example.com/room/synthetic?reloaded=1';
  second.session.frames = second.session.frames.map((f) => ({ ...f, url: second.session.url }));
  return [first, second];
}

/** Per connection: its complete samples. */
function samplesByConnection(dump: SessionDump): Map<string, StatsSample[]> {
  const out = new Map<string, StatsSample[]>();
  for (const { event, sample } of completeStatsSamples(dump.events)) {
    const list = out.get(event.pc!) ?? [];
    list.push(sample);
    out.set(event.pc!, list);
  }
  return out;
}

describe('mergeTabSessions', () => {
  it("keeps the first page load's connection ids and qualifies the later ones' by their frame in the merged session", () => {
    const [first, second] = reloadedCall();
    expect(first.session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1']);
    expect(second.session.connections.map((c) => c.id)).toEqual(['PC_0']);
    const merged = mergeTabSessions([first, second]);
    const secondFrame = first.session.frames.length;
    expect(merged.session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1', `f${secondFrame}-PC_0`]);
    expect(merged.session.connections.map((c) => c.frame)).toEqual([0, 0, secondFrame]);
    // each page load's top frame, with its URL
    expect(merged.session.frames.filter((f) => f.isTop).map((f) => f.url)).toEqual([first.session.url, second.session.url]);
    expect(merged.session.startTime).toBe(first.session.startTime);
    expect(merged.session.endTime).toBe(second.session.endTime);
    expect(merged.session.eventCount).toBe(first.session.eventCount + second.session.eventCount);
  });

  it('has every event of both page loads, in time order, and the same samples per connection', () => {
    const [first, second] = reloadedCall();
    const merged = mergeTabSessions([first, second]);
    expect(merged.events).toHaveLength(first.events.length + second.events.length);
    expect(merged.events.every((e, i) => i === 0 || e.t >= merged.events[i - 1]!.t)).toBe(true);
    expect(new Set(merged.events.map((e) => e.sessionId))).toEqual(new Set([merged.session.id]));
    const samples = samplesByConnection(merged);
    const secondFrame = first.session.frames.length;
    expect(samples.get('PC_0')).toEqual(samplesByConnection(first).get('PC_0'));
    expect(samples.get('PC_1')).toEqual(samplesByConnection(first).get('PC_1'));
    expect(samples.get(`f${secondFrame}-PC_0`)).toEqual(samplesByConnection(second).get('PC_0'));
    const methods = (d: SessionDump, pc: string) => d.events.filter((e) => e.pc === pc).map((e) => e.method);
    expect(methods(merged, `f${secondFrame}-PC_0`)).toEqual(methods(second, 'PC_0'));
  });

  it('writes rtcstats that reads back with the connections and samples of both page loads', async () => {
    const [first, second] = reloadedCall();
    const merged = mergeTabSessions([first, second]);
    const back = (await importDump(await exportDump(merged, 'rtcstats'))).dump;
    expect(back.session.connections.map((c) => c.id).sort()).toEqual(merged.session.connections.map((c) => c.id).sort());
    expect(samplesByConnection(back)).toEqual(samplesByConnection(merged));
  });

  it("writes webrtc-internals with one entry per connection, each with its page load's URL", () => {
    const [first, second] = reloadedCall();
    const doc = buildInternals(mergeTabSessions([first, second]));
    const entries = Object.entries(doc.PeerConnections);
    expect(entries).toHaveLength(3);
    expect(entries.map(([, pc]) => pc.url)).toEqual([first.session.url, first.session.url, second.session.url]);
    // the second page load's connection has its own process key, as after a reload in Chrome
    expect(new Set(entries.map(([key]) => key.split('-')[0])).size).toBe(2);
  });

  it('requalifies connections of sub-frames, and returns a single page load as it is', () => {
    const [first, second] = reloadedCall();
    const withFrame: SessionDump = {
      session: {
        ...second.session,
        frames: [...second.session.frames, { key: 'child', frameId: 5, url: 'https://widget.example/', origin: 'https://widget.example', isTop: false, firstSeen: second.session.startTime }],
        connections: [...second.session.connections, { id: 'f1-PC_9', frame: 1, createdAt: second.session.startTime, closedAt: null, configuration: {} }],
      },
      events: [...second.events, { sessionId: second.session.id, frame: 1, seq: 0, t: second.session.startTime + 1, method: 'create', pc: 'f1-PC_9', value: {} }],
    };
    const merged = mergeTabSessions([first, withFrame]);
    const n = first.session.frames.length;
    expect(merged.session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1', `f${n}-PC_0`, `f${n + 1}-PC_9`]);
    expect(merged.events.filter((e) => e.pc === `f${n + 1}-PC_9`).map((e) => e.frame)).toEqual([n + 1]);
    // a dump whose record lists no frames (as some imports make): its frames are made, its page load still a top frame
    const bare: SessionDump = { session: { ...second.session, frames: [] }, events: second.events };
    const withBare = mergeTabSessions([first, bare]);
    expect(withBare.session.frames.filter((f) => f.isTop).map((f) => f.url)).toEqual([first.session.url, second.session.url]);
    expect(withBare.session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1', `f${n}-PC_0`]);
    expect(mergeTabSessions([first])).toBe(first);
    expect(() => mergeTabSessions([])).toThrow(/no session/);
  });

  it('makes a support bundle whose README lists the page loads (their URLs redacted) and whose dumps hold both', async () => {
    const [first, second] = reloadedCall();
    const bundle = await makeSupportBundle(mergeTabSessions([first, second]));
    const files = unzipSync(bundle.bytes);
    const readme = strFromU8(files['README.txt']!);
    expect(readme).toContain('of 2 page loads of one tab');
    expect(readme).toContain(`1. ${new Date(first.session.startTime).toISOString()}  https://meet.example.com/room/synthetic\n`);
    expect(readme).toContain(`2. ${new Date(second.session.startTime).toISOString()}  https://meet.example.com/room/synthetic\n`); // (query removed)
    expect(readme).not.toContain('reloaded=1');
    const rtcstats = Object.keys(files).find((n) => n.endsWith('.rtcstats.jsonl.gz'))!;
    const back = (await importDump(files[rtcstats]!)).dump;
    expect(back.session.connections).toHaveLength(3);
  });
});
