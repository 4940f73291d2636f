import type { Meter } from '../api/meters.ts';

/** What a console acts on: an area (with its sub-areas), a meter group, or meters picked by search. */
export interface MeterTarget {
  target: 'area' | 'group' | 'meters';
  areaId: string;
  groupId: string;
  meters: Meter[];
}

export const emptyTarget = (): MeterTarget => ({ target: 'area', areaId: '', groupId: '', meters: [] });

/** Whether the target names something to act on. */
export const targetReady = (t: MeterTarget): boolean =>
  (t.target === 'area' && !!t.areaId) ||
  (t.target === 'group' && !!t.groupId) ||
  (t.target === 'meters' && t.meters.length > 0);
