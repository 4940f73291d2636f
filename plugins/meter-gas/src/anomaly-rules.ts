import { type AnomalyRule, valveMeterStatusRules } from '@quadmeter/sdk';

export const defaultAnomalyRules: readonly AnomalyRule[] = [
  {
    id: 'night-leak',
    title: { 'zh-CN': '夜间持续用气（疑似泄漏）', en: 'Night flow (possible leak)' },
    severity: 'alarm',
    type: 'night-flow',
    register: 'standardVolume',
    fromHour: 1,
    toHour: 5,
    minRate: 0.01,
    nights: 2,
  },
  {
    id: 'stuck',
    title: { 'zh-CN': '长期零用气', en: 'No consumption' },
    severity: 'info',
    type: 'stuck',
    register: 'standardVolume',
    days: 30,
  },
  {
    id: 'spike',
    title: { 'zh-CN': '用气突增', en: 'Usage spike' },
    severity: 'warning',
    type: 'spike',
    register: 'standardVolume',
    factor: 3,
    baselineDays: 30,
    minUsage: 1,
  },
  {
    id: 'pressure-low',
    title: { 'zh-CN': '供气压力过低', en: 'Supply pressure low' },
    severity: 'warning',
    type: 'threshold',
    register: 'pressure',
    below: 95,
  },
  ...valveMeterStatusRules,
];
