import type { Instantaneous } from './electricity-types.ts';

/**
 * Instantaneous values of a three-phase meter carrying active power `p` kW (positive = import):
 * fixed phase voltages, power factor 0.95 under load (1 when idle or switched off), 50 Hz.
 */
export function phaseValues(p: number, on: boolean): Instantaneous {
  const pf = on && p !== 0 ? 0.95 : 1;
  const voltage: [number, number, number] = [220.1, 219.8, 220.4];
  const current = voltage.map((u) => Math.round((Math.abs(p) * 1000 * 1000) / (3 * u * pf)) / 1000) as [
    number,
    number,
    number,
  ];
  const s = Math.abs(p) / pf;
  return {
    voltage,
    current,
    activePower: Math.round(p * 10_000) / 10_000,
    reactivePower: Math.round(Math.sqrt(Math.max(0, s * s - p * p)) * 10_000) / 10_000,
    apparentPower: Math.round(s * 10_000) / 10_000,
    powerFactor: pf,
    frequency: 50,
  };
}
