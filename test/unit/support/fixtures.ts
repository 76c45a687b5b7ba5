// Where the real dumps are: ../shared/fixtures/dumps beside the repository (read-only).

import { resolve } from 'node:path';

export const FIXTURES_DIR = resolve(import.meta.dirname, '../../../../shared/fixtures/dumps');

export const fixture = (relative: string): string => resolve(FIXTURES_DIR, relative);
