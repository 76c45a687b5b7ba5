// `npm run demo`: the product's main job on the built-in demo call.
// Launches Debian's Chromium with the built extension on the local two-party
// call page, lets the call run, saves the exported dump and a screenshot
// under out/demo/, and prints a one-screen summary.

import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';
import { exportSession, getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { formatSummary, summarizeTrace } from '../../src/core/summary';

const seconds = Number(process.env.DEMO_SECONDS ?? 20);
const outDir = resolve(import.meta.dirname, '../../out/demo');

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const server = await servePages();
  const browser = await launchWithExtension();
  try {
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=${seconds}`;
    console.log(`Calling for ${seconds} s on ${url} ...`);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state === 'connected', null, {
      timeout: 30000,
    });
    // A screenshot once the remote video has played for a while.
    await page.waitForFunction(() => (document.getElementById('remote') as HTMLVideoElement).currentTime > 2, null, {
      timeout: 30000,
    });
    await page.screenshot({ path: resolve(outDir, 'call-page.png') });
    await page.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state === 'ended', null, {
      timeout: (seconds + 30) * 1000,
    });
    await page.goto('about:blank'); // leaving the page ends the session
    const bg = await browser.background();
    const session = await waitFor(
      async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null),
      'the session to be stored and ended',
    );
    const dump = await exportSession(bg, session.id, 'rtcstats');
    const dumpPath = resolve(outDir, 'demo-call.rtcstats.jsonl');
    await writeFile(dumpPath, dump);
    const { session: record, events } = await getSessionTrace(bg, session.id);
    console.log('');
    console.log(formatSummary(summarizeTrace(record, events)));
    console.log('');
    console.log(`Dump:        ${dumpPath} (${(dump.length / 1024).toFixed(0)} KiB)`);
    console.log(`Screenshot:  ${resolve(outDir, 'call-page.png')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
