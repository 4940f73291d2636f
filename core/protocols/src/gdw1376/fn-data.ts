import { type EnergyBlock, tariffedLayout } from './energy.ts';
import { A1, A5, A7, A9, A11, A14, A15, A20, A21, A25, type Format } from './formats.ts';
import { EMPTY, type Field, fixedLayout } from './layouts.ts';
import type { FnDef } from './types.ts';

/** The eight energy indications, in the Fn order the standard uses for F129..F136, F161..F168, F177..F184. */
const KINDS: readonly { name: string; format: Format<number>; unit: 'kWh' | 'kvarh' }[] = [
  { name: 'positive active', format: A14, unit: 'kWh' },
  { name: 'positive reactive (combined reactive 1)', format: A11, unit: 'kvarh' },
  { name: 'reverse active', format: A14, unit: 'kWh' },
  { name: 'reverse reactive (combined reactive 2)', format: A11, unit: 'kvarh' },
  { name: 'quadrant I reactive', format: A11, unit: 'kvarh' },
  { name: 'quadrant II reactive', format: A11, unit: 'kvarh' },
  { name: 'quadrant III reactive', format: A11, unit: 'kvarh' },
  { name: 'quadrant IV reactive', format: A11, unit: 'kvarh' },
];

const block = (i: number, key?: string): EnergyBlock => ({
  key,
  format: KINDS[i].format,
  unit: KINDS[i].unit,
});

const phases = (path: string, f: Format<unknown>, total: boolean): Field[] => [
  ...(total ? [[`${path}.total`, f] as const] : []),
  [`${path}.a`, f],
  [`${path}.b`, f],
  [`${path}.c`, f],
];

/** F25: current three-phase and total power, power factor, voltage, current (67 bytes). */
const F25 = fixedLayout([
  ['time', A15],
  ...phases('activePower_kW', A9, true),
  ...phases('reactivePower_kvar', A9, true),
  ...phases('powerFactor_pct', A5, true),
  ...phases('voltage_V', A7, false),
  ...phases('current_A', A25, false),
  ['zeroSequenceCurrent_A', A25],
  ...phases('apparentPower_kVA', A9, true),
]);

/** AFN 0C: class 1 (realtime) data. Requests carry no data; replies come from the terminal. */
export const AFN0C: readonly FnDef[] = [
  { fn: 2, name: 'terminal clock', down: EMPTY, up: fixedLayout([['clock', A1]]) },
  { fn: 25, name: 'current three-phase power, power factor, voltage, current', down: EMPTY, up: F25 },
  {
    fn: 33,
    name: 'current positive active/reactive and quadrant I/IV reactive energy indication',
    down: EMPTY,
    up: tariffedLayout(null, [
      block(0, 'positiveActive'),
      block(1, 'positiveReactive'),
      block(4, 'quadrant1Reactive'),
      block(7, 'quadrant4Reactive'),
    ]),
  },
  {
    fn: 34,
    name: 'current reverse active/reactive and quadrant II/III reactive energy indication',
    down: EMPTY,
    up: tariffedLayout(null, [
      block(2, 'reverseActive'),
      block(3, 'reverseReactive'),
      block(5, 'quadrant2Reactive'),
      block(6, 'quadrant3Reactive'),
    ]),
  },
  ...KINDS.map((k, i) => ({
    fn: 129 + i,
    name: `current ${k.name} energy indication`,
    down: EMPTY,
    up: tariffedLayout(null, [block(i)]),
  })),
];

/**
 * AFN 0D: class 2 (frozen) data. The request names the freeze: Td_d (A.20) for daily, Td_m (A.21)
 * for monthly; the reply repeats it before the meter-read time, tariff count and values.
 */
export const AFN0D: readonly FnDef[] = [
  ...KINDS.map((k, i) => ({
    fn: 161 + i,
    name: `daily frozen ${k.name} energy indication`,
    down: fixedLayout([['date', A20]]),
    up: tariffedLayout(['date', A20], [block(i)]),
  })),
  ...KINDS.map((k, i) => ({
    fn: 177 + i,
    name: `monthly frozen ${k.name} energy indication`,
    down: fixedLayout([['month', A21]]),
    up: tariffedLayout(['month', A21], [block(i)]),
  })),
];
