// What the user sees before "Save for support": per kind of data, how much of
// it the session holds and whether it will be masked.

import { DEFAULT_REDACTION, type RedactionKind, type RedactionOptions, type RedactionReport } from './redact';
import { REDACTION_CHOICES } from './settings';

export type MaskableKind = Exclude<RedactionKind, 'credentials'>;

export interface RedactionPreviewRow {
  key: MaskableKind;
  label: string;
  explanation: string;
  /** occurrences found (with this kind masked) and distinct values */
  count: number;
  distinct: number;
  /** masked forms, never an original value */
  examples: string[];
  /** whether the user's choice masks it */
  masked: boolean;
}

/** The options to preview with: every kind on, so that each row says what there is to mask. */
export function previewOptions(choice: RedactionOptions): Required<RedactionOptions> {
  return { ...DEFAULT_REDACTION, keepTurnServerAddresses: choice.keepTurnServerAddresses ?? DEFAULT_REDACTION.keepTurnServerAddresses };
}

/** One row per maskable kind, from a report made with previewOptions(). */
export function redactionPreviewRows(report: RedactionReport, choice: RedactionOptions): RedactionPreviewRow[] {
  return REDACTION_CHOICES.filter((c): c is (typeof c & { key: MaskableKind }) => c.key !== 'keepTurnServerAddresses').map((c) => ({
    key: c.key,
    label: c.label,
    explanation: c.explanation,
    count: report.counts[c.key],
    distinct: report.distinct[c.key],
    examples: report.examples[c.key],
    masked: choice[c.key] !== false,
  }));
}
