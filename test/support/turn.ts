// A small TURN server over UDP (RFC 5766 with RFC 5389 long-term
// credentials), enough for a browser to relay a call through it: Allocate,
// Refresh, CreatePermission, ChannelBind, Send and Data indications,
// ChannelData, and Binding. One user, one realm, a fixed nonce; no TCP/TLS.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

const COOKIE = 0x2112a442;
const [BINDING, ALLOCATE, REFRESH, SEND, DATA, CREATE_PERMISSION, CHANNEL_BIND] = [0x001, 0x003, 0x004, 0x006, 0x007, 0x008, 0x009];
const [REQUEST, INDICATION, SUCCESS, ERROR] = [0x0000, 0x0010, 0x0100, 0x0110];
const A = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  CHANNEL_NUMBER: 0x000c,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
};
const REALM = 'webrtc-lens.test';
const NONCE = 'a5e1c0ffee5eed';
const LIFETIME_S = 600;

interface Message {
  method: number;
  cls: number;
  id: Buffer; // the 12-byte transaction id
  attributes: { type: number; value: Buffer; offset: number }[];
  raw: Buffer;
}

interface Address {
  address: string;
  port: number;
}

interface Allocation {
  client: Address;
  relay: Socket;
  permissions: Set<string>; // peer IP addresses
  channels: Map<number, Address>;
}

function parse(buf: Buffer): Message | null {
  if (buf.length < 20 || buf.readUInt32BE(4) !== COOKIE || (buf[0]! & 0xc0) !== 0) return null;
  const type = buf.readUInt16BE(0);
  const length = buf.readUInt16BE(2);
  if (20 + length > buf.length) return null;
  const attributes: Message['attributes'] = [];
  for (let at = 20; at + 4 <= 20 + length; ) {
    const size = buf.readUInt16BE(at + 2);
    attributes.push({ type: buf.readUInt16BE(at), value: buf.subarray(at + 4, at + 4 + size), offset: at });
    at += 4 + Math.ceil(size / 4) * 4;
  }
  // methods up to 0xF: the class bits are 0x0110, the method the low bits
  return { method: type & 0x3eef, cls: type & 0x0110, id: buf.subarray(8, 20), attributes, raw: buf };
}

const attr = (m: Message, type: number) => m.attributes.find((a) => a.type === type)?.value;

function xorAddress(value: Buffer): Address {
  const port = value.readUInt16BE(2) ^ (COOKIE >>> 16);
  const ip = (value.readUInt32BE(4) ^ COOKIE) >>> 0;
  return { address: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
}

function encodeXorAddress({ address, port }: Address): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt8(1, 1); // IPv4
  value.writeUInt16BE(port ^ (COOKIE >>> 16), 2);
  const ip = address.split('.').reduce((n, part) => (n << 8) | Number(part), 0) >>> 0;
  value.writeUInt32BE((ip ^ COOKIE) >>> 0, 4);
  return value;
}

function tlv(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  value.copy(out, 4);
  return out;
}

/** A message; with `key`, signed with MESSAGE-INTEGRITY (HMAC-SHA1 over everything before it). */
function build(method: number, cls: number, id: Buffer, attributes: Buffer[], key?: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method | cls, 0);
  header.writeUInt32BE(COOKIE, 4);
  id.copy(header, 8);
  let body = Buffer.concat(attributes);
  if (key) {
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac('sha1', key).update(Buffer.concat([header, body])).digest();
    body = Buffer.concat([body, tlv(A.MESSAGE_INTEGRITY, mac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function integrityOk(m: Message, key: Buffer): boolean {
  const mi = m.attributes.find((a) => a.type === A.MESSAGE_INTEGRITY);
  if (!mi) return false;
  const signed = Buffer.from(m.raw.subarray(0, mi.offset));
  signed.writeUInt16BE(mi.offset + 24 - 20, 2); // the length as if MESSAGE-INTEGRITY ended the message
  return createHmac('sha1', key).update(signed).digest().equals(mi.value);
}

function errorCode(code: number, reason: string): Buffer {
  const value = Buffer.concat([Buffer.from([0, 0, Math.floor(code / 100), code % 100]), Buffer.from(reason)]);
  return tlv(A.ERROR_CODE, value);
}

export interface TurnServer {
  /** host:port, for a `turn:` URL */
  address: string;
  /** allocations made so far, and relayed packets each way */
  counts(): { allocations: number; toPeers: number; fromPeers: number };
  close(): Promise<void>;
}

/** A TURN server on `host` (a free port), for one user. */
export async function serveTurn(host: string, username: string, password: string): Promise<TurnServer> {
  const key = createHash('md5').update(`${username}:${REALM}:${password}`).digest();
  const socket = createSocket('udp4');
  const allocations = new Map<string, Allocation>();
  const counts = { allocations: 0, toPeers: 0, fromPeers: 0 };
  const keyOf = (a: Address) => `${a.address}:${a.port}`;

  const reply = (to: RemoteInfo, data: Buffer) => socket.send(data, to.port, to.address);

  async function allocate(client: RemoteInfo): Promise<Allocation> {
    const relay = createSocket('udp4');
    const allocation: Allocation = { client: { address: client.address, port: client.port }, relay, permissions: new Set(), channels: new Map() };
    relay.on('message', (data, peer) => {
      if (!allocation.permissions.has(peer.address)) return;
      counts.fromPeers++;
      const channel = [...allocation.channels].find(([, a]) => a.address === peer.address && a.port === peer.port)?.[0];
      if (channel !== undefined) {
        const head = Buffer.alloc(4);
        head.writeUInt16BE(channel, 0);
        head.writeUInt16BE(data.length, 2);
        socket.send(Buffer.concat([head, data]), client.port, client.address);
      } else {
        const indication = build(DATA, INDICATION, randomBytes(12), [
          tlv(A.XOR_PEER_ADDRESS, encodeXorAddress(peer)),
          tlv(A.DATA, data),
        ]);
        socket.send(indication, client.port, client.address);
      }
    });
    await new Promise<void>((ok) => relay.bind(0, host, ok));
    counts.allocations++;
    return allocation;
  }

  function closeAllocation(client: string): void {
    allocations.get(client)?.relay.close();
    allocations.delete(client);
  }

  async function request(m: Message, from: RemoteInfo): Promise<void> {
    const client = keyOf(from);
    if (m.method === BINDING) {
      reply(from, build(BINDING, SUCCESS, m.id, [tlv(A.XOR_MAPPED_ADDRESS, encodeXorAddress(from))]));
      return;
    }
    const user = attr(m, A.USERNAME)?.toString();
    if (user !== username || !integrityOk(m, key)) {
      reply(from, build(m.method, ERROR, m.id, [errorCode(401, 'Unauthorized'), tlv(A.REALM, Buffer.from(REALM)), tlv(A.NONCE, Buffer.from(NONCE))]));
      return;
    }
    const ok = (attributes: Buffer[]) => reply(from, build(m.method, SUCCESS, m.id, attributes, key));
    const fail = (code: number, reason: string) => reply(from, build(m.method, ERROR, m.id, [errorCode(code, reason)], key));
    const allocation = allocations.get(client);
    switch (m.method) {
      case ALLOCATE: {
        if (allocation) return fail(437, 'Allocation Mismatch');
        if (attr(m, A.REQUESTED_TRANSPORT)?.[0] !== 17) return fail(442, 'Unsupported Transport Protocol');
        const created = await allocate(from);
        allocations.set(client, created);
        return ok([
          tlv(A.XOR_RELAYED_ADDRESS, encodeXorAddress({ address: host, port: created.relay.address().port })),
          tlv(A.XOR_MAPPED_ADDRESS, encodeXorAddress(from)),
          tlv(A.LIFETIME, Buffer.from([0, 0, (LIFETIME_S >> 8) & 255, LIFETIME_S & 255])),
        ]);
      }
      case REFRESH: {
        if (!allocation) return fail(437, 'Allocation Mismatch');
        const lifetime = attr(m, A.LIFETIME)?.readUInt32BE(0) ?? LIFETIME_S;
        if (lifetime === 0) closeAllocation(client);
        return ok([tlv(A.LIFETIME, Buffer.from([0, 0, (lifetime >> 8) & 255, lifetime & 255]))]);
      }
      case CREATE_PERMISSION: {
        if (!allocation) return fail(437, 'Allocation Mismatch');
        for (const a of m.attributes.filter((x) => x.type === A.XOR_PEER_ADDRESS)) allocation.permissions.add(xorAddress(a.value).address);
        return ok([]);
      }
      case CHANNEL_BIND: {
        const number = attr(m, A.CHANNEL_NUMBER)?.readUInt16BE(0);
        const peer = attr(m, A.XOR_PEER_ADDRESS);
        if (!allocation) return fail(437, 'Allocation Mismatch');
        if (number === undefined || number < 0x4000 || number > 0x7fff || !peer) return fail(400, 'Bad Request');
        const address = xorAddress(peer);
        allocation.channels.set(number, address);
        allocation.permissions.add(address.address);
        return ok([]);
      }
      default:
        return fail(400, 'Bad Request');
    }
  }

  socket.on('message', (data, from) => {
    const allocation = allocations.get(keyOf(from));
    if (data.length >= 4 && (data[0]! & 0xc0) === 0x40) {
      // ChannelData: channel number, length, data
      const peer = allocation?.channels.get(data.readUInt16BE(0));
      if (!allocation || !peer) return;
      counts.toPeers++;
      allocation.relay.send(data.subarray(4, 4 + data.readUInt16BE(2)), peer.port, peer.address);
      return;
    }
    const m = parse(data);
    if (!m) return;
    if (m.cls === REQUEST) {
      request(m, from).catch((e: unknown) => console.error('turn:', e));
    } else if (m.cls === INDICATION && m.method === SEND && allocation) {
      const peer = attr(m, A.XOR_PEER_ADDRESS);
      const payload = attr(m, A.DATA);
      if (!peer || !payload) return;
      const to = xorAddress(peer);
      if (!allocation.permissions.has(to.address)) return;
      counts.toPeers++;
      allocation.relay.send(payload, to.port, to.address);
    }
  });
  await new Promise<void>((ok) => socket.bind(0, host, ok));
  return {
    address: `${host}:${socket.address().port}`,
    counts: () => ({ ...counts }),
    async close() {
      for (const client of [...allocations.keys()]) closeAllocation(client);
      await new Promise<void>((ok) => socket.close(() => ok()));
    },
  };
}
