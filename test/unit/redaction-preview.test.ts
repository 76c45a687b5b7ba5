import { describe, expect, it } from 'vitest';
import { previewOptions, redactionPreviewRows } from '../../src/core/redaction-preview';
import { DEFAULT_REDACTION, redactDump } from '../../src/core/redact';
import type { SessionDump } from '../../src/core/dump';

const dump: SessionDump = {
  session: {
    id: 's', tabId: 1, url: 'https://meet.example.com/room?token=abc', origin: 'https://meet.example.com', title: 'Call', startTime: 1, endTime: 2,
    userAgent: 'UA', extensionVersion: '0.1.0', frames: [], connections: [], tags: {}, eventCount: 2, statsCount: 0, lastEventTime: 2, bytes: 0, rawBytes: 0,
  },
  events: [
    { sessionId: 's', frame: 0, seq: 1, t: 1, method: 'onicecandidate', pc: 'PC_0', value: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.17 54321 typ host', sdpMid: '0' } },
    { sessionId: 's', frame: 0, seq: 2, t: 2, method: 'onicecandidate', pc: 'PC_0', value: { candidate: 'candidate:2 1 udp 2122260223 192.0.2.17 54322 typ host', sdpMid: '1' } },
  ],
};

describe('redactionPreviewRows', () => {
  it('counts what there is to mask even for kinds the user turned off, and says what will be masked', () => {
    const choice = { ...DEFAULT_REDACTION, ipAddresses: false };
    const { report } = redactDump(dump, previewOptions(choice));
    const rows = redactionPreviewRows(report, choice);
    expect(rows.map((r) => r.key)).toEqual(['ipAddresses', 'deviceLabels', 'urlQueryAndFragment', 'usernames']);
    const ip = rows.find((r) => r.key === 'ipAddresses')!;
    // the same address in two candidates
    expect(ip).toMatchObject({ count: 2, distinct: 1, masked: false });
    expect(ip.examples.join(' ')).not.toContain('192.0.2.17');
    expect(rows.find((r) => r.key === 'deviceLabels')).toMatchObject({ count: 0, masked: true });
    expect(rows.find((r) => r.key === 'urlQueryAndFragment')!.count).toBeGreaterThan(0);
  });

  it('previews with the TURN choice the user made', () => {
    expect(previewOptions({ ...DEFAULT_REDACTION, keepTurnServerAddresses: false, ipAddresses: false })).toEqual({ ...DEFAULT_REDACTION, keepTurnServerAddresses: false });
  });
});
