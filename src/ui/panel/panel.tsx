// The devtools "WebRTC" panel: the sessions of the inspected tab, the newest
// shown, earlier page loads kept (like the Network panel's "preserve log").
// `?tabId=` stands in for chrome.devtools.inspectedWindow in tests.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { SessionSummary } from '../../core/session';
import { LiveConnection } from '../shared/live';
import { applyTheme } from '../shared/theme';
import { SessionView } from '../session/SessionView';
import './panel.css';

function inspectedTabId(): number | null {
  const asked = new URLSearchParams(location.search).get('tabId');
  if (asked !== null && /^\d+$/.test(asked)) return Number(asked);
  return browser.devtools?.inspectedWindow?.tabId ?? null;
}

function Panel({ tabId }: { tabId: number }) {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    const live = new LiveConnection((msg) => {
      if (msg.kind === 'tabSessions' && msg.tabId === tabId) setSessions(msg.sessions);
    });
    live.watch({ v: 1, kind: 'watchTab', tabId });
    return () => live.close();
  }, [tabId]);
  if (sessions === null) return <p class="muted pad">Loading…</p>;
  if (sessions.length === 0) {
    return (
      <p class="muted pad">
        No WebRTC activity recorded in this tab yet. Calls are captured from the next page load on (reload the page if it was open before the
        extension was installed or enabled).
      </p>
    );
  }
  const newest = sessions[sessions.length - 1]!;
  const current = sessions.find((s) => s.id === chosen) ?? newest;
  return (
    <div class="panel">
      <div class="panel-bar">
        <label>
          Page load{' '}
          <select value={current.id} onChange={(e) => setChosen(e.currentTarget.value === newest.id ? null : e.currentTarget.value)} aria-label="Page load">
            {[...sessions].reverse().map((s) => (
              <option key={s.id} value={s.id}>
                {new Date(s.startTime).toLocaleTimeString()} · {s.url} · {s.connections.length} connection{s.connections.length === 1 ? '' : 's'}
                {s.endTime === null ? ' · live' : ''}
              </option>
            ))}
          </select>
        </label>
        <a href={browser.runtime.getURL(`src/ui/viewer/viewer.html?session=${encodeURIComponent(current.id)}`)} target="_blank" rel="noopener">
          Open in viewer
        </a>
      </div>
      <SessionView key={current.id} source={{ kind: 'stored', sessionId: current.id }} />
    </div>
  );
}

const tabId = inspectedTabId();
const themeName = (browser.devtools?.panels as { themeName?: string } | undefined)?.themeName;
applyTheme(themeName);
render(tabId === null ? <p class="pad">No inspected tab.</p> : <Panel tabId={tabId} />, document.getElementById('app')!);
