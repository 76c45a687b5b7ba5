// "Save for support": one zip a customer attaches to a ticket, holding the
// session as an rtcstats dump (gzip) and a webrtc-internals dump, a README for
// the person who receives it, and the list of what was masked. Redaction is on
// by default.

import { zipSync, strToU8 } from 'fflate';
import type { SessionDump } from './dump';
import { exportDump } from './export';
import { DEFAULT_REDACTION, redactDump, type RedactionOptions, type RedactionReport } from './redact';
import { analyzeDump } from './analysis';
import { summarizeTrace, formatAnalysis, formatSummary } from './summary';

export interface SupportBundle {
  fileName: string;
  bytes: Uint8Array;
  report: RedactionReport;
  /** names of the files inside the zip */
  files: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `webrtc-<site>-<yyyymmdd-hhmmss>.zip`, the time being the session's start in local time. */
export function bundleFileName(siteUrl: string, startTime: number): string {
  let site = 'page';
  try {
    site = new URL(siteUrl).hostname || site;
  } catch {
    // keep 'page'
  }
  site = site.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(0, 80) || 'page';
  const d = new Date(startTime);
  const stamp = Number.isNaN(d.getTime())
    ? 'unknown'
    : `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `webrtc-${site}-${stamp}.zip`;
}

function readme(dump: SessionDump, files: { rtcstats: string; internals: string }, report: RedactionReport): string {
  const s = dump.session;
  const summary = formatSummary(summarizeTrace(s, dump.events));
  return [
    'WebRTC Lens — support bundle',
    '============================',
    '',
    'A recording of the WebRTC activity of one page load, made on the user\'s machine by the',
    `WebRTC Lens browser extension (version ${s.extensionVersion}).`,
    '',
    'Inside:',
    `  ${files.rtcstats}`,
    '      rtcstats dump (file format 3, JSON Lines, gzip): every WebRTC API call and event with',
    '      its arguments, SDP, ICE candidates, getUserMedia, and getStats samples.',
    '      Open it with rtcstats.com or the rtcstats dump-importer, the WebRTC Lens viewer',
    '      ("Open dump…"), or on a command line: npx webrtc-lens summarize <file>.',
    `  ${files.internals}`,
    '      The same session as a chrome://webrtc-internals dump (JSON, with Chrome\'s derived',
    '      series). Open it with fippo\'s webrtc-dump-importer or the rtcstats dump-importer.',
    '  REDACTED.txt',
    '      What was masked before saving.',
    '',
    `Browser:     ${s.userAgent}`,
    `Started:     ${new Date(s.startTime).toISOString()}`,
    `Ended:       ${s.endTime === null ? 'still running when saved' : new Date(s.endTime).toISOString()}`,
    '',
    summary,
    '',
    'Analysis (estimates made by WebRTC Lens from the recording; the numbers behind each are shown):',
    formatAnalysis(analyzeDump(dump), s.startTime),
    '',
    `Redaction:   ${report.lines.length > 0 ? 'see REDACTED.txt' : 'none'}`,
    '',
  ].join('\n');
}

function redactionList(report: RedactionReport): string {
  const on = Object.entries(report.options)
    .map(([k, v]) => `  ${k}: ${v ? 'on' : 'off'}`)
    .join('\n');
  return ['What was masked in this bundle', '', 'Options:', on, '', ...report.lines, ''].join('\n');
}

export async function makeSupportBundle(dump: SessionDump, redaction: RedactionOptions = DEFAULT_REDACTION): Promise<SupportBundle> {
  const { dump: safe, report } = redactDump(dump, redaction);
  const fileName = bundleFileName(safe.session.url, safe.session.startTime);
  const base = fileName.replace(/\.zip$/, '');
  const names = { rtcstats: `${base}.rtcstats.jsonl.gz`, internals: `${base}.webrtc-internals.json` };
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {
    [names.rtcstats]: [await exportDump(safe, 'rtcstats', { gzip: true }), { level: 0 }], // already compressed
    [names.internals]: [await exportDump(safe, 'internals'), { level: 6 }],
    'README.txt': [strToU8(readme(safe, names, report)), { level: 6 }],
    'REDACTED.txt': [strToU8(redactionList(report)), { level: 6 }],
  };
  return { fileName, bytes: zipSync(entries), report, files: Object.keys(entries) };
}
