// `npm run demo`: the product's main job on the built-in demo call.
// Launches Debian's Chromium with the built extension on the local two-party
// call page, lets the call run, saves the exported dump and a screenshot
// under out/demo/ with screenshots of the call, the devtools panel and the
// popup, and prints a one-screen summary.

import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';
import { exportSession, getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { chartPoints, openExtensionPage, tabIdOf } from '../support/ui';
import { formatAnalysis, formatSummary, summarizeTrace } from '../../src/core/summary';
import { analyzeDump } from '../../src/core/analysis';
import { callReaches } from '../support/call-page';

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
    await callReaches(page, 'connected');
    // A screenshot once the remote video has played for a while.
    await page.waitForFunction(() => (document.getElementById('remote') as HTMLVideoElement).currentTime > 2, null, {
      timeout: 30000,
    });
    await page.screenshot({ path: resolve(outDir, 'call-page.png') });
    // The devtools panel for this tab (chrome.devtools stands in as ?tabId=) once its charts have 10 points, and the popup.
    const tabId = await tabIdOf(await browser.background(), url);
    const panel = await openExtensionPage(browser, `src/ui/panel/panel.html?tabId=${tabId}`);
    await waitFor(async () => {
      const points = Object.values(await chartPoints(panel.page));
      return points.length > 0 && points.every((n) => n >= 10);
    }, 'the panel charts to have 10 points', { timeoutMs: 40000 });
    await panel.page.screenshot({ path: resolve(outDir, 'panel.png') });
    const popup = await openExtensionPage(browser, 'src/ui/popup/popup.html', { width: 420, height: 560 });
    await popup.page.waitForSelector('li.session', { timeout: 15000 });
    await popup.page.screenshot({ path: resolve(outDir, 'popup.png') });
    await panel.page.close();
    await popup.page.close();
    await callReaches(page, 'ended', (seconds + 30) * 1000);
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
    console.log(formatAnalysis(analyzeDump({ session: record, events }), record.startTime));
    console.log('');
    console.log(`Dump:        ${dumpPath} (${(dump.length / 1024).toFixed(0)} KiB)`);
    console.log(`Screenshots: ${['call-page.png', 'panel.png', 'popup.png'].map((f) => resolve(outDir, f)).join(', ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
