import { describe, expect, it } from 'vitest';
import { AUTOMATION_FUNCTIONS, isOpenAutomationPage, parseAutomationCall } from '../../src/core/automation';
import { DumpImportError } from '../../src/core/dump';

describe('automation messages', () => {
  it('accepts a call of a known function with its arguments', () => {
    const call = { v: 1, kind: 'automation', fn: 'exportSession', args: ['abc', 'internals'] };
    expect(parseAutomationCall(call)).toBe(call);
    for (const fn of AUTOMATION_FUNCTIONS) expect(parseAutomationCall({ v: 1, kind: 'automation', fn, args: [] })).not.toBeNull();
  });

  it('refuses unknown functions, other versions and malformed calls', () => {
    for (const bad of [
      null,
      'listSessions',
      { v: 1, kind: 'automation', fn: 'eval', args: [] },
      { v: 1, kind: 'automation', fn: 'constructor', args: [] },
      { v: 2, kind: 'automation', fn: 'listSessions', args: [] },
      { v: 1, kind: 'automation', fn: 'listSessions' },
      { v: 1, kind: 'automation', fn: 'listSessions', args: 'x' },
      { v: 1, kind: 'other', fn: 'listSessions', args: [] },
    ]) {
      expect(parseAutomationCall(bad)).toBeNull();
    }
  });

  it('recognises only the exact request for the automation page', () => {
    expect(isOpenAutomationPage({ v: 1, kind: 'openAutomationPage' })).toBe(true);
    expect(isOpenAutomationPage({ v: 2, kind: 'openAutomationPage' })).toBe(false);
    expect(isOpenAutomationPage({ kind: 'openAutomationPage' })).toBe(false);
    expect(isOpenAutomationPage(undefined)).toBe(false);
  });
});

describe('DumpImportError', () => {
  it('names the line when it knows it', () => {
    const e = new DumpImportError('not JSON', 5);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DumpImportError');
    expect(e.message).toContain('line 5');
    expect(e.line).toBe(5);
  });
});
