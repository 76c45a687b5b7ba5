// The event log: filter by type, search, absolute or relative time, failures
// highlighted, SDP folded per m-section, munged descriptions flagged, and a
// diff against the previous description of the same side.

import { useMemo, useState } from 'preact/hooks';
import { diffLines } from 'diff';
import { LOG_CATEGORIES, filterRows, type LogCategory, type LogRow } from '../../core/view/event-log';
import { mainCodecs } from '../../core/view/sdp';
import type { SessionModel } from '../../core/view/session-model';
import { clockTime, relativeTime } from './format';

const MAX_ROWS = 3000;

export function EventLogView({ model, pc, version }: { model: SessionModel; pc: string; version: number }) {
  const [categories, setCategories] = useState<Set<LogCategory>>(new Set(LOG_CATEGORIES));
  const [search, setSearch] = useState('');
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [relative, setRelative] = useState(false);
  const rows = useMemo(
    () => filterRows(model.log.rows, { pc, categories, search, failuresOnly }),
    [model, pc, categories, search, failuresOnly, version],
  );
  const toggle = (c: LogCategory) => {
    const next = new Set(categories);
    if (next.has(c)) next.delete(c);
    else next.add(c);
    setCategories(next);
  };
  const start = model.session.startTime;
  return (
    <div class="event-log">
      <div class="toolbar" role="toolbar" aria-label="Event log filters">
        <input type="search" placeholder="Search events and SDP" aria-label="Search events" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        {LOG_CATEGORIES.map((c) => (
          <label key={c} class="chip">
            <input type="checkbox" checked={categories.has(c)} onChange={() => toggle(c)} /> {c}
          </label>
        ))}
        <label class="chip">
          <input type="checkbox" checked={failuresOnly} onChange={() => setFailuresOnly(!failuresOnly)} /> failures only
        </label>
        <label class="chip">
          <input type="checkbox" checked={relative} onChange={() => setRelative(!relative)} /> relative time
        </label>
        <span class="muted">{rows.length} events</span>
      </div>
      <ol class="log-rows">
        {rows.slice(0, MAX_ROWS).map((r) => (
          <LogRowView key={r.index} row={r} time={relative ? relativeTime(r.t, start) : clockTime(r.t)} />
        ))}
      </ol>
      {rows.length > MAX_ROWS ? <p class="muted">Showing the first {MAX_ROWS} of {rows.length}; narrow the filter to see the rest.</p> : null}
    </div>
  );
}

function LogRowView({ row, time }: { row: LogRow; time: string }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`log-row ${row.failure ? 'failure' : ''}`} data-method={row.method}>
      <button class="log-line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="log-time mono">{time}</span>
        <span class="log-method">{row.method}</span>
        {row.sdp?.munged ? <span class="badge warn">munged</span> : null}
        {row.pc === null ? <span class="badge">page</span> : null}
        <span class="log-summary">{row.summary}</span>
      </button>
      {open ? row.sdp ? <SdpView sdp={row.sdp} /> : <pre class="log-value">{typeof row.value === 'string' ? row.value : JSON.stringify(row.value, null, 2)}</pre> : null}
    </li>
  );
}

function SdpView({ sdp }: { sdp: NonNullable<LogRow['sdp']> }) {
  const [showDiff, setShowDiff] = useState(false);
  return (
    <div class="sdp">
      {sdp.munged ? <p class="state-warn">The page changed this description between createOffer/createAnswer and setLocalDescription (munged SDP).</p> : null}
      {sdp.previous !== null ? (
        <label class="chip">
          <input type="checkbox" checked={showDiff} onChange={() => setShowDiff(!showDiff)} /> diff with the previous description
        </label>
      ) : null}
      {showDiff && sdp.previous !== null ? (
        <pre class="sdp-diff">
          {diffLines(sdp.previous, sdp.text).map((part, i) => (
            <span key={i} class={part.added ? 'added' : part.removed ? 'removed' : 'same'}>
              {part.value
                .split(/\r?\n/)
                .filter((l, k, all) => l.length > 0 || k < all.length - 1)
                .map((l) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${l}\n`)
                .join('')}
            </span>
          ))}
        </pre>
      ) : (
        sdp.sections.map((s, i) => (
          <details key={i} class="sdp-section">
            <summary>
              {s.kind === 'session' ? 'session' : `m=${s.kind}`}
              {s.mid !== null ? ` · mid ${s.mid}` : ''}
              {s.direction ? ` · ${s.direction}` : ''}
              {s.rejected ? ' · rejected' : ''}
              {mainCodecs(s).length > 0 ? ` · ${mainCodecs(s).join(', ')}` : ''}
            </summary>
            <pre>{s.lines.join('\n')}</pre>
          </details>
        ))
      )}
    </div>
  );
}
