// The command line (src/cli/main.ts): `webrtc-lens summarize <file>` on the
// real fixtures, run as a process through tsx and through main() in-process;
// bad input gives exit code 2 and one line on stderr.

import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, main, type Io } from '../../src/cli/main';
import { FIXTURES_DIR } from './support/fixtures';
import { exportDump } from '../../src/core/export';
import { importDump } from '../../src/core/import';
import { syntheticSession } from '../../src/core/synthetic';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIR = FIXTURES_DIR;

const tempDirs: string[] = [];
/** A new directory, removed after the tests (some hold tens of megabytes). */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webrtc-lens-cli-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** main() in-process; `out`: standard output (lines and bytes as written) without its last newline. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return (await runCounting(...argv)).result;
}

/** run(), and how many times bytes were written to standard output. */
async function runCounting(...argv: string[]): Promise<{ result: { code: number; out: string; err: string }; writes: number }> {
  let writes = 0;
  const out: string[] = [];
  const err: string[] = [];
  const decoder = new TextDecoder();
  const io: Io = {
    out: (t) => out.push(`${t}\n`),
    err: (t) => err.push(t),
    write: async (bytes) => {
      out.push(decoder.decode(bytes, { stream: true }));
      writes++;
    },
  };
  const code = await main(argv, io);
  return { result: { code, out: out.join('').replace(/\n$/, ''), err: err.join('\n') }, writes };
}

/** A connection's line of the summary: id, events, samples. */
const connectionLine = (id: string, events: number, samples: number): RegExp =>
  new RegExp(`^  ${id.replace(/[-/]/g, '\\$&')} +${events} events +${samples} samples `, 'm');

describe('webrtc-lens summarize', () => {
  it('runs as a process: npx tsx src/cli/main.ts summarize <fixture>', () => {
    const p = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'summarize', `${DIR}/internals/chrome147-two-pc-loopback.json`], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    expect(p.status).toBe(0);
    expect(p.stdout).toContain('Format:      chrome://webrtc-internals');
    expect(p.stdout).toContain('Browser:     Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36');
    expect(p.stdout).toContain('Connections: 2');
    expect(p.stdout).toMatch(connectionLine('11-1', 52, 20));
    expect(p.stdout).toMatch(connectionLine('12-2', 29, 11));
    expect(p.stdout).toMatch(/11-1 .* connected, connected$/m);
  }, 60_000);

  it('bad input as a process: exit code 2 and one line', () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dump.txt');
    writeFileSync(file, 'hello\n');
    const p = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'summarize', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    const lines = p.stderr.split('\n').filter((l) => l.startsWith('webrtc-lens:'));
    expect(lines).toEqual([`webrtc-lens: ${file}: not a known dump format: line 1 is neither JSON nor "RTCStatsDump"; expected an rtcstats dump (first line "RTCStatsDump"), a legacy rtcstats or Jitsi dump (JSON lines) or a webrtc-internals dump (one JSON object with "PeerConnections"), optionally gzip-compressed`]);
  }, 60_000);

  // events / samples per connection: the numbers of import-fixtures.test.ts (derived from the raw files)
  const cases: [string, string, [string, number, number][], number][] = [
    ['rtcstats/chrome140-gum-only.jsonl', 'rtcstats (file format 3)', [], 4],
    ['internals/chrome142-gum-only.json.gz', 'chrome://webrtc-internals, gzip-compressed', [], 2],
    ['jitsi/google-standard-stats-p2p.jsonl', 'Jitsi rtcstats', [['PC_0', 77, 29], ['PC_1', 147, 52]], 233],
    ['jitsi/chrome-standard-pc-reconnect.jsonl', 'Jitsi rtcstats', [['PC_1', 31, 2], ['PC_0', 55, 3], ['PC_2', 29, 2]], 221],
    ['jitsi/firefox-standard-stats-sfu.jsonl', 'Jitsi rtcstats', [['PC_0', 148, 79]], 154],
    ['jitsi/safari-standard-stats.jsonl', 'Jitsi rtcstats', [['PC_0', 174, 82]], 180],
    ['legacy/chrome48-format0.json', 'legacy rtcstats (format 0)', [['PC_0', 46, 13], ['PC_1', 51, 13]], 99],
  ];
  for (const [file, format, connections, events] of cases) {
    it(`summarizes ${file}`, async () => {
      const r = await run('summarize', `${DIR}/${file}`);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Format:      ${format}`);
      expect(r.out).toMatch(new RegExp(`^Events: +${events} `, 'm'));
      expect(r.out).toContain(`Connections: ${connections.length}`);
      for (const [id, n, samples] of connections) expect(r.out).toMatch(connectionLine(id, n, samples));
    });
  }

  it('includes the verdict, the scores and the observations', async () => {
    const r = await run('summarize', `${DIR}/jitsi/chrome-standard-pc-reconnect.jsonl`);
    expect(r.out).toMatch(/^Verdict: +(Poor|Bad)\. /m);
    expect(r.out).toMatch(/^Scores: +video [\d.]+\/5 \(/m);
    expect(r.out).toMatch(/^ {2}PC_0 +connected in 1\.4 s, 2 disruptions \(10\.0 s; 10\.0 s\), dropped/m);
    expect(r.out).toMatch(/^Observations: 8$/m);
    // the two connections that never connected: their setup failure, not also a slow connect
    expect(r.out.match(/critical setup-failed/g)).toHaveLength(2);
    expect(r.out).not.toContain('slow-connect');
    expect(r.out).toMatch(/^ +\+85\.0 s +warning +ice-disconnected +The connection on PC_0 was interrupted for 10\.0 s and recovered\.$/m);
    expect(r.out).toMatch(/critical connection-dropped/);
    const clean = await run('summarize', `${DIR}/internals/chrome147-two-pc-loopback.json`);
    expect(clean.out).toMatch(/^Verdict: +Good\. .*No problem found\.$/m);
  });

  it('tells the outcome from iceConnectionState when a dump has no connectionstatechange (Chrome 48)', async () => {
    const r = await run('summarize', `${DIR}/legacy/chrome48-format0.json`);
    expect(r.out).toMatch(/^ {2}PC_0 .* connected, closed$/m);
    expect(r.out).toMatch(/^ {2}PC_1 .* connected, closed$/m);
  });

  it('lists a connection without events and the import\'s warnings', async () => {
    const dir = tempDir();
    const file = join(dir, 'internals.json');
    writeFileSync(file, JSON.stringify({ PeerConnections: { '9-1': { updateLog: [{ type: 'x', value: '' }] }, '9-2': {} }, UserAgent: 'UA' }));
    const r = await run('summarize', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(connectionLine('9-1', 1, 0));
    expect(r.out).toMatch(connectionLine('9-2', 0, 0));
    expect(r.out).toContain('Warnings:    1');
    expect(r.out).toContain('  - updateLog entries without a readable time were placed at the time of the entry before them (or at the start)');
  });

  it('usage errors and help', async () => {
    expect(await run()).toMatchObject({ code: 2, out: '' });
    expect((await run('help')).out).toMatch(/^usage: webrtc-lens <command>/);
    expect((await run('help')).out).toContain('summarize <file>');
    expect(await run('frobnicate')).toEqual({ code: 2, out: '', err: 'webrtc-lens: unknown command "frobnicate" (try: webrtc-lens help)' });
    expect(await run('summarize')).toEqual({ code: 2, out: '', err: 'webrtc-lens: summarize takes one file: webrtc-lens summarize <file>' });
    expect(await run('summarize', '/nonexistent/dump.json')).toEqual({
      code: 2, out: '', err: 'webrtc-lens: /nonexistent/dump.json: cannot read the file: no such file',
    });
    expect((await run('summarize', DIR)).err).toBe(`webrtc-lens: ${DIR}: not a file`);
    expect(Object.keys(COMMANDS)).toContain('summarize');
  });

  it('a truncated gzip file: exit code 2 with the problem named', async () => {
    const dir = tempDir();
    const file = join(dir, 'cut.json.gz');
    const gz = readFileSync(`${DIR}/internals/chrome142-gum-only.json.gz`);
    writeFileSync(file, gz.subarray(0, gz.length - 30));
    expect(await run('summarize', file)).toEqual({ code: 2, out: '', err: `webrtc-lens: ${file}: gzip data is truncated: the file was cut off` });
  });
});

describe('webrtc-lens convert', () => {
  it('converts a webrtc-internals dump to rtcstats (gzip) that summarizes with the same connections', async () => {
    const dir = tempDir();
    const out = join(dir, 'converted.rtcstats.jsonl.gz');
    const converted = await run('convert', `${DIR}/internals/chrome147-two-pc-loopback.json`, '--to', 'rtcstats', '--gzip', '-o', out);
    expect(converted.code).toBe(0);
    expect(converted.err).toContain(`wrote ${out}`);
    const bytes = readFileSync(out);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const summary = await run('summarize', out);
    expect(summary.code).toBe(0);
    expect(summary.out).toMatch(/rtcstats/);
    expect(summary.out).toMatch(/^ {2}11-1 /m);
    expect(summary.out).toMatch(/^ {2}12-2 /m);
  });

  it('writes CSV to standard output', async () => {
    const r = await run('convert', `${DIR}/internals/chrome147-two-pc-loopback.json`, '--to=csv');
    expect(r.code).toBe(0);
    expect(r.out.split(/\r?\n/)[0]).toBe('timestamp,pcId,statsId,type,kind,property,value');
  });

  it('writes a long session piece by piece, to standard output and to a file, the same bytes as the export', async () => {
    const dir = tempDir();
    const input = join(dir, 'long.rtcstats.jsonl');
    const dump = syntheticSession({ connections: 2, minutes: 20, pollMs: 1000, seed: 3 });
    writeFileSync(input, await exportDump(dump, 'rtcstats'));
    const imported = (await importDump(readFileSync(input))).dump;
    for (const format of ['csv', 'internals'] as const) {
      const expected = await exportDump(imported, format);
      expect(expected.length).toBeGreaterThan(4 << 20); // many pieces
      const out = join(dir, `long.${format}`);
      const r = await run('convert', input, '--to', format, '-o', out);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain(`(${format}, ${expected.length} bytes)`);
      expect(Buffer.from(readFileSync(out)).equals(Buffer.from(expected))).toBe(true);
      const { result: stdout, writes } = await runCounting('convert', input, '--to', format);
      expect(stdout.code).toBe(0);
      expect(stdout.out).toBe(new TextDecoder().decode(expected).replace(/\n$/, ''));
      expect(writes).toBeGreaterThan(expected.length / (1 << 20)); // in pieces, never one string of it all
    }
  });

  it('stops quietly when the reader of its output goes away (| head -1), as a process', () => {
    const convert = `npx tsx src/cli/main.ts convert ${DIR}/internals/chrome147-two-pc-loopback.json --to csv`; // (megabytes: more than a pipe holds)
    const p = spawnSync('bash', ['-c', `${convert} | head -1; echo "exit $\{PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(p.stdout).toBe('timestamp,pcId,statsId,type,kind,property,value\r\nexit 0\n');
    expect(p.stderr.split('\n').filter((l) => l.startsWith('webrtc-lens:'))).toEqual([]);
  }, 60_000);

  it('names a file it cannot write, and keeps no half-written file', async () => {
    const file = `${DIR}/internals/chrome147-two-pc-loopback.json`;
    const full = await run('convert', file, '--to', 'csv', '-o', '/dev/full'); // every write: no space left
    expect(full).toEqual({ code: 2, out: '', err: 'webrtc-lens: /dev/full: cannot write the file: no space left on the device' });
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true); // a device is not removed
    const missing = join(tmpdir(), 'no-such-dir-webrtc-lens', 'out.csv');
    expect(await run('convert', file, '--to', 'csv', '-o', missing)).toEqual({ code: 2, out: '', err: `webrtc-lens: ${missing}: cannot write the file: no such directory` });
  });

  it('refuses an unknown format, a missing --to, and gzip to the terminal, with exit code 2', async () => {
    const file = `${DIR}/rtcstats/chrome140-gum-only.jsonl`;
    for (const args of [['convert', file, '--to', 'pdf'], ['convert', file], ['convert', file, '--to', 'rtcstats', '--gzip']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
    }
  });
});
