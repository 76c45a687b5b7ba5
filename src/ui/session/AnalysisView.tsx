// The session's diagnosis: the verdict, the session scores, and the
// observations, each of which jumps to its moment on the charts.

import type { AnalysisResult, Observation, Score, Scores } from '../../core/analysis';
import { clockTime, duration } from './format';

const SEVERITY_ICON: Record<Observation['severity'], string> = { critical: '⛔', warning: '⚠', info: 'ℹ' };
const BAND_CLASS = { good: 'state-good', fair: 'state-warn', poor: 'state-bad', bad: 'state-bad' } as const;

function scoreTitle(name: string, score: Score): string {
  const inputs = Object.entries(score.inputs)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `${name} ${score.value} (${score.band}), over ${score.samples} samples\n${inputs}`;
}

/** Audio MOS, video and connection scores, each with the numbers behind it on hover and for screen readers. */
export function ScoreList({ scores }: { scores: Scores }) {
  const items: [string, Score | null, string][] = [
    ['Audio MOS', scores.audio, '/4.5'],
    ['Video', scores.video, '/5'],
    ['Connection', scores.connection, '/5'],
  ];
  return (
    <span class="scores">
      {items.map(([name, score, scale]) =>
        score ? (
          <span key={name} class={`score ${BAND_CLASS[score.band]}`} title={scoreTitle(name, score)} data-score={name}>
            {name} <strong>{score.value}</strong>
            <span class="muted">{scale}</span>
          </span>
        ) : (
          <span key={name} class="score muted" title={`${name}: no data to score`}>
            {name} –
          </span>
        ),
      )}
    </span>
  );
}

export function AnalysisView({ analysis, onFocus }: { analysis: AnalysisResult | null; onFocus: (o: Observation) => void }) {
  if (!analysis) return <p class="muted analysis">Analysing…</p>;
  const shown = analysis.observations;
  const serious = shown.filter((o) => o.severity !== 'info').length;
  return (
    <details class="analysis" open={serious > 0}>
      <summary>
        <span class={`verdict ${BAND_CLASS[analysis.verdict.level]}`} data-verdict={analysis.verdict.level}>
          {analysis.verdict.level}
        </span>{' '}
        {analysis.verdict.text} <ScoreList scores={analysis.scores} />
        <span class="muted"> · {shown.length} observation{shown.length === 1 ? '' : 's'}</span>
      </summary>
      {shown.length === 0 ? (
        <p class="muted">Nothing observed.</p>
      ) : (
        <ul class="observations">
          {shown.map((o, i) => (
            <li key={i} class={`observation sev-${o.severity} ${o.active ? 'active' : ''}`} data-observation={o.type}>
              <button onClick={() => onFocus(o)} title="Show this moment on the charts">
                <span class="sev" aria-label={o.severity}>
                  {SEVERITY_ICON[o.severity]}
                </span>
                <span class="mono obs-time">{clockTime(o.firstSeenAt)}</span>
                <span class="obs-text">{o.text}</span>
                <span class="muted">
                  {o.pcId ?? 'page'}
                  {o.lastSeenAt > o.firstSeenAt ? ` · ${duration(o.lastSeenAt - o.firstSeenAt)}` : ''}
                  {o.active ? ' · now' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
