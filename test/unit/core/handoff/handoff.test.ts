import { describe, expect, it } from 'vitest';
import { shiftCore } from './shift-harness.js';

describe('handoff summary of a scripted shift on the demo', () => {
  it('contains exactly the incidents, actions and still-firing alerts that happened', async () => {
    const { demo, core, call } = await shiftCore();
    const shiftStart = demo.goTo(-1);
    await core.refreshOnce(); // quiet: no alert yet, first SLO snapshot
    demo.goTo(8);
    await core.refreshOnce(); // the incident: alerts fire and are journaled
    const { alerts } = await call<{ alerts: Array<{ fingerprint: string; name: string }> }>('alerts.list');
    const apiDown = alerts.find((a) => a.name === 'HighErrorRate') ?? alerts[0]!;
    const incident = await call('incidents.declare', { title: 'API errors after deploy', severity: 'P1', alertFingerprint: apiDown.fingerprint });
    await call('incidents.setPhase', { incidentId: incident.id, phase: 'triage' });
    await call('incidents.assignRole', { incidentId: incident.id, role: 'incident-commander', person: 'Ana Torres' });
    demo.goTo(12);
    await call('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'tiendi-api' });
    await call('statuspage.postUpdate', { incidentId: incident.id, component: 'API', status: 'major_outage', message: 'Investigando' });
    demo.goTo(25);
    await core.refreshOnce(); // recovered: alerts resolve
    await call('incidents.resolve', { incidentId: incident.id });
    await call('journal.addNote', { text: 'TODO: revisar el tamaño del pool' });
    await call('journal.addNote', { text: 'Rollback effective <b>fast</b>' });
    demo.goTo(70); // the next hourly cycle: a new bad deploy is firing again, nobody has acted yet
    await core.refreshOnce();
    const firingNow = await demo.alertNames();
    expect(firingNow.length).toBeGreaterThan(0);

    const json = JSON.parse((await call('handoff.getSummary', { format: 'json', lang: 'en' })).content);
    expect(json.from).toBeLessThanOrEqual(shiftStart);
    expect(json.incidents).toHaveLength(1);
    expect(json.incidents[0]).toMatchObject({ title: 'API errors after deploy', severity: 'P1', resolvedBy: 'ana' });
    expect(json.incidents[0].durationMinutes).toBeGreaterThan(10);
    expect(json.actions).toEqual([expect.objectContaining({ what: 'api-down/rollback', target: 'tiendi-api', outcome: 'ok', actor: 'ana' })]);
    expect(json.stillFiring.map((a: { name: string }) => a.name).sort()).toEqual(firingNow);
    expect(json.statusUpdates).toEqual([expect.objectContaining({ component: 'API', status: 'major_outage', delivered: false })]);
    expect(json.followUps.map((f: { text: string }) => f.text)).toEqual(['TODO: revisar el tamaño del pool']);
    expect(json.slo.length).toBeGreaterThan(0);

    const md = (await call('handoff.getSummary', { format: 'md', lang: 'es' })).content as string;
    expect(md).toContain('*Incidentes*');
    expect(md).toContain('API errors after deploy');
    expect(md).toContain('api-down/rollback → tiendi-api');
    for (const name of firingNow) expect(md).toContain(name);
    expect(md).toContain('Rollback effective <b>fast</b>'); // Slack shows pasted text as text
    expect(md).toContain('API major_outage'); // no backslashes that Slack would show

    const html = (await call('handoff.getSummary', { format: 'html', lang: 'en' })).content as string;
    expect(html).toContain('<svg');
    expect(html).toContain('Rollback effective &lt;b&gt;fast&lt;/b&gt;');
    expect(html).not.toContain('<b>fast');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('a range in the past reads still-firing alerts from the journal, not from now', async () => {
    const { demo, core, call } = await shiftCore();
    demo.goTo(-1);
    await core.refreshOnce();
    const at8 = demo.goTo(8);
    await core.refreshOnce();
    const firingAt8 = await demo.alertNames();
    demo.goTo(40);
    await core.refreshOnce();
    const past = JSON.parse((await call('handoff.getSummary', { format: 'json', to: at8 + 1000 })).content);
    expect(past.stillFiring.map((a: { name: string }) => a.name).sort()).toEqual(firingAt8);
    expect(past.incidents).toEqual([]);
    expect(past.actions).toEqual([]);
  });
});

describe('handoff: silences', () => {
  it('lists the active silences that expire from now until the end of the next shift, soonest first', async () => {
    const pack = (await shiftCore()).pack;
    const { shiftWindowAt, nextShiftWindow } = await import('../../../../electron/core/journal/shift-window.js');
    const probe = await shiftCore();
    const now = probe.demo.goTo(0);
    const next = nextShiftWindow(pack.rotation, now);
    const silence = (id: string, endsAt: number, state: 'active' | 'expired' = 'active') => ({
      id,
      matchers: [{ name: 'alertname', value: 'HighLatency', isRegex: false, isEqual: true }],
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      updatedAt: new Date(now).toISOString(),
      createdBy: 'carlos',
      comment: 'known slow search',
      status: { state },
    });
    const source = {
      name: 'am-test',
      listAlerts: async () => [],
      listSilences: async () => [
        silence('in-next', next.start + 3_600_000),
        silence('this-shift', shiftWindowAt(pack.rotation, now).end - 60_000),
        silence('later', next.end + 3_600_000),
        silence('old', next.start + 60_000, 'expired'),
      ],
    };
    const h = await shiftCore({ alertSources: [source] });
    h.demo.goTo(0);
    const json = JSON.parse((await h.call('handoff.getSummary', { format: 'json' })).content);
    expect(json.silencesExpiring.map((s: { id: string }) => s.id)).toEqual(['this-shift', 'in-next']);
    expect(json.silencesExpiring[1].matchers).toBe('alertname="HighLatency"');
  });
});
