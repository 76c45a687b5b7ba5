// A Linux network namespace for tests whose traffic must stay on the machine:
// `ip netns add`, a veth pair with addresses from 198.18.0.0/15 (the
// benchmarking range), and commands run inside with `ip netns exec`.
// Nothing inside has a route out, so nothing sent there can leave it.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every namespace these tests make starts with this; the rest is the owner's pid. */
const PREFIX = 'wlens-t';

export interface Netns {
  name: string;
  /** the namespace's own address (on its end of the veth pair) */
  address: string;
  /** the address of the other end, in the machine's namespace */
  hostAddress: string;
  /** the command line that runs a program inside: [...prefix, program, ...args] */
  prefix: string[];
  /**
   * An executable script that runs `program` inside with the script's
   * arguments (for tools that take a browser's path, e.g. Playwright).
   */
  wrap(program: string): string;
  remove(): void;
}

function ip(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

function mustIp(args: string[]): string {
  const r = ip(args);
  if (!r.ok) throw new Error(`ip ${args.join(' ')} failed: ${r.out}`);
  return r.out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces left by earlier runs whose process is gone (a crash, a kill -9). */
function removeStale(): void {
  const list = ip(['netns', 'list']);
  if (!list.ok) return;
  for (const line of list.out.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number.parseInt(name.slice(PREFIX.length), 10);
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && !alive(pid)) ip(['netns', 'del', name]);
  }
}

/**
 * Why network namespaces cannot be used here (no `ip`, not allowed), or null
 * when they can. Tries for real, with a throwaway namespace.
 */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  const version = ip(['-V']);
  if (!version.ok) return `the "ip" command (iproute2) is missing: ${version.out}`;
  const probe = `${PREFIX}${process.pid}probe`;
  const add = ip(['netns', 'add', probe]);
  if (!add.ok) return `"ip netns add" is not allowed here (needs root or CAP_NET_ADMIN): ${add.out}`;
  ip(['netns', 'del', probe]);
  return null;
}

let current: Netns | null = null;

/**
 * Creates this process's namespace (one per process): loopback up, IPv6 off
 * (one address family keeps the candidates simple), the veth pair up.
 */
export function createNetns(): Netns {
  if (current) throw new Error(`namespace ${current.name} already exists in this process`);
  removeStale();
  const name = `${PREFIX}${process.pid}`;
  // A /30 per process id, so that runs side by side do not share addresses.
  const block = (process.pid % 16384) * 4;
  const base = `198.18.${block >> 8}.`;
  const hostAddress = `${base}${(block & 255) + 1}`;
  const address = `${base}${(block & 255) + 2}`;
  const outside = `wlh${process.pid}`.slice(0, 15);
  const inside = `wln${process.pid}`.slice(0, 15);
  const scripts = mkdtempSync(join(tmpdir(), `${name}-`));
  const netns: Netns = {
    name,
    address,
    hostAddress,
    prefix: ['ip', 'netns', 'exec', name],
    wrap(program) {
      const script = join(scripts, program.replace(/\W/g, '_'));
      writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${name} ${program} "$@"\n`);
      chmodSync(script, 0o755);
      return script;
    },
    remove() {
      rmSync(scripts, { recursive: true, force: true });
      ip(['link', 'del', outside]); // normally gone with the namespace; not if a process still holds it
      ip(['netns', 'del', name]);
      process.off('exit', netns.remove);
      current = null;
    },
  };
  current = netns;
  process.on('exit', netns.remove); // a failing or interrupted run still cleans up
  try {
    mustIp(['netns', 'add', name]);
    const inNs = (args: string[]) => mustIp(['-n', name, ...args]);
    inNs(['link', 'set', 'lo', 'up']);
    spawnSync('ip', ['netns', 'exec', name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
    mustIp(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', name]);
    mustIp(['addr', 'add', `${hostAddress}/30`, 'dev', outside]);
    mustIp(['link', 'set', outside, 'up']);
    inNs(['addr', 'add', `${address}/30`, 'dev', inside]);
    inNs(['link', 'set', inside, 'up']);
  } catch (e) {
    netns.remove();
    throw e;
  }
  return netns;
}
