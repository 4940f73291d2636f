import { type AnomalyRule, valveMeterStatusRules } from '@quadmeter/sdk';

export const defaultAnomalyRules: readonly AnomalyRule[] = [
  {
    id: 'reverse-flow',
    title: { 'zh-CN': '反向流量', en: 'Reverse flow' },
    severity: 'warning',
    type: 'increase',
    register: 'reverseVolume',
    minDelta: 0.01,
  },
  {
    id: 'night-leak',
    title: { 'zh-CN': '夜间持续用水（疑似漏水）', en: 'Night flow (possible leak)' },
    severity: 'alarm',
    type: 'night-flow',
    register: 'totalVolume',
    fromHour: 2,
    toHour: 4,
    minRate: 0.02,
    nights: 3,
  },
  {
    id: 'stuck',
    title: { 'zh-CN': '长期零用量', en: 'No consumption' },
    severity: 'info',
    type: 'stuck',
    register: 'totalVolume',
    days: 30,
  },
  {
    id: 'spike',
    title: { 'zh-CN': '用量突增', en: 'Usage spike' },
    severity: 'warning',
    type: 'spike',
    register: 'totalVolume',
    factor: 3,
    baselineDays: 30,
    minUsage: 1,
  },
  ...valveMeterStatusRules,
];
