// The default charts of a connection: one group for the connection (the
// candidate pairs in use) and one per RTP stream (per track), each with the
// charts a person debugging that kind of stream looks at first. Any other
// property or metric is reachable from the stats explorer.

import type { ConnectionModel, ReportColumns } from './session-model';

export interface SeriesRef {
  statsId: string;
  name: string;
  label: string;
  /** multiply values by this (seconds → ms, fraction → %) */
  scale?: number;
}

export interface ChartSpec {
  key: string;
  title: string;
  unit: string;
  series: SeriesRef[];
  /** 'bands': a text property drawn as coloured bands (qualityLimitationReason) */
  kind: 'line' | 'bands';
}

export interface ChartGroup {
  key: string;
  title: string;
  /** `inbound audio`, ... or `connection` */
  subtitle: string;
  charts: ChartSpec[];
  /**
   * Titles of this group's default charts that none of the connection's stats
   * feed (Firefox has no qualityLimitationReason or candidate-pair packet
   * counts, older browsers lack more): said in a note rather than drawn empty.
   */
  unavailable: string[];
}

/**
 * The derived metrics the default charts (and the header's bitrate) read: the
 * session model derives these as samples arrive, the others on request
 * (ConnectionModel.withAllMetrics, for the stats explorer).
 */
const DEFAULT_CHART_METRICS: ReadonlySet<string> = new Set([
  '[bytesSent_in_bits/s]', '[bytesReceived_in_bits/s]', '[packetsSent/s]', '[packetsReceived/s]', '[retransmittedPacketsSent/s]',
  '[framesEncoded/s]', '[totalEncodeTime/framesEncoded_in_ms]', '[packetsLost/s]', '[packetsLost_in_%]',
  '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]', '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]', '[framesDecoded/s]',
  '[freezeTime_in_%]', '[pauseTime_in_%]', '[audibleConcealment_in_%]', '[timeStretch_in_%]', '[Audio_Level_in_RMS]',
]);

/** The reports whose metrics the default charts read: candidate pairs and RTP streams. */
const CHARTED_TYPES: ReadonlySet<string> = new Set(['candidate-pair', 'inbound-rtp', 'outbound-rtp']);

/** Whether the default charts (or the header's bitrate) read this metric of this type of report. */
export function isChartMetric(statsType: string, name: string): boolean {
  return CHARTED_TYPES.has(statsType) && DEFAULT_CHART_METRICS.has(name);
}

const has = (rc: ReportColumns | undefined, name: string) => rc?.columns.has(name) === true;

/** A default chart; its series are those the stats have (possibly none). */
function chart(key: string, title: string, unit: string, series: (SeriesRef | null)[], kind: 'line' | 'bands' = 'line'): ChartSpec {
  return { key, title, unit, series: series.filter((s): s is SeriesRef => s !== null), kind };
}

/** The charts that apply to a group (null: not for this kind of stream), split into drawable and unavailable. */
function split(charts: (ChartSpec | null)[]): { charts: ChartSpec[]; unavailable: string[] } {
  const applicable = charts.filter((c): c is ChartSpec => c !== null);
  return { charts: applicable.filter((c) => c.series.length > 0), unavailable: applicable.filter((c) => c.series.length === 0).map((c) => c.title) };
}

function ref(model: ConnectionModel, statsId: string | undefined, name: string, label: string, scale?: number): SeriesRef | null {
  if (!statsId || !has(model.reports.get(statsId), name)) return null;
  return scale === undefined ? { statsId, name, label } : { statsId, name, label, scale };
}

/** The remote-inbound-rtp report about one of our outbound streams (RTT and loss the far end reports). */
function remoteInboundFor(model: ConnectionModel, outboundId: string): string | undefined {
  for (const rc of model.reports.values()) {
    if (rc.type !== 'remote-inbound-rtp') continue;
    const local = rc.columns.get('localId');
    if (local && local.values.includes(outboundId)) return rc.id;
  }
  return undefined;
}

function kindOf(rc: ReportColumns): string {
  const col = rc.columns.get('kind') ?? rc.columns.get('mediaType');
  const v = col?.values.find((x) => typeof x === 'string');
  return typeof v === 'string' ? v : 'media';
}

function lastText(rc: ReportColumns, name: string): string | null {
  const col = rc.columns.get(name);
  if (!col) return null;
  for (let i = col.values.length - 1; i >= 0; i--) if (typeof col.values[i] === 'string') return col.values[i] as string;
  return null;
}

export function defaultCharts(model: ConnectionModel): ChartGroup[] {
  const groups: ChartGroup[] = [];
  const pairs = [...model.usedPairs];
  const conn = split([
    chart('bitrate', 'Bitrate', 'bit/s', [
      ...pairs.flatMap((id) => [
        ref(model, id, '[bytesSent_in_bits/s]', pairs.length > 1 ? `sent (${id})` : 'sent'),
        ref(model, id, '[bytesReceived_in_bits/s]', pairs.length > 1 ? `received (${id})` : 'received'),
      ]),
      ...pairs.map((id) => ref(model, id, 'availableOutgoingBitrate', 'available outgoing')),
    ]),
    chart('rtt', 'Round-trip time (STUN)', 'ms', pairs.map((id) => ref(model, id, 'currentRoundTripTime', pairs.length > 1 ? id : 'current RTT', 1000))),
    chart('packets', 'Packets', '/s', pairs.flatMap((id) => [ref(model, id, '[packetsSent/s]', 'sent'), ref(model, id, '[packetsReceived/s]', 'received')])),
  ]);
  if (conn.charts.length > 0) groups.push({ key: 'connection', title: 'Connection', subtitle: 'selected candidate pair', ...conn });

  const streams = [...model.reports.values()].filter((rc) => rc.type === 'outbound-rtp' || rc.type === 'inbound-rtp');
  streams.sort((a, b) => (a.type === b.type ? kindOf(a).localeCompare(kindOf(b)) : a.type === 'outbound-rtp' ? -1 : 1));
  for (const rc of streams) {
    const id = rc.id;
    const kind = kindOf(rc);
    const outbound = rc.type === 'outbound-rtp';
    const video = kind === 'video';
    const remote = outbound ? remoteInboundFor(model, id) : undefined;
    const charts: (ChartSpec | null)[] = outbound
      ? [
          chart('bitrate', 'Bitrate', 'bit/s', [ref(model, id, '[bytesSent_in_bits/s]', 'sent'), ref(model, id, 'targetBitrate', 'target')]),
          chart('packets', 'Packets', '/s', [ref(model, id, '[packetsSent/s]', 'sent'), ref(model, id, '[retransmittedPacketsSent/s]', 'retransmitted')]),
          chart('loss', 'Loss reported by the receiver', '%', [ref(model, remote, 'fractionLost', 'fraction lost', 100)]),
          chart('rtt', 'Round-trip time (RTCP)', 'ms', [ref(model, remote, 'roundTripTime', 'RTT', 1000)]),
          chart('jitter', 'Jitter reported by the receiver', 'ms', [ref(model, remote, 'jitter', 'jitter', 1000)]),
          video ? chart('fps', 'Frames per second', 'fps', [ref(model, id, 'framesPerSecond', 'sent'), ref(model, id, '[framesEncoded/s]', 'encoded')]) : null,
          video ? chart('resolution', 'Resolution', 'px', [ref(model, id, 'frameWidth', 'width'), ref(model, id, 'frameHeight', 'height')]) : null,
          video ? chart('encode', 'Encode time', 'ms/frame', [ref(model, id, '[totalEncodeTime/framesEncoded_in_ms]', 'encode')]) : null,
          video ? chart('qlr', 'Quality limitation', '', [ref(model, id, 'qualityLimitationReason', 'reason')], 'bands') : null,
        ]
      : [
          chart('bitrate', 'Bitrate', 'bit/s', [ref(model, id, '[bytesReceived_in_bits/s]', 'received')]),
          chart('packets', 'Packets', '/s', [ref(model, id, '[packetsReceived/s]', 'received'), ref(model, id, '[packetsLost/s]', 'lost')]),
          chart('loss', 'Packet loss', '%', [ref(model, id, '[packetsLost_in_%]', 'loss')]),
          chart('jitter', 'Jitter', 'ms', [ref(model, id, 'jitter', 'jitter', 1000)]),
          chart('jb', 'Jitter buffer delay', 'ms', [
            ref(model, id, '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]', 'delay'),
            ref(model, id, '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]', 'target'),
          ]),
          video ? chart('fps', 'Frames per second', 'fps', [ref(model, id, 'framesPerSecond', 'rendered'), ref(model, id, '[framesDecoded/s]', 'decoded')]) : null,
          video ? chart('resolution', 'Resolution', 'px', [ref(model, id, 'frameWidth', 'width'), ref(model, id, 'frameHeight', 'height')]) : null,
          video ? chart('freeze', 'Freezes', '%', [ref(model, id, '[freezeTime_in_%]', 'time frozen'), ref(model, id, '[pauseTime_in_%]', 'time paused')]) : null,
          video ? null : chart('concealment', 'Audio concealment', '%', [ref(model, id, '[audibleConcealment_in_%]', 'audible'), ref(model, id, '[timeStretch_in_%]', 'time stretch')]),
          video ? null : chart('level', 'Audio level', '', [ref(model, id, 'audioLevel', 'level'), ref(model, id, '[Audio_Level_in_RMS]', 'RMS')]),
        ];
    const present = split(charts);
    if (present.charts.length === 0) continue;
    const codec = lastText(rc, 'codecId');
    const codecName = codec ? lastTextOf(model, codec, 'mimeType') : null;
    const track = lastText(rc, 'trackIdentifier') ?? lastText(rc, 'mid');
    groups.push({
      key: id,
      title: `${outbound ? 'Sending' : 'Receiving'} ${kind}${codecName ? ` · ${codecName.replace(/^(audio|video)\//, '')}` : ''}`,
      subtitle: `${id}${track ? ` · ${track}` : ''}`,
      ...present,
    });
  }
  return groups;
}

/**
 * Changes whenever defaultCharts could: a new stats object or property (columns
 * are never removed, so the count only grows), or a new candidate pair in use.
 */
export function chartsShape(model: ConnectionModel): number {
  let columns = 0;
  for (const rc of model.reports.values()) columns += rc.columns.size;
  return columns + model.usedPairs.size;
}

function lastTextOf(model: ConnectionModel, statsId: string, name: string): string | null {
  const rc = model.reports.get(statsId);
  return rc ? lastText(rc, name) : null;
}

/** The codecs in use: `opus`, `VP8`, from the codec reports the RTP streams point to. */
export function codecsInUse(model: ConnectionModel): { send: string[]; receive: string[] } {
  const send = new Set<string>();
  const receive = new Set<string>();
  for (const rc of model.reports.values()) {
    if (rc.type !== 'outbound-rtp' && rc.type !== 'inbound-rtp') continue;
    const codec = model.latest(rc.id, 'codecId');
    const mime = typeof codec === 'string' ? model.latest(codec, 'mimeType') : null;
    if (typeof mime === 'string') (rc.type === 'outbound-rtp' ? send : receive).add(mime.replace(/^(audio|video)\//, ''));
  }
  return { send: [...send], receive: [...receive] };
}

/** Current bitrates of the connection: its selected candidate pairs (one per transport). */
export function currentBitrate(model: ConnectionModel): { send: number | null; receive: number | null } {
  let send: number | null = null;
  let receive: number | null = null;
  for (const id of model.selectedPairs) {
    const s = model.latest(id, '[bytesSent_in_bits/s]');
    const r = model.latest(id, '[bytesReceived_in_bits/s]');
    if (typeof s === 'number') send = (send ?? 0) + s;
    if (typeof r === 'number') receive = (receive ?? 0) + r;
  }
  return { send, receive };
}
