// webrtc-lens on the command line (Node 20+), sharing src/core with the extension:
//
//   webrtc-lens summarize <file>   the one-screen summary of any importable dump
//   webrtc-lens convert <file> --to rtcstats|internals|csv [--gzip] [-o <out>]
//   webrtc-lens help
//
// Built to dist/cli/webrtc-lens.mjs by `npm run build` (bin "webrtc-lens");
// runs from source with `npx tsx src/cli/main.ts ...`.
// Exit codes: 0 done, 2 bad input or usage (one line on stderr), 1 anything unexpected.

import { realpathSync } from 'node:fs';
import { once } from 'node:events';
import { open, readFile, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DumpImportError, type ImportResult } from '../core/dump';
import { DEFAULT_MAX_BYTES, importDump } from '../core/import';
import { formatImportSummary } from '../core/summary';
import { chunks, exportDump, exportPieces, type ExportFormat } from '../core/export';
import { nodeGzip } from './node-gzip';

export interface Io {
  /** a line to standard output */
  out(text: string): void;
  err(text: string): void;
  /** bytes to standard output as they are (a converted dump, piece by piece); resolves when more may be written */
  write(bytes: Uint8Array): Promise<void>;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  async write(bytes) {
    if (!process.stdout.write(bytes)) await once(process.stdout, 'drain');
  },
};

/** A problem with what the user gave us: exit code 2 and this message. */
export class UsageError extends Error {}

interface Command {
  /** the arguments, for the usage text */
  args: string;
  description: string;
  run(args: string[], io: Io): Promise<void>;
}

/** Reads and imports a dump file; a UsageError naming the file for anything wrong with it. */
export async function loadDump(file: string): Promise<ImportResult> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file}: not a file`);
    if (info.size > DEFAULT_MAX_BYTES) {
      throw new UsageError(`${file}: the file is ${(info.size / 1048576).toFixed(1)} MiB, more than the limit of ${DEFAULT_MAX_BYTES / 1048576} MiB`);
    }
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e);
    throw new UsageError(`${file}: cannot read the file: ${why}`);
  }
  try {
    return await importDump(bytes, { codec: nodeGzip });
  } catch (e) {
    if (e instanceof DumpImportError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

export const COMMANDS: Record<string, Command> = {
  summarize: {
    args: '<file>',
    description: 'print the summary of a dump (rtcstats, legacy rtcstats, Jitsi or webrtc-internals; gzip too)',
    async run(args, io) {
      if (args.length !== 1) throw new UsageError('summarize takes one file: webrtc-lens summarize <file>');
      const result = await loadDump(args[0]!);
      io.out(formatImportSummary(result));
    },
  },
  convert: {
    args: '<file> --to rtcstats|internals|csv [--gzip] [-o <out>]',
    description: 'convert a dump to another format (to standard output unless -o is given)',
    async run(args, io) {
      const { file, format, gzip, out } = parseConvertArgs(args);
      if (out === null && gzip) throw new UsageError('convert --gzip writes binary data: name the output file with -o <out>');
      const result = await loadDump(file);
      // Plain output is written piece by piece as it is made: a long session's CSV is hundreds of
      // megabytes, more than one string can hold. A gzip is a few megabytes, made whole. Standard
      // output queues the pieces it is given (they must stay as they are); a file is written a
      // chunk at a time (the export's memory is reused).
      const pieces = gzip ? [await exportDump(result.dump, format, { gzip, codec: nodeGzip })] : exportPieces(result.dump, format, out === null ? 'kept' : 'copied');
      if (out === null) {
        for (const piece of pieces) if (piece.length > 0) await io.write(piece);
        return;
      }
      const bytes = await writePieces(out, pieces);
      io.err(`wrote ${out} (${format}${gzip ? ', gzip' : ''}, ${bytes} bytes) from ${file} (${result.format})`);
    },
  },
};

/**
 * Writes the pieces to the file `out` (replacing it); returns the bytes
 * written. A UsageError naming the problem if it cannot be written (a full
 * disk, say), and then a regular file left half written is removed, so that
 * it is not taken for the whole dump.
 */
async function writePieces(out: string, pieces: Iterable<Uint8Array>): Promise<number> {
  let handle: FileHandle | null = null;
  let bytes = 0;
  try {
    handle = await open(out, 'w');
    // writeFile writes a chunk before it asks for the next; a megabyte a chunk (a write per 64 KB piece cost the CSV of an hour a sixth more time)
    await writeFile(
      handle,
      (function* () {
        for (const chunk of chunks(pieces, 1 << 20)) {
          bytes += chunk.length;
          yield chunk;
        }
      })(),
    );
    await handle.close();
    return bytes;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') throw e; // not the file system's: a bug
    let removed = false;
    if (handle !== null) {
      await handle.close().catch(() => {});
      // (only a regular file: the output may be a device such as /dev/full)
      if ((await stat(out).catch(() => null))?.isFile()) removed = await unlink(out).then(() => true, () => false);
    }
    const why = code === 'ENOSPC' ? 'no space left on the device' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such directory' : (e as Error).message;
    throw new UsageError(`${out}: cannot write the file: ${why}${removed ? ' (the part written was removed)' : ''}`);
  }
}

const FORMATS: readonly ExportFormat[] = ['rtcstats', 'internals', 'csv'];

function parseConvertArgs(args: string[]): { file: string; format: ExportFormat; gzip: boolean; out: string | null } {
  let file: string | null = null;
  let format: ExportFormat | null = null;
  let gzip = false;
  let out: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--to') format = checkFormat(args[++i]);
    else if (a.startsWith('--to=')) format = checkFormat(a.slice(5));
    else if (a === '--gzip') gzip = true;
    else if (a === '-o' || a === '--out') {
      out = args[++i] ?? null;
      if (out === null) throw new UsageError('-o needs a file name');
    } else if (a.startsWith('-')) throw new UsageError(`convert: unknown option ${a}`);
    else if (file === null) file = a;
    else throw new UsageError('convert takes one input file');
  }
  if (file === null) throw new UsageError('convert needs an input file: webrtc-lens convert <file> --to rtcstats|internals|csv');
  if (format === null) throw new UsageError(`convert needs --to ${FORMATS.join('|')}`);
  return { file, format, gzip, out };
}

function checkFormat(value: string | undefined): ExportFormat {
  if (value && (FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new UsageError(`--to takes one of ${FORMATS.join(', ')}${value ? `, not "${value}"` : ''}`);
}

function usage(): string {
  const width = Math.max(...Object.entries(COMMANDS).map(([name, c]) => `${name} ${c.args}`.length), 4);
  return [
    'usage: webrtc-lens <command> [arguments]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(width)}  ${c.description}`),
    `  ${'help'.padEnd(width)}  this text`,
  ].join('\n');
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    if (name === undefined) {
      io.err(usage());
      return 2;
    }
    io.out(usage());
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`webrtc-lens: unknown command "${name}" (try: webrtc-lens help)`);
    return 2;
  }
  try {
    await command.run(args, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`webrtc-lens: ${e.message}`);
      return 2;
    }
    io.err(`webrtc-lens: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // The reader of the output went away (`convert ... | head`): nothing more to do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
