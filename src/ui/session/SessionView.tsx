// One session in full: its connections with charts, event log, candidate grid
// and media. Shown by the devtools panel (live), the viewer (stored sessions,
// live or ended) and for imported dumps.

import type { SessionDump } from '../../core/dump';

export type SessionSource =
  /** a stored session, followed live while it runs */
  | { kind: 'stored'; sessionId: string }
  /** an imported dump, shown as read */
  | { kind: 'dump'; dump: SessionDump; name: string };

export function SessionView({ source }: { source: SessionSource }) {
  return <div class="session-view">{source.kind === 'stored' ? source.sessionId : source.name}</div>;
}
