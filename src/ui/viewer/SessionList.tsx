// Every stored session: search, sort, size on disk, delete one or all.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api';
import { errorMessage } from '../shared/download';
import { formatBytes, formatDuration, listSessionsForView, sessionDuration, sessionSite, type SessionSort } from '../../core/session-list';
import type { SessionSummary } from '../../core/session';

const SORTS: { value: SessionSort; label: string }[] = [
  { value: 'time', label: 'time' },
  { value: 'site', label: 'site' },
  { value: 'duration', label: 'duration' },
  { value: 'size', label: 'size' },
];

const time = (t: number) => new Date(t).toLocaleString();

export function SessionList({ onOpen }: { onOpen: (id: string) => void }) {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SessionSort>('time');
  const [descending, setDescending] = useState(true);
  const [confirming, setConfirming] = useState<string | 'all' | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const load = () =>
    call('listSessions')
      .then((list) => {
        setSessions(list);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void load();
  }, []);

  const remove = async (target: string | 'all') => {
    setConfirming(null);
    try {
      const deleted = target === 'all' ? await call('deleteAllSessions') : await call('deleteSessions', [target]);
      setStatus(`Deleted ${deleted.length} session${deleted.length === 1 ? '' : 's'}.`);
    } catch (e) {
      setStatus(`Could not delete: ${errorMessage(e)}`);
    }
    await load();
  };

  if (error) return <p role="alert" class="error-box">Could not list the stored sessions: {error}</p>;
  if (!sessions) return <p class="muted">Loading…</p>;
  const now = Date.now();
  const shown = listSessionsForView(sessions, { query, sort, descending, now });
  const total = sessions.reduce((sum, s) => sum + s.bytes, 0);
  return (
    <section class="session-list" aria-label="Stored sessions">
      <div class="row toolbar">
        <label for="search" class="visually-hidden">
          Search sessions
        </label>
        <input id="search" type="search" placeholder="Search site, title, URL, tags" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        <span class="nowrap">
          <label for="sort">Sort by</label>
          <select id="sort" value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as SessionSort)}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </span>
        <button type="button" onClick={() => setDescending(!descending)} aria-label={descending ? 'Sorted descending; sort ascending' : 'Sorted ascending; sort descending'}>
          {descending ? '↓ descending' : '↑ ascending'}
        </button>
        <span class="grow" />
        <span class="muted">
          {sessions.length} session{sessions.length === 1 ? '' : 's'}, {formatBytes(total)} on disk
        </span>
        {confirming === 'all' ? (
          <span class="row confirm">
            Delete every ended session?
            <button type="button" class="danger" onClick={() => void remove('all')}>
              Delete all
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={sessions.length === 0} onClick={() => setConfirming('all')}>
            Delete all…
          </button>
        )}
      </div>
      {status && (
        <p role="status" class="muted">
          {status}
        </p>
      )}
      {sessions.length === 0 ? (
        <p class="muted">No session is stored yet. Join a call in a tab (reload it if it was open before the extension was installed), or open a dump.</p>
      ) : shown.length === 0 ? (
        <p class="muted">No session matches “{query}”.</p>
      ) : (
        <div class="table-wrap">
          <table class="sessions">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Site</th>
                <th scope="col">Title</th>
                <th scope="col">Duration</th>
                <th scope="col">Connections</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.id} data-session={s.id}>
                  <td>{time(s.startTime)}</td>
                  <td class="site" title={s.url}>
                    {sessionSite(s)}
                  </td>
                  <td class="title-cell" title={s.title}>
                    {s.title}
                  </td>
                  <td>{s.endTime === null ? <span class="state-good">recording · {formatDuration(sessionDuration(s, now))}</span> : formatDuration(sessionDuration(s, now))}</td>
                  <td>
                    {s.connections.length}
                    <span class="narrow-only"> connection{s.connections.length === 1 ? '' : 's'}</span>
                  </td>
                  <td>{formatBytes(s.bytes)}</td>
                  <td class="row actions">
                    <button type="button" onClick={() => onOpen(s.id)} aria-label={`Open the session of ${sessionSite(s)} started ${time(s.startTime)}`}>
                      Open
                    </button>
                    {confirming === s.id ? (
                      <>
                        <button type="button" class="danger" onClick={() => void remove(s.id)}>
                          Confirm delete
                        </button>
                        <button type="button" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        disabled={s.endTime === null}
                        title={s.endTime === null ? 'still recording: it can be deleted once the page is closed' : undefined}
                        onClick={() => setConfirming(s.id)}
                      >
                        Delete…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
