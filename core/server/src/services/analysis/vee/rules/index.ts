import type { AnyVeeRule } from '../types.ts';
import { subExceedsMaster } from './balance.ts';
import { counterRollback, meterReplaced, usageDrop, usageSpike, zeroConsumption } from './consumption.ts';
import { clockDrift, lowBattery, noData, tamper, valveFault } from './device.ts';
import { nightFlow, reverseFlow } from './flow.ts';
import { currentImbalance, heatTemperature, voltage } from './power-heat.ts';

/** The built-in rule catalogue, in evaluation order. */
export const builtinRules: readonly AnyVeeRule[] = [
  zeroConsumption,
  usageSpike,
  usageDrop,
  counterRollback,
  meterReplaced,
  reverseFlow,
  nightFlow,
  noData,
  lowBattery,
  tamper,
  valveFault,
  clockDrift,
  voltage,
  currentImbalance,
  heatTemperature,
  subExceedsMaster,
];
