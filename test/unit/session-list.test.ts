import { describe, expect, it } from 'vitest';
import { formatBitrate, formatBytes, formatDuration, listSessionsForView, matchesQuery, sessionDuration, sessionSite } from '../../src/core/session-list';

const mk = (id: string, url: string, title: string, startTime: number, endTime: number | null, bytes: number, tags: Record<string, string> = {}) => ({
  id, url, origin: (() => { try { return new URL(url).origin; } catch { return 'null'; } })(), title, startTime, endTime, bytes, tags,
});

const sessions = [
  mk('a', 'https://meet.example.com/abc-defg', 'Weekly sync', 1000, 61_000, 5000),
  mk('b', 'https://app.jitsi.test/Room42', 'Jitsi Meet', 3000, 4000, 100, { rtcStatsConferenceId: 'conf-9' }),
  mk('c', 'http://127.0.0.1:8080/call.html', 'Two-party call', 2000, null, 900),
];

describe('sessionSite and sessionDuration', () => {
  it('names the host, or the origin when the URL is not one', () => {
    expect(sessionSite(sessions[0]!)).toBe('meet.example.com');
    expect(sessionSite({ url: 'about:blank', origin: 'https://x.test' })).toBe('x.test');
    expect(sessionSite({ url: '', origin: '' })).toBe('');
  });

  it('runs to the end, or to now while live', () => {
    expect(sessionDuration(sessions[0]!, 0)).toBe(60_000);
    expect(sessionDuration(sessions[2]!, 12_000)).toBe(10_000);
  });
});

describe('matchesQuery', () => {
  it('finds by site, title, URL and tag, every word, any case', () => {
    expect(matchesQuery(sessions[0]!, 'MEET')).toBe(true);
    expect(matchesQuery(sessions[0]!, 'weekly abc')).toBe(true);
    expect(matchesQuery(sessions[0]!, 'weekly jitsi')).toBe(false);
    expect(matchesQuery(sessions[1]!, 'conf-9')).toBe(true);
    expect(matchesQuery(sessions[1]!, 'rtcStatsConferenceId=conf')).toBe(true);
    expect(matchesQuery(sessions[2]!, '   ')).toBe(true);
  });
});

describe('listSessionsForView', () => {
  const ids = (list: { id: string }[]) => list.map((s) => s.id);
  const now = 20_000;

  it('sorts by time, site, duration and size, either way', () => {
    expect(ids(listSessionsForView(sessions, { query: '', sort: 'time', descending: true, now }))).toEqual(['b', 'c', 'a']);
    expect(ids(listSessionsForView(sessions, { query: '', sort: 'time', descending: false, now }))).toEqual(['a', 'c', 'b']);
    // sites: 127.0.0.1 < app.jitsi.test < meet.example.com
    expect(ids(listSessionsForView(sessions, { query: '', sort: 'site', descending: false, now }))).toEqual(['c', 'b', 'a']);
    // durations: a 60 s, c 18 s (live until now), b 1 s
    expect(ids(listSessionsForView(sessions, { query: '', sort: 'duration', descending: true, now }))).toEqual(['a', 'c', 'b']);
    expect(ids(listSessionsForView(sessions, { query: '', sort: 'size', descending: false, now }))).toEqual(['b', 'c', 'a']);
  });

  it('filters before sorting and leaves the input alone', () => {
    const copy = [...sessions];
    expect(ids(listSessionsForView(sessions, { query: 'call', sort: 'time', descending: true, now }))).toEqual(['c']);
    expect(sessions).toEqual(copy);
  });
});

describe('formatting', () => {
  it('formats sizes in binary multiples', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(Number.NaN)).toBe('–');
  });

  it('formats bitrates in decimal multiples', () => {
    expect(formatBitrate(null)).toBe('–');
    expect(formatBitrate(850)).toBe('850 bit/s');
    expect(formatBitrate(1500)).toBe('1.50 kbit/s');
    expect(formatBitrate(64_000)).toBe('64.0 kbit/s');
    expect(formatBitrate(1_234_567)).toBe('1.23 Mbit/s');
    expect(formatBitrate(25_000_000)).toBe('25.0 Mbit/s');
  });

  it('formats durations', () => {
    expect(formatDuration(44_600)).toBe('45 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600_000 + 4 * 60_000)).toBe('2 h 04 min');
  });
});
