// Any stats object, any property (raw or derived): pick and chart it.

import { useState } from 'preact/hooks';
import type { ConnectionModel, Marker } from '../../core/view/session-model';
import { metricByName } from '../../core/metrics';
import type { ChartSpec } from '../../core/view/charts';
import { Chart } from './Chart';
import type { ChartSync } from './chart-sync';

export function StatsExplorer({ connection, markers, sync, version }: { connection: ConnectionModel; markers: readonly Marker[]; sync: ChartSync; version: number }) {
  const [filter, setFilter] = useState('');
  const [objectId, setObjectId] = useState<string | null>(null);
  const [charted, setCharted] = useState<ChartSpec[]>([]);
  const needle = filter.trim().toLowerCase();
  // every derived metric, not only the default charts' (computed the first time the explorer opens)
  connection.withAllMetrics();
  const objects = [...connection.reports.values()].filter((r) => !needle || r.id.toLowerCase().includes(needle) || r.type.toLowerCase().includes(needle));
  const current = objectId !== null ? connection.reports.get(objectId) : undefined;
  const add = (statsId: string, name: string) => {
    const key = `${statsId}/${name}`;
    if (charted.some((c) => c.key === key)) return;
    const unit = metricByName(name)?.unit ?? '';
    setCharted([...charted, { key, title: `${statsId} · ${name}`, unit, kind: 'line', series: [{ statsId, name, label: name }] }]);
  };
  return (
    <div class="explorer">
      <div class="explorer-pick">
        <input type="search" placeholder="Filter by id or type" aria-label="Filter stats objects" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        <ul class="explorer-objects" aria-label="Stats objects">
          {objects.map((r) => (
            <li key={r.id}>
              <button class={objectId === r.id ? 'active' : ''} onClick={() => setObjectId(r.id)}>
                <span class="muted">{r.type}</span> {r.id}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div class="explorer-props">
        {current ? (
          <table>
            <thead>
              <tr>
                <th>Property</th>
                <th>Latest</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {[...current.columns.entries()]
                .sort(([a], [b]) => (a.startsWith('[') === b.startsWith('[') ? a.localeCompare(b) : a.startsWith('[') ? 1 : -1))
                .map(([name, col]) => {
                  const latest = col.values[col.values.length - 1];
                  const numeric = col.values.some((v) => typeof v === 'number');
                  return (
                    <tr key={name}>
                      <td class="mono">{name}</td>
                      <td class="mono">{latest === null || latest === undefined ? '–' : String(latest)}</td>
                      <td>{numeric ? <button onClick={() => add(current.id, name)} aria-label={`Chart ${name}`}>chart</button> : null}</td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        ) : (
          <p class="muted">Pick a stats object to see its properties; derived metrics are in [brackets].</p>
        )}
      </div>
      <div class="explorer-charts chart-grid">
        {charted.map((spec) => (
          <div key={spec.key} class="explorer-chart">
            <button class="close" aria-label={`Remove chart ${spec.title}`} onClick={() => setCharted(charted.filter((c) => c.key !== spec.key))}>
              ×
            </button>
            <Chart model={connection} spec={spec} markers={markers} sync={sync} version={version} />
          </div>
        ))}
      </div>
    </div>
  );
}
