import type { DisplayUnit, RegisterDef } from '@quadmeter/sdk';

/** CJ/T 188 heat and volume are XXXXXX.XX: six integer digits, two decimals. */
export const DEFAULT_ROLLOVER = 999999.99;
/** Operating hours are XXXXXX h. */
export const HOURS_ROLLOVER = 999999;

function instant(
  key: string,
  zh: string,
  en: string,
  unit: string,
  decimals: number,
  min: number,
  max: number,
): RegisterDef {
  return { key, title: { 'zh-CN': zh, en }, unit, decimals, billable: false, kind: 'instant', min, max };
}

export const registers: readonly RegisterDef[] = [
  {
    key: 'heatEnergy',
    title: { 'zh-CN': '累计热量', en: 'Heat energy' },
    unit: 'kWh',
    decimals: 2,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: true,
    kind: 'cumulative',
  },
  {
    key: 'volume',
    title: { 'zh-CN': '累计流量', en: 'Volume' },
    unit: 'm3',
    decimals: 2,
    rolloverMax: DEFAULT_ROLLOVER,
    billable: false,
    kind: 'cumulative',
  },
  instant('flowRate', '瞬时流量', 'Flow rate', 'm3/h', 4, 0, 1000),
  instant('supplyTemperature', '供水温度', 'Supply temperature', '°C', 2, 0, 150),
  instant('returnTemperature', '回水温度', 'Return temperature', '°C', 2, 0, 150),
  instant('temperatureDifference', '供回水温差', 'Temperature difference', 'K', 2, -20, 150),
  instant('power', '热功率', 'Heat power', 'kW', 2, 0, 100_000),
  {
    key: 'operatingHours',
    title: { 'zh-CN': '累计工作时间', en: 'Operating hours' },
    unit: 'h',
    decimals: 0,
    rolloverMax: HOURS_ROLLOVER,
    billable: false,
    kind: 'cumulative',
  },
];

/** 1 kWh = 3.6 MJ = 0.0036 GJ. */
export const displayUnits: readonly DisplayUnit[] = [
  {
    register: 'heatEnergy',
    unit: 'GJ',
    title: { 'zh-CN': '吉焦', en: 'gigajoule' },
    factor: 0.0036,
    decimals: 3,
  },
  {
    register: 'heatEnergy',
    unit: 'MWh',
    title: { 'zh-CN': '兆瓦时', en: 'megawatt-hour' },
    factor: 0.001,
    decimals: 3,
  },
  { register: 'power', unit: 'MW', title: { 'zh-CN': '兆瓦', en: 'megawatt' }, factor: 0.001, decimals: 4 },
];
