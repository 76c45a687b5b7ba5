// Export buttons for one session, stored or imported: rtcstats (plain, gzip),
// webrtc-internals, CSV, and the support bundle. A stored session whose tab
// had other page loads (a reload during the call) can be exported with all
// of them, as one dump (src/core/tab.ts).

import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api';
import { errorMessage, fromBase64, saveFile } from '../shared/download';
import { exportFileName } from '../../core/export';
import { makeSupportBundle } from '../../core/bundle';
import { pageGzip } from '../shared/worker-gzip';
import type { SessionDump } from '../../core/dump';
import { exportFile, VIEWER_EXPORTS } from './export-formats';
import { sessionsOfSameTab } from '../../core/tab';

export type ExportSource = { kind: 'stored'; sessionId: string } | { kind: 'dump'; dump: SessionDump };

export function ExportBar({ source }: { source: ExportSource }) {
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  /** page loads of the stored session's tab (1: itself only), and whether to export them all */
  const [pageLoads, setPageLoads] = useState(1);
  const [wholeTab, setWholeTab] = useState(false);
  const sessionId = source.kind === 'stored' ? source.sessionId : null;
  useEffect(() => {
    setPageLoads(1);
    setWholeTab(false);
    if (sessionId === null) return;
    call('listSessions')
      .then((all) => setPageLoads(Math.max(1, sessionsOfSameTab(all, sessionId).length)))
      .catch(() => undefined); // (the single session can still be exported)
  }, [sessionId]);
  const tab = wholeTab && pageLoads > 1;

  const dump = async (): Promise<SessionDump> => {
    if (source.kind === 'dump') return source.dump;
    return call(tab ? 'getTabTrace' : 'getSessionTrace', source.sessionId);
  };

  const run = async (what: string, work: () => Promise<string>) => {
    setBusy(true);
    setStatus({ text: `Preparing ${what}…`, error: false });
    try {
      setStatus({ text: `Saved ${await work()}`, error: false });
    } catch (e) {
      setStatus({ text: `Could not export ${what}: ${errorMessage(e)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const exportAs = (f: (typeof VIEWER_EXPORTS)[number]) =>
    run(f.label, async () => {
      const d = await dump();
      const name = exportFileName(d.session, f.format, f.gzip, tab ? pageLoads : 1);
      const { content, type } = await exportFile(d, f.format, f.gzip, pageGzip);
      await saveFile(content, name, type);
      return name;
    });

  const supportBundle = () =>
    run('the support bundle', async () => {
      if (source.kind === 'stored') {
        const bundle = await call('saveForSupport', source.sessionId, undefined, { wholeTab: tab }); // the settings' redaction defaults
        await saveFile(fromBase64(bundle.base64), bundle.fileName, 'application/zip');
        return bundle.fileName;
      }
      const bundle = await makeSupportBundle(source.dump, (await call('getSettings')).redaction, pageGzip);
      await saveFile(bundle.bytes, bundle.fileName, 'application/zip');
      return bundle.fileName;
    });

  return (
    <div class="export-bar row" role="group" aria-label="Export">
      <span class="muted">Export:</span>
      {pageLoads > 1 && (
        <label title="the tab was loaded again during the call: its page loads as one dump, each page load's connections qualified by frame (f1-PC_0)">
          <input type="checkbox" checked={wholeTab} disabled={busy} onChange={(e) => setWholeTab((e.currentTarget as HTMLInputElement).checked)} /> all {pageLoads} page loads of
          this tab
        </label>
      )}
      {VIEWER_EXPORTS.map((f) => (
        <button type="button" key={f.label} disabled={busy} onClick={() => void exportAs(f)}>
          {f.label}
        </button>
      ))}
      <button type="button" disabled={busy} onClick={() => void supportBundle()} title="a zip with both dumps, redacted with the defaults of the options page">
        Support bundle
      </button>
      {status && (
        <span role="status" class={status.error ? 'state-bad' : 'muted'}>
          {status.text}
        </span>
      )}
    </div>
  );
}
