// A user-space UDP relay between the two peers of a test call, which impairs
// what it forwards: random loss, added delay, a rate cap with a bounded queue,
// and blackouts.
//
// The page hands each ICE candidate to `rewrite`, which opens one socket for
// that real candidate and returns the candidate with the socket's address and
// port instead; the other peer only ever learns the rewritten one. A packet
// arriving on the socket of real candidate T from real candidate S is sent on
// from the socket of S to T, so T sees it come from the address it was given
// for S, and ICE pairs the two as usual, both ways through the relay.

import { seededRandom } from '../../src/core/random';
import { createSocket, type Socket } from 'node:dgram';

export interface Impairment {
  /** probability of dropping a packet, per direction (0..1) */
  loss: number;
  /** added one-way delay, ms */
  delayMs: number;
  /** cap of each direction in kbit/s (IP and UDP headers counted), null for none */
  rateKbps: number | null;
  /** drop everything */
  blocked: boolean;
}

export interface RelayCounts {
  forwarded: number;
  /** how long the relay really held the packets it forwarded (ms, summed): the delay and queueing it added, timer lateness included */
  heldMs: number;
  dropped: { loss: number; blocked: number; queue: number; unknownSource: number };
}

/** What the queue of a capped direction holds at most before it drops (a router's buffer). */
const MAX_QUEUE_MS = 250;
const IP_UDP_HEADERS = 28;

interface Leg {
  /** the real candidate this socket stands for */
  target: { address: string; port: number };
  socket: Socket;
  /** when the capped link toward `target` is free again (performance.now() ms) */
  busyUntil: number;
}


export class UdpRelay {
  private readonly legs = new Map<string, Leg>();
  private impairment: Impairment = { loss: 0, delayMs: 0, rateKbps: null, blocked: false };
  private readonly counts: RelayCounts = { forwarded: 0, heldMs: 0, dropped: { loss: 0, blocked: 0, queue: 0, unknownSource: 0 } };
  private readonly next: () => number;
  private closed = false;

  /** `address`: where the relay's sockets listen (the namespace's own address). */
  constructor(private readonly address: string, seed = 1) {
    this.next = seededRandom(seed); // loss is the same from run to run
  }

  /**
   * The candidate (the `candidate` attribute of an RTCIceCandidate) with the
   * relay's address and port in place of its own, or null for a candidate the
   * relay does not carry (TCP), which the page must then not pass on.
   */
  async rewrite(candidate: string): Promise<string | null> {
    const fields = candidate.split(' ');
    // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> ...
    if (fields.length < 8 || fields[6] !== 'typ') throw new Error(`not an ICE candidate: ${candidate}`);
    if (fields[2]!.toLowerCase() !== 'udp') return null;
    const leg = await this.legFor(fields[4]!, Number(fields[5]));
    fields[4] = this.address;
    fields[5] = String(leg.socket.address().port);
    return fields.join(' ');
  }

  set(change: Partial<Impairment>): Impairment {
    this.impairment = { ...this.impairment, ...change };
    return this.impairment;
  }

  /** Drops everything for `ms`; resolves with when it really started and ended (wall clock). */
  async blackout(ms: number): Promise<{ start: number; end: number }> {
    this.set({ blocked: true });
    const start = Date.now();
    await new Promise((r) => setTimeout(r, ms));
    this.set({ blocked: false });
    return { start, end: Date.now() };
  }

  stats(): RelayCounts & { legs: number } {
    return { ...this.counts, dropped: { ...this.counts.dropped }, legs: this.legs.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.legs.values()].map((leg) => new Promise<void>((ok) => leg.socket.close(() => ok()))));
    this.legs.clear();
  }

  private async legFor(address: string, port: number): Promise<Leg> {
    const key = `${address}:${port}`;
    const known = this.legs.get(key);
    if (known) return known;
    const socket = createSocket('udp4');
    const leg: Leg = { target: { address, port }, socket, busyUntil: 0 };
    this.legs.set(key, leg);
    socket.on('message', (msg, from) => this.forward(leg, msg, `${from.address}:${from.port}`));
    await new Promise<void>((ok) => socket.bind(0, this.address, ok));
    return leg;
  }

  private forward(to: Leg, msg: Buffer, fromKey: string): void {
    const from = this.legs.get(fromKey);
    const { loss, delayMs, rateKbps, blocked } = this.impairment;
    if (!from) {
      this.counts.dropped.unknownSource++; // a candidate not rewritten yet: ICE retries
      return;
    }
    if (blocked) {
      this.counts.dropped.blocked++;
      return;
    }
    if (loss > 0 && this.next() < loss) {
      this.counts.dropped.loss++;
      return;
    }
    const now = performance.now();
    let wait = delayMs;
    if (rateKbps !== null) {
      const start = Math.max(now, to.busyUntil);
      if (start - now > MAX_QUEUE_MS) {
        this.counts.dropped.queue++;
        return;
      }
      to.busyUntil = start + ((msg.length + IP_UDP_HEADERS) * 8) / rateKbps; // kbit/s = bit/ms
      wait += to.busyUntil - now;
    }
    const send = () => {
      if (this.closed) return;
      this.counts.forwarded++;
      this.counts.heldMs += performance.now() - now;
      from.socket.send(msg, to.target.port, to.target.address);
    };
    if (wait < 1) send();
    else setTimeout(send, wait);
  }
}
