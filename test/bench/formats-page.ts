// The formats bench in a Chromium page: what the viewer does on Export and Open dump.

import { measureFormats } from './formats';
import { webStreamsGzip } from '../../src/core/gzip';

(window as unknown as { bench: Promise<unknown> }).bench = measureFormats(webStreamsGzip);
