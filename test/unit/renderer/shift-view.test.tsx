import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../shared/domain';
import { GuardiaApp } from '../../../renderer/src/app';
import { createGuardiaStore } from '../../../renderer/src/store/store';
import { createFakeApi, defaultHandlers, fixtureJournal, fixtureNow } from './fake-api';

const MIN = 60_000;
const loc = (s: string) => ({ es: s, en: s });
const process = {
  classification: { P1: loc('war room'), P2: loc('team'), P3: loc('ticket'), P4: loc('backlog') },
  phases: (
    [
      ['detection', 0, 5],
      ['triage', 5, 15],
      ['mitigation', 15, 60],
      ['resolution', 60, 240],
      ['postmortem', 1440, 2880],
    ] as const
  ).map(([id, startMinute, endMinute]) => ({ id, name: loc(`Phase ${id}`), startMinute, endMinute, actions: [], outputs: [] })),
  warRoom: {
    channelFormat: '#incident-{date}-{slug}',
    example: '#incident-2025-11-25-api-down',
    requiredFor: ['P1'],
    roles: (['incident-commander', 'technical-lead', 'communications-lead', 'scribe'] as const).map((id) => ({ id, name: loc(id), responsibility: loc('r'), person: loc('p') })),
  },
  statusPage: {
    components: ['API', 'Web', 'Payments'],
    statuses: ['operational', 'degraded', 'partial_outage', 'major_outage'],
    updateEveryMinutes: 15,
    templates: [
      { id: 'start', title: loc('Start'), body: { es: 'Afecta [servicio].', en: 'Affecting [service].' } },
      { id: 'update', title: loc('Update'), body: loc('Update') },
      { id: 'resolved', title: loc('Resolved'), body: loc('Resolved after [duration]') },
    ],
  },
  escalation: { afterMinutes: 15, contacts: [{ role: 'CTO', name: 'María García', phone: '+51 987 654 321', email: 'maria.garcia@tiendi.pe' }] },
};
const incident: Incident = {
  id: 'i1',
  title: 'API <b>down</b>',
  severity: 'P1',
  detectedAt: fixtureNow - 20 * MIN,
  declaredAt: fixtureNow - 18 * MIN,
  declaredBy: 'ana',
  alertFingerprint: 'a1',
  alertName: 'APIDown',
  pagingIncidentId: null,
  warRoom: '#incident-2025-03-14-api-down',
  phase: 'triage',
  phases: [],
  roles: { 'incident-commander': 'Juan Pérez' },
  acknowledgedAt: fixtureNow - 17 * MIN,
  resolvedAt: null,
  resolvedBy: null,
  statusUpdates: [],
};

function mount() {
  const posted: unknown[] = [];
  const api = createFakeApi({
    ...defaultHandlers(),
    'journal.list': () => ({ ok: true, value: { entries: fixtureJournal(), damage: [{ file: 'shift-2025-03-10.jsonl', line: 9, reason: 'incomplete last line (the process stopped while writing it)' }] } }),
    'incidents.getProcess': () => ({ ok: true, value: process }),
    'incidents.list': () => ({ ok: true, value: { incidents: [incident] } }),
    'statuspage.postUpdate': (req) => {
      posted.push(req);
      return { ok: true, value: { update: { ...req, timestamp: fixtureNow }, delivered: false, via: 'clipboard', journalId: 'j1' } };
    },
  } as ReturnType<typeof defaultHandlers>);
  const store = createGuardiaStore({ lang: 'en', startedAt: fixtureNow });
  render(<GuardiaApp api={api} store={store} />);
  return { api, posted };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(fixtureNow);
  Object.assign(navigator, { clipboard: { writeText: vi.fn(async () => {}) } });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Shift view: journal damage, incident timeline, status composer', () => {
  it('says when the journal has a torn line', async () => {
    mount();
    fireEvent.click(screen.getByTestId('nav-shift'));
    expect((await screen.findByTestId('journal-damage')).textContent).toContain('line 9: incomplete last line');
  });

  it('shows the incident with overdue phases, escalation contacts and a due status update; posting copies it', async () => {
    const { posted } = mount();
    fireEvent.click(screen.getByTestId('nav-shift'));
    fireEvent.click(screen.getByTestId('shift-tab-incident'));
    await screen.findByTestId('incident-head');
    expect(screen.getByText('API <b>down</b>')).toBeTruthy(); // text, never markup
    expect(screen.getByTestId('war-room').textContent).toBe('#incident-2025-03-14-api-down');
    expect(screen.getByTestId('phase-triage').className).toContain('phase-overdue');
    expect(screen.getByTestId('phase-mitigation').className).not.toContain('phase-overdue');
    expect(screen.getByTestId('escalation').textContent).toContain('María García');
    expect(screen.getByTestId('status-reminder').textContent).toMatch(/due/);
    expect((screen.getByTestId('status-message') as HTMLTextAreaElement).value).toBe('Affecting API.');
    fireEvent.click(screen.getByTestId('status-post'));
    await waitFor(() => expect(screen.getByTestId('status-result').textContent).toMatch(/copied to the clipboard/));
    expect(posted).toEqual([expect.objectContaining({ incidentId: 'i1', component: 'API', status: 'major_outage', message: 'Affecting API.' })]);
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(expect.stringContaining('Affecting API.'));
  });

  it('opens the note dialog with N from any view and saves to the journal', async () => {
    const { api } = mount();
    await screen.findAllByTestId('alert-item');
    fireEvent.keyDown(window, { key: 'n' });
    fireEvent.change(screen.getByTestId('note-dialog-input'), { target: { value: 'Paged DBA' } });
    fireEvent.click(screen.getByTestId('note-dialog-save'));
    await waitFor(() => expect(screen.queryByTestId('note-dialog')).toBeNull());
    expect(api.calls.filter((c) => c.channel === 'journal.addNote').map((c) => c.req)).toEqual([{ text: 'Paged DBA' }]);
  });
});
