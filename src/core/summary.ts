// A one-screen summary of a captured session: what the demo prints and,
// later, what support engineers get from the command line.

import type { SessionRecord } from './session';
import type { StoredEvent } from './trace';

export interface ConnectionSummary {
  id: string;
  events: number;
  statsSamples: number;
  /** last connectionState seen, or null */
  finalState: string | null;
  reachedConnected: boolean;
  closed: boolean;
  durationMs: number;
}

export interface TraceSummary {
  url: string;
  userAgent: string;
  startTime: number;
  endTime: number | null;
  events: number;
  statsSamples: number;
  pageEvents: number;
  connections: ConnectionSummary[];
}

export function summarizeTrace(session: SessionRecord, events: StoredEvent[]): TraceSummary {
  const connections = new Map<string, ConnectionSummary & { first: number; last: number }>();
  let pageEvents = 0;
  for (const e of events) {
    if (e.pc === null) {
      pageEvents++;
      continue;
    }
    let c = connections.get(e.pc);
    if (!c) {
      c = { id: e.pc, events: 0, statsSamples: 0, finalState: null, reachedConnected: false, closed: false, durationMs: 0, first: e.t, last: e.t };
      connections.set(e.pc, c);
    }
    c.events++;
    c.last = Math.max(c.last, e.t);
    if (e.method === 'getStats') c.statsSamples++;
    if (e.method === 'onconnectionstatechange' && typeof e.value === 'string') {
      c.finalState = e.value;
      if (e.value === 'connected') c.reachedConnected = true;
    }
    if (e.method === 'close') c.closed = true;
  }
  return {
    url: session.url,
    userAgent: session.userAgent,
    startTime: session.startTime,
    endTime: session.endTime,
    events: events.length,
    statsSamples: events.filter((e) => e.method === 'getStats').length,
    pageEvents,
    connections: [...connections.values()].map(({ first, last, ...c }) => ({ ...c, durationMs: last - first })),
  };
}

export function formatSummary(s: TraceSummary): string {
  const duration = s.endTime === null ? 'still running' : `${((s.endTime - s.startTime) / 1000).toFixed(1)} s`;
  const lines = [
    `Page:        ${s.url}`,
    `Browser:     ${s.userAgent}`,
    `Started:     ${new Date(s.startTime).toISOString()} (${duration})`,
    `Events:      ${s.events} (${s.pageEvents} page-level, ${s.statsSamples} getStats samples)`,
    `Connections: ${s.connections.length}`,
  ];
  for (const c of s.connections) {
    const outcome = c.closed ? 'closed' : (c.finalState ?? 'new');
    lines.push(
      `  ${c.id.padEnd(10)} ${String(c.events).padStart(5)} events  ${String(c.statsSamples).padStart(4)} samples  ` +
        `${(c.durationMs / 1000).toFixed(1).padStart(6)} s  ${c.reachedConnected ? 'connected' : 'never connected'}, ${outcome}`,
    );
  }
  return lines.join('\n');
}
