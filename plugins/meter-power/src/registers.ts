import type { DisplayUnit, LocalizedText, RegisterDef } from '@quadmeter/sdk';

/** DL/T 645 energy is XXXXXX.XX: six integer digits, two decimals. */
export const DEFAULT_ROLLOVER = 999999.99;

/** Tariff 1..4 of DL/T 645 energy blocks; most tariff tables use them for 尖/峰/平/谷. */
export const TARIFFS = ['T1', 'T2', 'T3', 'T4'] as const;
const tariffNames = ['尖', '峰', '平', '谷'];

function energy(key: string, title: LocalizedText, unit: 'kWh' | 'kvarh', billable: boolean): RegisterDef {
  return { key, title, unit, decimals: 2, rolloverMax: DEFAULT_ROLLOVER, billable, kind: 'cumulative' };
}

function withTariffs(base: string, zh: string, en: string, billable: boolean): RegisterDef[] {
  return [
    energy(`${base}Total`, { 'zh-CN': `${zh}总`, en: `${en} total` }, 'kWh', billable),
    ...TARIFFS.map((t, i) =>
      energy(
        `${base}${t}`,
        { 'zh-CN': `${zh}费率${i + 1}(${tariffNames[i]})`, en: `${en} ${t}` },
        'kWh',
        billable,
      ),
    ),
  ];
}

function perPhase(
  base: string,
  zh: string,
  en: string,
  unit: string,
  decimals: number,
  min: number,
  max: number,
): RegisterDef[] {
  return (['A', 'B', 'C'] as const).map((p) => ({
    key: `${base}${p}`,
    title: { 'zh-CN': `${p}相${zh}`, en: `${en} phase ${p}` },
    unit,
    decimals,
    billable: false,
    kind: 'instant' as const,
    min,
    max,
  }));
}

export const registers: readonly RegisterDef[] = [
  ...withTariffs('activeImport', '正向有功', 'Active energy import', true),
  ...withTariffs('activeExport', '反向有功', 'Active energy export', false),
  energy('reactive1Total', { 'zh-CN': '组合无功1总', en: 'Combined reactive 1 total' }, 'kvarh', false),
  energy('reactive2Total', { 'zh-CN': '组合无功2总', en: 'Combined reactive 2 total' }, 'kvarh', false),
  ...perPhase('voltage', '电压', 'Voltage', 'V', 1, 0, 500),
  ...perPhase('current', '电流', 'Current', 'A', 3, -1000, 1000),
  {
    key: 'activePower',
    title: { 'zh-CN': '总有功功率', en: 'Active power' },
    unit: 'kW',
    decimals: 4,
    billable: false,
    kind: 'instant',
    min: -1000,
    max: 1000,
  },
  {
    key: 'powerFactor',
    title: { 'zh-CN': '总功率因数', en: 'Power factor' },
    unit: '',
    decimals: 3,
    billable: false,
    kind: 'instant',
    min: -1,
    max: 1,
  },
  {
    key: 'relay',
    title: { 'zh-CN': '继电器状态', en: 'Relay' },
    unit: '',
    decimals: 0,
    billable: false,
    kind: 'state',
    states: ['closed', 'open'],
  },
  {
    key: 'prepaidBalance',
    title: { 'zh-CN': '剩余金额', en: 'Prepaid balance' },
    unit: 'fen',
    decimals: 0,
    billable: false,
    kind: 'instant',
  },
];

export const displayUnits: readonly DisplayUnit[] = ['activeImportTotal', 'activeExportTotal'].map(
  (register) => ({
    register,
    unit: 'MWh',
    title: { 'zh-CN': '兆瓦时', en: 'megawatt-hour' },
    factor: 0.001,
    decimals: 5,
  }),
);
