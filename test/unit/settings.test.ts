import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, REDACTION_CHOICES, normalizeRedaction, normalizeSettings, normalizeSite, sessionsToEvict, siteMatchPatterns } from '../../src/core/settings';
import { DEFAULT_REDACTION } from '../../src/core/redact';

describe('normalizeSettings', () => {
  it('fills defaults for missing or malformed input', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings('garbage')).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ pollIntervalMs: 'fast', paused: 'yes', disabledSites: 'a.com' })).toEqual(DEFAULT_SETTINGS);
  });

  it('clamps the poll interval to 250 ms – 60 s and rounds it', () => {
    expect(normalizeSettings({ pollIntervalMs: 10 }).pollIntervalMs).toBe(250);
    expect(normalizeSettings({ pollIntervalMs: 3_600_000 }).pollIntervalMs).toBe(60_000);
    expect(normalizeSettings({ pollIntervalMs: 499.6 }).pollIntervalMs).toBe(500);
    expect(normalizeSettings({ pollIntervalMs: Number.NaN }).pollIntervalMs).toBe(1000);
  });

  it('keeps valid sites once, normalized, and drops the rest', () => {
    const s = normalizeSettings({ disabledSites: ['Meet.Example.com', 'https://meet.example.com/room?x=1', '*.corp.test', 'not a site', 42, ''] });
    expect(s.disabledSites).toEqual(['meet.example.com', '*.corp.test']);
  });

  it('drops unknown keys and keeps limits positive', () => {
    const s = normalizeSettings({ maxSessions: 0, maxStorageMB: -5, evil: true });
    expect(s).not.toHaveProperty('evil');
    expect(s.maxSessions).toBe(1);
    expect(s.maxStorageMB).toBe(1);
  });
});

describe('redaction defaults', () => {
  it('masks everything by default, as the support bundle does', () => {
    expect(normalizeSettings(undefined).redaction).toEqual(DEFAULT_REDACTION);
  });

  it('keeps each kind that is a boolean and defaults the rest', () => {
    const r = normalizeRedaction({ ipAddresses: false, deviceLabels: 'no', usernames: 0, evil: true });
    expect(r).toEqual({ ...DEFAULT_REDACTION, ipAddresses: false });
    expect(r).not.toHaveProperty('evil');
    expect(normalizeSettings({ redaction: 'off' }).redaction).toEqual(DEFAULT_REDACTION);
  });

  it('offers a choice for every redaction option', () => {
    expect(REDACTION_CHOICES.map((c) => c.key).sort()).toEqual(Object.keys(DEFAULT_REDACTION).sort());
  });
});

describe('sites', () => {
  it('turns host names, wildcards and URLs into sites', () => {
    expect(normalizeSite(' 127.0.0.1 ')).toBe('127.0.0.1');
    expect(normalizeSite('localhost:8080')).toBe('localhost');
    expect(normalizeSite('teams.microsoft.com/path')).toBe('teams.microsoft.com');
    expect(normalizeSite('http://[::1]:80/')).toBeNull();
    expect(normalizeSite('a b')).toBeNull();
    expect(normalizeSite('*.')).toBeNull();
  });

  it('makes match patterns for every scheme of the site', () => {
    expect(siteMatchPatterns('*.example.com')).toEqual(['*://*.example.com/*']);
  });
});

describe('sessionsToEvict', () => {
  const mb = 1024 * 1024;
  const sessions = [
    { id: 'c', startTime: 3, bytes: 1 * mb, live: false },
    { id: 'a', startTime: 1, bytes: 2 * mb, live: false },
    { id: 'live', startTime: 0, bytes: 5 * mb, live: true },
    { id: 'b', startTime: 2, bytes: 1 * mb, live: false },
  ];

  it('evicts nothing within the limits', () => {
    expect(sessionsToEvict(sessions, { maxSessions: 4, maxStorageMB: 9 })).toEqual([]);
  });

  it('evicts the oldest whole sessions beyond the count, never the live one', () => {
    expect(sessionsToEvict(sessions, { maxSessions: 2, maxStorageMB: 100 })).toEqual(['a', 'b']);
  });

  it('evicts the oldest beyond the size limit', () => {
    expect(sessionsToEvict(sessions, { maxSessions: 100, maxStorageMB: 7 })).toEqual(['a']);
    expect(sessionsToEvict(sessions, { maxSessions: 100, maxStorageMB: 6 })).toEqual(['a', 'b']);
  });

  it('keeps the live session even when it alone is over the limit', () => {
    expect(sessionsToEvict(sessions, { maxSessions: 1, maxStorageMB: 1 })).toEqual(['a', 'b', 'c']);
  });
});
