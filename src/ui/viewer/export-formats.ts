// The exports the viewer's Export bar offers (the bench marks the others).

import type { ExportFormat } from '../../core/export';

export const VIEWER_EXPORTS: readonly { label: string; format: ExportFormat; gzip: boolean }[] = [
  { label: 'rtcstats', format: 'rtcstats', gzip: false },
  { label: 'rtcstats .gz', format: 'rtcstats', gzip: true },
  { label: 'webrtc-internals', format: 'internals', gzip: false },
  { label: 'CSV', format: 'csv', gzip: false },
];
