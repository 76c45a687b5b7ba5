// The stored-session list of the viewer: search, sort, and the numbers shown
// (site, duration, size, bitrate). Pure code, so the pages stay thin.

import type { SessionSummary } from './session';

export type SessionSort = 'time' | 'site' | 'duration' | 'size';

export interface ListOptions {
  /** words, all of which must occur (case-insensitive) in the site, title, URL or a tag */
  query: string;
  sort: SessionSort;
  /** largest / newest / last in the alphabet first */
  descending: boolean;
  /** for the duration of sessions still running */
  now: number;
}

type Listed = Pick<SessionSummary, 'url' | 'origin' | 'title' | 'startTime' | 'endTime' | 'bytes'> & { tags?: Record<string, string> };

/** The host name of the page (the origin's when the URL does not parse). */
export function sessionSite(s: Pick<SessionSummary, 'url' | 'origin'>): string {
  for (const candidate of [s.url, s.origin]) {
    try {
      const host = new URL(candidate).hostname;
      if (host) return host;
    } catch {
      // try the next
    }
  }
  return s.origin || s.url || '';
}

/** Milliseconds from start to end (or to `now` while running), never negative. */
export function sessionDuration(s: Pick<SessionSummary, 'startTime' | 'endTime'>, now: number): number {
  return Math.max(0, (s.endTime ?? now) - s.startTime);
}

export function matchesQuery(s: Listed, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const tags = Object.entries(s.tags ?? {}).map(([k, v]) => `${k}=${v}`);
  const haystack = [sessionSite(s), s.title, s.url, ...tags].join('\n').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** The sessions that match, sorted; ties keep the newest first. */
export function listSessionsForView<T extends Listed>(sessions: readonly T[], options: ListOptions): T[] {
  const key = (s: T): number | string => {
    switch (options.sort) {
      case 'site':
        return sessionSite(s);
      case 'duration':
        return sessionDuration(s, options.now);
      case 'size':
        return s.bytes;
      default:
        return s.startTime;
    }
  };
  const direction = options.descending ? -1 : 1;
  return sessions
    .filter((s) => matchesQuery(s, options.query))
    .map((s) => ({ s, k: key(s) }))
    .sort((a, b) => {
      const c = typeof a.k === 'string' ? a.k.localeCompare(b.k as string) : a.k - (b.k as number);
      return c !== 0 ? c * direction : b.s.startTime - a.s.startTime;
    })
    .map(({ s }) => s);
}

/** 1023 B, 1.5 KB, 12 MB, 1.2 GB (binary multiples, as storage quotas are). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** 850 bit/s, 12.5 kbit/s, 1.23 Mbit/s (decimal multiples, as bitrates are); '–' for none. */
export function formatBitrate(bps: number | null): string {
  if (bps === null || !Number.isFinite(bps)) return '–';
  if (bps < 1000) return `${Math.round(bps)} bit/s`;
  if (bps < 1e6) return `${(bps / 1e3).toFixed(bps < 1e4 ? 2 : 1)} kbit/s`;
  return `${(bps / 1e6).toFixed(bps < 1e7 ? 2 : 1)} Mbit/s`;
}

/** 45 s, 3 min 05 s, 2 h 04 min. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
