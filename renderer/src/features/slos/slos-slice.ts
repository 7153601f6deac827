import type { SloStatus } from '../../../../shared/domain';
import type { SliceCreator } from '../../store/store';

/** The SLO table: the latest evaluation from core (`slos.list` / `status.get`, then `slos.changed`). */
export type SlosSlice = {
  slos: SloStatus[];
  slosUpdatedAt: number | null;
  setSlos(slos: SloStatus[], updatedAt: number | null): void;
};

export const createSlosSlice: SliceCreator<SlosSlice> = (set) => ({
  slos: [],
  slosUpdatedAt: null,
  setSlos: (slos, slosUpdatedAt) => set({ slos, slosUpdatedAt }),
});
