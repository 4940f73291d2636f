import { toWallTime } from '../time/wall-time.ts';

/**
 * Time-of-use tariff index per wall-clock hour, as DL/T 645 meters number them: 1 sharp (尖),
 * 2 peak (峰), 3 flat (平), 4 valley (谷).
 */
export type TariffSchedule = readonly number[];

export const DEFAULT_TARIFF_SCHEDULE: TariffSchedule = [
  4, 4, 4, 4, 4, 4, 4, 4, 3, 2, 2, 1, 3, 3, 3, 3, 2, 2, 1, 1, 2, 3, 3, 4,
];

export function tariffAt(schedule: TariffSchedule, ms: number, offsetMin?: number): number {
  return schedule[toWallTime(ms, offsetMin).hour];
}
