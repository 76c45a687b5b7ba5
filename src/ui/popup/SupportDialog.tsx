// "Save for support" with a preview of what will be masked: per kind, how much
// the session holds, and a switch for each (defaults from the settings). When
// the tab was loaded before in this call (a reload), its earlier page loads go
// in the zip too unless unchecked: the failed attempt is often the earlier one.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api';
import { errorMessage, fromBase64, saveFile } from '../shared/download';
import { previewOptions, redactionPreviewRows } from '../../core/redaction-preview';
import type { RedactionOptions, RedactionReport } from '../../core/redact';
import { sessionsOfSameTab } from '../../core/tab';

export function SupportDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const [choice, setChoice] = useState<Required<RedactionOptions> | null>(null);
  const [report, setReport] = useState<RedactionReport | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  /** the tab's page loads before this one (same browser run), and whether they go in the zip */
  const [earlier, setEarlier] = useState<{ count: number; since: number } | null>(null);
  const [wholeTab, setWholeTab] = useState(true);

  useEffect(() => {
    call('listSessions')
      .then((all) => {
        const tab = sessionsOfSameTab(all, sessionId);
        const before = tab.filter((s) => s.startTime < (tab.find((t) => t.id === sessionId)?.startTime ?? 0));
        setEarlier(before.length > 0 ? { count: before.length, since: before[0]!.startTime } : null);
      })
      .catch(() => setEarlier(null)); // (this page load alone)
  }, [sessionId]);
  const scope = { wholeTab: wholeTab && earlier !== null };

  useEffect(() => {
    call('getSettings')
      .then((s) => setChoice(s.redaction))
      .catch((e: unknown) => setStatus({ text: `Could not read the settings: ${errorMessage(e)}`, error: true }));
  }, []);

  const keepTurn = choice?.keepTurnServerAddresses;
  useEffect(() => {
    if (!choice) return;
    setReport(null);
    call('previewRedaction', sessionId, previewOptions(choice), scope)
      .then(setReport)
      .catch((e: unknown) => setStatus({ text: `Could not preview the redaction: ${errorMessage(e)}`, error: true }));
  }, [sessionId, keepTurn, scope.wholeTab]); // of the choices, only the TURN one changes the preview

  const save = async () => {
    if (!choice) return;
    setSaving(true);
    setStatus({ text: 'Preparing the zip…', error: false });
    try {
      const bundle = await call('saveForSupport', sessionId, choice, scope);
      await saveFile(fromBase64(bundle.base64), bundle.fileName, 'application/zip');
      setStatus({ text: `Saved ${bundle.fileName}`, error: false });
    } catch (e) {
      setStatus({ text: `Could not save: ${errorMessage(e)}`, error: true });
    } finally {
      setSaving(false);
    }
  };

  const rows = report && choice ? redactionPreviewRows(report, choice) : [];
  return (
    <section class="support" aria-label="Save for support">
      {earlier && (
        <label class="choice">
          <input type="checkbox" checked={wholeTab} onChange={(e) => setWholeTab((e.currentTarget as HTMLInputElement).checked)} />
          <span>
            Include the {earlier.count === 1 ? 'earlier page load' : `${earlier.count} earlier page loads`} of this tab (since{' '}
            {new Date(earlier.since).toLocaleTimeString()})
          </span>
        </label>
      )}
      <h3>Before saving: what will be masked</h3>
      {!report && !status?.error && <p class="muted">Looking at the session…</p>}
      {report && choice && (
        <fieldset>
          <legend class="muted">Uncheck a kind to keep it in the zip as it is.</legend>
          {rows.map((row) => (
            <label class="choice" key={row.key}>
              <input
                type="checkbox"
                checked={row.masked}
                onChange={(e) => setChoice({ ...choice, [row.key]: (e.currentTarget as HTMLInputElement).checked })}
              />
              <span>
                {row.label}: <b data-kind={row.key}>{row.count === 0 ? 'none found' : `${row.count} (${row.distinct} distinct)`}</b>
                {row.count > 0 && !row.masked && <span class="state-warn"> — will be kept</span>}
                <br />
                <span class="muted small">{row.explanation}</span>
              </span>
            </label>
          ))}
          <label class="choice">
            <input
              type="checkbox"
              checked={choice.keepTurnServerAddresses}
              onChange={(e) => setChoice({ ...choice, keepTurnServerAddresses: (e.currentTarget as HTMLInputElement).checked })}
            />
            <span>
              Keep TURN servers' own addresses
              {report.keptTurnServerAddresses.length > 0 && <span class="muted"> ({report.keptTurnServerAddresses.map((k) => k.address).join(', ')})</span>}
            </span>
          </label>
          <p class="muted small">TURN credentials are never stored, so they are never saved.</p>
        </fieldset>
      )}
      <div class="row">
        <button type="button" class="primary" onClick={() => void save()} disabled={!report || saving}>
          Save zip
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
      {status && (
        <p role="status" class={status.error ? 'state-bad' : 'muted'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
