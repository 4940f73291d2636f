import { defineMeterType, protocolStatus } from '@quadmeter/sdk';
import { defaultAnomalyRules } from './anomaly-rules.ts';
import { displayUnits, registers } from './registers.ts';
import { settingsSchema } from './settings.ts';
import { statusTable } from './status.ts';
import { usage } from './usage.ts';
import { validate } from './validate.ts';

export default defineMeterType({
  kind: 'meter-type',
  id: 'meter-power',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '电能表', en: 'Electricity meter' },
  tenantSettings: settingsSchema,
  medium: 'electricity',
  registers,
  // DL/T 645-2007 run status words 1 and 3 (a 1997 meter's status word is not decoded)
  ...protocolStatus({ 'dlt645-2007': statusTable }),
  validate,
  usage,
  defaultAnomalyRules,
  displayUnits,
});
