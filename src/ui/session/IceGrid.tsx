// The ICE candidate grid of the latest sample.

import { candidateGrid, type CandidateInfo } from '../../core/view/ice';
import type { ConnectionModel } from '../../core/view/session-model';
import { formatValue } from './format';

const cand = (c: CandidateInfo | null) =>
  c ? `${c.candidateType} ${c.protocol}${c.relayProtocol ? ` (TURN ${c.relayProtocol})` : ''} ${c.address}${c.port !== null ? `:${c.port}` : ''}` : '–';

export function IceGrid({ connection }: { connection: ConnectionModel; version: number }) {
  if (!connection.lastSample) return <p class="muted">No stats samples yet.</p>;
  const rows = candidateGrid(connection.lastSample);
  if (rows.length === 0) return <p class="muted">No candidate pairs in the latest sample.</p>;
  return (
    <div class="table-scroll">
      <table class="ice-grid">
        <thead>
          <tr>
            <th>Pair</th>
            <th>State</th>
            <th>Local candidate</th>
            <th>Remote candidate</th>
            <th>Bytes sent</th>
            <th>Bytes received</th>
            <th>RTT</th>
            <th>Requests sent / responses received</th>
            <th>Requests received / responses sent</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id} class={p.selected ? 'selected' : ''} data-pair={p.id} data-selected={p.selected ? 'true' : 'false'}>
              <td class="mono">
                {p.id}
                {p.selected ? <span class="badge good">selected</span> : null}
                {p.nominated ? <span class="badge">nominated</span> : null}
              </td>
              <td>{p.state}</td>
              <td class="mono">{cand(p.local)}</td>
              <td class="mono">{cand(p.remote)}</td>
              <td>{p.bytesSent ?? '–'}</td>
              <td>{p.bytesReceived ?? '–'}</td>
              <td>{formatValue(p.currentRttMs, 'ms')}</td>
              <td>
                {p.requestsSent ?? '–'} / {p.responsesReceived ?? '–'}
              </td>
              <td>
                {p.requestsReceived ?? '–'} / {p.responsesSent ?? '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
