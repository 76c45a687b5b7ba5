// The popup: the tabs with WebRTC activity (their live sessions), with
// connection count, bitrate and worst state; "Save for support" and "Open viewer".

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { applyTheme } from '../shared/theme';
import { call } from '../shared/api';
import { errorMessage } from '../shared/download';
import { formatBitrate, sessionSite } from '../../core/session-list';
import { stateTone, type LiveSessionSummary } from '../../core/live-summary';
import { SupportDialog } from './SupportDialog';
import './popup.css';

const VIEWER = 'src/ui/viewer/viewer.html';

function openViewer(sessionId?: string): void {
  const query = sessionId ? `?session=${encodeURIComponent(sessionId)}` : '';
  void browser.tabs.create({ url: browser.runtime.getURL(VIEWER + query) });
}

/** Refreshed every second while the popup is open (liveTabs reads memory only). */
const REFRESH_MS = 1000;

function Popup() {
  const [sessions, setSessions] = useState<LiveSessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [activeTab, setActiveTab] = useState<number | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const list = await call('liveTabs');
        if (!stopped) {
          setSessions(list);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(errorMessage(e));
      }
    };
    void refresh();
    call('getSettings')
      .then((s) => setPaused(s.paused))
      .catch(() => undefined);
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    void browser.tabs
      .query({ active: true, currentWindow: true })
      .then(([tab]) => setActiveTab(tab?.id ?? null))
      .catch(() => undefined);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  // the current tab first
  const ordered = sessions ? [...sessions].sort((a, b) => Number(b.tabId === activeTab) - Number(a.tabId === activeTab)) : [];
  return (
    <main>
      <header class="row">
        <h1>WebRTC Lens</h1>
        <span class="grow" />
        <button type="button" onClick={() => openViewer()}>
          All sessions
        </button>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      {error && (
        <p role="alert" class="state-bad">
          Could not ask the extension: {error}
        </p>
      )}
      {paused && (
        <p class="paused state-warn">
          Capture is paused: pages loaded from now on are not recorded. Turn it back on in the options.
        </p>
      )}
      {sessions && sessions.length === 0 && <p class="muted empty">No tab has WebRTC activity now. Sessions recorded earlier are in “All sessions”.</p>}
      <ul class="sessions">
        {ordered.map((s) => (
          <li key={s.sessionId} class="session" data-session={s.sessionId} data-tab={s.tabId}>
            <div class="title" title={s.url}>
              {s.title || sessionSite({ url: s.url, origin: '' })}
              {s.tabId === activeTab && <span class="muted"> (this tab)</span>}
            </div>
            <div class="muted url">{s.url}</div>
            <div class="facts">
              <span class="connections">
                {s.connections} connection{s.connections === 1 ? '' : 's'}
                {s.liveConnections !== s.connections && <>, {s.liveConnections} live</>}
              </span>
              <span class="bitrate" title="current bitrate of the live connections">
                ↑ {formatBitrate(s.sendBps)} ↓ {formatBitrate(s.recvBps)}
              </span>
              {s.worstState && (
                <span class={`state state-${stateTone(s.worstState)}`} title="worst connection state">
                  {s.worstState}
                </span>
              )}
            </div>
            <div class="row">
              <button type="button" onClick={() => setSaving(saving === s.sessionId ? null : s.sessionId)} aria-expanded={saving === s.sessionId}>
                Save for support…
              </button>
              <button type="button" onClick={() => openViewer(s.sessionId)}>
                Open viewer
              </button>
            </div>
            {saving === s.sessionId && <SupportDialog sessionId={s.sessionId} onClose={() => setSaving(null)} />}
          </li>
        ))}
      </ul>
    </main>
  );
}

applyTheme();
render(<Popup />, document.getElementById('app')!);
