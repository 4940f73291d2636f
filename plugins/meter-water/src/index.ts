import { cjt188StatusTable, defineMeterType, mbusStatusTable, protocolStatus } from '@quadmeter/sdk';
import { defaultAnomalyRules } from './anomaly-rules.ts';
import { displayUnits, registers } from './registers.ts';
import { settingsSchema } from './settings.ts';
import { usage } from './usage.ts';
import { validate } from './validate.ts';

export default defineMeterType({
  kind: 'meter-type',
  id: 'meter-water',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '水表', en: 'Water meter' },
  tenantSettings: settingsSchema,
  medium: 'water',
  registers,
  // CJ/T 188 over RS-485 and M-Bus meters of the same kind: each status word by its own bits
  ...protocolStatus({ cjt188: cjt188StatusTable, mbus: mbusStatusTable }),
  validate,
  usage,
  defaultAnomalyRules,
  displayUnits,
});
