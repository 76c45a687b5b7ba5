// The process that runs inside the test's network namespace next to the
// browser (started by impaired-network.ts): serves the test pages on
// 127.0.0.1 with the relay's candidate rewriting at /relay/candidate, runs a
// TURN server with the credentials of the page's `turn` option, and takes commands from the test as JSON lines on stdin, answering on stdout.
//
//   node --import tsx test/support/relay-process.ts <address>

import { createInterface } from 'node:readline';
import { servePages } from './server';
import { UdpRelay, type Impairment } from './udp-relay';
import { serveTurn } from './turn';

export type RelayCommand =
  | { cmd: 'set'; impairment: Partial<Impairment> }
  | { cmd: 'blackout'; ms: number }
  | { cmd: 'stats' }
  | { cmd: 'exit' };

const address = process.argv[2];
if (!address) throw new Error('usage: relay-process.ts <address to listen on>');

const relay = new UdpRelay(address);
// the credentials test/pages/call.js uses with ?turn=
const turn = await serveTurn(address, 'turn-user-7f3a', 'turn-secret-9c2e');
const pages = await servePages(undefined, undefined, {
  '/relay/candidate': async (q) => ({ candidate: await relay.rewrite(q.get('c') ?? '') }),
});

const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function run(command: RelayCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'set':
      return relay.set(command.impairment);
    case 'blackout':
      return relay.blackout(command.ms);
    case 'stats':
      return { ...relay.stats(), turn: turn.counts() };
    case 'exit':
      await relay.close();
      await pages.close();
      await turn.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, ...command } = JSON.parse(line) as RelayCommand & { id: number };
  run(command).then(
    (result) => reply({ id, result }),
    (e: unknown) => reply({ id, error: String(e) }),
  );
});
// The test process went away: nothing else stops this one.
process.stdin.on('end', () => process.exit(0));

reply({ ready: { origin: pages.origin, turn: turn.address } });
