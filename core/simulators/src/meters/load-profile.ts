import { toWallTime } from '../time/wall-time.ts';

/** Demand of a simulated consumer at an instant: kW for electricity, m³/h for water and gas. */
export type LoadProfile = (ms: number) => number;

/**
 * Household shape: a base load, a morning and an evening peak, scaled by `peak`. Deterministic,
 * so a test can integrate the same curve and compare.
 */
export function householdProfile(peak: number, offsetMin?: number): LoadProfile {
  // relative demand per wall-clock hour 0..23
  const shape = [
    0.2, 0.15, 0.15, 0.15, 0.15, 0.2, 0.4, 0.7, 0.6, 0.4, 0.35, 0.4, 0.5, 0.4, 0.35, 0.35, 0.4, 0.6, 0.9, 1.0,
    0.9, 0.7, 0.45, 0.3,
  ];
  return (ms) => peak * shape[toWallTime(ms, offsetMin).hour];
}

/** The same demand all the time. */
export function constantProfile(value: number): LoadProfile {
  return () => value;
}
