// Large answers to the extension's pages go in parts under Chrome's 64 MiB
// message limit (src/core/message-parts.ts).

import { describe, expect, it } from 'vitest';
import { isPartedReply, MESSAGE_PART_CHARS, parseReplyPartRequest, partsByJsonSize, textParts } from '../../src/core/message-parts';

describe('partsByJsonSize', () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(i % 50) }));

  it('keeps every item in order, each part within the size', () => {
    const parts = partsByJsonSize(items, 2000);
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.flat()).toEqual(items);
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(2000 + 1);
  });

  it('gives an item larger than the size a part of its own, and one empty part for no items', () => {
    const big = { text: 'y'.repeat(5000) };
    expect(partsByJsonSize([{ a: 1 }, big, { b: 2 }], 2000)).toEqual([[{ a: 1 }], [big], [{ b: 2 }]]);
    expect(partsByJsonSize([], 2000)).toEqual([[]]);
  });

  it('stays under Chrome\'s limit of 64 MiB a message, even where every character is escaped six-fold', () => {
    expect(MESSAGE_PART_CHARS * 6).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});

describe('parted replies', () => {
  it('cuts a text into parts that join back', () => {
    const text = JSON.stringify({ events: Array.from({ length: 500 }, (_, i) => ({ i, s: 'é"\\\n' })) });
    const parts = textParts(text, 1000);
    expect(parts.length).toBe(Math.ceil(text.length / 1000));
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(JSON.parse(parts.join(''))).toEqual(JSON.parse(text));
    expect(textParts('', 1000)).toEqual(['']);
  });

  it('recognises its messages and nothing else', () => {
    expect(isPartedReply({ v: 1, kind: 'partedReply', token: 't', parts: 3 })).toBe(true);
    expect(isPartedReply({ v: 1, kind: 'partedReply', token: 't', parts: 0 })).toBe(false);
    expect(isPartedReply({ events: [] })).toBe(false);
    expect(isPartedReply(null)).toBe(false);
    expect(parseReplyPartRequest({ v: 1, kind: 'replyPart', token: 't', index: 0 })).not.toBeNull();
    expect(parseReplyPartRequest({ v: 1, kind: 'replyPart', token: 't', index: -1 })).toBeNull();
    expect(parseReplyPartRequest({ v: 1, kind: 'automation', fn: 'listSessions', args: [] })).toBeNull();
  });
});
