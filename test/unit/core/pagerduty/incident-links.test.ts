import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/domain.js';
import { linkedAlerts } from '../../../../electron/core/pagerduty/incident-links.js';
import type { PagingIncidentData } from '../../../../electron/core/ports.js';

const mapping = { dedupKeyLabel: 'dedup_key', services: [{ service: 'Tiendi API', alerts: ['HighErrorRate', 'APIDown'] }] };

function alert(name: string, fingerprint: string, labels: Record<string, string> = {}): Alert {
  return {
    fingerprint, name, state: 'firing', severity: 'P1', labels: { alertname: name, ...labels }, annotations: {}, summary: '',
    startsAt: 0, endsAt: null, silenced: false, inhibited: false, runbookUrl: null, playbookId: null, sources: ['am'],
  };
}

function incident(over: Partial<PagingIncidentData>): PagingIncidentData {
  return {
    id: 'P1', number: 1, title: 'something', status: 'triggered', urgency: 'high', service: { id: 'PSVC', name: 'Tiendi API' },
    escalationPolicy: null, assignees: [], createdAt: 0, updatedAt: 0, incidentKey: null, htmlUrl: null, ...over,
  };
}

describe('alert ↔ PagerDuty incident links', () => {
  const alerts = [alert('HighErrorRate', 'f1'), alert('APIDown', 'f2', { dedup_key: 'api-down-prod' }), alert('HighErrorRateX', 'f3')];

  it('links by the dedup key label, then by fingerprint', () => {
    expect(linkedAlerts(incident({ incidentKey: 'api-down-prod' }), alerts, mapping)).toEqual(['f2']);
    expect(linkedAlerts(incident({ incidentKey: 'f1' }), alerts, mapping)).toEqual(['f1']);
  });

  it('links by the alert name in the title only on the mapped service, as a whole word', () => {
    expect(linkedAlerts(incident({ title: '[FIRING:1] HighErrorRate (critical)' }), alerts, mapping)).toEqual(['f1']);
    expect(linkedAlerts(incident({ title: '[FIRING:1] HighErrorRate', service: { id: 'X', name: 'Payments' } }), alerts, mapping)).toEqual([]);
  });

  it('links nothing for an unrelated incident or a resolved alert', () => {
    expect(linkedAlerts(incident({ title: 'Disk full on build agent' }), alerts, mapping)).toEqual([]);
    expect(linkedAlerts(incident({ incidentKey: 'f1' }), [{ ...alerts[0]!, state: 'resolved' }], mapping)).toEqual([]);
  });
});
