import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFindings, parseAllowlist, parseSarif, type Finding } from '../../../scripts/electronegativity-check.js';

// The shape Electronegativity 1.10 writes with `-r -o x.sarif` (one global and one file finding).
const sarif = {
  runs: [
    {
      results: [
        { ruleId: 'CSP_GLOBAL_CHECK', message: { text: 'No CSP' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' }, region: { startLine: 1 } } }] },
        { ruleId: 'OPEN_EXTERNAL_JS_CHECK', message: { text: 'Review the use of openExternal' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'dist/electron/main.mjs.js' }, region: { startLine: 120 } } }] },
      ],
    },
  ],
};

const finding = (check: string, file: string): Finding => ({ check, file, line: 1, message: '' });

describe('Electronegativity findings against the allowlist', () => {
  it('reads SARIF findings back to repository paths, globals as N/A', () => {
    const findings = parseSarif(sarif, (p) => p.replace(/\.mjs\.js$/, '.mjs'));
    expect(findings).toEqual([
      { check: 'CSP_GLOBAL_CHECK', file: 'N/A', line: 0, message: 'No CSP' },
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'dist/electron/main.mjs', line: 120, message: 'Review the use of openExternal' },
    ]);
    expect(() => parseSarif({} as never, (p) => p)).toThrow(/not SARIF/);
  });

  it('fails a finding nobody explained, and an entry that explains nothing', () => {
    const allowlist = [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'sent as a header by the protocol handler' }, { check: 'X', file: 'gone.ts', reason: 'once mattered, no longer' }];
    const outcome = checkFindings([finding('CSP_GLOBAL_CHECK', 'N/A'), finding('NODE_INTEGRATION_JS_CHECK', 'electron/main/main.ts')], allowlist);
    expect(outcome.explained.map((e) => e.finding.check)).toEqual(['CSP_GLOBAL_CHECK']);
    expect(outcome.unexplained.map((f) => `${f.check} ${f.file}`)).toEqual(['NODE_INTEGRATION_JS_CHECK electron/main/main.ts']);
    expect(outcome.stale.map((e) => e.file)).toEqual(['gone.ts']);
  });

  it('does not let an entry for one file explain the same check in another', () => {
    const outcome = checkFindings([finding('OPEN_EXTERNAL_JS_CHECK', 'renderer/src/app.tsx')], [{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/main.ts', reason: 'guarded by the https-only policy' }]);
    expect(outcome.unexplained).toHaveLength(1);
  });

  it('rejects allowlist entries without a reviewable reason', () => {
    expect(() => parseAllowlist({ entries: [{ check: 'A', file: 'b.ts', reason: 'ok' }] }, 'list.json')).toThrow(/entries\[0\].*reason/);
    expect(() => parseAllowlist({ entries: [{ check: 'A', reason: 'a long enough reason here' }] }, 'list.json')).toThrow(/file/);
    expect(() => parseAllowlist([], 'list.json')).toThrow(/entries/);
  });

  it('keeps the reviewed allowlist well-formed', () => {
    const raw = JSON.parse(readFileSync(new URL('../../../security/electronegativity-allowlist.json', import.meta.url), 'utf8'));
    const entries = parseAllowlist(raw, 'security/electronegativity-allowlist.json');
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => `${e.check} ${e.file}`)).size).toBe(entries.length);
  });
});
