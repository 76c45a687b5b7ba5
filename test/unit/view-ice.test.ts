// The ICE candidate grid (src/core/view/ice.ts) on Chrome- and
// Firefox-shaped stats samples and on a real dump.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import { candidateGrid, describePair, isRelayed, selectedPairIds } from '../../src/core/view/ice';
import { fixture } from './support/fixtures';

const ts = 1758602115000;

/** Chrome: the transport names the pair in use; candidates with `address` (current) or `ip` (before M100). */
const CHROME: StatsSample = {
  T01: { type: 'transport', timestamp: ts, selectedCandidatePairId: 'CPrelay', dtlsState: 'connected' },
  CPhost: {
    type: 'candidate-pair', timestamp: ts, state: 'succeeded', nominated: false, localCandidateId: 'Lhost', remoteCandidateId: 'Rsrflx',
    bytesSent: 100, bytesReceived: 900, currentRoundTripTime: 0.004, requestsSent: 3, responsesReceived: 3, requestsReceived: 2, responsesSent: 2,
  },
  CPfrozen: { type: 'candidate-pair', timestamp: ts, state: 'frozen', nominated: false, localCandidateId: 'Lhost', remoteCandidateId: 'Rhost' },
  CPfailed: { type: 'candidate-pair', timestamp: ts, state: 'failed', nominated: false, localCandidateId: 'Lhost', remoteCandidateId: 'Rhost', requestsSent: 7, responsesReceived: 0 },
  CPprogress: { type: 'candidate-pair', timestamp: ts, state: 'in-progress', nominated: false, localCandidateId: 'Lrelay', remoteCandidateId: 'Rhost' },
  CPrelay: {
    type: 'candidate-pair', timestamp: ts, state: 'succeeded', nominated: true, localCandidateId: 'Lrelay', remoteCandidateId: 'Rsrflx',
    bytesSent: 52_000, bytesReceived: 48_000, currentRoundTripTime: 0.087, requestsSent: 12, responsesReceived: 11, requestsReceived: 10, responsesSent: 10,
  },
  Lhost: { type: 'local-candidate', timestamp: ts, candidateType: 'host', protocol: 'udp', address: '192.168.1.23', port: 50000, networkType: 'wifi' },
  Lrelay: {
    type: 'local-candidate', timestamp: ts, candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls', ip: '198.51.100.9', port: 61000,
    url: 'turns:turn.example.org:443?transport=tcp',
  },
  Rsrflx: { type: 'remote-candidate', timestamp: ts, candidateType: 'srflx', protocol: 'udp', address: '203.0.113.7', port: 3478 },
  Rhost: { type: 'remote-candidate', timestamp: ts, candidateType: 'host', protocol: 'udp', address: '10.0.0.5', port: 9 },
};

/** Firefox: no transport report; the pair in use says `selected: true`; older versions named the address `ipAddress` / `portNumber`. */
const FIREFOX: StatsSample = {
  a1: { type: 'candidate-pair', timestamp: ts, state: 'succeeded', nominated: true, selected: false, localCandidateId: 'l1', remoteCandidateId: 'r1', bytesReceived: 10 },
  b2: { type: 'candidate-pair', timestamp: ts, state: 'succeeded', nominated: true, selected: true, localCandidateId: 'l2', remoteCandidateId: 'r1', bytesReceived: 5, currentRoundTripTime: 0.031 },
  c3: { type: 'candidate-pair', timestamp: ts, state: 'inprogress', localCandidateId: 'l1', remoteCandidateId: 'r1' },
  l1: { type: 'local-candidate', timestamp: ts, candidateType: 'host', protocol: 'udp', ipAddress: '192.168.1.234', portNumber: 55123 },
  l2: { type: 'local-candidate', timestamp: ts, candidateType: 'srflx', protocol: 'udp', address: '188.24.8.45', port: 55124 },
  r1: { type: 'remote-candidate', timestamp: ts, candidateType: 'srflx', protocol: 'udp', address: '3.249.64.62', port: 10000 },
};

describe('candidateGrid', () => {
  it('Chrome: every pair with its candidates; the transport names the selected one, listed first', () => {
    const grid = candidateGrid(CHROME);
    expect(selectedPairIds(CHROME)).toEqual(new Set(['CPrelay']));
    expect(grid.map((p) => [p.id, p.selected])).toEqual([
      ['CPrelay', true],
      ['CPhost', false], // succeeded
      ['CPprogress', false],
      ['CPfrozen', false],
      ['CPfailed', false],
    ]);
    const top = grid[0]!;
    expect(top).toMatchObject({ state: 'succeeded', nominated: true, bytesSent: 52_000, bytesReceived: 48_000 });
    expect(top).toMatchObject({ requestsSent: 12, responsesReceived: 11, requestsReceived: 10, responsesSent: 10 });
    expect(top.currentRttMs).toBeCloseTo(87, 9);
    expect(top.local).toEqual({
      id: 'Lrelay', candidateType: 'relay', protocol: 'udp', address: '198.51.100.9', port: 61000, relayProtocol: 'tls',
      networkType: null, url: 'turns:turn.example.org:443?transport=tcp',
    });
    expect(top.remote).toMatchObject({ id: 'Rsrflx', candidateType: 'srflx', address: '203.0.113.7', port: 3478, relayProtocol: null });
    const host = grid[1]!;
    expect(host.local).toMatchObject({ address: '192.168.1.23', port: 50000, networkType: 'wifi' });
    expect(host.currentRttMs).toBeCloseTo(4, 9);
    // a pair that never got a response: no RTT, no bytes, the checks visible
    const failed = grid[4]!;
    expect(failed).toMatchObject({ currentRttMs: null, bytesSent: null, requestsSent: 7, responsesReceived: 0 });
  });

  it('Firefox: `selected: true` marks the pair in use; ipAddress / portNumber read as address / port', () => {
    const grid = candidateGrid(FIREFOX);
    expect(grid.map((p) => [p.id, p.selected, p.nominated])).toEqual([
      ['b2', true, true],
      ['a1', false, true],
      ['c3', false, false],
    ]);
    expect(grid[0]!.currentRttMs).toBeCloseTo(31, 9);
    expect(grid[0]!.local).toMatchObject({ candidateType: 'srflx', address: '188.24.8.45', port: 55124 });
    expect(grid[1]!.local).toMatchObject({ candidateType: 'host', address: '192.168.1.234', port: 55123 });
  });

  it('pairs of equal rank: the one with more bytes received first', () => {
    const sample: StatsSample = {
      p1: { type: 'candidate-pair', state: 'succeeded', bytesReceived: 10 },
      p2: { type: 'candidate-pair', state: 'succeeded', bytesReceived: 5000 },
      p3: { type: 'candidate-pair', state: 'succeeded' },
    };
    expect(candidateGrid(sample).map((p) => p.id)).toEqual(['p2', 'p1', 'p3']);
  });

  it('a pair whose candidate report is missing keeps its row, with that side unknown', () => {
    const grid = candidateGrid({ p: { type: 'candidate-pair', state: 'waiting', localCandidateId: 'gone', remoteCandidateId: 'r' }, r: CHROME.Rhost! });
    expect(grid).toHaveLength(1);
    expect(grid[0]!.local).toBeNull();
    expect(grid[0]!.remote).toMatchObject({ candidateType: 'host' });
    expect(describePair(grid[0]!)).toBe('? ⇄ host udp');
  });

  it('no candidate pairs: an empty grid', () => {
    expect(candidateGrid({ T01: { type: 'transport' } })).toEqual([]);
  });
});

describe('describePair / isRelayed', () => {
  it('a relayed pair names the TURN transport', () => {
    const relay = candidateGrid(CHROME)[0]!;
    expect(describePair(relay)).toBe('relay (TURN over tls) udp ⇄ srflx udp');
    expect(isRelayed(relay)).toBe(true);
  });

  it('a direct pair is not relayed', () => {
    const host = candidateGrid(CHROME).find((p) => p.id === 'CPhost')!;
    expect(describePair(host)).toBe('host udp ⇄ srflx udp');
    expect(isRelayed(host)).toBe(false);
  });

  it('relayed on the remote side only counts as relayed too', () => {
    const sample: StatsSample = {
      p: { type: 'candidate-pair', state: 'succeeded', localCandidateId: 'l', remoteCandidateId: 'r' },
      l: { type: 'local-candidate', candidateType: 'host', protocol: 'udp' },
      r: { type: 'remote-candidate', candidateType: 'relay', protocol: 'udp' },
    };
    expect(isRelayed(candidateGrid(sample)[0]!)).toBe(true);
  });
});

describe('on a real dump (Jitsi, Chrome 99, connection that reconnects)', () => {
  it('the selected pair is the one the transport names, with its candidates; the TURN/TLS pair reads as relayed', async () => {
    const dump = (await importDump(new Uint8Array(readFileSync(fixture('jitsi/chrome-standard-pc-reconnect.jsonl'))))).dump;
    let last: StatsSample | undefined;
    for (const { event, sample } of completeStatsSamples(dump.events)) if (event.pc === 'PC_0') last = sample;
    const transport = Object.values(last!).find((r) => r.type === 'transport' && typeof r.selectedCandidatePairId === 'string')!;
    const pairCount = Object.values(last!).filter((r) => r.type === 'candidate-pair').length;
    const grid = candidateGrid(last!);
    expect(grid).toHaveLength(pairCount);
    expect(grid[0]!.id).toBe(transport.selectedCandidatePairId);
    expect(grid.filter((p) => p.selected)).toHaveLength(1);
    const raw = last![grid[0]!.id]!;
    expect(grid[0]!.local!.id).toBe(raw.localCandidateId);
    expect(grid[0]!.currentRttMs).toBeCloseTo((raw.currentRoundTripTime as number) * 1000, 9);
    const viaTurn = grid.filter((p) => last![String(last![p.id]!.localCandidateId)]?.candidateType === 'relay');
    expect(viaTurn.length).toBeGreaterThan(0);
    for (const p of viaTurn) {
      const rawLocal = last![String(last![p.id]!.localCandidateId)]!;
      expect(isRelayed(p)).toBe(true);
      expect(describePair(p)).toContain(`relay (TURN over ${String(rawLocal.relayProtocol)})`);
    }
    expect(isRelayed(grid[0]!)).toBe(false); // prflx ⇄ srflx: direct
  });
});
