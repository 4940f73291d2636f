import { type BitField, decodeBits, type StatusFlags } from '@quadmeter/sdk';

/**
 * CJ/T 188 status ST of a heat meter (T = 20 heat, 21 cooling), two bytes as sent: the word is ST1 | ST2 << 8.
 * ST1 D1D0 is the valve (00 open, 01 closed, 11 abnormal; 10 is not assigned), D2 low battery;
 * the other bits are vendor defined and only reported as "vendor bits set".
 */
export const statusTable: readonly BitField[] = [
  {
    key: 'valve',
    title: { 'zh-CN': '阀门', en: 'Valve' },
    shift: 0,
    values: ['open', 'closed', 'unknown', 'abnormal'],
  },
  { key: 'batteryLow', title: { 'zh-CN': '电池欠压', en: 'Battery low' }, mask: 0x0004 },
  { key: 'vendorBits', title: { 'zh-CN': '厂家自定义状态', en: 'Vendor status bits' }, mask: 0xfff8 },
];

export function decodeStatus(bits: number): StatusFlags {
  return decodeBits(bits, statusTable);
}
