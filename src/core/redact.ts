// Redaction on export: what identifies the user, their devices or their
// network is masked in a copy of the dump before it leaves the machine (the
// support bundle, an export with masking on). Pure code: no DOM, no extension
// API (Node 20 and browsers).
//
// What is masked, per option (all on by default, DEFAULT_REDACTION):
//
// ipAddresses — every IPv4 / IPv6 address in a string of the trace: ICE
//   candidates (`candidate` strings: the address and `raddr`), SDP (`o=`,
//   `c=`, `a=rtcp:`, `a=candidate`), candidate stats (`address`, `ip`,
//   `relatedAddress`, old `googLocalAddress`-style "ip:port" fields),
//   `icecandidateerror` (`address`, Chrome's `host_candidate`), the page and
//   frame URLs, origins and title, and any other string anywhere in an event
//   value (a generic scan, also of object keys and of JSON held in strings).
//     IPv4 keeps its first three octets:   192.0.2.17           -> 192.0.2.x
//     IPv6 keeps its first four groups (of the expanded address), the rest
//     becomes x (the form Chrome itself uses in icecandidateerror):
//                                          2001:db8:85a3::8a2e:370:7334 -> 2001:db8:85a3:0:x:x:x:x
//     an IPv4-mapped / -compatible IPv6 address masks its IPv4 part:
//                                          ::ffff:192.0.2.17    -> ::ffff:192.0.2.x
//   A masked address is not a valid address (it cannot be mistaken for another
//   real one), stays recognisable (private range, same subnet, loopback,
//   0.0.0.0 placeholder), and is left alone by a second redaction.
//   Every address is masked, loopback and 0.0.0.0 included (they say nothing
//   about the user, but the masked form keeps their meaning and a uniform
//   rule is easier to trust); only the unspecified IPv6 address `::` (no
//   digit to hide) is left as it is.
//   Not addresses, never touched: mDNS host names (`<uuid>.local`), host
//   names (`stun.example.org`), Chrome's and Jitsi's own masks
//   (`[0:0:0:x:x:x:x:x]`, `x.x.x.x`), version numbers. A dotted quad right
//   after a single `/` is a product version (`Chrome/147.0.0.0`), not an
//   address; values under keys naming a user agent or a version
//   (`userAgent`, `UserAgentData`, `brands`, `fullVersionList`, `version`,
//   `extensionVersion`, ...) are copied as they are.
//   Exception (keepTurnServerAddresses, on by default): the TURN server's own
//   address is public infrastructure, not the user's, and the first thing a
//   support engineer checks. An IP literal that is the host of a `turn:` /
//   `turns:` URL anywhere in the dump (configuration `iceServers`, relay
//   candidates' stats `url`, icecandidateerror `url`) stays unmasked
//   wherever it occurs — in those URLs and where it is the address of a relay
//   candidate. A relay candidate whose address is not such a host is masked,
//   and so is every `raddr` / `relatedAddress` (the user's own address).
//   STUN server addresses are masked like any other.
//
// deviceLabels — MediaStreamTrack / device labels in media events
//   (getUserMedia / getDisplayMedia results, legacy getUserMedia,
//   enumerateDevices, MediaStreamTrack events): the third element of each
//   `[kind, id, label, settings]` track, any `label` property (also in JSON
//   held in a string, e.g. webrtc-internals' `video_track_info`). Replaced by
//   `<redacted label N>`, one N per distinct label in the dump, so "the same
//   camera in both calls" stays visible. Data channel labels (app-chosen) and
//   stats `trackIdentifier` (a random id) are not device labels: kept.
//
// urlQueryAndFragment — the session and frame URLs lose `?query`, `#fragment`
//   and any `user:password@`; so does every `scheme://` URL inside a string
//   of the trace (e.g. a page-level `url` field). ICE server URLs
//   (`turn:host:3478?transport=udp`) are not page URLs: their
//   `?transport=` is kept.
//
// usernames — ICE username fragments: `a=ice-ufrag:` in SDP, `ufrag x` in
//   candidate strings, `usernameFragment` / `*UsernameFragment` / `ufrag`
//   fields; ICE passwords (`a=ice-pwd:`); every `username` field (TURN
//   usernames in imported dumps) and `displayName` field (the person's name
//   in Jitsi's identity entry). Replaced by numbered stand-ins,
//   one per distinct value, the same in SDP, candidates and stats so they
//   still correlate (an ICE restart still shows as a new ufrag):
//   `redacted-ufrag-N`, `redacted-pwd-N`, `<redacted username N>`.
//
// Always, whatever the options: every `credential` field is removed (TURN
// credentials never appear in an export).
//
// Not touched: ids (session, connection, stats, track, stream ids), the user
// agent, timings and stats values, data channel labels, host names.
//
// The report (RedactionReport) lists per kind how many occurrences were
// replaced, how many distinct values, and examples — masked forms only, never
// an original value — for the support bundle and the preview the user sees
// before saving.

import type { SessionDump } from './dump';
import type { SessionRecord } from './session';
import type { StoredEvent } from './trace';

export interface RedactionOptions {
  /** mask IPv4 (first three octets kept) and IPv6 (first four groups kept) addresses */
  ipAddresses: boolean;
  /** replace device / track labels of media events */
  deviceLabels: boolean;
  /** strip `?query`, `#fragment` and `user:password@` from page URLs */
  urlQueryAndFragment: boolean;
  /** replace ICE ufrags and passwords and `username` fields */
  usernames: boolean;
  /** leave IP hosts of turn:/turns: URLs unmasked (default true) */
  keepTurnServerAddresses?: boolean;
}

/** Everything masked: what the support bundle uses. */
export const DEFAULT_REDACTION: Readonly<Required<RedactionOptions>> = Object.freeze({
  ipAddresses: true,
  deviceLabels: true,
  urlQueryAndFragment: true,
  usernames: true,
  keepTurnServerAddresses: true,
});

export type RedactionKind = 'ipAddresses' | 'deviceLabels' | 'urlQueryAndFragment' | 'usernames' | 'credentials';

export const REDACTION_KINDS: readonly RedactionKind[] = ['ipAddresses', 'deviceLabels', 'urlQueryAndFragment', 'usernames', 'credentials'];

export interface RedactionReport {
  /** the options applied (defaults filled in) */
  options: Required<RedactionOptions>;
  /** occurrences replaced or removed, per kind */
  counts: Record<RedactionKind, number>;
  /** distinct original values replaced or removed, per kind */
  distinct: Record<RedactionKind, number>;
  /** a few masked forms per kind (never an original value) */
  examples: Record<RedactionKind, string[]>;
  /** TURN server addresses left unmasked, with how often they occur */
  keptTurnServerAddresses: { address: string; occurrences: number }[];
  /** human-readable summary, one line per kind */
  lines: string[];
}

const MAX_EXAMPLES = 3;

// --- addresses --------------------------------------------------------------

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
/**
 * A dotted quad standing alone: not part of a longer dotted number, not
 * glued to a word, not right after a single `/` (`Chrome/147.0.0.0`), but
 * after `//` (`https://192.0.2.1/`), `:` (`turn:192.0.2.1`), space, quote...
 */
const IPV4_IN_TEXT = new RegExp(`(?<![\\w.])(?<![^/]/)(?<!^/)${IPV4}(?!\\w|\\.\\d)`, 'g');
const IPV4_EXACT = new RegExp(`^${IPV4}$`);
/** Something shaped like an IPv6 address; parseIPv6 decides whether it is one. */
const IPV6_IN_TEXT = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,8}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:]|\.\d)/gi;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseIPv4(text: string): number[] | null {
  return IPV4_EXACT.test(text) ? text.split('.').map(Number) : null;
}

/** The eight groups of an IPv6 address, or null when `text` is not one. */
export function parseIPv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')));
  const last = parts[parts.length - 1]!;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    const v4 = parseIPv4(last[last.length - 1]!);
    if (!v4) return null;
    last.splice(last.length - 1, 1, ((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16));
  }
  const head = parts[0]!;
  const tail = compressed ? parts[1]! : [];
  if (![...head, ...tail].every((g) => HEX_GROUP.test(g))) return null;
  const count = head.length + tail.length;
  if (compressed ? count > 7 : count !== 8) return null;
  const groups = [...head, ...Array<string>(8 - count).fill('0'), ...tail];
  return groups.map((g) => parseInt(g, 16));
}

/** The masked form of an IPv4 address: `192.0.2.17` → `192.0.2.x`. */
export function maskIPv4(address: string): string {
  const octets = parseIPv4(address);
  return octets ? `${octets.slice(0, 3).join('.')}.x` : address;
}

/** The masked form of an IPv6 address: its first four groups, then `x:x:x:x`. */
export function maskIPv6(address: string): string {
  const groups = parseIPv6(address);
  if (!groups) return address;
  const embedded = address.includes('.');
  // ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address: mask that the IPv4 way
  if (embedded && groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0 || groups[5] === 0xffff)) {
    const cut = address.lastIndexOf(':') + 1;
    return address.slice(0, cut) + maskIPv4(address.slice(cut));
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}:x:x:x:x`;
}

/** Every address in `text` masked (no exception, nothing counted): for showing text in the report. */
function maskAddresses(text: string): string {
  return text.replace(IPV6_IN_TEXT, (m) => (/[0-9a-f]/i.test(m) ? maskIPv6(m) : m)).replace(IPV4_IN_TEXT, maskIPv4);
}

/** One spelling per address, to compare addresses written differently. */
function canonicalAddress(address: string): string | null {
  if (parseIPv4(address)) return address;
  const groups = parseIPv6(address);
  return groups ? groups.map((g) => g.toString(16)).join(':') : null;
}

/** IP-literal hosts of turn: / turns: URLs (`turn:192.0.2.1:3478`, `turns:[2001:db8::1]:443`). */
const TURN_URL = /\bturns?:(?:\/\/)?(\[[0-9a-f:.]+\]|[^\s:?/"'\\,;[\]]+)/gi;

// --- URLs and ICE credentials in text ---------------------------------------

/** A `scheme://...` URL inside some text (ends at white space, a quote or a backslash). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\]+/gi;
const ICE_UFRAG_LINE = /(a=ice-ufrag:)([^\s\\"',;]+)/g;
const ICE_PWD_LINE = /(a=ice-pwd:)([^\s\\"',;]+)/g;
const CANDIDATE_UFRAG = /(\bufrag )([^\s\\"',;]+)/g;
/** Stand-ins this module makes: never replaced again. */
const STAND_IN = /^(?:redacted-|<redacted )/;

/** The URL without `?query`, `#fragment` and `user:password@`. */
function stripUrl(url: string): string {
  let out = url;
  const cut = out.search(/[?#]/);
  if (cut >= 0) out = out.slice(0, cut);
  return out.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

// --- keys -------------------------------------------------------------------

/** Values copied untouched: user agents and version strings (`8.0.0.0` is a brand version, not an address). */
const VERBATIM_KEY = /useragent|version|^brands$/i;
const CREDENTIAL_KEY = /^credential$/i;
const USERNAME_KEY = /^(?:user_?name|display_?name)$/i;
const UFRAG_KEY = /ufrag$|usernamefragment$/i;
const LABEL_KEY = /^label$/i;
/** Events whose `label`s are device / track labels. */
const MEDIA_METHOD = /getUserMedia|getDisplayMedia|enumerateDevices|mediaDevices|MediaStreamTrack/i;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy of JSON-like data. */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

function isTrackTuple(v: unknown[]): boolean {
  return v.length >= 3 && (v[0] === 'audio' || v[0] === 'video') && typeof v[1] === 'string' && typeof v[2] === 'string';
}

// --- the redactor -----------------------------------------------------------

interface Tally {
  count: number;
  originals: Set<string>;
  examples: string[];
}

type Namespace = 'ufrag' | 'pwd' | 'username' | 'label';

class Redactor {
  readonly options: Required<RedactionOptions>;
  private readonly turnHosts = new Map<string, string>(); // canonical -> as first written
  private readonly kept = new Map<string, number>();
  private readonly tallies = new Map<RedactionKind, Tally>();
  private readonly standIns = new Map<Namespace, Map<string, string>>();

  constructor(options: RedactionOptions) {
    this.options = { ...DEFAULT_REDACTION, ...options, keepTurnServerAddresses: options.keepTurnServerAddresses ?? true };
    for (const kind of REDACTION_KINDS) this.tallies.set(kind, { count: 0, originals: new Set(), examples: [] });
  }

  /** Notes the TURN server addresses found in every string of `v`. */
  collectTurnHosts(v: unknown): void {
    if (!this.options.ipAddresses || !this.options.keepTurnServerAddresses) return;
    if (typeof v === 'string') {
      if (!/turns?:/i.test(v)) return;
      for (const m of v.matchAll(TURN_URL)) {
        const host = m[1]!.replace(/^\[|\]$/g, '');
        const canonical = canonicalAddress(host);
        if (canonical !== null && !this.turnHosts.has(canonical)) this.turnHosts.set(canonical, host);
      }
    } else if (Array.isArray(v)) {
      for (const x of v) this.collectTurnHosts(x);
    } else if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        this.collectTurnHosts(k);
        this.collectTurnHosts(x);
      }
    }
  }

  private note(kind: RedactionKind, original: string, masked: string): void {
    const t = this.tallies.get(kind)!;
    t.count++;
    t.originals.add(original);
    if (t.examples.length < MAX_EXAMPLES && !t.examples.includes(masked)) t.examples.push(masked);
  }

  /** The numbered stand-in of a value, the same for the same value everywhere in the dump. */
  private standIn(ns: Namespace, kind: RedactionKind, original: string): string {
    if (original === '' || STAND_IN.test(original)) return original;
    let names = this.standIns.get(ns);
    if (!names) this.standIns.set(ns, (names = new Map()));
    let name = names.get(original);
    if (name === undefined) {
      const n = names.size + 1;
      name = ns === 'label' ? `<redacted label ${n}>` : ns === 'username' ? `<redacted username ${n}>` : `redacted-${ns}-${n}`;
      names.set(original, name);
    }
    this.note(kind, original, name);
    return name;
  }

  private address(text: string, masked: string): string {
    if (masked === text) return text;
    const canonical = canonicalAddress(text);
    if (canonical !== null && this.turnHosts.has(canonical)) {
      this.kept.set(canonical, (this.kept.get(canonical) ?? 0) + 1);
      return text;
    }
    this.note('ipAddresses', canonical ?? text, masked);
    return masked;
  }

  /** IP addresses in a string. */
  addresses(s: string): string {
    if (!this.options.ipAddresses) return s;
    let out = s;
    if (out.includes(':')) {
      out = out.replace(IPV6_IN_TEXT, (m) => (/[0-9a-f]/i.test(m) ? this.address(m, maskIPv6(m)) : m));
    }
    if (out.includes('.')) out = out.replace(IPV4_IN_TEXT, (m) => this.address(m, maskIPv4(m)));
    return out;
  }

  private url(u: string): string {
    const stripped = stripUrl(u);
    if (stripped !== u) this.note('urlQueryAndFragment', u, this.options.ipAddresses ? maskAddresses(stripped) : stripped);
    return stripped;
  }

  /** Every text rule: URLs, ICE ufrags and passwords, addresses. */
  text(s: string): string {
    let out = s;
    if (this.options.urlQueryAndFragment && out.includes('://')) out = out.replace(URL_IN_TEXT, (m) => this.url(m));
    if (this.options.usernames && out.includes('ice-ufrag:')) out = out.replace(ICE_UFRAG_LINE, (_m, p: string, v: string) => p + this.standIn('ufrag', 'usernames', v));
    if (this.options.usernames && out.includes('ice-pwd:')) out = out.replace(ICE_PWD_LINE, (_m, p: string, v: string) => p + this.standIn('pwd', 'usernames', v));
    if (this.options.usernames && out.includes('ufrag ')) out = out.replace(CANDIDATE_UFRAG, (_m, p: string, v: string) => p + this.standIn('ufrag', 'usernames', v));
    return this.addresses(out);
  }

  /** A page or frame URL (the whole string is the URL). */
  pageUrl(u: unknown): unknown {
    if (typeof u !== 'string') return this.value(u, false);
    return this.text(this.options.urlQueryAndFragment ? this.url(u) : u);
  }

  /** A string value: JSON held in a string is redacted as data, the rest as text. */
  private string(s: string, media: boolean): string {
    const first = s.trimStart()[0];
    if (first === '{' || first === '[') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null) {
        const before = JSON.stringify(parsed);
        const redacted = JSON.stringify(this.value(parsed, media));
        return redacted === before ? s : redacted;
      }
    }
    return this.text(s);
  }

  /** A redacted deep copy of an event value (or any JSON-like data). */
  value(v: unknown, media: boolean): unknown {
    if (typeof v === 'string') return this.string(v, media);
    if (Array.isArray(v)) {
      const out = v.map((x) => this.value(x, media));
      if (media && this.options.deviceLabels && isTrackTuple(v)) out[2] = this.standIn('label', 'deviceLabels', v[2] as string);
      return out;
    }
    if (!isPlainObject(v)) return v;
    const entries: [string, unknown][] = [];
    for (const [key, x] of Object.entries(v)) {
      if (CREDENTIAL_KEY.test(key)) {
        this.note('credentials', JSON.stringify(x) ?? '', '(removed)');
        continue;
      }
      const k = this.addresses(key);
      if (VERBATIM_KEY.test(key)) {
        entries.push([k, clone(x)]);
      } else if (typeof x === 'string' && this.options.usernames && USERNAME_KEY.test(key)) {
        entries.push([k, this.standIn('username', 'usernames', x)]);
      } else if (typeof x === 'string' && this.options.usernames && UFRAG_KEY.test(key)) {
        entries.push([k, this.standIn('ufrag', 'usernames', x)]);
      } else if (typeof x === 'string' && media && this.options.deviceLabels && LABEL_KEY.test(key)) {
        entries.push([k, this.standIn('label', 'deviceLabels', x)]);
      } else {
        entries.push([k, this.value(x, media)]);
      }
    }
    return Object.fromEntries(entries);
  }

  report(): RedactionReport {
    const counts = {} as Record<RedactionKind, number>;
    const distinct = {} as Record<RedactionKind, number>;
    const examples = {} as Record<RedactionKind, string[]>;
    for (const [kind, t] of this.tallies) {
      counts[kind] = t.count;
      distinct[kind] = t.originals.size;
      examples[kind] = [...t.examples];
    }
    const keptTurnServerAddresses = [...this.kept].map(([canonical, occurrences]) => ({ address: this.turnHosts.get(canonical)!, occurrences }));
    return { options: { ...this.options }, counts, distinct, examples, keptTurnServerAddresses, lines: this.lines(counts, distinct, examples, keptTurnServerAddresses) };
  }

  private lines(
    counts: Record<RedactionKind, number>,
    distinct: Record<RedactionKind, number>,
    examples: Record<RedactionKind, string[]>,
    kept: { address: string; occurrences: number }[],
  ): string[] {
    const o = this.options;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const eg = (kind: RedactionKind) => (examples[kind].length > 0 ? `, e.g. ${examples[kind].join(', ')}` : '');
    const line = (kind: RedactionKind, on: boolean, title: string, what: (n: number) => string, how = ''): string => {
      if (!on) return `${title}: kept as recorded (masking turned off)`;
      if (counts[kind] === 0) return `${title}: none found`;
      return `${title}: ${what(distinct[kind])} (${plural(counts[kind], 'occurrence', 'occurrences')})${how}${eg(kind)}`;
    };
    const out = [
      line('ipAddresses', o.ipAddresses, 'IP addresses', (n) => `${plural(n, 'address', 'addresses')} masked`,
        '; IPv4 keeps its first three octets, IPv6 its first four groups'),
      line('deviceLabels', o.deviceLabels, 'Device labels', (n) => `${plural(n, 'label', 'labels')} replaced`),
      line('urlQueryAndFragment', o.urlQueryAndFragment, 'URL query strings and fragments', (n) => `removed from ${plural(n, 'URL', 'URLs')}`),
      line('usernames', o.usernames, 'ICE username fragments and passwords, usernames, display names', (n) => `${plural(n, 'value', 'values')} replaced`),
      counts.credentials > 0
        ? `TURN credentials: ${plural(counts.credentials, 'occurrence', 'occurrences')} removed (always)`
        : 'TURN credentials: none found (always removed)',
    ];
    if (o.ipAddresses && kept.length > 0) {
      out.push(`TURN server addresses kept: ${kept.map((k) => `${k.address} (${plural(k.occurrences, 'occurrence', 'occurrences')})`).join(', ')}`);
    }
    return out;
  }
}

// --- entry points -----------------------------------------------------------

function redactSession(session: SessionRecord, r: Redactor): SessionRecord {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(session)) {
    if (key === 'url') {
      out[key] = r.pageUrl(v);
    } else if (key === 'frames' && Array.isArray(v)) {
      out[key] = v.map((f: unknown) =>
        isPlainObject(f) ? Object.fromEntries(Object.entries(f).map(([k, x]) => [k, k === 'url' ? r.pageUrl(x) : r.value(x, false)])) : r.value(f, false));
    } else if (key === 'id') {
      out[key] = v;
    } else {
      // origin, title, tags, connections' configuration, anything an importer added;
      // userAgent and extensionVersion stay verbatim (VERBATIM_KEY)
      out[key] = VERBATIM_KEY.test(key) ? clone(v) : r.value(v, false);
    }
  }
  return out as unknown as SessionRecord;
}

/**
 * A redacted copy of a dump (the input is not changed) and what was masked.
 * Options left out of `options` are on (see DEFAULT_REDACTION).
 */
export function redactDump(dump: SessionDump, options: RedactionOptions): { dump: SessionDump; report: RedactionReport } {
  const r = new Redactor(options);
  r.collectTurnHosts(dump.session);
  for (const e of dump.events) r.collectTurnHosts(e.value);
  const session = redactSession(dump.session, r);
  const events = dump.events.map((e): StoredEvent => {
    const copy: StoredEvent = { ...e, value: r.value(e.value, MEDIA_METHOD.test(e.method)) };
    if (e.extra) copy.extra = [...e.extra];
    return copy;
  });
  return { dump: { session, events }, report: r.report() };
}

/**
 * The text rules alone, for SDP, candidate strings and other free text:
 * addresses, `a=ice-ufrag:` / `a=ice-pwd:` / `ufrag x`, `scheme://` URLs'
 * query and fragment. TURN server addresses kept are the IP hosts of
 * turn:/turns: URLs in `text` itself. (Fields such as `credential` or device
 * labels need the structure: see redactDump.)
 */
export function redactText(text: string, options: RedactionOptions = DEFAULT_REDACTION): string {
  const r = new Redactor(options);
  r.collectTurnHosts(text);
  return r.text(text);
}

/** redactText, with the report of what it replaced. */
export function redactTextWithReport(text: string, options: RedactionOptions = DEFAULT_REDACTION): { text: string; report: RedactionReport } {
  const r = new Redactor(options);
  r.collectTurnHosts(text);
  return { text: r.text(text), report: r.report() };
}
