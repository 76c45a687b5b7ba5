// `npm run package` (after `npm run build`): the release artifacts in out/package/
//   webrtc-lens-chrome-<version>.zip    dist/chrome, manifest at the root (Chrome Web Store)
//   webrtc-lens-firefox-<version>.xpi   dist/firefox, built by web-ext after web-ext lint (addons.mozilla.org)
//   webrtc-lens-source-<version>.zip    the git-tracked files, for AMO's source review
// The artifacts are also importable (test/e2e/package.test.ts).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { zipSync, type Zippable } from 'fflate';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '..');
const WEB_EXT = join(ROOT, 'node_modules/.bin/web-ext');
/** Fixed entry dates: the same files give the same archive, byte for byte. */
const ZIP_DATE = new Date(2000, 0, 1);

/**
 * web-ext lint warnings accepted on the Firefox build, each explained in the
 * README ("Release packages"); anything else fails the packaging. `at`, when
 * given, must match the flagged line: the same warning anywhere else is refused.
 */
export const ACCEPTED_LINT_WARNINGS: Record<string, { why: string; at?: RegExp }> = {
  // AMO requires the data collection declaration of new add-ons; Firefox 128–139 ignores the key
  // (only Firefox 127 and older refuse it) and the issue asks for ESR 128 support.
  KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION: { why: 'data_collection_permissions is ignored before Firefox 140' },
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: { why: 'data_collection_permissions is ignored before Firefox for Android 142' },
  UNSAFE_VAR_ASSIGNMENT: {
    why: "preact's renderer (dangerouslySetInnerHTML, which our code never uses)",
    at: /\b\w+\.innerHTML\s*=\s*\w+\.__html\b/,
  },
};

export interface LintMessage {
  code: string;
  message: string;
  description: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface LintResult {
  summary: { errors: number; notices: number; warnings: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

/** Environment for web-ext: no update check against the npm registry (it would reach the network). */
const WEB_EXT_ENV = { ...process.env, NO_UPDATE_NOTIFIER: '1' };

/** `web-ext lint` on an unpacked Firefox build, as its JSON report. */
export async function lintFirefox(sourceDir: string): Promise<LintResult> {
  // web-ext exits with 1 when there are errors; the report is on stdout either way.
  const { stdout } = await run(WEB_EXT, ['lint', '--no-config-discovery', '--output=json', `--source-dir=${sourceDir}`], {
    env: WEB_EXT_ENV,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string }) => {
    if (!err.stdout) throw err;
    return { stdout: err.stdout };
  });
  return JSON.parse(stdout) as LintResult;
}

/** Warnings of a lint report on `sourceDir` that ACCEPTED_LINT_WARNINGS does not accept (by code, and where given, by the flagged line). */
export async function unacceptedWarnings(lint: LintResult, sourceDir: string): Promise<LintMessage[]> {
  const refused: LintMessage[] = [];
  for (const w of lint.warnings) {
    const accepted = ACCEPTED_LINT_WARNINGS[w.code];
    if (!accepted) refused.push(w);
    else if (accepted.at) {
      const line = w.file && w.line ? (await readFile(join(sourceDir, w.file), 'utf8')).split('\n')[w.line - 1] : undefined;
      if (line === undefined || !accepted.at.test(line)) refused.push(w);
    }
  }
  return refused;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** A zip of `files` (paths relative to `dir`), keeping the unix mode (executable scripts stay executable). */
async function zipFiles(dir: string, files: string[], prefix = ''): Promise<Uint8Array> {
  const entries: Zippable = {};
  for (const file of files) {
    const path = join(dir, file);
    const { mode } = await lstat(path);
    entries[prefix + file] = [await readFile(path), { mtime: ZIP_DATE, os: 3, attrs: (mode & 0o777 | 0o100000) << 16 }];
  }
  return zipSync(entries, { level: 9 });
}

async function manifestVersion(dir: string): Promise<string> {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`no build in ${dir}: run "npm run build" first`);
  return JSON.parse(await readFile(path, 'utf8')).version;
}

/** The files git tracks (deleted ones left out), and what `git status` reports as not committed. */
async function trackedFiles(root: string): Promise<{ files: string[]; uncommitted: string[] }> {
  const listed = (await run('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const files = listed.split('\0').filter((f) => f && existsSync(join(root, f)));
  const status = (await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root })).stdout;
  return { files: files.sort(), uncommitted: status.split('\n').filter(Boolean) };
}

export interface Packages {
  version: string;
  chromeZip: string;
  firefoxXpi: string;
  sourceZip: string;
  lint: LintResult;
  /** `git status --porcelain` lines: changes in the source archive that no commit holds */
  uncommitted: string[];
}

/** Writes the three release artifacts into `outDir` from the current dist/ and working tree. */
export async function packageRelease({ root = ROOT, outDir = join(root, 'out/package') } = {}): Promise<Packages> {
  const chromeDir = join(root, 'dist/chrome');
  const firefoxDir = join(root, 'dist/firefox');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const dir of [chromeDir, firefoxDir]) {
    const built = await manifestVersion(dir);
    if (built !== version) throw new Error(`${dir} is version ${built}, package.json says ${version}: run "npm run build"`);
  }

  const lint = await lintFirefox(firefoxDir);
  const refused = [...lint.errors, ...(await unacceptedWarnings(lint, firefoxDir))];
  if (refused.length > 0) {
    const where = (m: LintMessage) => [m.file, m.line, m.column].filter((x) => x !== undefined).join(':');
    throw new Error(`web-ext lint on ${firefoxDir}:\n${refused.map((m) => `  ${m.code} (${where(m)}): ${m.description}`).join('\n')}`);
  }

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const chromeZip = join(outDir, `webrtc-lens-chrome-${version}.zip`);
  await writeFile(chromeZip, await zipFiles(chromeDir, await filesUnder(chromeDir)));

  const xpiName = `webrtc-lens-firefox-${version}.xpi`;
  await run(WEB_EXT, ['build', '--no-config-discovery', `--source-dir=${firefoxDir}`, `--artifacts-dir=${outDir}`, `--filename=${xpiName}`], {
    env: WEB_EXT_ENV,
  });

  const source = await trackedFiles(root);
  const sourceZip = join(outDir, `webrtc-lens-source-${version}.zip`);
  await writeFile(sourceZip, await zipFiles(root, source.files, `webrtc-lens-${version}/`));

  return { version, chromeZip, firefoxXpi: join(outDir, xpiName), sourceZip, lint, uncommitted: source.uncommitted };
}

async function main(): Promise<void> {
  const packages = await packageRelease();
  const { summary } = packages.lint;
  console.log(`web-ext lint (dist/firefox): ${summary.errors} errors, ${summary.warnings} warnings, ${summary.notices} notices`);
  for (const w of packages.lint.warnings) console.log(`  accepted warning ${w.code}: ${ACCEPTED_LINT_WARNINGS[w.code]?.why}`);
  for (const file of [packages.chromeZip, packages.firefoxXpi, packages.sourceZip]) {
    console.log(`${relative(process.cwd(), file)}  ${(await lstat(file)).size} bytes`);
  }
  if (packages.uncommitted.length > 0) {
    console.warn(`\nwarning: the source archive holds uncommitted changes (no commit matches these packages):\n  ${packages.uncommitted.join('\n  ')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
