// The options page: the capture settings (src/core/settings.ts), each saved
// as soon as it changes, clamped by the background, shown as stored.

import { render, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { applyTheme } from '../shared/theme';
import { call } from '../shared/api';
import { errorMessage } from '../shared/download';
import { POLL_INTERVAL_MAX_MS, POLL_INTERVAL_MIN_MS, REDACTION_CHOICES, normalizeSite, type Settings, type SettingsChange } from '../../core/settings';
import { formatBytes } from '../../core/session-list';
import '../shared/pages.css';

function NumberSetting(props: { id: string; label: string; value: number; min: number; max: number; step?: number; unit: string; onCommit: (n: number) => void; children: ComponentChildren }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const commit = () => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) setText(String(props.value));
    else props.onCommit(n);
  };
  return (
    <div class="setting">
      <label for={props.id}>{props.label}</label>
      <div class="row">
        <input
          id={props.id}
          type="number"
          min={props.min}
          max={props.max}
          step={props.step ?? 1}
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          onChange={commit}
        />
        <span class="muted">{props.unit}</span>
      </div>
      <p class="muted explain">{props.children}</p>
    </div>
  );
}

function Options() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [site, setSite] = useState('');
  const [usage, setUsage] = useState<{ sessions: number; bytes: number } | null>(null);

  useEffect(() => {
    call('getSettings')
      .then(setSettings)
      .catch((e: unknown) => setStatus({ text: `Could not read the settings: ${errorMessage(e)}`, error: true }));
    call('storageUsage')
      .then(setUsage)
      .catch(() => undefined);
  }, []);

  const change = async (c: SettingsChange) => {
    try {
      const stored = await call('setSettings', c);
      setSettings(stored);
      setStatus({ text: 'Saved. Settings apply from the next page load (reload the page with the call).', error: false });
    } catch (e) {
      setStatus({ text: `Could not save: ${errorMessage(e)}`, error: true });
    }
  };

  const addSite = (e: Event) => {
    e.preventDefault();
    if (!settings) return;
    const normalized = normalizeSite(site);
    if (!normalized) {
      setStatus({ text: `“${site}” is not a site: write a host name such as meet.example.com or *.example.com`, error: true });
      return;
    }
    setSite('');
    void change({ disabledSites: [...settings.disabledSites, normalized] });
  };

  if (!settings) {
    return <main class="page">{status ? <p role="alert" class="state-bad">{status.text}</p> : <p class="muted">Loading…</p>}</main>;
  }
  return (
    <main class="page options">
      <h1>WebRTC Lens options</h1>
      <p class="muted">Changes are saved at once. They apply from the next page load: reload a page with a call for it to see them.</p>

      <section>
        <h2>Capture</h2>
        <div class="setting">
          <label class="check">
            <input type="checkbox" checked={settings.paused} onChange={(e) => void change({ paused: (e.currentTarget as HTMLInputElement).checked })} />
            Pause capture everywhere
          </label>
          <p class="muted explain">While paused, no page gets the hook: nothing is recorded. Pages already open keep recording until they are reloaded.</p>
        </div>
        <NumberSetting
          id="poll"
          label="Stats interval"
          value={settings.pollIntervalMs}
          min={POLL_INTERVAL_MIN_MS}
          max={POLL_INTERVAL_MAX_MS}
          step={250}
          unit="ms"
          onCommit={(n) => void change({ pollIntervalMs: n })}
        >
          How often getStats is read for each connection ({POLL_INTERVAL_MIN_MS} ms – {POLL_INTERVAL_MAX_MS / 1000} s). 1000 ms is what
          webrtc-internals uses; shorter shows more detail and stores more.
        </NumberSetting>
      </section>

      <section>
        <h2>Sites not captured</h2>
        <p class="muted explain">These sites get no hook at all (neither script runs in their pages or frames). *.example.com covers every subdomain.</p>
        {settings.disabledSites.length === 0 ? (
          <p class="muted">Every site is captured.</p>
        ) : (
          <ul class="sites">
            {settings.disabledSites.map((s) => (
              <li key={s} class="row">
                <span class="mono">{s}</span>
                <button type="button" aria-label={`Capture ${s} again`} onClick={() => void change({ disabledSites: settings.disabledSites.filter((x) => x !== s) })}>
                  Capture again
                </button>
              </li>
            ))}
          </ul>
        )}
        <form class="row" onSubmit={addSite}>
          <label for="site">Stop capturing</label>
          <input id="site" type="text" placeholder="meet.example.com" value={site} onInput={(e) => setSite((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit">Add</button>
        </form>
      </section>

      <section>
        <h2>Retention</h2>
        <p class="muted explain">
          When either limit is passed the oldest whole sessions are deleted (never one still recording).
          {usage && ` Stored now: ${usage.sessions} session${usage.sessions === 1 ? '' : 's'}, ${formatBytes(usage.bytes)}.`}
        </p>
        <NumberSetting id="maxSessions" label="Keep at most" value={settings.maxSessions} min={1} max={100_000} unit="sessions" onCommit={(n) => void change({ maxSessions: n })}>
          Each page load with WebRTC activity is one session.
        </NumberSetting>
        <NumberSetting id="maxStorage" label="Use at most" value={settings.maxStorageMB} min={1} max={1_000_000} unit="MB" onCommit={(n) => void change({ maxStorageMB: n })}>
          Disk space for recorded sessions; a one-hour call with audio and video takes a few MB.
        </NumberSetting>
      </section>

      <section>
        <h2>Save for support: what is masked by default</h2>
        <p class="muted explain">The zip made by “Save for support” masks these unless you uncheck them here (or for one zip, in the popup before saving).</p>
        {REDACTION_CHOICES.map((c) => (
          <div class="setting" key={c.key}>
            <label class="check">
              <input
                type="checkbox"
                name={c.key}
                checked={settings.redaction[c.key]}
                onChange={(e) => void change({ redaction: { [c.key]: (e.currentTarget as HTMLInputElement).checked } })}
              />
              {c.label}
            </label>
            <p class="muted explain">{c.explanation}</p>
          </div>
        ))}
      </section>

      <p role="status" class={status ? (status.error ? 'status state-bad' : 'status') : 'status empty'}>
        {status?.text ?? ''}
      </p>
    </main>
  );
}

applyTheme();
render(<Options />, document.getElementById('app')!);
