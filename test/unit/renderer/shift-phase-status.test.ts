import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../shared/domain';
import { fillTemplate, phaseRows, statusUpdateDueIn, type IncidentProcess } from '../../../renderer/src/features/incident/phase-status';
import { isNoteShortcut } from '../../../renderer/src/features/journal/note-shortcut';

const loc = (s: string) => ({ es: s, en: s });
const process = {
  phases: [
    { id: 'detection', startMinute: 0, endMinute: 5 },
    { id: 'triage', startMinute: 5, endMinute: 15 },
    { id: 'mitigation', startMinute: 15, endMinute: 60 },
    { id: 'resolution', startMinute: 60, endMinute: 240 },
    { id: 'postmortem', startMinute: 1440, endMinute: 2880 },
  ].map((p) => ({ ...p, name: loc(p.id), actions: [], outputs: [] })),
  statusPage: { components: ['API'], statuses: ['operational'], updateEveryMinutes: 15, templates: [] },
} as unknown as IncidentProcess;

const MIN = 60_000;
const incident: Incident = {
  id: 'i1',
  title: 'x',
  severity: 'P1',
  detectedAt: 0,
  declaredAt: 2 * MIN,
  declaredBy: 'ana',
  alertFingerprint: null,
  alertName: null,
  pagingIncidentId: null,
  warRoom: '#incident-2025-11-25-api',
  phase: 'triage',
  phases: [
    { phase: 'detection', at: 0, by: 'ana' },
    { phase: 'triage', at: 4 * MIN, by: 'ana' },
  ],
  roles: {},
  acknowledgedAt: 4 * MIN,
  resolvedAt: null,
  resolvedBy: null,
  statusUpdates: [],
};

describe('incident phase timeline', () => {
  it('highlights the current phase as overdue once its target end passed, and upcoming ones past theirs', () => {
    const at10 = phaseRows(process, incident, 10 * MIN);
    expect(at10.map((r) => [r.id, r.state, r.overdue])).toEqual([
      ['detection', 'done', false],
      ['triage', 'current', false],
      ['mitigation', 'upcoming', false],
      ['resolution', 'upcoming', false],
      ['postmortem', 'upcoming', false],
    ]);
    const at70 = phaseRows(process, incident, 70 * MIN);
    expect(at70.filter((r) => r.overdue).map((r) => r.id)).toEqual(['triage', 'mitigation']);
    const resolved = phaseRows(process, { ...incident, resolvedAt: 70 * MIN, phase: 'postmortem' }, 300 * MIN);
    expect(resolved.some((r) => r.overdue)).toBe(false);
  });

  it('reminds every 15 minutes after the last status update while open', () => {
    expect(statusUpdateDueIn(process, incident, 10 * MIN)).toBe(7);
    expect(statusUpdateDueIn(process, incident, 20 * MIN)).toBe(-3);
    const updated = { ...incident, statusUpdates: [{ component: 'API', status: 'degraded' as const, message: 'm', timestamp: 18 * MIN }] };
    expect(statusUpdateDueIn(process, updated, 20 * MIN)).toBe(13);
    expect(statusUpdateDueIn(process, { ...incident, resolvedAt: 30 * MIN }, 60 * MIN)).toBeNull();
  });

  it('fills the template’s service and duration placeholders, leaving the rest for the author', () => {
    const body = 'Problema que afecta [servicio]. Impacto: [impacto]. Tiempo de inactividad: [duración]';
    expect(fillTemplate(body, { ...incident, resolvedAt: 35 * MIN }, 'API', 40 * MIN)).toBe('Problema que afecta API. Impacto: [impacto]. Tiempo de inactividad: 35 min');
  });
});

describe('note shortcut', () => {
  const key = (k: string, extra: Partial<KeyboardEvent> = {}, target: unknown = document.body) =>
    ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target, ...extra }) as KeyboardEvent;
  it('opens on N outside text fields and on Ctrl/Cmd+Shift+N anywhere', () => {
    const input = document.createElement('input');
    document.body.appendChild(input);
    expect(isNoteShortcut(key('n'))).toBe(true);
    expect(isNoteShortcut(key('n', {}, input))).toBe(false);
    expect(isNoteShortcut(key('N', { ctrlKey: true, shiftKey: true }, input))).toBe(true);
    expect(isNoteShortcut(key('N', { metaKey: true, shiftKey: true }))).toBe(true);
    expect(isNoteShortcut(key('n', { ctrlKey: true }))).toBe(false);
  });
});
