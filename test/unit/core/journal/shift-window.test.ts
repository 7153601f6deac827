import { describe, expect, it } from 'vitest';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { nextShiftWindow, shiftWindowAt } from '../../../../electron/core/journal/shift-window.js';

const pack = await loadPack(defaultPackDir());
const lima = (iso: string) => Date.parse(`${iso}-05:00`);

describe('shift windows from the rotation (Monday 09:00 America/Lima, weekly)', () => {
  it('a shift runs from Monday 09:00 Lima to the next Monday 09:00, with the runbook’s people', () => {
    const w = shiftWindowAt(pack.rotation, lima('2025-11-26T14:35'));
    expect(new Date(w.start).toISOString()).toBe('2025-11-24T14:00:00.000Z');
    expect(new Date(w.end).toISOString()).toBe('2025-12-01T14:00:00.000Z');
    expect(w.key).toBe('2025-11-24');
    expect(w).toMatchObject({ primary: 'Juan Pérez', secondary: 'María García', backup: 'Carlos López' });
  });

  it('Monday 08:59 Lima still belongs to the previous shift; 09:00 starts the next', () => {
    expect(shiftWindowAt(pack.rotation, lima('2025-12-01T08:59')).key).toBe('2025-11-24');
    expect(shiftWindowAt(pack.rotation, lima('2025-12-01T09:00')).key).toBe('2025-12-01');
    // 03:00 UTC Monday is still Sunday evening in Lima
    expect(shiftWindowAt(pack.rotation, Date.parse('2025-12-01T03:00:00Z')).key).toBe('2025-11-24');
  });

  it('repeats the three-week table cyclically after (and before) it', () => {
    const names = (iso: string) => shiftWindowAt(pack.rotation, lima(iso)).primary;
    expect(names('2025-12-03T10:00')).toBe('María García');
    expect(names('2025-12-10T10:00')).toBe('Carlos López');
    expect(names('2025-12-17T10:00')).toBe('Juan Pérez');
    expect(names('2025-12-24T10:00')).toBe('María García');
    expect(names('2025-11-19T10:00')).toBe('Carlos López');
    expect(nextShiftWindow(pack.rotation, lima('2025-11-26T10:00')).primary).toBe('María García');
  });
});
