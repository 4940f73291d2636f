import { batteryVoltageRegister, type DisplayUnit, type RegisterDef, valveRegister } from '@quadmeter/sdk';

/** A household diaphragm meter shows five integer and three decimal digits (99999.999 m³). */
export const DEFAULT_ROLLOVER = 99999.999;

export const registers: readonly RegisterDef[] = [
  {
    key: 'standardVolume',
    title: { 'zh-CN': '标况累计体积', en: 'Standard volume' },
    unit: 'm3',
    decimals: 3,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: true,
    kind: 'cumulative',
  },
  {
    key: 'workingVolume',
    title: { 'zh-CN': '工况累计体积', en: 'Working volume' },
    unit: 'm3',
    decimals: 3,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: true,
    kind: 'cumulative',
  },
  {
    key: 'flowRate',
    title: { 'zh-CN': '标况瞬时流量', en: 'Standard flow rate' },
    unit: 'm3/h',
    decimals: 3,
    billable: false,
    kind: 'instant',
    min: 0,
    max: 1000,
  },
  {
    key: 'temperature',
    title: { 'zh-CN': '气体温度', en: 'Gas temperature' },
    unit: '°C',
    decimals: 2,
    billable: false,
    kind: 'instant',
    min: -40,
    max: 70,
  },
  {
    key: 'pressure',
    title: { 'zh-CN': '气体绝对压力', en: 'Absolute gas pressure' },
    unit: 'kPa',
    decimals: 3,
    billable: false,
    kind: 'instant',
    min: 50,
    max: 1700,
  },
  valveRegister,
  batteryVoltageRegister,
];

export const displayUnits: readonly DisplayUnit[] = [
  {
    register: 'pressure',
    unit: 'MPa',
    title: { 'zh-CN': '兆帕', en: 'megapascal' },
    factor: 0.001,
    decimals: 6,
  },
  { register: 'standardVolume', unit: 'L', title: { 'zh-CN': '升', en: 'litre' }, factor: 1000, decimals: 0 },
];
