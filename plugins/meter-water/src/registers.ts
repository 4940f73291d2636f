import { batteryVoltageRegister, type DisplayUnit, type RegisterDef, valveRegister } from '@quadmeter/sdk';

/** A household counter shows five integer and three decimal digits (99999.999 m³) by default. */
export const DEFAULT_ROLLOVER = 99999.999;

export const registers: readonly RegisterDef[] = [
  {
    key: 'totalVolume',
    title: { 'zh-CN': '累计流量', en: 'Total volume' },
    unit: 'm3',
    decimals: 3,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: true,
    kind: 'cumulative',
  },
  {
    key: 'reverseVolume',
    title: { 'zh-CN': '反向累计流量', en: 'Reverse volume' },
    unit: 'm3',
    decimals: 3,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: false,
    kind: 'cumulative',
  },
  {
    key: 'flowRate',
    title: { 'zh-CN': '瞬时流量', en: 'Flow rate' },
    unit: 'm3/h',
    decimals: 3,
    billable: false,
    kind: 'instant',
    min: 0,
    max: 500,
  },
  valveRegister,
  batteryVoltageRegister,
];

export const displayUnits: readonly DisplayUnit[] = [
  { register: 'totalVolume', unit: 'L', title: { 'zh-CN': '升', en: 'litre' }, factor: 1000, decimals: 0 },
  { register: 'reverseVolume', unit: 'L', title: { 'zh-CN': '升', en: 'litre' }, factor: 1000, decimals: 0 },
  {
    register: 'flowRate',
    unit: 'L/h',
    title: { 'zh-CN': '升/小时', en: 'litre per hour' },
    factor: 1000,
    decimals: 0,
  },
];
