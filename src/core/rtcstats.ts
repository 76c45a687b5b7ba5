// rtcstats dump, file format 3 (JSON Lines), as read by the rtcstats
// dump-importer (packages/rtcstats-shared/dump.js of rtcstats/rtcstats):
//   line 1: RTCStatsDump
//   line 2: metadata object with fileFormat 3
//   then:   [method, pcId | null, value, ...correlationIds, msSincePreviousLine]
// The first data line's time is absolute (ms since epoch); getStats values
// are deltas against the previous sample of the same connection.

import type { SessionRecord } from './session';
import { completeStatsSamples } from './session';
import { statsDelta, applyStatsDelta, type StatsSample, type StatsDelta } from './stats-delta';
import { orderEvents, type StoredEvent } from './trace';

export const RTCSTATS_MAGIC = 'RTCStatsDump';
export const RTCSTATS_FILE_FORMAT = 3;
/**
 * Correlation id on a getStats line whose value is a complete sample rather
 * than a delta (with `null` for the reports of the previous sample that are
 * gone). rtcstats readers ignore the mark and merge the line into the previous
 * sample: reports that went away go, but a property that disappeared keeps its
 * old value there. Our reader replaces the previous sample, which is exact.
 */
export const FULL_SAMPLE_MARK = 'full';

export interface RtcstatsMetadata {
  fileFormat: number;
  url?: string;
  origin?: string;
  userAgent?: string;
  startTime?: number;
  [key: string]: unknown;
}

export function exportRtcstats(session: SessionRecord, events: StoredEvent[]): string {
  const ordered = orderEvents(events);
  const metadata: RtcstatsMetadata = {
    fileFormat: RTCSTATS_FILE_FORMAT,
    url: session.url,
    origin: session.origin,
    userAgent: session.userAgent,
    startTime: session.startTime,
    endTime: session.endTime,
    title: session.title,
    tags: session.tags,
    frames: session.frames.map((f) => ({ frameId: f.frameId, url: f.url, origin: f.origin, isTop: f.isTop })),
    producer: { name: 'webrtc-lens', version: session.extensionVersion },
  };
  const complete = new Map<StoredEvent, StatsSample>();
  for (const { event, sample } of completeStatsSamples(ordered)) complete.set(event, sample);

  const lines = [RTCSTATS_MAGIC, JSON.stringify(metadata)];
  const lastExported = new Map<string, StatsSample>();
  let lastTime = 0;
  for (const e of ordered) {
    let value = e.value;
    let extra = e.extra ?? [];
    const sample = complete.get(e);
    if (sample && e.pc !== null) {
      const previous = lastExported.get(e.pc);
      const delta = statsDelta(previous, sample);
      if (delta === null) {
        // Complete, with `null` for the reports that are gone: readers that merge drop those.
        const gone = Object.keys(previous ?? {}).filter((id) => !(id in sample));
        value = { ...sample, ...Object.fromEntries(gone.map((id) => [id, null])) };
        extra = [FULL_SAMPLE_MARK];
      } else {
        value = delta;
      }
      lastExported.set(e.pc, sample);
    }
    const line: unknown[] = [e.method, e.pc, value ?? null, ...extra, e.t - lastTime];
    lastTime = e.t;
    lines.push(JSON.stringify(line));
  }
  return lines.join('\n') + '\n';
}

export interface RtcstatsEvent {
  method: string;
  pc: string | null;
  value: unknown;
  extra: unknown[];
  /** ms since epoch */
  time: number;
}

export interface RtcstatsDump {
  metadata: RtcstatsMetadata;
  events: RtcstatsEvent[];
}

export class DumpFormatError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'DumpFormatError';
  }
}

// Method-name compression of rtcstats (compression.js methodTable), decompression side.
const COMPRESSED_METHODS: Record<string, string> = {
  g: 'getStats', 1: 'getStats',
  2: 'createOffer', 3: 'createOfferOnSuccess', 12: 'createOfferOnFailure',
  4: 'createAnswer', 5: 'createAnswerOnSuccess', 13: 'createAnswerOnFailure',
  6: 'setLocalDescription', 7: 'setLocalDescriptionOnSuccess', 14: 'setLocalDescriptionOnFailure',
  8: 'setRemoteDescription', 9: 'setRemoteDescriptionOnSuccess', 15: 'setRemoteDescriptionOnFailure',
  10: 'addIceCandidate', 11: 'addIceCandidateOnSuccess', 16: 'addIceCandidateOnFailure',
  20: 'onicecandidate', 21: 'onicecandidateerror', 22: 'ontrack', 23: 'onsignalingstatechange',
  24: 'oniceconnectionstatechange', 25: 'onconnectionstatechange', 26: 'onicegatheringstatechange',
  27: 'onnegotiationneeded', 28: 'ondatachannel',
  30: 'addTrack', 31: 'addTrackOnSuccess', 32: 'addTransceiver', 33: 'addTransceiverOnSuccess', 34: 'removeTrack',
  35: 'createDataChannel', 36: 'close', 37: 'restartIce', 38: 'setConfiguration', 39: 'create', 40: 'constraints',
  41: 'setCodecPreferences', 42: 'setHeaderExtensionsToNegotiate', 50: 'setParameters', 51: 'replaceTrack',
  60: 'navigator.mediaDevices.getUserMedia', 61: 'navigator.mediaDevices.getUserMediaOnSuccess',
  65: 'navigator.mediaDevices.getUserMediaOnFailure', 63: 'navigator.mediaDevices.getDisplayMedia',
  64: 'navigator.mediaDevices.getDisplayMediaOnSuccess', 66: 'navigator.mediaDevices.enumerateDevices',
  67: 'navigator.mediaDevices.ondevicechange', 68: 'navigator.mediaDevices.getDisplayMediaOnFailure',
  70: 'MediaStreamTrack.stop', 71: 'MediaStreamTrack.applyConstraints', 72: 'MediaStreamTrack.onended',
  73: 'MediaStreamTrack.onmute', 74: 'MediaStreamTrack.onunmute', 80: 'HTMLMediaElement.resize',
};

export function decompressMethod(method: unknown): string {
  const key = String(method);
  return COMPRESSED_METHODS[key] ?? key;
}

/** Parses a file-format-3 dump, reconstructing complete getStats samples. */
export function readRtcstats(text: string): RtcstatsDump {
  if (!text.startsWith(RTCSTATS_MAGIC + '\n')) throw new DumpFormatError(`does not start with "${RTCSTATS_MAGIC}"`, 1);
  const lines = text.slice(RTCSTATS_MAGIC.length + 1).split('\n');
  let metadata: unknown;
  try {
    metadata = JSON.parse(lines[0] ?? '');
  } catch {
    throw new DumpFormatError('metadata is not JSON', 2);
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new DumpFormatError('metadata is not an object', 2);
  }
  const events: RtcstatsEvent[] = [];
  const lastSample = new Map<string, StatsSample>();
  let time = 0;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new DumpFormatError('not JSON', i + 2);
    }
    if (!Array.isArray(parsed)) continue;
    if (parsed.length < 4) throw new DumpFormatError('an event needs method, connection, value and time', i + 2);
    const [rawMethod, pc, value, ...extra] = parsed as [unknown, unknown, unknown, ...unknown[]];
    const delta = extra.pop();
    if (typeof delta !== 'number' || !Number.isFinite(delta)) throw new DumpFormatError('time is not a number', i + 2);
    time += delta;
    const method = decompressMethod(rawMethod);
    const pcId = pc === null || pc === undefined ? null : String(pc);
    let v = value;
    if (method === 'getStats' && pcId !== null && v && typeof v === 'object') {
      const sample = extra.includes(FULL_SAMPLE_MARK)
        ? (Object.fromEntries(Object.entries(v).filter(([, report]) => report !== null)) as StatsSample)
        : applyStatsDelta(lastSample.get(pcId), v as StatsDelta);
      lastSample.set(pcId, sample);
      v = sample;
    }
    events.push({ method, pc: pcId, value: v, extra, time });
  }
  return { metadata: metadata as RtcstatsMetadata, events };
}
