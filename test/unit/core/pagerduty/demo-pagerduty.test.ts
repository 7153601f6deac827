import { describe, expect, it } from 'vitest';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { DemoPagerDuty } from '../../../../electron/core/demo/demo-pagerduty.js';
import { createDemoEnvironment } from '../../../../electron/core/demo/index.js';

const pack = await loadPack(defaultPackDir());
const open = { scope: 'all' as const, statuses: ['triggered' as const, 'acknowledged' as const], urgencies: [], serviceIds: [], max: 100 };

/** The demo on a manual clock: `at(minutes)` moves sim time to that many minutes after start. */
function demo() {
  let real = Date.UTC(2026, 10, 30, 15, 0); // Monday 30 Nov 2026, 10:00 in Lima
  const env = createDemoEnvironment({ realNow: () => real, startAt: real });
  const start = real;
  const pd = new DemoPagerDuty(pack, env.alerts, env.clock.now);
  return { pd, at: (minutes: number) => (real = start + minutes * 60_000), start };
}

describe('demo PagerDuty', () => {
  it('pages the rotation primary when HighErrorRate fires, and resolves when the alert ends', async () => {
    const { pd, at } = demo();
    at(0);
    expect((await pd.listIncidents(open)).incidents).toEqual([]);
    at(15);
    const { incidents } = await pd.listIncidents(open);
    const her = incidents.find((i) => i.title.includes('HighErrorRate'));
    expect(her).toBeDefined();
    const me = await pd.me();
    expect(her!.assignees).toEqual([{ id: me.id, name: me.name }]);
    expect(her!.service.name).toBe('Tiendi API');
    // Nobody acts: a colleague rolls back at 37 min; by 60 min the alerts and incidents are resolved.
    at(60);
    expect((await pd.listIncidents(open)).incidents).toEqual([]);
    const timeline = await pd.timeline(her!.id);
    expect(timeline.at(-1)).toMatchObject({ kind: 'resolve', agent: 'Alertmanager' });
  });

  it('puts the shift change on the handoff: Monday 09:00 Lima, a week long, cycling the pack rows', async () => {
    const { pd, start } = demo();
    const spans = await pd.onCalls({ since: start, until: start + 8 * 24 * 3600_000 });
    const primaries = spans.filter((s) => s.level === 1);
    expect(new Date(primaries[0]!.start!).toISOString()).toBe('2026-11-30T14:00:00.000Z');
    expect(primaries[0]!.end! - primaries[0]!.start!).toBe(7 * 24 * 3600_000);
    const names = pack.rotation.shifts.map((s) => s.primary);
    expect(names).toContain(primaries[0]!.user.name);
    expect(primaries[1]!.user.name).toBe(names[(names.indexOf(primaries[0]!.user.name) + 1) % names.length]);
  });

  it('counts a second acknowledge and a resolve of a resolved incident as already done', async () => {
    const { pd, at } = demo();
    at(15);
    const [incident] = (await pd.listIncidents(open)).incidents;
    expect((await pd.acknowledge([incident!.id]))[0]!.outcome).toBe('done');
    expect((await pd.acknowledge([incident!.id]))[0]!.outcome).toBe('already');
    expect((await pd.resolve([incident!.id]))[0]!.outcome).toBe('done');
    expect((await pd.resolve([incident!.id]))[0]!.outcome).toBe('already');
  });
});
