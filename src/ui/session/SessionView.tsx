// One session in full: its connections with charts, event log, candidate grid,
// stats explorer and media. Shown by the devtools panel (live), the viewer
// (stored sessions, live or ended) and for imported dumps.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionDump } from '../../core/dump';
import { SessionModel } from '../../core/view/session-model';
import { LiveConnection } from '../shared/live';
import { ConnectionView } from './ConnectionView';
import { MediaView } from './MediaView';
import { duration, stateClass } from './format';
import './session.css';

export type SessionSource =
  /** a stored session, followed live while it runs */
  | { kind: 'stored'; sessionId: string }
  /** an imported dump, shown as read */
  | { kind: 'dump'; dump: SessionDump; name: string };

/** Follows a stored session over the live port; returns its model and a version that changes with new events. */
function useStoredSession(sessionId: string | null): { model: SessionModel | null; version: number; error: string | null } {
  const [state, setState] = useState<{ model: SessionModel | null; version: number; error: string | null }>({ model: null, version: 0, error: null });
  useEffect(() => {
    if (sessionId === null) return;
    let model: SessionModel | null = null;
    let pending = false;
    // Renders at most once per animation frame, however many batches arrive.
    const publish = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (model) setState({ model, version: model.version, error: null });
      });
    };
    const live = new LiveConnection((msg) => {
      if (msg.kind === 'snapshot' && msg.session.id === sessionId) {
        model = new SessionModel(msg.session);
        model.add(msg.events);
        publish();
      } else if (msg.kind === 'events' && model && msg.session.id === sessionId) {
        model.session = msg.session;
        if (model.add(msg.events) > 0) publish();
      } else if (msg.kind === 'error') {
        setState((s) => ({ ...s, error: msg.message }));
      }
    });
    live.watch({ v: 1, kind: 'watchSession', sessionId });
    return () => live.close();
  }, [sessionId]);
  return state;
}

function useDump(dump: SessionDump | null): SessionModel | null {
  return useMemo(() => {
    if (!dump) return null;
    const model = new SessionModel(dump.session);
    model.add(dump.events);
    return model;
  }, [dump]);
}

export function SessionView({ source }: { source: SessionSource }) {
  const stored = useStoredSession(source.kind === 'stored' ? source.sessionId : null);
  const imported = useDump(source.kind === 'dump' ? source.dump : null);
  const model = source.kind === 'stored' ? stored.model : imported;
  const version = source.kind === 'stored' ? stored.version : (imported?.version ?? 0);
  if (source.kind === 'stored' && stored.error) return <p class="error" role="alert">{stored.error}</p>;
  if (!model) return <p class="muted">Loading…</p>;
  return <SessionBody model={model} version={version} />;
}

function SessionBody({ model, version }: { model: SessionModel; version: number }) {
  const ids = [...model.connections.keys()];
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected !== null && model.connections.has(selected) ? selected : (ids[0] ?? 'media');
  const s = model.session;
  const end = s.endTime ?? s.lastEventTime;
  return (
    <div class="session-view">
      <header class="session-header">
        <span class="session-url" title={s.url}>{s.url}</span>
        <span class="muted">
          {new Date(s.startTime).toLocaleString()} · {duration(end - s.startTime)} · {s.endTime === null ? <span class="live-dot">live</span> : 'ended'}
        </span>
      </header>
      <nav class="conn-tabs" role="tablist" aria-label="Connections">
        {ids.map((id) => {
          const c = model.connections.get(id)!;
          const state = c.connectionState ?? c.iceConnectionState ?? 'new';
          return (
            <button
              key={id}
              role="tab"
              aria-selected={current === id}
              class={`conn-tab ${current === id ? 'active' : ''}`}
              data-connection={id}
              onClick={() => setSelected(id)}
            >
              {id} <span class={`state state-${stateClass(state)}`}>{state}</span>
            </button>
          );
        })}
        <button role="tab" aria-selected={current === 'media'} class={`conn-tab ${current === 'media' ? 'active' : ''}`} onClick={() => setSelected('media')}>
          Media &amp; devices
        </button>
      </nav>
      {ids.length === 0 && current === 'media' ? <p class="muted">No peer connection in this session yet.</p> : null}
      {current === 'media' ? (
        <MediaView model={model} version={version} />
      ) : (
        <ConnectionView key={current} model={model} connection={model.connections.get(current)!} version={version} />
      )}
    </div>
  );
}
