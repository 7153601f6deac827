import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { myNextShiftStart, roleOf, shiftAt, zonedToEpoch } from '../../../../electron/core/shift/rotation.js';
import { ShiftService } from '../../../../electron/core/shift/shift-service.js';

const pack = await loadPack(defaultPackDir());
const rotation = pack.rotation;
const lima = (date: string, time: string) => zonedToEpoch(date, time, 'America/Lima');

describe('on-call rotation from the pack', () => {
  it('starts weeks at the handoff: Monday 09:00 Lima (14:00 UTC)', () => {
    expect(new Date(lima('2025-11-24', '09:00')).toISOString()).toBe('2025-11-24T14:00:00.000Z');
    const first = shiftAt(rotation, lima('2025-11-26', '12:00'));
    expect(first).toMatchObject({ primary: 'Juan Pérez', secondary: 'María García', backup: 'Carlos López' });
    expect(new Date(first.start).toISOString()).toBe('2025-11-24T14:00:00.000Z');
    expect(new Date(first.end).toISOString()).toBe('2025-12-01T14:00:00.000Z');
  });

  it('hands off exactly at 09:00 Lima', () => {
    expect(shiftAt(rotation, lima('2025-12-01', '08:59')).primary).toBe('Juan Pérez');
    expect(shiftAt(rotation, lima('2025-12-01', '09:00')).primary).toBe('María García');
  });

  it('repeats the three listed weeks cyclically after the runbook dates', () => {
    // 2026-11-30 is 53 weeks after 2025-11-24: 53 mod 3 = 2, Carlos López's row.
    expect(shiftAt(rotation, lima('2026-11-30', '10:00')).primary).toBe('Carlos López');
    expect(shiftAt(rotation, lima('2026-11-30', '08:00')).primary).toBe('María García');
    expect(shiftAt(rotation, lima('2026-12-08', '10:00')).primary).toBe('Juan Pérez');
  });

  it('knows my role and my next shift', () => {
    const now = lima('2025-11-26', '12:00');
    expect(roleOf(shiftAt(rotation, now), 'maría garcía')).toBe('secondary');
    expect(new Date(myNextShiftStart(rotation, now, 'Ana Torres')!).toISOString()).toBe('2025-12-01T14:00:00.000Z');
    expect(myNextShiftStart(rotation, now, 'Nobody')).toBeNull();
  });

  it('on call means primary or secondary; unknown me is null', () => {
    const now = lima('2025-11-26', '12:00');
    expect(new ShiftService(rotation, 'Juan Pérez').onCall(now)).toBe(true);
    expect(new ShiftService(rotation, 'Carlos López').onCall(now)).toBe(false);
    expect(new ShiftService(rotation, null).onCall(now)).toBeNull();
    const info = new ShiftService(rotation, 'Juan Pérez').info(now);
    expect(info).toMatchObject({ source: 'pack', myRole: 'primary', extendedFrom: '2025-11-25', timezone: 'America/Lima' });
    expect(info.next?.primary).toBe('María García');
  });

  it('prefers PagerDuty on-calls when connected', async () => {
    const now = lima('2025-11-26', '12:00');
    const ref = (id: string, name: string) => ({ id, name });
    const svc = new ShiftService(rotation, null, {
      me: async () => ({ name: 'Lucía Ramos' }),
      onCalls: async () => [
        { user: ref('U1', 'Lucía Ramos'), level: 1, escalationPolicy: ref('E', 'Tiendi'), schedule: ref('S', 'Primary'), start: now - 1000, end: now + 1000 },
        { user: ref('U2', 'Pedro Ruiz'), level: 2, escalationPolicy: ref('E', 'Tiendi'), schedule: ref('S2', 'Secondary'), start: now - 1000, end: now + 1000 },
      ],
    });
    await svc.refresh(now);
    expect(svc.info(now)).toMatchObject({ source: 'pagerduty', me: 'Lucía Ramos', myRole: 'primary', current: { primary: 'Lucía Ramos', secondary: 'Pedro Ruiz', end: now + 1000 } });
  });
});
