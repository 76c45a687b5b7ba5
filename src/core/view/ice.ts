// The ICE candidate grid: every candidate pair of a stats sample with its two
// candidates, and which pair carries the media.

import type { StatsReport, StatsSample } from '../stats-delta';

export interface CandidateInfo {
  id: string;
  /** host / srflx / prflx / relay */
  candidateType: string;
  protocol: string;
  address: string;
  port: number | null;
  /** relay candidates: udp / tcp / tls between the browser and the TURN server */
  relayProtocol: string | null;
  networkType: string | null;
  url: string | null;
}

export interface CandidatePairRow {
  id: string;
  state: string;
  nominated: boolean;
  selected: boolean;
  local: CandidateInfo | null;
  remote: CandidateInfo | null;
  bytesSent: number | null;
  bytesReceived: number | null;
  /** ms, the last STUN round trip */
  currentRttMs: number | null;
  requestsSent: number | null;
  responsesReceived: number | null;
  requestsReceived: number | null;
  responsesSent: number | null;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

function candidate(report: StatsReport | undefined, id: unknown): CandidateInfo | null {
  if (!report || typeof id !== 'string') return null;
  return {
    id,
    candidateType: str(report.candidateType) ?? '?',
    protocol: str(report.protocol) ?? '?',
    address: str(report.address) ?? str(report.ip) ?? str(report.ipAddress) ?? '',
    port: num(report.port) ?? num(report.portNumber),
    relayProtocol: str(report.relayProtocol),
    networkType: str(report.networkType),
    url: str(report.url),
  };
}

/** The ids of the pairs in use: transport.selectedCandidatePairId (Chrome), `selected` (Firefox). */
export function selectedPairIds(sample: StatsSample): Set<string> {
  const ids = new Set<string>();
  for (const id in sample) {
    const r = sample[id]!;
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') ids.add(r.selectedCandidatePairId);
    if (r.type === 'candidate-pair' && r.selected === true) ids.add(id);
  }
  return ids;
}

const STATE_ORDER: Record<string, number> = { succeeded: 0, 'in-progress': 1, waiting: 2, frozen: 3, failed: 4 };

export function candidateGrid(sample: StatsSample): CandidatePairRow[] {
  const selected = selectedPairIds(sample);
  const rows: CandidatePairRow[] = [];
  for (const [id, r] of Object.entries(sample)) {
    if (r.type !== 'candidate-pair') continue;
    const rtt = num(r.currentRoundTripTime);
    rows.push({
      id,
      state: str(r.state) ?? '?',
      nominated: r.nominated === true,
      selected: selected.has(id),
      local: candidate(sample[String(r.localCandidateId)], r.localCandidateId),
      remote: candidate(sample[String(r.remoteCandidateId)], r.remoteCandidateId),
      bytesSent: num(r.bytesSent),
      bytesReceived: num(r.bytesReceived),
      currentRttMs: rtt === null ? null : rtt * 1000,
      requestsSent: num(r.requestsSent),
      responsesReceived: num(r.responsesReceived),
      requestsReceived: num(r.requestsReceived),
      responsesSent: num(r.responsesSent),
    });
  }
  const rank = (p: CandidatePairRow) => (p.selected ? -2 : p.nominated ? -1 : (STATE_ORDER[p.state] ?? 5));
  return rows.sort((a, b) => rank(a) - rank(b) || (b.bytesReceived ?? 0) - (a.bytesReceived ?? 0));
}

/** `relay (turn/tls) udp` or `host udp ⇄ srflx udp`: how the selected pair connects, in a few words. */
export function describePair(pair: CandidatePairRow): string {
  const side = (c: CandidateInfo | null) =>
    c ? `${c.candidateType}${c.relayProtocol ? ` (TURN over ${c.relayProtocol})` : ''} ${c.protocol}` : '?';
  return `${side(pair.local)} ⇄ ${side(pair.remote)}`;
}

export function isRelayed(pair: CandidatePairRow): boolean {
  return pair.local?.candidateType === 'relay' || pair.remote?.candidateType === 'relay';
}
