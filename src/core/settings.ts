// User settings of capture: what they mean, their defaults and their bounds.

import { DEFAULT_REDACTION, type RedactionOptions } from './redact';

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
  /** what "Save for support" masks unless told otherwise (each kind can be turned off) */
  redaction: Required<RedactionOptions>;
}

/** A change to the settings: any of them; redaction kinds one by one. */
export type SettingsChange = Partial<Omit<Settings, 'redaction'>> & { redaction?: Partial<RedactionOptions> };

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
  redaction: { ...DEFAULT_REDACTION },
};

/** The redaction choices a user sees, in order, with what each one masks. */
export const REDACTION_CHOICES: readonly { key: keyof RedactionOptions; label: string; explanation: string }[] = [
  { key: 'ipAddresses', label: 'IP addresses', explanation: 'IPv4 keeps its first three numbers, IPv6 its first half' },
  { key: 'deviceLabels', label: 'Device labels', explanation: 'camera and microphone names' },
  { key: 'urlQueryAndFragment', label: 'URL query and fragment', explanation: 'the part after ? or # of page addresses (room names, tokens)' },
  { key: 'usernames', label: 'Usernames and ICE passwords', explanation: 'ICE ufrag and pwd, TURN usernames and display names, replaced by numbered stand-ins' },
  { key: 'keepTurnServerAddresses', label: "Keep TURN servers' own addresses", explanation: 'public infrastructure, the first thing support checks' },
];

/** Redaction options from anything stored or sent: each kind a boolean, the default where missing or malformed. */
export function normalizeRedaction(raw: unknown): Required<RedactionOptions> {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out = { ...DEFAULT_REDACTION };
  for (const key of Object.keys(DEFAULT_REDACTION) as (keyof RedactionOptions)[]) {
    if (typeof r[key] === 'boolean') out[key] = r[key];
  }
  return out;
}

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
    redaction: normalizeRedaction(r.redaction),
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
