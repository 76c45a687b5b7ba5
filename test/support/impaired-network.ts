// The test's side of the impaired network: starts relay-process.ts inside the
// namespace (page server and UDP relay) and sends it commands.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Netns } from './netns';
import type { RelayCommand } from './relay-process';
import type { Impairment, RelayCounts } from './udp-relay';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Relay {
  /** where the pages are served inside the namespace (http://127.0.0.1:port) */
  origin: string;
  /** host:port of the TURN server next to it (the page's ?turn= option) */
  turn: string;
  set(impairment: Partial<Impairment>): Promise<Impairment>;
  /** resolves when the blackout is over, with its real start and end (wall clock ms) */
  blackout(ms: number): Promise<{ start: number; end: number }>;
  stats(): Promise<RelayCounts & { legs: number; turn: { allocations: number; toPeers: number; fromPeers: number } }>;
  close(): Promise<void>;
}

export async function startRelay(netns: Netns): Promise<Relay> {
  const child: ChildProcess = spawn(
    netns.prefix[0]!,
    [...netns.prefix.slice(1), process.execPath, '--import', 'tsx', 'test/support/relay-process.ts', netns.address],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  type Ready = { origin: string; turn: string };
  let ready!: (r: Ready) => void;
  let failed!: (e: Error) => void;
  const started = new Promise<Ready>((ok, fail) => {
    ready = ok;
    failed = fail;
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.once('exit', (code) => {
    const error = new Error(`relay process exited (code ${code})`);
    failed(error);
    for (const w of waiting.values()) w.fail(error);
    waiting.clear();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { ready?: Ready; id?: number; result?: unknown; error?: string };
    if (message.ready) return ready(message.ready);
    const w = waiting.get(message.id!);
    waiting.delete(message.id!);
    if (message.error !== undefined) w?.fail(new Error(message.error));
    else w?.ok(message.result);
  });
  let nextId = 1;
  const send = <T>(command: RelayCommand): Promise<T> =>
    new Promise<T>((ok, fail) => {
      const id = nextId++;
      waiting.set(id, { ok: ok as (v: unknown) => void, fail });
      child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  const { origin, turn } = await started;
  return {
    origin,
    turn,
    set: (impairment) => send({ cmd: 'set', impairment }),
    blackout: (ms) => send({ cmd: 'blackout', ms }),
    stats: () => send({ cmd: 'stats' }),
    async close() {
      if (child.exitCode === null) {
        await send({ cmd: 'exit' }).catch(() => undefined);
        await exited;
      }
    },
  };
}
