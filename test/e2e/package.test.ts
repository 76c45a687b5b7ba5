// The release artifacts of `npm run package` (scripts/package.ts, run here on the
// current dist/ into a temporary directory): the Chrome zip loads in Chromium
// once unzipped and captures a call, the xpi installs in Firefox ESR over
// WebDriver BiDi and captures a call, web-ext lint accepts the Firefox build,
// the shipped code loads nothing remote and evaluates no strings, and the
// source archive rebuilds the same Firefox files.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { transform } from 'esbuild';
import { ACCEPTED_LINT_WARNINGS, ROOT, packageRelease, unacceptedWarnings, type Packages } from '../../scripts/package';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { launchFirefoxWithExtension, listSessions as listFirefoxSessions, type FirefoxWithExtension } from '../support/firefox';
import { servePages, type PageServer } from '../support/server';
import { listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { callReaches } from '../support/call-page';

const run = promisify(execFile);
const CALL_SECONDS = 2;

let tmp: string;
let packages: Packages;
let server: PageServer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'webrtc-lens-package-'));
  packages = await packageRelease({ outDir: join(tmp, 'out') });
  server = await servePages();
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The files of a zip (web-ext also writes entries for directories: left out). */
async function unzip(file: string): Promise<Record<string, Uint8Array>> {
  return Object.fromEntries(Object.entries(unzipSync(await readFile(file))).filter(([name]) => !name.endsWith('/')));
}

async function filesOf(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files[join(e.parentPath, e.name).slice(dir.length + 1)] = await readFile(join(e.parentPath, e.name));
  }
  return files;
}

async function extract(archive: Record<string, Uint8Array>, dir: string): Promise<void> {
  for (const [name, data] of Object.entries(archive)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), data);
  }
}

const sorted = (o: object) => Object.keys(o).sort();

describe('the artifacts', () => {
  it('are named with the version and hold the builds with their manifest at the root', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(packages.chromeZip).toMatch(new RegExp(`/webrtc-lens-chrome-${version.replaceAll('.', '\\.')}\\.zip$`));
    expect(packages.firefoxXpi).toMatch(new RegExp(`/webrtc-lens-firefox-${version.replaceAll('.', '\\.')}\\.xpi$`));
    expect(packages.sourceZip).toMatch(new RegExp(`/webrtc-lens-source-${version.replaceAll('.', '\\.')}\\.zip$`));
    for (const [archive, dir] of [
      [packages.chromeZip, 'dist/chrome'],
      [packages.firefoxXpi, 'dist/firefox'],
    ] as const) {
      const inside = await unzip(archive);
      const built = await filesOf(join(ROOT, dir));
      expect(sorted(inside), archive).toEqual(sorted(built));
      for (const name of Object.keys(built)) expect(Buffer.from(inside[name]!).equals(Buffer.from(built[name]!)), name).toBe(true);
      expect(JSON.parse(strFromU8(inside['manifest.json']!)).version).toBe(version);
    }
  });

  it('web-ext lint on dist/firefox: no errors, and only the warnings the README explains', async () => {
    const { lint } = packages;
    console.log(`web-ext lint summary: ${JSON.stringify(lint.summary)}; warnings: ${lint.warnings.map((w) => w.code).join(', ') || 'none'}`);
    expect(lint.errors).toEqual([]);
    expect(await unacceptedWarnings(lint, join(ROOT, 'dist/firefox'))).toEqual([]);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const code of Object.keys(ACCEPTED_LINT_WARNINGS)) expect(readme, `README explains ${code}`).toContain(code);
    // the accepted innerHTML assignment is preact's dangerouslySetInnerHTML: it stays unreachable while no source uses it
    const sources = await readdir(join(ROOT, 'src'), { recursive: true, withFileTypes: true });
    const users: string[] = [];
    for (const e of sources.filter((e) => e.isFile() && /\.tsx?$/.test(e.name))) {
      if ((await readFile(join(e.parentPath, e.name), 'utf8')).includes('dangerouslySetInnerHTML')) users.push(e.name);
    }
    expect(users).toEqual([]);
  });

  it('README explains every permission the builds ask for', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Permissions'), readme.indexOf('\n## ', readme.indexOf('\n## Permissions') + 1));
    expect(section.length, 'a "## Permissions" section').toBeGreaterThan(100);
    for (const archive of [packages.chromeZip, packages.firefoxXpi]) {
      const manifest = JSON.parse(strFromU8((await unzip(archive))['manifest.json']!));
      const asked = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? []), ...(manifest.host_permissions ?? [])];
      expect(asked.length).toBeGreaterThan(0);
      for (const permission of asked) expect(section, `README "Permissions" explains ${permission}`).toContain(`\`${permission}\``);
    }
  });

  it('ship no remote code, no string evaluation, no inline scripts, and a strict extension CSP', async () => {
    const findings: string[] = [];
    for (const archive of [packages.chromeZip, packages.firefoxXpi]) {
      const files = await unzip(archive);
      const csp: string = JSON.parse(strFromU8(files['manifest.json']!)).content_security_policy.extension_pages;
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      expect(directives.get('default-src'), archive).toEqual(["'self'"]);
      expect(directives.get('script-src'), archive).toEqual(["'self'"]);
      expect(directives.get('object-src'), archive).toEqual(["'none'"]);
      expect(directives.get('base-uri'), archive).toEqual(["'none'"]);
      for (const [name, data] of Object.entries(files)) {
        const text = strFromU8(data);
        const where = `${archive.split('/').at(-1)}:${name}`;
        if (/\.(js|css)$/.test(name)) {
          // comments may name URLs; the code may not
          const { code } = await transform(text, { loader: name.endsWith('.js') ? 'js' : 'css', minifyWhitespace: true, legalComments: 'none' });
          for (const m of code.matchAll(/\beval\s*\(|\bFunction\s*\(|\bset(?:Timeout|Interval)\s*\(\s*["'`]|\bimportScripts\s*\(/g)) findings.push(`${where}: ${m[0]}`);
          for (const m of code.matchAll(/\b(?:https?|wss?|ftp):\/\/[^\s"'`)]*/g)) {
            if (!m[0].startsWith('http://www.w3.org/')) findings.push(`${where}: ${m[0]}`); // XML namespace names are not fetched
          }
        } else if (name.endsWith('.html')) {
          const html = text.replace(/<!--[\s\S]*?-->/g, '');
          for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
            const src = /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(m[1]!)?.[1];
            if (!src || m[2]!.trim()) findings.push(`${where}: inline script`);
            else if (/^([a-z]+:)?\/\//i.test(src)) findings.push(`${where}: remote script ${src}`);
          }
          for (const m of html.matchAll(/\s(on[a-z]+)\s*=|javascript:|\b(?:https?|wss?):\/\/[^\s"'<>]*/gi)) findings.push(`${where}: ${m[0].trim()}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('the source archive rebuilds the same Firefox files with the README instructions (npm install, npm run build)', async () => {
    const dir = join(tmp, 'source');
    await extract(await unzip(packages.sourceZip), dir);
    const [top, ...more] = await readdir(dir);
    expect(more).toEqual([]);
    const project = join(dir, top!);
    // `npm install` from the lock file gives the same packages as this checkout's node_modules
    await symlink(realpathSync(join(ROOT, 'node_modules')), join(project, 'node_modules'));
    // the environment of a shell, not vitest's (its NODE_ENV=test would make a development build)
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
    await run(join(project, 'node_modules/.bin/vite'), ['build', '--mode', 'firefox', '--logLevel', 'error'], { cwd: project, env }).catch((err) => {
      throw new Error(`the source archive does not build (is every source file tracked by git?):\n${err.stderr ?? err}`);
    });
    const rebuilt = await filesOf(join(project, 'dist/firefox'));
    const xpi = await unzip(packages.firefoxXpi);
    expect(sorted(rebuilt)).toEqual(sorted(xpi));
    for (const name of Object.keys(xpi)) expect(Buffer.from(rebuilt[name]!).equals(Buffer.from(xpi[name]!)), name).toBe(true);
  });
});

describe('the Chrome zip, unzipped and loaded with --load-extension', () => {
  let chromium: ExtensionBrowser;

  beforeAll(async () => {
    const dir = join(tmp, 'chrome');
    await extract(await unzip(packages.chromeZip), dir);
    chromium = await launchWithExtension({ extensionDir: dir }); // resolves once the service worker answers whenReady()
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it('runs its service worker, which captures a call', async () => {
    const bg = await chromium.background();
    expect(await bg.evaluate(() => chrome.runtime.getManifest().version)).toBe(packages.version);
    expect(await listSessions(bg)).toEqual([]);
    const page = await chromium.context.newPage();
    const url = `${server.origin}/call.html?seconds=${CALL_SECONDS}`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.close();
    const session = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    expect(session.connections.length).toBe(2);
    expect(session.statsCount).toBeGreaterThan(0);
  });
});

describe('the xpi, installed in Firefox ESR over WebDriver BiDi', () => {
  let firefox: FirefoxWithExtension;

  beforeAll(async () => {
    // installs the xpi file itself; resolves once its background answers whenReady() on the automation page
    firefox = await launchFirefoxWithExtension(server.origin, { extensionDir: packages.firefoxXpi });
  });

  afterAll(async () => {
    await firefox?.close();
  });

  it('is active, and captures a call', async () => {
    const manifest = JSON.parse(strFromU8((await unzip(packages.firefoxXpi))['manifest.json']!));
    expect(firefox.extensionId).toBe(manifest.browser_specific_settings.gecko.id);
    const automation = await firefox.automation();
    expect(await listFirefoxSessions(automation)).toEqual([]);
    const page = await firefox.browser.newPage();
    const url = `${server.origin}/call.html?seconds=${CALL_SECONDS}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state === 'ended', { timeout: 30000 });
    await page.goto('about:blank'); // leaving the page ends the session
    const session = await waitFor(
      async () => (await listFirefoxSessions(automation)).find((s) => s.url === url && s.endTime !== null),
      'the session to end',
    );
    await page.close();
    expect(session.connections.length).toBe(2);
    expect(session.statsCount).toBeGreaterThan(0);
  });
});
