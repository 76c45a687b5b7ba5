// Which web-ext lint warnings the packaging accepts (scripts/package.ts): by code,
// and for innerHTML only preact's own dangerouslySetInnerHTML statement.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unacceptedWarnings, type LintMessage, type LintResult } from '../../scripts/package';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-lint-'));
  await writeFile(join(dir, 'preact.js'), 'let a = 1;\nh2 ? (t2.innerHTML = h2.__html, r.__k = []) : 0;\n');
  await writeFile(join(dir, 'ours.js'), 'let a = 1;\nel.innerHTML = message;\n');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const warning = (code: string, file?: string, line?: number): LintMessage => ({ code, message: code, description: code, file, line });
const report = (warnings: LintMessage[]): LintResult => ({
  summary: { errors: 0, notices: 0, warnings: warnings.length },
  errors: [],
  notices: [],
  warnings,
});

it('accepts the data collection key warnings and preact innerHTML statement', async () => {
  const lint = report([
    warning('KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION', 'manifest.json'),
    warning('KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION', 'manifest.json'),
    warning('UNSAFE_VAR_ASSIGNMENT', 'preact.js', 2),
  ]);
  expect(await unacceptedWarnings(lint, dir)).toEqual([]);
});

it('refuses an innerHTML assignment elsewhere, one without a location, and any other code', async () => {
  const ours = warning('UNSAFE_VAR_ASSIGNMENT', 'ours.js', 2);
  const nowhere = warning('UNSAFE_VAR_ASSIGNMENT');
  const other = warning('DANGEROUS_EVAL', 'preact.js', 2);
  const wrongLine = warning('UNSAFE_VAR_ASSIGNMENT', 'preact.js', 1);
  expect(await unacceptedWarnings(report([ours, nowhere, other, wrongLine]), dir)).toEqual([ours, nowhere, other, wrongLine]);
});
