import { type AnomalyRule, valveMeterStatusRules } from '@quadmeter/sdk';

export const defaultAnomalyRules: readonly AnomalyRule[] = [
  {
    id: 'stuck',
    title: { 'zh-CN': '供暖期热量不变', en: 'No heat recorded' },
    severity: 'info',
    type: 'stuck',
    register: 'heatEnergy',
    days: 7,
  },
  {
    id: 'spike',
    title: { 'zh-CN': '热量突增', en: 'Heat spike' },
    severity: 'warning',
    type: 'spike',
    register: 'heatEnergy',
    factor: 3,
    baselineDays: 14,
    minUsage: 20,
  },
  {
    id: 'sensors-swapped',
    title: {
      'zh-CN': '温差为负（疑似温度传感器装反）',
      en: 'Negative temperature difference (sensors swapped?)',
    },
    severity: 'warning',
    type: 'threshold',
    register: 'temperatureDifference',
    below: -1,
  },
  {
    id: 'supply-overheat',
    title: { 'zh-CN': '供水温度过高', en: 'Supply temperature too high' },
    severity: 'alarm',
    type: 'threshold',
    register: 'supplyTemperature',
    above: 95,
  },
  ...valveMeterStatusRules,
];
