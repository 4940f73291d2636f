import type { BitField } from '@quadmeter/sdk';

/**
 * DL/T 645-2007 run status words 1 (DI 04000501) and 3 (DI 04000503), combined as
 * word1 | word3 << 16.
 * Word 1: bit2 clock battery low, bit3 reading battery low, bit4 active power reversed,
 * bit5 reactive power reversed.
 * Word 3: bits1-2 supply (00 main, 01 auxiliary, 10 battery), bit4 relay state (0 closed,
 * 1 open), bit6 relay command (0 close, 1 trip), bit7 pre-trip alarm.
 */
export const statusTable: readonly BitField[] = [
  { key: 'clockBatteryLow', title: { 'zh-CN': '时钟电池欠压', en: 'Clock battery low' }, mask: 1 << 2 },
  {
    key: 'readingBatteryLow',
    title: { 'zh-CN': '停电抄表电池欠压', en: 'Reading battery low' },
    mask: 1 << 3,
  },
  { key: 'activeReversed', title: { 'zh-CN': '有功功率反向', en: 'Active power reversed' }, mask: 1 << 4 },
  {
    key: 'reactiveReversed',
    title: { 'zh-CN': '无功功率反向', en: 'Reactive power reversed' },
    mask: 1 << 5,
  },
  {
    key: 'supply',
    title: { 'zh-CN': '供电方式', en: 'Supply' },
    shift: 16 + 1,
    values: ['main', 'auxiliary', 'battery', 'unknown'],
  },
  { key: 'relay', title: { 'zh-CN': '继电器状态', en: 'Relay' }, shift: 16 + 4, values: ['closed', 'open'] },
  {
    key: 'relayCommandTrip',
    title: { 'zh-CN': '继电器命令跳闸', en: 'Relay commanded open' },
    mask: 1 << (16 + 6),
  },
  { key: 'preTripAlarm', title: { 'zh-CN': '预跳闸报警', en: 'Pre-trip alarm' }, mask: 1 << (16 + 7) },
];
