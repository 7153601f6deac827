import { describe, expect, it } from 'vitest';
import { groupAlerts, sortAlerts } from '../../../../renderer/src/features/alerts/alerts-selectors';
import { initialMatcherRows, matchersOf } from '../../../../renderer/src/features/alerts/silence-form';
import { budgetTimeText, burnCellView } from '../../../../renderer/src/features/overview/slo-burn-selectors';
import { getFormatters } from '../../../../renderer/src/i18n/format';
import type { Alert, SloStatus } from '../../../../shared/domain';

function alert(n: number, name: string, severity: Alert['severity'], silenced = false): Alert {
  return {
    fingerprint: `f${n}`,
    name,
    state: 'firing',
    severity,
    labels: { alertname: name, instance: `node-${n}`, severity: 'warning', team: 'infra' },
    annotations: {},
    summary: name,
    startsAt: 1_000 + n,
    endsAt: null,
    silenced,
    inhibited: false,
    runbookUrl: null,
    playbookId: null,
    sources: ['am'],
  };
}

describe('alerts grouped by alertname', () => {
  const alerts = [alert(1, 'HighCPUUsage', 'P2'), alert(2, 'APIDown', 'P1'), alert(3, 'HighCPUUsage', 'P2', true)];

  it('puts each group header before its alerts, groups in sort order, with counts and silenced counts', () => {
    const items = groupAlerts(sortAlerts(alerts, 'severity'), new Set());
    expect(items.map((i) => (i.kind === 'group' ? `# ${i.name} ${i.count}/${i.silenced}` : i.alert.fingerprint))).toEqual([
      '# APIDown 1/0',
      'f2',
      '# HighCPUUsage 2/1',
      'f3', // newest first within the group, as the sort says
      'f1',
    ]);
  });

  it('a collapsed group shows only its header', () => {
    const items = groupAlerts(sortAlerts(alerts, 'severity'), new Set(['HighCPUUsage']));
    expect(items.map((i) => (i.kind === 'group' ? `# ${i.name}` : i.alert.fingerprint))).toEqual(['# APIDown', 'f2', '# HighCPUUsage']);
  });

  it('groups an alert storm of 10,000 into one row per alert plus one per name', () => {
    const storm = Array.from({ length: 10_000 }, (_, i) => alert(i, `Alert${i % 8}`, 'P2'));
    expect(groupAlerts(storm, new Set())).toHaveLength(10_008);
  });
});

describe('silence form from an alert', () => {
  it('checks alertname and instance by default, leaves severity and team unchecked', () => {
    const rows = initialMatcherRows(alert(7, 'HighCPUUsage', 'P2'));
    expect(rows.map((r) => `${r.name}:${r.include}`)).toEqual(['alertname:true', 'instance:true', 'severity:false', 'team:false']);
    expect(matchersOf(rows)).toEqual([
      { name: 'alertname', value: 'HighCPUUsage', isRegex: false, isEqual: true },
      { name: 'instance', value: 'node-7', isRegex: false, isEqual: true },
    ]);
  });
});

describe('SLO burn cell and budget as time', () => {
  const fmt = getFormatters('en', ['en-US']);
  const slo = {
    errorBudget: { allowedMinutes: 43.2, consumedMinutes: 64.8, remainingPercent: -50, remainingMinutes: -21.6 },
    burn: {
      state: 'critical',
      budgetRatio: 0.001,
      windows: [{ window: '1h', errorRatio: 0.02, burnRate: 20, events: 1000 }],
      conditions: [],
      exhaustsInMinutes: 0,
    },
  } as unknown as SloStatus;

  it('says critical with the 1h burn rate', () => {
    expect(burnCellView(slo.burn, 'en', fmt)).toMatchObject({ state: 'critical', tone: 'bad', text: 'Critical', rate: '20×' });
  });
  it('shows the −50% case as minutes over budget', () => {
    expect(budgetTimeText(slo, 'en', fmt)).toBe('22 min over budget');
  });
});
