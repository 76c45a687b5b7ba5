// "Save for support": one zip a customer attaches to a ticket, holding the
// session as an rtcstats dump (gzip) and a webrtc-internals dump, a README for
// the person who receives it, and the list of what was masked. Redaction is on
// by default.

import { strToU8, Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from 'fflate';
import type { SessionDump } from './dump';
import { exportDump } from './export';
import { concatBytes, type GzipCodec } from './gzip';
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
  // a tab's page loads merged into one session (src/core/tab.ts): one top frame each
  const pageLoads = s.frames.filter((f) => f.isTop);
  return [
    'WebRTC Lens — support bundle',
    '============================',
    '',
    `A recording of the WebRTC activity of ${pageLoads.length > 1 ? `${pageLoads.length} page loads of one tab` : 'one page load'}, made on the user's machine by the`,
    `WebRTC Lens browser extension (version ${s.extensionVersion}).`,
    '',
    ...(pageLoads.length > 1
      ? [
          'Page loads (the connections of each after the first are named f<frame>-<id>, e.g. f1-PC_0):',
          ...pageLoads.map((f, i) => `  ${i + 1}. ${new Date(f.firstSeen).toISOString()}  ${f.url}`),
          '',
        ]
      : []),
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

/**
 * A zip entry from gzip bytes: a gzip member's body is raw deflate, which is
 * what a zip entry holds, and its trailer has the CRC-32 and the length. So
 * the webrtc-internals dump is compressed by the platform's zlib (the codec)
 * rather than by fflate's deflate in JavaScript, some 3× slower.
 */
function deflatedEntry(filename: string, gz: Uint8Array): { file: ZipInputFile; body: Uint8Array } {
  const flags = gz[3]!;
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8) throw new Error('not gzip (deflate) data');
  let at = 10;
  if (flags & 4) at += 2 + (gz[at]! | (gz[at + 1]! << 8)); // FEXTRA
  if (flags & 8) at = gz.indexOf(0, at) + 1; // FNAME
  if (flags & 16) at = gz.indexOf(0, at) + 1; // FCOMMENT
  if (flags & 2) at += 2; // FHCRC
  const trailer = new DataView(gz.buffer, gz.byteOffset + gz.length - 8, 8);
  const file: ZipInputFile = { filename, compression: 8, crc: trailer.getUint32(0, true), size: trailer.getUint32(4, true) };
  return { file, body: gz.subarray(at, gz.length - 8) };
}

/** `codec`: how to gzip the two dumps (the viewer passes its worker's; default the web's CompressionStream here). */
export async function makeSupportBundle(dump: SessionDump, redaction: RedactionOptions = DEFAULT_REDACTION, codec?: GzipCodec): Promise<SupportBundle> {
  const { dump: safe, report } = redactDump(dump, redaction);
  const fileName = bundleFileName(safe.session.url, safe.session.startTime);
  const base = fileName.replace(/\.zip$/, '');
  const names = { rtcstats: `${base}.rtcstats.jsonl.gz`, internals: `${base}.webrtc-internals.json` };
  const rtcstats = await exportDump(safe, 'rtcstats', { gzip: true, codec });
  const internals = deflatedEntry(names.internals, await exportDump(safe, 'internals', { gzip: true, codec }));
  const parts: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else parts.push(chunk);
  });
  const stored = new ZipPassThrough(names.rtcstats); // already compressed
  zip.add(stored);
  stored.push(rtcstats, true);
  zip.add(internals.file);
  internals.file.ondata!(null, internals.body as Uint8Array<ArrayBuffer>, true);
  for (const [name, text] of [['README.txt', readme(safe, names, report)], ['REDACTED.txt', redactionList(report)]] as const) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(text), true);
  }
  zip.end();
  if (failure) throw failure;
  return { fileName, bytes: concatBytes(parts), report, files: [names.rtcstats, names.internals, 'README.txt', 'REDACTED.txt'] };
}
