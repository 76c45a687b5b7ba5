// End to end in headless Chromium: one page (test/pages/api-surface.html)
// uses every API the page hook records, on two connections connected to each
// other; each call, result and event is found in the stored trace with the
// values the page itself saw.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { serveStunErrors, type StunServer } from '../support/stun';
import { waitFor } from '../support/wait';
import { getSessionTrace, listSessions } from '../support/trace';
import type { SessionRecord } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';

type PageError = { name: string; message: string; constraint?: string };
type Channel = { id: number; label: string; protocol: string };
interface Surface {
  state: string;
  error: string | null;
  devices: Record<string, number>;
  screen: string;
  cam: [string, string, string][];
  gumError: PageError;
  legacy: string[];
  prefixed: string[];
  legacyError: PageError;
  legacyStream: string;
  remoteTracks: string[];
  trackEvents: [string, string][];
  channelEvents: ['pc1' | 'pc2', string, Channel, string | null][];
  candidateErrors: Record<string, unknown>[];
  codecs: unknown[];
  codecError: PageError;
  hasAddStream: boolean;
  mids: { audio: string; video: string; spare: string };
  replaced: { from: string; to: string };
  replaceError: PageError;
  parameters: Record<string, unknown>;
  parametersError: PageError;
  appliedSettings: Record<string, unknown>;
  constraintsError: PageError;
  configurationError: PageError;
  stopped: string[];
}

let server: PageServer;
let stun: StunServer;
let browser: ExtensionBrowser;
let surface: Surface;
let session: SessionRecord;
let events: StoredEvent[];

const text = (e: PageError) => `${e.name}: ${e.message}${e.constraint ? ` (constraint: ${e.constraint})` : ''}`;
const of = (pc: string | null, method: string) => events.filter((e) => e.pc === pc && e.method === method);
const values = (pc: string | null, method: string) => of(pc, method).map((e) => e.value);
const index = (e: StoredEvent) => events.indexOf(e);

beforeAll(async () => {
  server = await servePages();
  stun = await serveStunErrors();
  browser = await launchWithExtension();
  const page = await browser.context.newPage();
  const url = `${server.origin}/api-surface.html?stun=${stun.port}`;
  await page.goto(url);
  await page.click('#start'); // getDisplayMedia needs a user gesture
  await page.waitForFunction(() => ['done', 'failed'].includes((window as unknown as { surface: Surface }).surface.state), null, {
    timeout: 60_000,
  });
  surface = await page.evaluate(() => (window as unknown as { surface: Surface }).surface);
  expect(surface.error).toBeNull();
  expect(surface.state).toBe('done');
  await page.close(); // leaving the page ends its session
  const bg = await browser.background();
  const ended = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
  ({ session, events } = await getSessionTrace(bg, ended.id));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stun?.close();
  await server?.close();
});

describe('the API surface of a call, in the stored trace', () => {
  it('keeps the identity tags and enumerateDevices from before the first call, in order, with counts only', () => {
    expect(events[0]!.method).toBe('create');
    expect(events[0]!.pc).toBeNull();
    expect(events.slice(1, 4).map((e) => e.method)).toEqual([
      'identity',
      'navigator.mediaDevices.enumerateDevices',
      'navigator.mediaDevices.enumerateDevicesOnSuccess',
    ]);
    expect(values(null, 'identity')).toEqual([{ conferenceId: 'room-9', userId: 'user-3' }]);
    expect(session.tags).toEqual({ conferenceId: 'room-9', userId: 'user-3' });
    const [call] = of(null, 'navigator.mediaDevices.enumerateDevices');
    const [result] = of(null, 'navigator.mediaDevices.enumerateDevicesOnSuccess');
    expect(call!.value).toBeNull();
    expect(result!.extra).toEqual(call!.extra);
    expect(result!.value).toEqual(surface.devices);
    expect(Object.keys(surface.devices).sort()).toEqual(['audioinput', 'audiooutput', 'videoinput']);
    // the device labels the page could read are nowhere in the enumeration entries
    expect(JSON.stringify(result!.value)).not.toContain('Fake');
  });

  it('records getDisplayMedia and getUserMedia with constraints, tracks and failures', () => {
    const [gdm] = of(null, 'navigator.mediaDevices.getDisplayMedia');
    const [gdmResult] = of(null, 'navigator.mediaDevices.getDisplayMediaOnSuccess');
    expect(gdm!.value).toEqual({ video: { frameRate: 5 } });
    expect(gdmResult!.extra).toEqual(gdm!.extra);
    const screenTracks = gdmResult!.value as [string, string, string, Record<string, unknown>][];
    expect(screenTracks.map(([kind, id]) => `${kind}:${id}`)).toEqual([surface.screen]);
    expect(screenTracks[0]![3]).toMatchObject({ displaySurface: 'monitor', frameRate: 5 });

    const gum = of(null, 'navigator.mediaDevices.getUserMedia');
    expect(gum.map((e) => e.value)).toEqual([{ audio: true, video: { width: 320, height: 240 } }, { video: { width: { exact: 99999 } } }]);
    const [ok] = of(null, 'navigator.mediaDevices.getUserMediaOnSuccess');
    expect(ok!.extra).toEqual(gum[0]!.extra);
    const camTracks = ok!.value as [string, string, string, Record<string, unknown>][];
    expect(camTracks.map(([kind, id, label]) => [kind, id, label])).toEqual(surface.cam);
    expect(camTracks.find(([kind]) => kind === 'video')![3]).toMatchObject({ width: 320, height: 240 });
    const [failed] = of(null, 'navigator.mediaDevices.getUserMediaOnFailure');
    expect(failed!.extra).toEqual(gum[1]!.extra);
    expect(surface.gumError).toMatchObject({ name: 'OverconstrainedError', constraint: 'width' });
    expect(failed!.value).toBe(text(surface.gumError));
  });

  it('records the legacy navigator.getUserMedia / webkitGetUserMedia callback forms as getUserMedia', () => {
    const calls = of(null, 'getUserMedia');
    expect(calls.map((e) => e.value)).toEqual([{ audio: true }, { video: true }, { video: { width: { exact: 99999 } } }]);
    const results = of(null, 'getUserMediaOnSuccess');
    expect(results.map((e) => e.extra)).toEqual([calls[0]!.extra, calls[1]!.extra]);
    const named = (r: StoredEvent) => (r.value as string[][]).map(([kind, id]) => `${kind}:${id}`);
    expect(results.map(named)).toEqual([surface.legacy, surface.prefixed]);
    const failures = of(null, 'getUserMediaOnFailure');
    expect(failures.map((e) => [e.extra, e.value])).toEqual([[calls[2]!.extra, text(surface.legacyError)]]);
    // request ids are unique across both forms
    const ids = [...of(null, 'navigator.mediaDevices.getUserMedia'), ...calls].map((e) => e.extra![0]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records devicechange events once the page uses WebRTC', () => {
    const changes = of(null, 'navigator.mediaDevices.ondevicechange');
    expect(changes.map((e) => e.value)).toEqual([null]);
    // dispatched after the legacy getUserMedia calls, before the first connection
    expect(index(changes[0]!)).toBeGreaterThan(index(of(null, 'getUserMediaOnFailure')[0]!));
    expect(index(changes[0]!)).toBeLessThan(index(of('PC_0', 'create')[0]!));
  });

  it('records data channels opening, closing and failing with label, protocol and id, never their messages', () => {
    expect(values('PC_0', 'createDataChannel')).toEqual([['chat', { protocol: 'lens-proto', ordered: false }], ['doomed', null]]);
    const channelOf = (label: string, side: 'pc1' | 'pc2') => surface.channelEvents.find(([s, , c]) => s === side && c.label === label)![2];
    expect(values('PC_1', 'ondatachannel')).toEqual([
      { ...channelOf('chat', 'pc2'), ordered: false, negotiated: false },
      { ...channelOf('doomed', 'pc2'), ordered: true, negotiated: false },
    ]);
    for (const [pc, side] of [['PC_0', 'pc1'], ['PC_1', 'pc2']] as const) {
      const recorded = events
        .filter((e) => e.pc === pc && e.method.startsWith('RTCDataChannel.on'))
        .map((e) => [e.method.slice('RTCDataChannel.on'.length), e.value]);
      const seen = surface.channelEvents
        .filter(([s]) => s === side)
        .map(([, type, channel, error]) => [type, type === 'error' ? { ...channel, error } : channel]);
      expect(recorded).toEqual(seen);
    }
    // the abort of pc2's close reached pc1's open channel as an error, then a close
    expect(values('PC_0', 'RTCDataChannel.onerror')).toEqual([
      { ...channelOf('doomed', 'pc1'), error: 'OperationError: User-Initiated Abort, reason=Close called' },
    ]);
    expect(JSON.stringify(events)).not.toContain('a message whose content must never be recorded');
  });

  it('records addTransceiver, setCodecPreferences and addStream / removeStream with their arguments', () => {
    expect(surface.hasAddStream).toBe(true);
    const [camAudio, camVideo] = surface.cam.map(([kind, id]) => `${kind}:${id}`);
    const camStream = (values('PC_0', 'addTrack')[0] as string).split(' ')[1];
    expect(values('PC_0', 'addTrack')).toEqual([`${camAudio} ${camStream}`]);
    expect(values('PC_0', 'addTransceiver')).toEqual([
      { trackOrKind: camVideo, init: { direction: 'sendrecv', streams: [camStream] } },
      { trackOrKind: 'audio', init: { direction: 'recvonly' } },
    ]);
    expect(values('PC_0', 'RTCRtpTransceiver.setCodecPreferences')).toEqual([
      { mid: null, codecs: surface.codecs },
      { mid: null, codecs: [{ mimeType: 'video/x-none', clockRate: 90000 }] },
    ]);
    expect(values('PC_0', 'RTCRtpTransceiver.setCodecPreferencesOnFailure')).toEqual([text(surface.codecError)]);
    const legacyStream = `stream:${surface.legacyStream} ${surface.legacy[0]}`;
    expect(values('PC_0', 'addStream')).toEqual([legacyStream]);
    expect(values('PC_0', 'removeStream')).toEqual([legacyStream]);
  });

  it('records replaceTrack and setParameters with their arguments and outcomes', () => {
    const { mids, replaced } = surface;
    const camAudio = `audio:${surface.cam[0]![1]}`;
    expect(values('PC_0', 'RTCRtpSender.replaceTrack')).toEqual([
      { mid: mids.video, track: replaced.from, newTrack: replaced.to },
      { mid: mids.audio, track: camAudio, newTrack: replaced.from },
    ]);
    expect(values('PC_0', 'RTCRtpSender.replaceTrackOnSuccess')).toEqual([{ mid: mids.video, track: replaced.to }]);
    expect(values('PC_0', 'RTCRtpSender.replaceTrackOnFailure')).toEqual([text(surface.replaceError)]);

    expect(surface.parameters).toMatchObject({ encodings: [{ maxBitrate: 250000, scaleResolutionDownBy: 2 }] });
    const call = { mid: mids.video, track: replaced.to, parameters: surface.parameters };
    expect(values('PC_0', 'RTCRtpSender.setParameters')).toEqual([call, call]);
    expect(values('PC_0', 'RTCRtpSender.setParametersOnSuccess')).toEqual([{ mid: mids.video }]);
    expect(values('PC_0', 'RTCRtpSender.setParametersOnFailure')).toEqual([text(surface.parametersError)]);
  });

  it('records direction changes, transceiver stop, restartIce and setConfiguration without credentials', () => {
    expect(values('PC_0', 'RTCRtpTransceiver.direction')).toEqual([{ mid: surface.mids.video, direction: 'recvonly', previous: 'sendrecv' }]);
    expect(values('PC_0', 'RTCRtpTransceiver.stop')).toEqual([{ mid: surface.mids.spare }]);
    const [restart] = of('PC_0', 'restartIce');
    expect(restart!.value).toBeNull();
    // the offer after restartIce has new ICE credentials
    const offers = of('PC_0', 'setLocalDescriptionOnSuccess');
    expect(offers).toHaveLength(2);
    expect(index(offers[1]!)).toBeGreaterThan(index(restart!));
    const ufrag = (e: StoredEvent) => /a=ice-ufrag:(\S+)/.exec((e.value as { sdp: string }).sdp)![1];
    expect(ufrag(offers[1]!)).not.toBe(ufrag(offers[0]!));

    expect(values('PC_0', 'setConfiguration')).toEqual([
      { iceServers: [{ urls: 'turn:turn.example.org:3478' }] },
      { bundlePolicy: 'max-compat' },
    ]);
    expect(values('PC_0', 'setConfigurationOnFailure')).toEqual([text(surface.configurationError)]);
    expect(JSON.stringify(events)).not.toContain('s3cret');
    expect(JSON.stringify(events)).not.toContain('alice');
  });

  it('records track enabled changes, applyConstraints and stop of the page\'s tracks', () => {
    const camAudio = `audio:${surface.cam[0]![1]}`;
    const camVideo = `video:${surface.cam[1]![1]}`;
    expect(values(null, 'MediaStreamTrack.enabled')).toEqual([{ track: camAudio, enabled: false }]);
    const apply = of(null, 'MediaStreamTrack.applyConstraints');
    expect(apply.map((e) => e.value)).toEqual([
      { track: camVideo, constraints: { width: 160, height: 120 } },
      { track: camVideo, constraints: { width: { exact: 99999 } } },
    ]);
    const applied = of(null, 'MediaStreamTrack.applyConstraintsOnSuccess');
    expect(applied.map((e) => [e.extra, e.value])).toEqual([[apply[0]!.extra, { track: camVideo, settings: surface.appliedSettings }]]);
    expect(surface.appliedSettings).toMatchObject({ width: 160, height: 120 });
    const refused = of(null, 'MediaStreamTrack.applyConstraintsOnFailure');
    expect(refused.map((e) => [e.extra, e.value])).toEqual([[apply[1]!.extra, text(surface.constraintsError)]]);
    expect(values(null, 'MediaStreamTrack.stop')).toEqual(surface.stopped);
  });

  it('records the mute, unmute and ended events of local and received tracks as the page saw them', () => {
    const recorded = events
      .filter((e) => /^MediaStreamTrack\.on(ended|mute|unmute)$/.test(e.method))
      .map((e) => [e.method.slice('MediaStreamTrack.on'.length), e.value]);
    expect(recorded).toEqual(surface.trackEvents);
    // received tracks unmuted when media flowed, the video muted when pc1 stopped sending it, all ended on close
    const count = (type: string) => surface.trackEvents.filter(([t, n]) => t === type && surface.remoteTracks.includes(n)).length;
    expect([count('unmute'), count('mute'), count('ended')]).toEqual([3, 1, 3]);
  });

  it('records the icecandidateerror events of the STUN server that refused', () => {
    expect(stun.requests()).toBeGreaterThan(0);
    expect(surface.candidateErrors.length).toBeGreaterThan(0);
    expect(values('PC_0', 'onicecandidateerror')).toEqual(surface.candidateErrors);
    expect(surface.candidateErrors[0]).toMatchObject({ url: `stun:127.0.0.1:${stun.port}`, errorText: 'Forbidden' });
  });

  it('records each connection\'s creation and close once', () => {
    expect(values('PC_0', 'create')).toEqual([{ iceServers: [{ urls: `stun:127.0.0.1:${stun.port}` }] }]);
    expect(values('PC_1', 'create')).toEqual([null]);
    for (const pc of ['PC_0', 'PC_1']) expect(of(pc, 'close')).toHaveLength(1);
    expect(session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1']);
  });
});
