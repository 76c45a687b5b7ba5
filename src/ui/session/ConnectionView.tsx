// One connection: its header, then charts, event log, candidate grid or the
// stats explorer.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionAnalysis } from '../../core/analysis';
import { ScoreList } from './AnalysisView';
import type { ConnectionModel, SessionModel } from '../../core/view/session-model';
import { chartsShape, codecsInUse, currentBitrate, defaultCharts } from '../../core/view/charts';
import { candidateGrid, describePair, isRelayed } from '../../core/view/ice';
import { Chart } from './Chart';
import { ChartSync } from './chart-sync';
import { EventLogView } from './EventLogView';
import { IceGrid } from './IceGrid';
import { StatsExplorer } from './StatsExplorer';
import { duration, formatValue } from './format';
import { stateTone } from '../../core/live-summary';

type Tab = 'charts' | 'events' | 'ice' | 'stats';
const LIVE_WINDOW_SECONDS = 300;
const TABS: { key: Tab; label: string }[] = [
  { key: 'charts', label: 'Charts' },
  { key: 'events', label: 'Event log' },
  { key: 'ice', label: 'ICE candidates' },
  { key: 'stats', label: 'Stats explorer' },
];

export interface ConnectionViewProps {
  model: SessionModel;
  connection: ConnectionModel;
  version: number;
  /** this connection's lifecycle and scores, once analysed */
  analysis?: ConnectionAnalysis | null;
  /** a moment to show on the charts (an observation was picked); `n` changes with each pick */
  focus?: { t: number; n: number } | null;
}

export function ConnectionView({ model, connection, version, analysis = null, focus = null }: ConnectionViewProps) {
  const [tab, setTab] = useState<Tab>('charts');
  const live = model.session.endTime === null;
  // a live call shows its last five minutes (drawing an hour of points every second costs too much); an ended one everything
  const [range, setRange] = useState<'follow' | 'all'>(live ? 'follow' : 'all');
  const sync = useMemo(() => new ChartSync(), [connection]);
  sync.follow = range === 'follow' ? LIVE_WINDOW_SECONDS : null;
  const chooseRange = (r: 'follow' | 'all') => {
    setRange(r);
    sync.zoom = null;
    sync.follow = r === 'follow' ? LIVE_WINDOW_SECONDS : null;
    sync.refresh();
  };
  const markers = [...connection.markers, ...model.pageMarkers];
  useEffect(() => {
    if (!focus) return;
    setTab('charts');
    // after the charts of this connection exist
    const timer = setTimeout(() => sync.focus(focus.t / 1000), 0);
    return () => clearTimeout(timer);
  }, [focus?.n]);
  return (
    <section class="connection" data-connection={connection.id}>
      <ConnectionHeader model={model} connection={connection} analysis={analysis} />
      <nav class="view-tabs" role="tablist" aria-label="Views">
        {TABS.map((t) => (
          <button key={t.key} role="tab" aria-selected={tab === t.key} class={tab === t.key ? 'active' : ''} onClick={() => setTab(t.key)} data-tab={t.key}>
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'charts' ? (
        <div class="toolbar" role="toolbar" aria-label="Time range">
          <span class="muted">Time range:</span>
          <button aria-pressed={range === 'follow'} class={range === 'follow' ? 'active' : ''} onClick={() => chooseRange('follow')}>
            Last {LIVE_WINDOW_SECONDS / 60} min
          </button>
          <button aria-pressed={range === 'all'} class={range === 'all' ? 'active' : ''} onClick={() => chooseRange('all')}>
            Whole call
          </button>
        </div>
      ) : null}
      {tab === 'charts' ? <ChartGroups connection={connection} markers={markers} sync={sync} version={version} /> : null}
      {tab === 'events' ? <EventLogView model={model} pc={connection.id} version={version} /> : null}
      {tab === 'ice' ? <IceGrid connection={connection} version={version} /> : null}
      {tab === 'stats' ? <StatsExplorer connection={connection} markers={markers} sync={sync} version={version} /> : null}
    </section>
  );
}

function ConnectionHeader({ model, connection, analysis }: { model: SessionModel; connection: ConnectionModel; analysis: ConnectionAnalysis | null }) {
  const state = connection.connectionState ?? connection.iceConnectionState ?? 'new';
  const end = connection.closedAt ?? (model.session.endTime ?? model.session.lastEventTime);
  const pair = connection.lastSample ? candidateGrid(connection.lastSample).find((p) => p.selected) : undefined;
  const codecs = codecsInUse(connection);
  const rate = currentBitrate(connection);
  // With samples in hand, a missing value is something these stats do not have (older browsers, other vendors).
  const sampled = connection.times.length > 0;
  return (
    <dl class="conn-header">
      <div>
        <dt>State</dt>
        <dd class={`state-${stateTone(state)}`} data-field="state">{state}</dd>
      </div>
      <div>
        <dt>Age</dt>
        <dd>{connection.createdAt === null ? '–' : duration(end - connection.createdAt)}</dd>
      </div>
      <div>
        <dt>Selected pair</dt>
        <dd data-field="pair">{pair ? `${describePair(pair)}${isRelayed(pair) ? ' · relayed' : ' · direct'}` : sampled ? <span class="muted">none in the stats</span> : '–'}</dd>
      </div>
      <div>
        <dt>Codecs</dt>
        <dd data-field="codecs">
          {codecs.send.length + codecs.receive.length > 0
            ? `↑ ${codecs.send.join(', ') || '–'} · ↓ ${codecs.receive.join(', ') || '–'}`
            : sampled ? <span class="muted">not in the stats</span> : '–'}
        </dd>
      </div>
      <div>
        <dt>Bitrate</dt>
        <dd data-field="bitrate">↑ {formatValue(rate.send, 'bit/s')} · ↓ {formatValue(rate.receive, 'bit/s')}</dd>
      </div>
      <div>
        <dt>Scores</dt>
        <dd data-field="scores">{analysis ? <ScoreList scores={analysis.scores} /> : <span class="muted">–</span>}</dd>
      </div>
      {analysis ? (
        <div>
          <dt>Setup</dt>
          <dd data-field="setup">{setupText(analysis)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function ChartGroups({ connection, markers, sync, version }: { connection: ConnectionModel; markers: ConnectionViewProps['model']['pageMarkers']; sync: ChartSync; version: number }) {
  // The groups change only when new stats objects or properties appear (Firefox adds RTCP RTT seconds into a call).
  const groups = useMemo(() => defaultCharts(connection), [connection, chartsShape(connection), version > 0]);
  if (connection.times.length === 0) return <p class="muted">No stats samples yet.</p>;
  if (groups.length === 0) {
    return (
      <p class="muted">
        No chart to draw: {connection.times.length} stats sample{connection.times.length === 1 ? '' : 's'}, without the RTP or candidate-pair
        data the default charts read (the Stats explorer shows what there is).
      </p>
    );
  }
  return (
    <div class="chart-groups">
      <p class="muted hint">Drag on a chart to zoom all charts of this connection; double-click to reset. Dashed lines: state changes, ICE restarts, renegotiations, candidate-pair switches, track events.</p>
      {groups.map((g) => (
        <section class="chart-group" key={g.key} data-group={g.key}>
          <h3>
            {g.title} <span class="muted">{g.subtitle}</span>
          </h3>
          {g.unavailable.length > 0 ? (
            <p class="muted unavailable" data-unavailable={g.unavailable.join('|')}>
              Not in this connection's stats: {g.unavailable.join(', ')}.
            </p>
          ) : null}
          <div class="chart-grid">
            {g.charts.map((spec) => (
              <Chart key={`${g.key}/${spec.key}`} model={connection} spec={spec} markers={markers} sync={sync} version={version} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

/** Setup in a few words: how long it took, or that it failed, and what happened since. */
function setupText(a: ConnectionAnalysis): string {
  const l = a.lifecycle;
  const parts: string[] = [];
  if (l.setupFailed) parts.push(`failed after ${(l.setupFailed.afterMs / 1000).toFixed(1)} s`);
  else if (l.setupDelayMs !== null) parts.push(`connected in ${(l.setupDelayMs / 1000).toFixed(2)} s`);
  if (l.disruptions.length > 0) parts.push(`${l.disruptions.length} disruption${l.disruptions.length === 1 ? '' : 's'}`);
  if (l.iceRestarts.length > 0) parts.push(`${l.iceRestarts.length} ICE restart${l.iceRestarts.length === 1 ? '' : 's'}`);
  if (l.renegotiations > 0) parts.push(`${l.renegotiations} renegotiation${l.renegotiations === 1 ? '' : 's'}`);
  if (l.mungedSdp > 0) parts.push('munged SDP');
  return parts.join(' · ') || '–';
}
