// The full-page viewer: every stored session, one session (`?session=<id>`),
// or a dump opened from a file (picker or drag and drop anywhere on the page).

import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { applyTheme } from '../shared/theme';
import { errorMessage, removeOldSavedFiles } from '../shared/download';
import { importDump } from '../../core/import';
import type { ImportResult } from '../../core/dump';
import { SessionView } from '../session/SessionView';
import { SessionList } from './SessionList';
import { ExportBar } from './ExportBar';
import '../shared/pages.css';
import './viewer.css';

type View = { kind: 'list' } | { kind: 'stored'; sessionId: string } | { kind: 'dump'; name: string; result: ImportResult };

function viewFromUrl(): View {
  const id = new URLSearchParams(location.search).get('session');
  return id ? { kind: 'stored', sessionId: id } : { kind: 'list' };
}

/** The URL of a view, keeping the other parameters (e.g. ?theme=). */
function urlOf(sessionId: string | null): string {
  const params = new URLSearchParams(location.search);
  if (sessionId) params.set('session', sessionId);
  else params.delete('session');
  const q = params.toString();
  return location.pathname + (q ? `?${q}` : '');
}

function Viewer() {
  const [view, setView] = useState<View>(viewFromUrl);
  const [importError, setImportError] = useState<{ name: string; message: string } | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onPop = () => setView(viewFromUrl());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = (next: View) => {
    setImportError(null);
    history.pushState(null, '', urlOf(next.kind === 'stored' ? next.sessionId : null));
    setView(next);
  };

  const openFile = async (file: File) => {
    setImportError(null);
    setLoading(file.name);
    try {
      const result = await importDump(new Uint8Array(await file.arrayBuffer()));
      go({ kind: 'dump', name: file.name, result });
    } catch (e) {
      setImportError({ name: file.name, message: errorMessage(e) });
    } finally {
      setLoading(null);
    }
  };

  // Drag and drop anywhere on the page.
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void openFile(file);
    };
    addEventListener('dragover', over);
    addEventListener('dragleave', leave);
    addEventListener('drop', drop);
    return () => {
      removeEventListener('dragover', over);
      removeEventListener('dragleave', leave);
      removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div class={dragging ? 'viewer dragging' : 'viewer'}>
      <header class="row viewer-header">
        <h1>
          {view.kind === 'list' ? (
            'WebRTC Lens sessions'
          ) : (
            <button type="button" class="link" onClick={() => go({ kind: 'list' })}>
              ← All sessions
            </button>
          )}
        </h1>
        <span class="grow" />
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open dump…
        </button>
        <input
          ref={fileInput}
          class="visually-hidden"
          type="file"
          aria-label="Open a dump file"
          tabIndex={-1}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            input.value = ''; // the same file can be opened again
            if (file) void openFile(file);
          }}
        />
      </header>
      {loading && (
        <p role="status" class="muted">
          Reading {loading}…
        </p>
      )}
      {importError && (
        <div role="alert" class="error-box import-error">
          <b>Could not open {importError.name}:</b> {importError.message}
        </div>
      )}
      {view.kind === 'list' && (
        <>
          <p class="muted hint">Drop a dump anywhere on this page to open it: rtcstats (any version, Jitsi's too) or webrtc-internals, gzip or not.</p>
          <SessionList onOpen={(id) => go({ kind: 'stored', sessionId: id })} />
        </>
      )}
      {view.kind === 'stored' && (
        <>
          <ExportBar source={{ kind: 'stored', sessionId: view.sessionId }} />
          <SessionView key={view.sessionId} source={{ kind: 'stored', sessionId: view.sessionId }} />
        </>
      )}
      {view.kind === 'dump' && (
        <>
          <div class="dump-info" data-format={view.result.format}>
            <span>
              <b>{view.name}</b> <span class="muted">({view.result.format}{view.result.gzip ? ', gzip' : ''}, {view.result.dump.session.connections.length} connections, {view.result.dump.events.length} events)</span>
            </span>
            {view.result.warnings.length > 0 && (
              <details class="warnings">
                <summary class="state-warn">{view.result.warnings.length} warning{view.result.warnings.length === 1 ? '' : 's'} while reading</summary>
                <ul>
                  {view.result.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </details>
            )}
          </div>
          <ExportBar source={{ kind: 'dump', dump: view.result.dump }} />
          <SessionView key={view.result.dump.session.id} source={{ kind: 'dump', dump: view.result.dump, name: view.name }} />
        </>
      )}
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          Drop the dump to open it
        </div>
      )}
    </div>
  );
}

applyTheme();
render(<Viewer />, document.getElementById('app')!);
void removeOldSavedFiles().catch(() => undefined); // (large exports of earlier visits, see saveFile)
