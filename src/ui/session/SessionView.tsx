// One session in full: its connections with charts, event log, candidate grid,
// stats explorer and media. Shown by the devtools panel (live), the viewer
// (stored sessions, live or ended) and for imported dumps.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionDump } from '../../core/dump';
import { SessionModel } from '../../core/view/session-model';
import { LiveConnection } from '../shared/live';
import { ConnectionView } from './ConnectionView';
import { MediaView } from './MediaView';
import { duration } from './format';
import { stateTone } from '../../core/live-summary';
import { analyzeDump, type AnalysisResult, type Observation } from '../../core/analysis';
import { AnalysisView } from './AnalysisView';
import './session.css';

export type SessionSource =
  /** a stored session, followed live while it runs */
  | { kind: 'stored'; sessionId: string }
  /** an imported dump, shown as read */
  | { kind: 'dump'; dump: SessionDump; name: string };

/** Follows a stored session over the live port; returns its model and a version that changes with new events. */
interface StoredState {
  model: SessionModel | null;
  version: number;
  error: string | null;
  analysis: AnalysisResult | null;
}

function useStoredSession(sessionId: string | null): StoredState {
  const [state, setState] = useState<StoredState>({ model: null, version: 0, error: null, analysis: null });
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
        if (model) setState((s) => ({ ...s, model, version: model!.version, error: null }));
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
      } else if (msg.kind === 'analysis' && msg.sessionId === sessionId) {
        setState((s) => ({ ...s, analysis: msg.result }));
      } else if (msg.kind === 'error') {
        setState((s) => ({ ...s, error: msg.message }));
      }
    });
    live.watch({ v: 1, kind: 'watchSession', sessionId });
    return () => live.close();
  }, [sessionId]);
  return state;
}

function useDump(dump: SessionDump | null): { model: SessionModel | null; analysis: AnalysisResult | null } {
  const model = useMemo(() => {
    if (!dump) return null;
    const m = new SessionModel(dump.session);
    m.add(dump.events);
    return m;
  }, [dump]);
  const [analysis, setAnalysis] = useState<AnalysisResult | null>(null);
  useEffect(() => {
    setAnalysis(null);
    if (!dump) return;
    // after the charts are drawn: the analysis reads every sample of every connection
    const timer = setTimeout(() => setAnalysis(analyzeDump(dump)), 50);
    return () => clearTimeout(timer);
  }, [dump]);
  return { model, analysis };
}

export function SessionView({ source }: { source: SessionSource }) {
  const stored = useStoredSession(source.kind === 'stored' ? source.sessionId : null);
  const imported = useDump(source.kind === 'dump' ? source.dump : null);
  const model = source.kind === 'stored' ? stored.model : imported.model;
  const version = source.kind === 'stored' ? stored.version : (imported.model?.version ?? 0);
  const analysis = source.kind === 'stored' ? stored.analysis : imported.analysis;
  if (source.kind === 'stored' && stored.error) return <p class="error" role="alert">{stored.error}</p>;
  if (!model) return <p class="muted">Loading…</p>;
  return <SessionBody model={model} version={version} analysis={analysis} />;
}

function SessionBody({ model, version, analysis }: { model: SessionModel; version: number; analysis: AnalysisResult | null }) {
  const ids = [...model.connections.keys()];
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<{ t: number; n: number } | null>(null);
  const jump = (o: Observation) => {
    if (o.pcId !== null && model.connections.has(o.pcId)) setSelected(o.pcId);
    setFocus((f) => ({ t: o.firstSeenAt, n: (f?.n ?? 0) + 1 }));
  };
  const current = selected === 'media' || (selected !== null && model.connections.has(selected)) ? selected : (ids[0] ?? 'media');
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
      <AnalysisView analysis={analysis} onFocus={jump} />
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
              {id} <span class={`state state-${stateTone(state)}`}>{state}</span>
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
        <ConnectionView
          key={current}
          model={model}
          connection={model.connections.get(current)!}
          version={version}
          analysis={analysis?.connections.find((c) => c.pcId === current) ?? null}
          focus={focus}
        />
      )}
    </div>
  );
}
