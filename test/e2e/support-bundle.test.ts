// "Save for support" on a real captured call: the zip holds what it says,
// imports back, and leaks none of the user's addresses, device labels or TURN
// credentials with the default redaction.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { gunzipSync } from 'node:zlib';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { readRtcstats } from '../../src/core/rtcstats';
import { callReaches } from '../support/call-page';

let server: PageServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await servePages();
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Bundle = { fileName: string; base64: string; files: string[] };

it('saves a redacted support bundle that imports back with the same connections', async () => {
  const page = await browser.context.newPage();
  const url = `${server.origin}/call.html?seconds=3&turn=1&room=secret-room-42#frag`;
  await page.goto(url);
  await callReaches(page, 'ended');
  await page.goto('about:blank');
  const bg = await browser.background();
  const summary = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
  const { events } = await getSessionTrace(bg, summary.id);

  // What must not leak: the local candidates' addresses and the device labels, as the trace holds them.
  const addresses = new Set<string>();
  for (const e of events) {
    if (e.method !== 'onicecandidate' || !e.value) continue;
    const fields = String((e.value as { candidate: string }).candidate).split(' ');
    if (fields[4] && !fields[4].endsWith('.local')) addresses.add(fields[4]);
  }
  const labels = events
    .filter((e) => e.method === 'navigator.mediaDevices.getUserMediaOnSuccess')
    .flatMap((e) => (e.value as [string, string, string][]).map((t) => t[2]));
  expect(addresses.size).toBeGreaterThan(0);
  expect(labels.length).toBe(2);

  const bundle = await bg.evaluate((id) => (globalThis as unknown as { saveForSupport(id: string): Promise<Bundle> }).saveForSupport(id), summary.id);
  // 127.0.0.1 is also the TURN server here, whose own address may stay
  expect(bundle.fileName).toMatch(/^webrtc-127\.0\.0\.(1|x)-\d{8}-\d{6}\.zip$/);
  const files = unzipSync(new Uint8Array(Buffer.from(bundle.base64, 'base64')));
  const names = Object.keys(files).sort();
  expect(names).toEqual([...bundle.files].sort());
  const text = Object.entries(files)
    .map(([name, bytes]) => (name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : strFromU8(bytes)))
    .join('\n');
  for (const address of addresses) expect(text).not.toContain(address);
  for (const label of labels) expect(text).not.toContain(label);
  for (const secret of ['turn-user-7f3a', 'turn-secret-9c2e', 'secret-room-42', '#frag']) expect(text).not.toContain(secret);

  const rtcstats = names.find((n) => n.endsWith('.rtcstats.jsonl.gz'))!;
  const back = readRtcstats(gunzipSync(files[rtcstats]!).toString('utf8'));
  const connections = new Set(back.events.map((e) => e.pc).filter((pc) => pc !== null));
  expect([...connections].sort()).toEqual(summary.connections.sort());
  expect(back.events.filter((e) => e.method === 'getStats')).toHaveLength(summary.statsCount);
  const readme = strFromU8(files['README.txt']!);
  expect(readme).toContain(summary.userAgent);
  expect(readme).toMatch(/PC_0 .*connected, closed/);
});
