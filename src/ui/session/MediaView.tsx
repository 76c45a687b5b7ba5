// getUserMedia / getDisplayMedia calls with their constraints, results and
// errors; the device counts; track events.

import type { SessionModel } from '../../core/view/session-model';
import { clockTime } from './format';

interface MediaCall {
  id: string;
  method: string;
  t: number;
  constraints: unknown;
  result: unknown;
  error: string | null;
  done: boolean;
}

export function mediaCalls(model: SessionModel): MediaCall[] {
  const calls = new Map<string, MediaCall>();
  let anonymous = 0;
  for (const e of model.pageEvents) {
    const m = /^(navigator\.mediaDevices\.getUserMedia|navigator\.mediaDevices\.getDisplayMedia|getUserMedia|navigator\.getUserMedia|navigator\.webkitGetUserMedia)(OnSuccess|OnFailure)?$/.exec(e.method);
    if (!m) continue;
    const id = String(e.extra?.[0] ?? `call-${m[2] ? anonymous : ++anonymous}`);
    let call = calls.get(id);
    if (!call) calls.set(id, (call = { id, method: m[1]!, t: e.t, constraints: null, result: null, error: null, done: false }));
    if (!m[2]) call.constraints = e.value;
    else if (m[2] === 'OnSuccess') {
      call.result = e.value;
      call.done = true;
    } else {
      call.error = String(e.value);
      call.done = true;
    }
  }
  return [...calls.values()];
}

const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function MediaView({ model }: { model: SessionModel; version: number }) {
  const calls = mediaCalls(model);
  const devices = model.pageEvents.filter((e) => e.method === 'navigator.mediaDevices.enumerateDevicesOnSuccess');
  const tracks = model.pageEvents.filter((e) => e.method.startsWith('MediaStreamTrack.'));
  return (
    <div class="media-view">
      <h3>getUserMedia / getDisplayMedia</h3>
      {calls.length === 0 ? <p class="muted">No media capture calls.</p> : null}
      {calls.map((c) => (
        <details key={c.id} class={`media-call ${c.error ? 'failure' : ''}`} open={c.error !== null}>
          <summary>
            <span class="mono">{clockTime(c.t)}</span> {c.method.replace('navigator.mediaDevices.', '')}{' '}
            {c.error ? <span class="state-bad">failed: {c.error}</span> : c.done ? <span class="state-good">succeeded</span> : <span class="muted">pending</span>}
          </summary>
          <div class="media-call-body">
            <div>
              <h4>Constraints</h4>
              <pre>{json(c.constraints)}</pre>
            </div>
            {c.result !== null ? (
              <div>
                <h4>Tracks</h4>
                <pre>{json(c.result)}</pre>
              </div>
            ) : null}
          </div>
        </details>
      ))}
      <h3>Devices</h3>
      {devices.length === 0 ? (
        <p class="muted">The page did not list devices.</p>
      ) : (
        <p>
          Last enumerateDevices ({clockTime(devices[devices.length - 1]!.t)}): <span class="mono">{json(devices[devices.length - 1]!.value)}</span>{' '}
          <span class="muted">(counts per kind; labels are not recorded)</span>
        </p>
      )}
      <h3>Track events</h3>
      {tracks.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="track-events">
          {tracks.map((e) => (
            <li key={`${e.frame}-${e.seq}`}>
              <span class="mono">{clockTime(e.t)}</span> {e.method.replace('MediaStreamTrack.', '')} <span class="mono">{json(e.value)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
