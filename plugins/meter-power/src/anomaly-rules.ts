import type { AnomalyRule } from '@quadmeter/sdk';

/** Supply voltage limits of GB/T 12325 for 220 V: +7 % / −10 %. */
const voltageRules: AnomalyRule[] = (['A', 'B', 'C'] as const).map((p) => ({
  id: `voltage-${p.toLowerCase()}`,
  title: { 'zh-CN': `${p}相电压越限`, en: `Phase ${p} voltage out of limits` },
  severity: 'warning',
  type: 'threshold',
  register: `voltage${p}`,
  above: 235.4,
  below: 198,
}));

export const defaultAnomalyRules: readonly AnomalyRule[] = [
  {
    id: 'reverse-energy',
    title: { 'zh-CN': '反向有功电量增长', en: 'Reverse energy recorded' },
    severity: 'warning',
    type: 'increase',
    register: 'activeExportTotal',
    minDelta: 0.5,
  },
  {
    id: 'stuck',
    title: { 'zh-CN': '长期零电量', en: 'No consumption' },
    severity: 'info',
    type: 'stuck',
    register: 'activeImportTotal',
    days: 30,
  },
  {
    id: 'spike',
    title: { 'zh-CN': '电量突增', en: 'Consumption spike' },
    severity: 'warning',
    type: 'spike',
    register: 'activeImportTotal',
    factor: 3,
    baselineDays: 30,
    minUsage: 5,
  },
  ...voltageRules,
  {
    id: 'low-balance',
    title: { 'zh-CN': '余额不足', en: 'Low prepaid balance' },
    severity: 'warning',
    type: 'threshold',
    register: 'prepaidBalance',
    below: 1000,
  },
  {
    id: 'clock-battery-low',
    title: { 'zh-CN': '时钟电池欠压', en: 'Clock battery low' },
    severity: 'warning',
    type: 'status',
    field: 'clockBatteryLow',
    equals: true,
  },
  {
    id: 'active-reversed',
    title: { 'zh-CN': '有功功率反向（疑似接线错误）', en: 'Active power reversed (wiring?)' },
    severity: 'alarm',
    type: 'status',
    field: 'activeReversed',
    equals: true,
  },
  {
    id: 'pre-trip',
    title: { 'zh-CN': '预跳闸报警', en: 'Pre-trip alarm' },
    severity: 'info',
    type: 'status',
    field: 'preTripAlarm',
    equals: true,
  },
];
