// The decompression side of rtcstats' compression (file format 3), from the
// tables of packages/rtcstats-shared/compression.js in rtcstats/rtcstats:
//   - method names: a static table of numbers (and "g" for getStats);
//   - stats property names: a static table of numbers ("t" for timestamp),
//     applied to the top-level property names of each report;
//   - stats `type` values: a static table of numbers;
//   - stats ids renamed to "0", "1", ... with every `*Id` reference rewritten
//     by the client: nothing to undo (the ids are kept as found).
// Only the table entries are rtcstats'; lookups here are own-property only, so
// names like "constructor" are never mistaken for table entries.

const METHODS: Record<string, string> = {
  g: 'getStats',
  1: 'getStats', // decompression only
  2: 'createOffer',
  3: 'createOfferOnSuccess',
  12: 'createOfferOnFailure',
  4: 'createAnswer',
  5: 'createAnswerOnSuccess',
  13: 'createAnswerOnFailure',
  6: 'setLocalDescription',
  7: 'setLocalDescriptionOnSuccess',
  14: 'setLocalDescriptionOnFailure',
  8: 'setRemoteDescription',
  9: 'setRemoteDescriptionOnSuccess',
  15: 'setRemoteDescriptionOnFailure',
  10: 'addIceCandidate',
  11: 'addIceCandidateOnSuccess',
  16: 'addIceCandidateOnFailure',
  20: 'onicecandidate',
  21: 'onicecandidateerror',
  22: 'ontrack',
  23: 'onsignalingstatechange',
  24: 'oniceconnectionstatechange',
  25: 'onconnectionstatechange',
  26: 'onicegatheringstatechange',
  27: 'onnegotiationneeded',
  28: 'ondatachannel',
  30: 'addTrack',
  31: 'addTrackOnSuccess',
  32: 'addTransceiver',
  33: 'addTransceiverOnSuccess',
  34: 'removeTrack',
  35: 'createDataChannel',
  36: 'close',
  37: 'restartIce',
  38: 'setConfiguration',
  39: 'create',
  40: 'constraints',
  41: 'setCodecPreferences',
  42: 'setHeaderExtensionsToNegotiate',
  50: 'setParameters',
  51: 'replaceTrack',
  60: 'navigator.mediaDevices.getUserMedia',
  61: 'navigator.mediaDevices.getUserMediaOnSuccess',
  65: 'navigator.mediaDevices.getUserMediaOnFailure', // 62 is unused
  63: 'navigator.mediaDevices.getDisplayMedia',
  64: 'navigator.mediaDevices.getDisplayMediaOnSuccess',
  66: 'navigator.mediaDevices.enumerateDevices',
  67: 'navigator.mediaDevices.ondevicechange',
  68: 'navigator.mediaDevices.getDisplayMediaOnFailure', // decompression only
  70: 'MediaStreamTrack.stop',
  71: 'MediaStreamTrack.applyConstraints',
  72: 'MediaStreamTrack.onended',
  73: 'MediaStreamTrack.onmute',
  74: 'MediaStreamTrack.onunmute',
  80: 'HTMLMediaElement.resize',
};

const STATS_TYPES: Record<string, string> = {
  1: 'inbound-rtp',
  2: 'outbound-rtp',
  3: 'remote-inbound-rtp',
  4: 'remote-outbound-rtp',
  5: 'transport',
  6: 'candidate-pair',
  7: 'local-candidate',
  8: 'remote-candidate',
  9: 'data-channel',
  10: 'peer-connection',
  11: 'certificate',
  12: 'media-source',
  13: 'media-playout',
  14: 'codec',
};

// Numbers 1-3, 13, 146, 147 and 162 are not (or no longer) assigned.
const STATS_PROPERTIES: Record<string, string> = {
  t: 'timestamp',
  // codec
  4: 'payloadType', 5: 'transportId', 6: 'mimeType', 7: 'clockRate', 8: 'channels', 9: 'sdpFmtpLine',
  // rtp stream
  10: 'ssrc', 11: 'kind', 12: 'codecId',
  // received rtp
  14: 'packetsReceived', 15: 'packetsLost', 16: 'jitter',
  // inbound-rtp
  17: 'trackIdentifier', 18: 'mid', 19: 'remoteId', 20: 'framesDecoded', 21: 'keyFramesDecoded', 22: 'framesDropped',
  23: 'frameWidth', 24: 'frameHeight', 25: 'framesPerSecond', 26: 'qpSum', 27: 'totalDecodeTime',
  28: 'totalInterFrameDelay', 29: 'totalSquaredInterFrameDelay', 30: 'pauseCount', 31: 'totalPausesDuration',
  32: 'freezeCount', 33: 'totalFreezesDuration', 34: 'lastPacketReceivedTimestamp', 35: 'headerBytesReceived',
  36: 'packetsDiscarded', 37: 'fecPacketsReceived', 38: 'fecPacketsDiscarded', 39: 'fecBytesReceived', 40: 'fecSsrc',
  41: 'bytesReceived', 42: 'nackCount', 43: 'firCount', 44: 'pliCount', 45: 'totalProcessingDelay',
  46: 'estimatedPlayoutTimestamp', 47: 'jitterBufferDelay', 48: 'jitterBufferTargetDelay', 49: 'jitterBufferEmittedCount',
  50: 'jitterBufferMinimumDelay', 51: 'totalSamplesReceived', 52: 'concealedSamples', 53: 'silentConcealedSamples',
  54: 'concealmentEvents', 55: 'insertedSamplesForDeceleration', 56: 'removedSamplesForAcceleration', 57: 'audioLevel',
  58: 'totalAudioEnergy', 59: 'totalSamplesDuration', 60: 'framesReceived', 61: 'decoderImplementation', 62: 'playoutId',
  63: 'powerEfficientDecoder', 64: 'framesAssembledFromMultiplePackets', 65: 'totalAssemblyTime', 66: 'contentType',
  67: 'googTimingFrameInfo', 68: 'retransmittedPacketsReceived', 69: 'retransmittedBytesReceived', 70: 'rtxSsrc',
  71: 'totalCorruptionProbability', 72: 'totalSquaredCorruptionProbability', 73: 'corruptionMeasurements',
  // remote-inbound-rtp
  74: 'localId', 75: 'roundTripTime', 76: 'totalRoundTripTime', 77: 'fractionLost', 78: 'roundTripTimeMeasurements',
  // sent rtp, outbound-rtp
  79: 'packetsSent', 80: 'bytesSent', 81: 'mediaSourceId', 82: 'rid', 83: 'encodingIndex', 84: 'headerBytesSent',
  85: 'retransmittedPacketsSent', 86: 'retransmittedBytesSent', 87: 'targetBitrate', 88: 'totalEncodedBytesTarget',
  89: 'framesSent', 90: 'hugeFramesSent', 91: 'framesEncoded', 92: 'keyFramesEncoded', 93: 'totalEncodeTime',
  94: 'totalPacketSendDelay', 95: 'qualityLimitationReason', 96: 'qualityLimitationDurations',
  97: 'qualityLimitationResolutionChanges', 98: 'encoderImplementation', 99: 'powerEfficientEncoder', 100: 'active',
  101: 'scalabilityMode',
  // remote-outbound-rtp
  102: 'remoteTimestamp', 103: 'reportsSent',
  // media-source
  104: 'echoReturnLoss', 105: 'echoReturnLossEnhancement', 106: 'width', 107: 'height', 108: 'frames',
  // media-playout
  109: 'synthesizedSamplesDuration', 110: 'synthesizedSamplesEvents', 111: 'totalPlayoutDelay', 112: 'totalSamplesCount',
  // peer-connection, data-channel
  113: 'dataChannelsOpened', 114: 'dataChannelsClosed', 115: 'label', 116: 'protocol', 117: 'dataChannelIdentifier',
  118: 'state', 119: 'messagesSent', 120: 'messagesReceived',
  // transport
  121: 'iceRole', 122: 'iceLocalUsernameFragment', 123: 'dtlsState', 124: 'iceState', 125: 'selectedCandidatePairId',
  126: 'localCertificateId', 127: 'remoteCertificateId', 128: 'tlsVersion', 129: 'dtlsCipher', 130: 'dtlsRole',
  131: 'srtpCipher', 132: 'selectedCandidatePairChanges', 133: 'rtcpTransportStatsId',
  // ice candidate
  134: 'address', 135: 'port', 136: 'candidateType', 137: 'priority', 138: 'url', 139: 'relayProtocol',
  140: 'foundation', 141: 'relatedAddress', 142: 'relatedPort', 143: 'usernameFragment', 144: 'tcpType',
  145: 'networkType',
  // candidate-pair
  148: 'localCandidateId', 149: 'remoteCandidateId', 150: 'nominated', 151: 'lastPacketSentTimestamp',
  152: 'currentRoundTripTime', 153: 'availableOutgoingBitrate', 154: 'availableIncomingBitrate', 155: 'requestsReceived',
  156: 'requestsSent', 157: 'responsesReceived', 158: 'responsesSent', 159: 'consentRequestsSent',
  160: 'packetsDiscardedOnSend', 161: 'bytesDiscardedOnSend',
  // certificate
  163: 'fingerprint', 164: 'fingerprintAlgorithm', 165: 'base64Certificate', 166: 'issuerCertificateId',
  // decompression only (not yet written by released clients)
  167: 'psnrMeasurements', 168: 'psnrSum', 169: 'packetsReceivedWithEct1', 170: 'packetsReceivedWithCe',
  171: 'packetsReportedAsLost', 172: 'packetsReportedAsLostButRecovered', 173: 'packetsWithBleachedEct1Marking',
  174: 'packetsSentWithEct1', 175: 'ccfbMessagesSent', 176: 'ccfbMessagesReceived',
};

function lookup(table: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** The method name of a compressed method id (a number or its string), or the name as it is. */
export function decompressMethod(method: unknown): string {
  const key = typeof method === 'string' ? method : typeof method === 'number' ? String(method) : JSON.stringify(method) ?? 'undefined';
  return lookup(METHODS, key) ?? key;
}

/** The property name of a compressed stats property key, or the key as it is. */
export function decompressStatsProperty(name: string): string {
  return lookup(STATS_PROPERTIES, name) ?? name;
}

/** The stats type of a compressed type value, or the value as it is. */
export function decompressStatsType(type: unknown): unknown {
  if (typeof type !== 'string' && typeof type !== 'number') return type;
  return lookup(STATS_TYPES, String(type)) ?? type;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A getStats value (delta or complete sample) with every report's top-level
 * property names and its `type` decompressed, as rtcstats' reader does before
 * merging. The top-level `t` (the collapsed common timestamp) and reports that
 * are not objects (`null` for a removed report) are left as they are. Values
 * without compressed names come back equal (new objects only where renamed).
 */
export function decompressStatsNames(value: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [id, report] of Object.entries(value)) {
    if (id === '__proto__') {
      // never a stats id; dropped so that no `obj[id] = ...` downstream sets a prototype
      out ??= { ...value };
      delete out[id];
      continue;
    }
    if (!isPlainObject(report)) continue;
    let renamed: Record<string, unknown> | null = null;
    for (const name of Object.keys(report)) {
      const full = decompressStatsProperty(name);
      const typeValue = full === 'type' ? decompressStatsType(report[name]) : report[name];
      if (full !== name || typeValue !== report[name] || name === '__proto__') {
        renamed = {};
        break;
      }
    }
    if (renamed === null) continue;
    for (const [name, v] of Object.entries(report)) {
      if (name === '__proto__') continue;
      const full = decompressStatsProperty(name);
      renamed[full] = full === 'type' ? decompressStatsType(v) : v;
    }
    out ??= { ...value };
    out[id] = renamed;
  }
  return out ?? value;
}
