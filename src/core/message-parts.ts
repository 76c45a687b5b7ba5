// Chrome refuses a runtime message (sendMessage, a port's postMessage) whose
// JSON is larger than 64 MiB: "Message exceeded maximum allowed size of
// 64MiB". A stored trace is larger than that after about 90 minutes of 4
// connections, so what the background sends the extension's pages goes in
// parts when it is large: a session's snapshot as several messages of
// events, an answer of the automation API as its JSON text in pieces.

/**
 * The most JSON characters in one part. Chrome writes a message as JSON, in
 * which a string's characters take up to 6 bytes (`\u001f`): 8 Mi characters
 * stay under 64 MiB however the text reads.
 */
export const MESSAGE_PART_CHARS = 8 << 20;

/** Consecutive runs of `items`, each at most `maxChars` characters of JSON (an item larger than that is a run of its own). */
export function partsByJsonSize<T>(items: readonly T[], maxChars = MESSAGE_PART_CHARS): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let chars = 0;
  for (const item of items) {
    const size = (JSON.stringify(item)?.length ?? 4) + 1; // (and a comma)
    if (part.length > 0 && chars + size > maxChars) {
      parts.push(part);
      part = [];
      chars = 0;
    }
    part.push(item);
    chars += size;
  }
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts;
}

/** An answer too large for one message: its JSON text waits in the background, to be fetched part by part. */
export interface PartedReply {
  v: 1;
  kind: 'partedReply';
  token: string;
  parts: number;
}

/** A page asks for part `index` of a parted reply. */
export interface ReplyPartRequest {
  v: 1;
  kind: 'replyPart';
  token: string;
  index: number;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function isPartedReply(x: unknown): x is PartedReply {
  return isRecord(x) && x.v === 1 && x.kind === 'partedReply' && typeof x.token === 'string' && Number.isSafeInteger(x.parts) && (x.parts as number) > 0;
}

export function parseReplyPartRequest(x: unknown): ReplyPartRequest | null {
  return isRecord(x) && x.v === 1 && x.kind === 'replyPart' && typeof x.token === 'string' && Number.isSafeInteger(x.index) && (x.index as number) >= 0
    ? (x as unknown as ReplyPartRequest)
    : null;
}

/** `text` in pieces of at most `maxChars` characters. */
export function textParts(text: string, maxChars = MESSAGE_PART_CHARS): string[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += maxChars) parts.push(text.slice(at, at + maxChars));
  return parts.length > 0 ? parts : [''];
}
