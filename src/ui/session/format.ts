// Numbers and times for people (bitrates and durations as the session list writes them).

import { formatBitrate, formatDuration } from '../../core/session-list';

export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (unit === 'bit/s') return formatBitrate(v);
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  return `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function axisValue(v: number, unit: string): string {
  if (unit === 'bit/s') {
    if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
    if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(0)}k`;
  }
  return String(+v.toFixed(3));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function clockTime(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function relativeTime(t: number, start: number): string {
  const s = (t - start) / 1000;
  return `${s < 0 ? '−' : '+'}${Math.abs(s).toFixed(3)} s`;
}

/** A duration; '–' for none. */
export function duration(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : '–';
}

