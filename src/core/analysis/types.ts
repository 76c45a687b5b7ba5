// The shapes the analysis hands out (to the panel, the viewer, the bundle
// README, the command line and the automation API).

export type Severity = 'info' | 'warning' | 'critical';
export type Category = 'connectivity' | 'network' | 'audio' | 'video' | 'media-capture' | 'configuration' | 'stats';

export interface Observation {
  type: string;
  severity: Severity;
  category: Category;
  /** ms since epoch: when the condition started (before the minimum duration had passed) */
  firstSeenAt: number;
  /** ms since epoch: the last sample or event where it held */
  lastSeenAt: number;
  pcId: string | null;
  /** the track (trackIdentifier), or the stats id of the RTP stream where the browser does not name the track (Firefox) */
  trackId?: string;
  /** the numbers behind it (rounded for reading) */
  evidence: Record<string, number | string | boolean>;
  /** whether it still holds at the newest sample */
  active: boolean;
  /** one human sentence */
  text: string;
}

export interface Disruption {
  /**
   * when media stopped: the last packet received (lastPacketReceivedTimestamp), else the
   * midpoint between the last sample where media arrived and the first silent one, else the state change
   */
  start: number;
  /**
   * when the state came back to `connected`; for a media gap the state never left (or left
   * only after media was back), when media came back (the midpoint between the last silent
   * sample and the first one where it arrived); null while it lasts or when it ended in failure
   */
  end: number | null;
  /** end (or the failure, or the newest time seen) − start */
  durationMs: number;
  /** the state change to `disconnected` (or `failed`) that belongs to it; null when the state never changed (found from the stats alone) */
  stateChangedAt: number | null;
  /** whether it ended by the connection coming back */
  recovered: boolean;
}

export interface SelectedPair {
  /** a relay (TURN) candidate on our side */
  relayed: boolean;
  /** transport protocol of the local candidate (udp / tcp) */
  protocol: string | null;
  /** between us and the TURN server: udp / tcp / tls */
  relayProtocol: string | null;
  localType: string | null;
  remoteType: string | null;
}

export interface ConnectionLifecycle {
  pcId: string;
  createdAt: number;
  /** the state as last seen (connectionState, or the ICE state read the same way when the browser has no connectionState) */
  state: string;
  /** created → first `connected` */
  setupDelayMs: number | null;
  /** ICE gathering `gathering` → `complete` */
  gatheringDelayMs: number | null;
  /** ICE `checking` → `connected` / `completed` */
  connectivityDelayMs: number | null;
  /** setLocalDescription(offer) → setRemoteDescription(answer), or for the answerer setRemoteDescription(offer) → setLocalDescription(answer) */
  signalingDelayMs: number | null;
  /** reached `failed` without ever connecting, and how long after creation */
  setupFailed: { afterMs: number } | null;
  /** closed while still new / connecting */
  aborted: boolean;
  disruptions: Disruption[];
  /** `failed` after having connected */
  dropped: { at: number } | null;
  iceRestarts: { at: number; completed: boolean }[];
  /** changes of the selected candidate pair after the first one */
  candidatePairSwitches: number;
  selectedPair: SelectedPair | null;
  /** offer/answer exchanges after the first */
  renegotiations: number;
  /** setLocalDescription with an SDP that differs from what createOffer / createAnswer returned */
  mungedSdp: number;
  closedAt: number | null;
}

export type Band = 'good' | 'fair' | 'poor' | 'bad';

export interface Score {
  /** audio: MOS 1..4.5; video and connection: 0..5 */
  value: number;
  band: Band;
  /** the numbers it was computed from (averages over the samples it covers) */
  inputs: Record<string, number | string>;
  /** how many samples it averages */
  samples: number;
}

export interface Scores {
  audio: Score | null;
  video: Score | null;
  connection: Score | null;
}

export interface ConnectionAnalysis {
  pcId: string;
  lifecycle: ConnectionLifecycle;
  scores: Scores;
  samples: number;
}

export interface Verdict {
  level: Band;
  text: string;
}

export interface AnalysisResult {
  verdict: Verdict;
  /** session-wide scores (the connections' ones weighted by their samples) */
  scores: Scores;
  connections: ConnectionAnalysis[];
  /** in order of firstSeenAt */
  observations: Observation[];
  /** getStats samples analysed */
  samples: number;
}
