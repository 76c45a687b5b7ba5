// Munged SDP (src/core/munging.ts): what createOffer / createAnswer returned, against what was set.

import { describe, expect, it } from 'vitest';
import { LocalDescriptions } from '../../src/core/munging';

const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n';
const OTHER = 'v=0\r\no=- 1 3 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n';
const EDITED = OFFER.replace('111 0', '0 111');

describe('LocalDescriptions', () => {
  it('what was created, set as is, is not munged; edited, it is', () => {
    const c = new LocalDescriptions();
    c.add('offer', OFFER);
    expect(c.setLocal('offer', OFFER)).toBe(false);
    c.add('offer', OFFER);
    expect(c.setLocal('offer', EDITED)).toBe(true);
  });

  it('line endings do not count', () => {
    const c = new LocalDescriptions();
    c.add('offer', OFFER);
    expect(c.setLocal('offer', OFFER.replace(/\r\n/g, '\n'))).toBe(false);
  });

  it('two offers created, the first set: not munged', () => {
    const c = new LocalDescriptions();
    c.add('offer', OFFER);
    c.add('offer', OTHER);
    expect(c.setLocal('offer', OFFER)).toBe(false);
  });

  it('nothing created of that type, or set implicitly in between: nothing to call munged', () => {
    const c = new LocalDescriptions();
    expect(c.setLocal('offer', EDITED)).toBe(false);
    c.add('offer', OFFER);
    expect(c.setLocal('answer', EDITED)).toBe(false);
    c.add('offer', OFFER);
    c.setImplicitly();
    expect(c.setLocal('offer', EDITED)).toBe(false);
  });

  it('after a set without a description, its success reports the one set, once; after a set with one, it does not', () => {
    const c = new LocalDescriptions();
    c.setImplicitly();
    expect(c.succeeded()).toBe(true);
    expect(c.succeeded()).toBe(false);
    c.setImplicitly();
    c.add('offer', OFFER);
    expect(c.setLocal('offer', OFFER)).toBe(false);
    expect(c.succeeded()).toBe(false);
  });

  it('forgets what was created once one was set', () => {
    const c = new LocalDescriptions();
    c.add('offer', OFFER);
    expect(c.setLocal('offer', OFFER)).toBe(false);
    expect(c.setLocal('offer', EDITED)).toBe(false); // nothing created since
  });

  it('remembers a bounded number of created descriptions (the newest)', () => {
    const c = new LocalDescriptions();
    c.add('offer', OFFER);
    for (let i = 0; i < 20; i++) c.add('offer', OTHER.replace('1 3', `1 ${10 + i}`));
    expect(c.setLocal('offer', OFFER)).toBe(true); // the first one was forgotten
  });
});
