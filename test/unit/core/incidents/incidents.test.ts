import { describe, expect, it } from 'vitest';
import { overduePhases } from '../../../../electron/core/incidents/incident-log.js';
import { checkBlameless } from '../../../../electron/core/incidents/postmortem.js';
import { MIN } from '../demo/demo-harness.js';
import { shiftCore } from '../handoff/shift-harness.js';

async function declared() {
  const h = await shiftCore();
  h.demo.goTo(8);
  await h.core.refreshOnce();
  const { alerts } = await h.call('alerts.list');
  const alert = alerts.find((a: { name: string }) => a.name === 'HighErrorRate') ?? alerts[0];
  const incident = await h.call('incidents.declare', { title: 'Errores en la API', severity: 'P1', alertFingerprint: alert.fingerprint });
  return { ...h, alert, incident };
}

describe('incident workflow (runbook 6)', () => {
  it('declares from an alert with the war-room name, phases from the alert’s start, all read back from the journal', async () => {
    const { incident, alert, call, journal } = await declared();
    expect(incident.warRoom).toMatch(/^#incident-2025-11-25-[a-z0-9-]+$/);
    expect(incident).toMatchObject({ severity: 'P1', alertName: alert.name, phase: 'detection', detectedAt: alert.startsAt });
    await call('incidents.setPhase', { incidentId: incident.id, phase: 'triage' });
    await call('incidents.assignRole', { incidentId: incident.id, role: 'scribe', person: 'Luis' });
    const [again] = (await call('incidents.list')).incidents;
    expect(again).toMatchObject({ id: incident.id, phase: 'triage', roles: { scribe: 'Luis' } });
    expect(again.acknowledgedAt).not.toBeNull();
    const kinds = (await journal.readAll()).entries.map((e) => e.kind).filter((k) => k.startsWith('incident.'));
    expect(kinds).toEqual(['incident.declared', 'incident.phase', 'incident.role']);
  });

  it('declares from a PagerDuty incident: its creation is the detection and its acknowledgement (journaled by paging) the incident’s', async () => {
    const h = await shiftCore();
    const now = h.demo.goTo(8);
    const incident = await h.call('incidents.declare', { title: 'PD #42 API down', severity: 'P1', pagingIncident: { id: 'PD42', createdAt: now - 3 * MIN } });
    expect(incident).toMatchObject({ pagingIncidentId: 'PD42', detectedAt: now - 3 * MIN, acknowledgedAt: null });
    await h.journal.append({ actor: 'ana', environment: 'demo', source: 'paging:pagerduty', kind: 'action.finished', summary: 'acknowledge: done', data: { verb: 'acknowledge', incidents: ['PD42'], outcome: 'ok' } });
    const [again] = (await h.call('incidents.list')).incidents;
    expect(again.acknowledgedAt).not.toBeNull();
  });

  it('marks a phase overdue once its time target has passed, and none after resolution', async () => {
    const { incident, pack, call } = await declared();
    expect(overduePhases(pack, incident, incident.detectedAt + 4 * MIN)).toEqual([]);
    expect(overduePhases(pack, incident, incident.detectedAt + 6 * MIN)).toEqual(['detection']);
    expect(overduePhases(pack, incident, incident.detectedAt + 16 * MIN)).toEqual(['detection', 'triage']);
    const resolved = await call('incidents.resolve', { incidentId: incident.id });
    expect(overduePhases(pack, resolved, resolved.detectedAt + 300 * MIN)).toEqual([]);
    const r = await (await declared()).core.invoke('incidents.resolve', { incidentId: 'nope' });
    expect(r).toMatchObject({ ok: false, error: { code: 'incidents.not-found' } });
  });

  it('status updates are journaled; without a connector the answer says to copy, with one it is posted', async () => {
    const { incident, call } = await declared();
    const copied = await call('statuspage.postUpdate', { incidentId: incident.id, component: 'API', status: 'major_outage', message: 'Investigando' });
    expect(copied).toMatchObject({ delivered: false, via: 'clipboard', update: { component: 'API', status: 'major_outage' } });
    expect((await call('incidents.list')).incidents[0].statusUpdates).toHaveLength(1);

    const posted: unknown[] = [];
    const h = await shiftCore({ statusPage: { name: 'statuspage-fake', postUpdate: async (u) => (posted.push(u), 'sp-1') } });
    const r = await h.call('statuspage.postUpdate', { component: 'Payments', status: 'degraded', message: 'Pagos lentos' });
    expect(r).toMatchObject({ delivered: true, via: 'statuspage-fake' });
    expect(posted).toEqual([expect.objectContaining({ component: 'Payments', status: 'degraded', message: 'Pagos lentos' })]);
    const bad = await h.core.invoke('statuspage.postUpdate', { component: 'Nope', status: 'degraded', message: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'statuspage.unknown-component' } });
  });

  it('drafts a post-mortem in the pack’s template from the incident’s journal', async () => {
    const { incident, demo, call, core } = await declared();
    demo.goTo(12);
    await call('playbooks.act', { playbookId: 'api-down', actionId: 'rollback', confirm: 'tiendi-api' });
    demo.goTo(25);
    await core.refreshOnce();
    await call('incidents.resolve', { incidentId: incident.id });
    const { markdown, findings } = await call('incidents.draftPostmortem', { incidentId: incident.id, lang: 'es' });
    for (const heading of ['## Resumen Ejecutivo', '## Timeline', '## Impacto', '## Detección', '## Respuesta', '## Lessons Learned', '## Action Items']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toMatch(/\| \d\d:\d\d \| .*rollback|\| \d\d:\d\d \| Started: kubectl rollout undo/);
    expect(markdown).toMatch(/\*\*Duración\*\*: \d+ minutos/);
    expect(markdown).toMatch(/\*\*Requests Fallidas\*\*: ~[\d,]+/);
    expect(markdown).toContain(incident.warRoom);
    // snapshots at declaration and resolution: the budget the incident consumed
    const budget = /Error budget de api-availability: ([\d.]+)% → ([\d.]+)% restante/.exec(markdown);
    expect(budget).not.toBeNull();
    expect(Number(budget![1])).toBeGreaterThan(Number(budget![2]));
    expect(findings).toEqual([]);
  });
});

describe('blameless-language check (runbook 10.2)', () => {
  it('flags the pack’s phrases in Spanish and English, with names in place of X, and suggests the preferred form', async () => {
    const { pack } = await shiftCore();
    const text = ['Todo bien al inicio.', 'El desarrollador Pedro causó el incidente.', 'In short, it was HUMAN ERROR.', 'Fue error humano'].join('\n');
    const findings = checkBlameless(pack, text);
    expect(findings.map((f) => [f.line, f.suggestion])).toEqual([
      [2, 'El sistema no tenía protección contra...'],
      [3, 'The system failed because...'],
      [4, 'El sistema falló porque...'],
    ]);
    expect(findings[0]!.phrase).toBe('El desarrollador Pedro causó el incidente');
    expect(checkBlameless(pack, 'El sistema no tenía protección contra picos de tráfico.')).toEqual([]);
  });
});
