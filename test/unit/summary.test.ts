import { describe, expect, it } from 'vitest';
import { formatSummary, summarizeTrace } from '../../src/core/summary';
import type { SessionRecord } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';

const session: SessionRecord = {
  id: 's1', tabId: 7, url: 'https://example.com/call', origin: 'https://example.com', title: 'Call',
  startTime: 1_700_000_000_000, endTime: 1_700_000_030_000, userAgent: 'UA/1', extensionVersion: '0.1.0',
  frames: [], connections: [], tags: {}, eventCount: 0, statsCount: 0, lastEventTime: 0, bytes: 0, rawBytes: 0,
};

let seq = 0;
const ev = (t: number, pc: string | null, method: string, value: unknown = null): StoredEvent =>
  ({ sessionId: 's1', frame: 0, seq: ++seq, t: session.startTime + t, method, pc, value });

const events = [
  ev(0, null, 'create', {}),
  ev(10, 'PC_0', 'create', {}),
  ev(20, 'PC_1', 'create', {}),
  ev(500, 'PC_0', 'onconnectionstatechange', 'connecting'),
  ev(900, 'PC_0', 'onconnectionstatechange', 'connected'),
  ev(1010, 'PC_0', 'getStats', {}),
  ev(2010, 'PC_0', 'getStats', {}),
  ev(3000, 'PC_1', 'onconnectionstatechange', 'failed'),
  ev(12_010, 'PC_0', 'close'),
];

describe('summarizeTrace', () => {
  it('counts events and samples per connection and tells each outcome', () => {
    const s = summarizeTrace(session, events);
    expect(s.events).toBe(9);
    expect(s.pageEvents).toBe(1);
    expect(s.statsSamples).toBe(2);
    expect(s.connections).toEqual([
      { id: 'PC_0', events: 6, statsSamples: 2, finalState: 'connected', reachedConnected: true, closed: true, durationMs: 12_000 },
      { id: 'PC_1', events: 2, statsSamples: 0, finalState: 'failed', reachedConnected: false, closed: false, durationMs: 2980 },
    ]);
  });

  it('prints one line per connection', () => {
    const text = formatSummary(summarizeTrace(session, events));
    expect(text).toContain('Connections: 2');
    expect(text).toMatch(/PC_0 +6 events +2 samples +12\.0 s +connected, closed/);
    expect(text).toMatch(/PC_1 +2 events +0 samples +3\.0 s +never connected, failed/);
    expect(text).toContain('(30.0 s)');
  });
});
