// User settings of capture: what they mean, their defaults and their bounds.

export interface Settings {
  /** getStats interval per connection */
  pollIntervalMs: number;
  /** sites that get no hook at all: host names, optionally with a leading `*.` */
  disabledSites: string[];
  /** capture switched off everywhere (from the next page load on) */
  paused: boolean;
  /** keep at most this many sessions (oldest whole sessions are evicted first) */
  maxSessions: number;
  /** keep at most this much stored trace, in MiB */
  maxStorageMB: number;
}

/** Where settings are kept in storage.local. */
export const SETTINGS_KEY = 'settings';

export const POLL_INTERVAL_MIN_MS = 250;
export const POLL_INTERVAL_MAX_MS = 60_000;

export const DEFAULT_SETTINGS: Settings = {
  pollIntervalMs: 1000,
  disabledSites: [],
  paused: false,
  maxSessions: 500,
  maxStorageMB: 1024,
};

const HOST = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/;

/** `meet.example.com`, `*.example.com`, or a URL whose host is taken; null if it names no site. */
export function normalizeSite(input: string): string | null {
  let site = input.trim().toLowerCase();
  if (site.includes('://')) {
    try {
      site = new URL(site).hostname;
    } catch {
      return null;
    }
  }
  site = site.replace(/\/.*$/, '').replace(/:\d+$/, '');
  return HOST.test(site) ? site : null;
}

/** The match patterns (for excludeMatches) of a normalized site. */
export function siteMatchPatterns(site: string): string[] {
  return [`*://${site}/*`];
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(Math.min(max, Math.max(min, value))) : fallback;
}

/** Settings from anything stored or sent: unknown keys dropped, values clamped, defaults filled in. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const sites = Array.isArray(r.disabledSites) ? r.disabledSites : [];
  return {
    pollIntervalMs: clampInt(r.pollIntervalMs, POLL_INTERVAL_MIN_MS, POLL_INTERVAL_MAX_MS, DEFAULT_SETTINGS.pollIntervalMs),
    disabledSites: [...new Set(sites.map((s) => (typeof s === 'string' ? normalizeSite(s) : null)).filter((s): s is string => s !== null))],
    paused: typeof r.paused === 'boolean' ? r.paused : DEFAULT_SETTINGS.paused,
    maxSessions: clampInt(r.maxSessions, 1, 100_000, DEFAULT_SETTINGS.maxSessions),
    maxStorageMB: clampInt(r.maxStorageMB, 1, 1_000_000, DEFAULT_SETTINGS.maxStorageMB),
  };
}

export interface RetainedSession {
  id: string;
  startTime: number;
  bytes: number;
  live: boolean;
}

/**
 * Sessions to delete so that at most `maxSessions` and `maxStorageMB` remain:
 * oldest first, whole sessions, never a live one.
 */
export function sessionsToEvict(sessions: RetainedSession[], settings: Pick<Settings, 'maxSessions' | 'maxStorageMB'>): string[] {
  const oldestFirst = [...sessions].sort((a, b) => a.startTime - b.startTime);
  let count = sessions.length;
  let bytes = sessions.reduce((sum, s) => sum + s.bytes, 0);
  const limit = settings.maxStorageMB * 1024 * 1024;
  const evict: string[] = [];
  for (const s of oldestFirst) {
    if (count <= settings.maxSessions && bytes <= limit) break;
    if (s.live) continue;
    evict.push(s.id);
    count--;
    bytes -= s.bytes;
  }
  return evict;
}
