// Fuzzing importDump with the Jitsi fixtures not in import-fuzz.test.ts (the
// largest files; a separate file so both run in parallel): 500 seeded random
// mutations each, every result a clean ImportResult or a DumpImportError.

import { describe, it } from 'vitest';
import { fuzzFixture, MUTATIONS } from './support/import-fuzz';

const FIXTURES = ['jitsi/google-standard-stats-p2p.jsonl', 'jitsi/chrome-standard-pc-reconnect.jsonl', 'jitsi/firefox-standard-stats-sfu.jsonl'];

describe('importDump under random mutations of the Jitsi fixtures', () => {
  FIXTURES.forEach((file, i) => {
    it(`${file}: ${MUTATIONS} mutations, each a clean result or a DumpImportError`, () => fuzzFixture(file, 0xf00d + i), 300_000);
  });
});
