import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliRedactor, reportUnexpected } from '../../../electron/cli/index.js';

afterEach(() => vi.restoreAllMocks());

describe('the CLI crash report', () => {
  it('prints an unexpected error with its stack, scrubbed of every secret the process read', () => {
    const planted = 'pd-planted-crash-7c1e9a';
    cliRedactor.add(planted);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    reportUnexpected(new TypeError(`cannot read token ${planted} of undefined`));
    const text = written.join('');
    expect(text).toMatch(/^guardia: unexpected error: TypeError: cannot read token \[redacted\] of undefined\n\s+at /);
    expect(text).not.toContain(planted);
  });
});
