// The page hook's getStats schedule (src/page/stats-poller.ts), on fake
// timers: it polls every interval, stops for good once the connection is
// closed, pauses once it has been `failed` for 30 s and wakes on a state change.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Recorder } from '../../src/page/recorder';

type Poller = typeof import('../../src/page/stats-poller');
let poller: Poller;

beforeAll(async () => {
  // the hook captures setTimeout and Date.now when it loads: fake them first
  vi.useFakeTimers();
  vi.resetModules();
  poller = await import('../../src/page/stats-poller');
});

afterAll(() => {
  vi.useRealTimers();
});

interface FakeConnection {
  state: string;
  calls: number;
  getStats(): Promise<Map<string, Record<string, unknown>>>;
}

function connection(): FakeConnection {
  const pc: FakeConnection = {
    state: 'connected',
    calls: 0,
    getStats() {
      pc.calls++;
      return Promise.resolve(new Map([['OT01', { type: 'outbound-rtp', timestamp: Date.now(), bytesSent: pc.calls * 1000 }]]));
    },
  };
  return pc;
}

let emitted: { method: string; pc: string | null; value: unknown; full: boolean | undefined }[];
const recorder: Recorder = {
  emit: (method, pc, value, _extra, full) => emitted.push({ method, pc, value, full }),
  emitDeferred: () => {},
  whenStarted: () => {},
  pollIntervalMs: () => 1000,
};

function start(pc: FakeConnection) {
  return poller.startStatsPolling(pc, 'PC_0', pc.getStats as (...a: unknown[]) => unknown, (target) => (target as FakeConnection).state, recorder);
}

beforeEach(() => {
  emitted = [];
});

describe('getStats polling', () => {
  it('polls once per interval, each sample complete', async () => {
    const pc = connection();
    start(pc);
    await vi.advanceTimersByTimeAsync(999);
    expect(pc.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pc.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(4000);
    expect(pc.calls).toBe(5);
    expect(emitted.map((e) => [e.method, e.pc, e.full])).toEqual([
      ...Array.from({ length: 5 }, () => ['getStats', 'PC_0', true]),
    ]);
    expect(emitted[1]!.value).toMatchObject({ OT01: { type: 'outbound-rtp', bytesSent: 2000 } });
    pc.state = 'closed';
  });

  it('stops for good once the connection is closed', async () => {
    const pc = connection();
    const schedule = start(pc);
    await vi.advanceTimersByTimeAsync(3000);
    expect(pc.calls).toBe(3);
    pc.state = 'closed';
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pc.calls).toBe(3);
    schedule.wake(); // nothing wakes a closed connection
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pc.calls).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('pauses once the connection has been failed for 30 s, and wakes when it recovers', async () => {
    const pc = connection();
    const schedule = start(pc);
    await vi.advanceTimersByTimeAsync(2000);
    pc.state = 'failed';
    await vi.advanceTimersByTimeAsync(60_000);
    // polled while failed for less than 30 s (the first failed tick starts the clock), then no more
    expect(pc.calls).toBe(2 + 30);
    expect(vi.getTimerCount()).toBe(0);
    schedule.wake(); // still failed: stays paused
    await vi.advanceTimersByTimeAsync(5000);
    expect(pc.calls).toBe(32);
    pc.state = 'connected'; // an ICE restart
    schedule.wake();
    await vi.advanceTimersByTimeAsync(3000);
    expect(pc.calls).toBe(35);
    pc.state = 'closed';
  });

  it('keeps polling a connection that recovers from failed within 30 s', async () => {
    const pc = connection();
    start(pc);
    pc.state = 'failed';
    await vi.advanceTimersByTimeAsync(20_000);
    pc.state = 'connected';
    await vi.advanceTimersByTimeAsync(20_000);
    pc.state = 'failed';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(pc.calls).toBe(60);
    pc.state = 'closed';
  });

  it('stops when getStats throws, and never throws itself', async () => {
    const pc = connection();
    pc.getStats = () => {
      pc.calls++;
      throw new TypeError('Illegal invocation');
    };
    start(pc);
    await vi.advanceTimersByTimeAsync(5000);
    expect(pc.calls).toBe(1);
    expect(emitted).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
