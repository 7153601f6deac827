import { pagerDutyConfig } from '../helpers/pagerduty-config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardia, type Guardia } from '../../electron/core/compose.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import type { SecretStore } from '../../electron/core/ports.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/index.js';

/** A configuration with a `pagerduty` connection gets the real client: the fake sees its requests. */
let fake: FakePagerDuty;
let guardia: Guardia;

const keychain: SecretStore = {
  get: async (name) => {
    if (name !== 'pagerduty-prod') throw new Error(`no keychain entry ${name}`);
    return 'test-token';
  },
  set: async () => {},
  delete: async () => {},
  list: async () => ['pagerduty-prod'],
};

beforeAll(async () => {
  fake = await startFakePagerDuty();
  const { dir, file } = await pagerDutyConfig(fake.url, 'guardia-pd-config-');
  guardia = await createGuardia({ configFile: file, alertmanagers: [] }, { logger: silentLogger, secrets: keychain, env: { GUARDIA_HOME: dir } });
});
afterAll(async () => {
  await guardia?.close();
  await fake?.close();
});

describe('PagerDuty from the configuration', () => {
  it('lists, acknowledges and reads on-call through the configured PagerDuty, with the keychain token', async () => {
    const incident = fake.triggerIncident({ title: '[FIRING:1] APIDown' });
    const list = await guardia.core.invoke('paging.listIncidents', { scope: 'mine' });
    expect(list.ok && (list.value as { incidents: Array<{ id: string }> }).incidents.map((i) => i.id)).toEqual([incident.id]);
    const ack = await guardia.core.invoke('paging.acknowledge', { ids: [incident.id], confirm: true });
    expect(ack.ok).toBe(true);
    expect(fake.incidents.get(incident.id)!.status).toBe('acknowledged');
    expect(fake.requests.find((r) => r.method === 'PUT')!.headers.from).toBe('juan.perez@tiendi.pe');
    const oncall = await guardia.core.invoke('paging.getOnCall', {});
    expect(oncall.ok && (oncall.value as { me: { name: string } }).me.name).toBe('Juan Pérez');
    expect(fake.requests.every((r) => r.status < 400)).toBe(true);
  });
});
