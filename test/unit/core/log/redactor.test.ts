import { describe, expect, it } from 'vitest';
import { createLogger, Redactor } from '../../../../electron/core/log/logger.js';

describe('Redactor', () => {
  it('scrubs a secret also where JSON escaped it (a quote or backslash in the secret), once or twice', () => {
    const secret = 'tok/+"en\\x-1234';
    const redactor = new Redactor();
    redactor.add(secret);
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', redactor, write: (l) => lines.push(l) });
    const body = `unauthorized: got "Bearer ${secret}"`;
    logger.warn('source failing', { reason: body, quoted: JSON.stringify({ body }) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toContain('en\\\\x-1234');
    expect(lines[0]).not.toContain('x-1234');
  });

  it('ignores values too short to be secrets', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    expect(redactor.redact('abc def')).toBe('abc def');
  });
});
