// Export buttons for one session, stored or imported: rtcstats (plain, gzip),
// webrtc-internals, CSV, and the support bundle.

import { useState } from 'preact/hooks';
import { call } from '../shared/api';
import { errorMessage, fromBase64, saveFile } from '../shared/download';
import { EXPORT_MIME_TYPES, exportDump, exportFileName } from '../../core/export';
import { makeSupportBundle } from '../../core/bundle';
import { pageGzip } from '../shared/worker-gzip';
import type { SessionDump } from '../../core/dump';
import { VIEWER_EXPORTS } from './export-formats';

export type ExportSource = { kind: 'stored'; sessionId: string } | { kind: 'dump'; dump: SessionDump };

export function ExportBar({ source }: { source: ExportSource }) {
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const dump = async (): Promise<SessionDump> => (source.kind === 'dump' ? source.dump : call('getSessionTrace', source.sessionId));

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
      const name = exportFileName(d.session, f.format, f.gzip);
      await saveFile(await exportDump(d, f.format, { gzip: f.gzip, codec: pageGzip }), name, f.gzip ? 'application/gzip' : EXPORT_MIME_TYPES[f.format]);
      return name;
    });

  const supportBundle = () =>
    run('the support bundle', async () => {
      if (source.kind === 'stored') {
        const bundle = await call('saveForSupport', source.sessionId); // the settings' redaction defaults
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
