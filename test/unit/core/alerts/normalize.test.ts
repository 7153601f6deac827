import { describe, expect, it } from 'vitest';
import { diffAlerts, mergeByFingerprint, normalizeAlert, safeLink } from '../../../../electron/core/alerts/normalize.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import type { GettableAlert } from '../../../../electron/core/ports.js';

const raw = (labels: Record<string, string>, annotations: Record<string, string> = {}, fp = 'abc'): GettableAlert => ({
  fingerprint: fp,
  labels,
  annotations,
  startsAt: '2026-11-30T10:00:00Z',
  endsAt: '2026-11-30T10:05:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  receivers: [{ name: 'pagerduty-critical' }],
});

describe('alert normalisation', async () => {
  const pack = await loadPack(defaultPackDir());

  it('maps the runbook severities: critical → P1, warning → P2, unknown → default', () => {
    expect(normalizeAlert(pack, raw({ alertname: 'APIDown', severity: 'critical' }), 'am').severity).toBe('P1');
    expect(normalizeAlert(pack, raw({ alertname: 'HighLatency', severity: 'warning' }), 'am').severity).toBe('P2');
    expect(normalizeAlert(pack, raw({ alertname: 'Odd', severity: 'weird' }), 'am').severity).toBe(pack.alerting.defaultSeverity);
  });

  it('links the pack playbook and only https runbook URLs', () => {
    const a = normalizeAlert(pack, raw({ alertname: 'APIDown', severity: 'critical' }, { runbook: 'https://runbook.tiendi.pe/api-down' }), 'am');
    expect(a.runbookUrl).toBe('https://runbook.tiendi.pe/api-down');
    expect(a.playbookId).toBe('api-down');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>', 'http://runbook.tiendi.pe', 'https://user:pw@x.pe', 'not a url']) {
      expect(safeLink(bad)).toBeNull();
    }
  });

  it('merges an HA pair by fingerprint and diffs firing/resolved', () => {
    const one = normalizeAlert(pack, raw({ alertname: 'APIDown', severity: 'critical' }, {}, 'f1'), 'am-a');
    const same = normalizeAlert(pack, raw({ alertname: 'APIDown', severity: 'critical' }, {}, 'f1'), 'am-b');
    const other = normalizeAlert(pack, raw({ alertname: 'HighLatency', severity: 'warning' }, {}, 'f2'), 'am-b');
    const merged = mergeByFingerprint([[one], [same, other]]);
    expect(merged.map((a) => a.fingerprint)).toEqual(['f1', 'f2']);
    expect(merged[0]!.sources).toEqual(['am-a', 'am-b']);
    const diff = diffAlerts(new Map([['f1', one]]), [other]);
    expect(diff.firing.map((a) => a.fingerprint)).toEqual(['f2']);
    expect(diff.resolved.map((a) => [a.fingerprint, a.state])).toEqual([['f1', 'resolved']]);
  });
});
